/**
 * "What we know about you", in English: every field a profile can hold, what it is, where it came from and
 * what uses it. Typed over every key of Profile, so a new field does not compile until it is described (in
 * every language: German and French are typed by this).
 */
import type { Profile } from '../../model.js';

export interface FieldText {
  label: string;
  /** Where the value came from. */
  source: string;
  /** What uses it. */
  usedFor: string;
}

export type FieldsText = { [K in keyof Required<Profile>]: FieldText };

const ACCOUNT = 'your account with the shop';
const SENDING = 'our record of the emails we sent you';

export const FIELDS_EN: FieldsText = {
  email: { label: 'Email address', source: ACCOUNT, usedFor: 'where we send your emails' },
  firstName: { label: 'First name', source: ACCOUNT, usedFor: 'the greeting in emails (“Hi Ada”)' },
  timeZone: {
    label: 'Time zone',
    source: ACCOUNT,
    usedFor: 'sending at a sensible hour where you are (never at night), and the times on these pages',
  },
  birthday: {
    label: 'Birthday',
    source: ACCOUNT,
    usedFor: 'a birthday message on the morning of your birthday',
  },
  birthdayMd: {
    label: 'Birthday month and day',
    source: 'worked out from your birthday',
    usedFor:
      'finding whose birthday it is each day without reading everyone’s data (deleted with your birthday)',
  },
  locale: { label: 'Language', source: ACCOUNT, usedFor: 'the language of our emails and these pages' },
  consent: {
    label: 'Permission to email you',
    source: 'what you chose: when you ordered, in your account, or on this page',
    usedFor: 'whether we may email you at all, and about what (change it above)',
  },
  feedback: {
    label: 'Your answers about our suggestions',
    source: 'the “Useful” and “Not for me” links in our emails, and the shop’s website',
    usedFor: 'suggestions: we never suggest what you marked “not for me”, and show more of what you liked',
  },
  purchasedCategories: {
    label: 'Kinds of things you bought',
    source: 'your orders',
    usedFor: 'suggestions from the kinds of things you like',
  },
  recentPurchases: {
    label: 'Items you bought recently',
    source: 'your orders',
    usedFor: 'not suggesting what you just bought',
  },
  peerPicks: {
    label: 'Picks from shoppers like you',
    source:
      'a weekly comparison of purchase histories: items bought by the customers whose orders are most like yours, and not yet by you',
    usedFor: 'suggesting something new you are likely to want; no other customer is ever named or shown',
  },
  purchaseHistory: {
    label: 'Items you buy again',
    source: 'your orders: how many had each item, and when (at most 50 items)',
    usedFor:
      '“buy again” suggestions when you usually restock, and not suggesting what you have as if it were new',
  },
  preferences: {
    label: 'How often, and tracking',
    source: 'what you chose on this page',
    usedFor: 'how many emails we send you, a pause, and whether we track opens and clicks',
  },
  attributes: {
    label: 'Other details from the shop',
    source: ACCOUNT,
    usedFor: 'nothing in your emails; kept because the shop sent them (delete any of them here)',
  },
  lastActiveAt: {
    label: 'Last visit to the shop',
    source: 'your visits to the shop',
    usedFor: 'knowing when to say we miss you (after a long time away)',
  },
  lastOrderAt: {
    label: 'Last order',
    source: 'your orders',
    usedFor: 'knowing when to say we miss you (an order counts as a visit)',
  },
  inactiveOn: {
    label: 'Day you would count as away',
    source: 'worked out from your last visit or order',
    usedFor: 'knowing when to say we miss you',
  },
  recentOrderTimes: {
    label: 'Times of your latest orders',
    source: 'your orders (the last 6)',
    usedFor: 'working out how often you usually order, so we do not say we miss you too soon',
  },
  orderGapDays: {
    label: 'Usual time between your orders',
    source: 'worked out from the times of your latest orders',
    usedFor: 'waiting longer before saying we miss you if you usually order rarely',
  },
  engagementHours: {
    label: 'Hours you read our emails',
    source: 'when you opened or clicked our emails (learned from open and click tracking)',
    usedFor: 'sending birthday and “we miss you” emails at the hour you usually read them',
  },
  pendingGestures: {
    label: 'Thank-yous and birthday wishes on their way',
    source: SENDING,
    usedFor: 'holding back a reminder when a thank-you or birthday wish is due to you soon',
  },
  suppressed: {
    label: 'Delivery stop',
    source: 'delivery reports from our mail service',
    usedFor: 'never emailing an address that could not be reached or reported spam',
  },
  softBounces: {
    label: 'Failed deliveries',
    source: 'delivery reports from our mail service',
    usedFor: 'stopping email to an address that keeps failing (after a few failures in a row)',
  },
  recentSends: {
    label: 'Times of your recent emails',
    source: SENDING,
    usedFor: 'keeping to how many emails you get in a day and a week',
  },
  recentKinds: {
    label: 'Kinds of your recent emails',
    source: SENDING,
    usedFor: 'keeping reminders from outnumbering thank-yous and gifts',
  },
  capVersion: {
    label: 'Email counter',
    source: SENDING,
    usedFor: 'keeping to how many emails you get (stops two emails from taking the same place at once)',
  },
  lastMessage: {
    label: 'Last email we sent you',
    source: SENDING,
    usedFor: 'linking a later order or answer to the email that led to it',
  },
  customerId: {
    label: 'Customer number',
    source: ACCOUNT,
    usedFor: 'linking your emails, carts and orders to you',
  },
  createdAt: { label: 'First stored', source: ACCOUNT, usedFor: 'record keeping' },
  updatedAt: {
    label: 'Last changed',
    source: 'your account, your visits, or this page',
    usedFor: 'record keeping',
  },
};
