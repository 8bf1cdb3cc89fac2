/**
 * "What we know about you": every field a profile can hold, in plain language: what it is, where it came
 * from, what uses it. Typed over every key of Profile, so a new field does not compile until it is described
 * here; stored keys the type does not know are still shown (see profileRows).
 */

import type { Profile } from '../model.js';
import type { Topic } from '../names.js';
import { JOURNEY_LABELS, TOPIC_LABELS } from './labels.js';
import { readableTime } from './layout.js';

export interface FieldInfo {
  label: string;
  /** Where the value came from. */
  source: string;
  /** What uses it. */
  usedFor: string;
  /** The value in words; `undefined` when nothing is stored. */
  show?: (profile: Profile) => string | undefined;
}

const ACCOUNT = 'your account (customer.upserted)';
const SENDING = 'our record of the emails we sent you';

/** Every Profile field, in the order the page lists them. */
export const PROFILE_FIELDS: { [K in keyof Required<Profile>]: FieldInfo } = {
  email: { label: 'Email address', source: ACCOUNT, usedFor: 'where we send your emails' },
  firstName: { label: 'First name', source: ACCOUNT, usedFor: 'greeting in emails ("Hi Ada")' },
  timeZone: {
    label: 'Time zone',
    source: ACCOUNT,
    usedFor: 'sending at a sensible hour in your time zone (never at night), and your birthday message',
  },
  birthday: {
    label: 'Birthday',
    source: ACCOUNT,
    usedFor: 'birthday message on the morning of your birthday',
  },
  birthdayMd: {
    label: 'Birthday month and day',
    source: 'worked out from your birthday',
    usedFor:
      'finding whose birthday it is each day without reading everyone’s data (deleted with your birthday)',
  },
  locale: { label: 'Language and region', source: ACCOUNT, usedFor: 'the language and formats of emails' },
  consent: {
    label: 'Permission to email you',
    source: 'what you chose: at checkout, in your account, or on this page',
    usedFor: 'whether we may email you at all, and about which topics (change it above)',
    show: showConsent,
  },
  feedback: {
    label: 'Your votes on items and categories',
    source: 'the “useful” and “not for me” links in our emails, and the shop’s own site',
    usedFor:
      'recommendations: we never suggest what you marked “not for me”, and show more of what you liked',
    show: (p) =>
      p.feedback?.length
        ? p.feedback
            .map((v) => `${v.target.label ?? v.target.id}: ${v.vote === 'up' ? 'useful' : 'not for me'}`)
            .join(', ')
        : undefined,
  },
  purchasedCategories: {
    label: 'Categories you bought from',
    source: 'your orders',
    usedFor: 'recommendations from the categories you like',
    show: (p) =>
      p.purchasedCategories && Object.keys(p.purchasedCategories).length
        ? Object.entries(p.purchasedCategories)
            .map(([c, n]) => `${c} (${n})`)
            .join(', ')
        : undefined,
  },
  recentPurchases: {
    label: 'Items you bought recently',
    source: 'your orders',
    usedFor: 'not recommending what you just bought',
    show: (p) => (p.recentPurchases?.length ? p.recentPurchases.join(', ') : undefined),
  },
  preferences: {
    label: 'How often',
    source: 'what you chose on this page',
    usedFor: 'frequency cap and pause',
    show: (p) =>
      p.preferences &&
      (p.preferences.frequency === 'paused'
        ? `Paused until ${readableTime(p.preferences.pausedUntil)}`
        : p.preferences.frequency === 'fewer'
          ? 'Fewer emails'
          : 'Normal'),
  },
  attributes: {
    label: 'Other details from the shop',
    source: ACCOUNT,
    usedFor: 'nothing in your emails; kept because the shop sent them (delete any of them below)',
  },
  lastActiveAt: {
    label: 'Last visit to the shop',
    source: 'your activity on the shop',
    usedFor: 'win-back timing (a note if we have not seen you for a long while)',
    show: (p) => p.lastActiveAt && readableTime(p.lastActiveAt),
  },
  lastOrderAt: {
    label: 'Last order',
    source: 'your orders',
    usedFor: 'win-back timing (an order counts as a visit)',
    show: (p) => p.lastOrderAt && readableTime(p.lastOrderAt),
  },
  inactiveOn: {
    label: 'Day you would count as away',
    source: 'worked out from your last visit or order',
    usedFor: 'win-back timing',
  },
  recentOrderTimes: {
    label: 'Times of your latest orders',
    source: 'your orders (the last 6)',
    usedFor: 'working out how often you usually order, for win-back timing',
    show: (p) => (p.recentOrderTimes?.length ? p.recentOrderTimes.map(readableTime).join('; ') : undefined),
  },
  orderGapDays: {
    label: 'Usual time between your orders',
    source: 'worked out from the times of your latest orders',
    usedFor: 'win-back timing: we wait longer before saying we miss you if you usually order rarely',
    show: (p) => (p.orderGapDays === undefined ? undefined : `about ${Math.round(p.orderGapDays)} days`),
  },
  engagementHours: {
    label: 'Hours you read our emails',
    source: 'when you opened or clicked our emails (first open and first click of each, in your time zone)',
    usedFor: 'sending birthday and win-back emails at the hour you usually read them',
    show: (p) =>
      p.engagementHours && Object.keys(p.engagementHours).length
        ? Object.entries(p.engagementHours)
            .sort(([a], [b]) => Number(a) - Number(b))
            .map(([h, n]) => `${h.padStart(2, '0')}:00 (${n})`)
            .join(', ')
        : undefined,
  },
  suppressed: {
    label: 'Delivery stop',
    source: 'email delivery reports',
    usedFor: 'never emailing an address that bounced or reported spam',
    show: (p) => p.suppressed && `Stopped since ${readableTime(p.suppressed.at)} (${p.suppressed.reason})`,
  },
  softBounces: {
    label: 'Temporary delivery failures',
    source: 'email delivery reports',
    usedFor: 'stopping email to an address that keeps failing (after a few failures in a row)',
    show: (p) =>
      p.softBounces && `${p.softBounces.count} in a row, last ${readableTime(p.softBounces.lastAt)}`,
  },
  recentSends: {
    label: 'Times of your recent emails',
    source: SENDING,
    usedFor: 'frequency cap (how many emails you get in a day and a week)',
    show: (p) => p.recentSends && (p.recentSends.map(readableTime).join('; ') || 'none in the last 7 days'),
  },
  recentKinds: {
    label: 'Kinds of your recent emails',
    source: SENDING,
    usedFor: 'keeping reminders from outnumbering thank-yous and gifts (the give/ask balance)',
    show: (p) =>
      p.recentKinds &&
      (p.recentKinds
        .map((k) => `${k.kind === 'ask' ? 'reminder or offer' : 'thank-you or gift'} ${readableTime(k.at)}`)
        .join('; ') ||
        'none recently'),
  },
  capVersion: {
    label: 'Frequency-cap counter',
    source: SENDING,
    usedFor: 'frequency cap (stops two emails from taking the same slot at once)',
  },
  lastMessage: {
    label: 'Last email we sent you',
    source: SENDING,
    usedFor: 'crediting a later order or feedback to the email that led to it',
    show: (p) =>
      p.lastMessage &&
      `${JOURNEY_LABELS[p.lastMessage.journey] ?? p.lastMessage.journey}, ${readableTime(p.lastMessage.sentAt)}`,
  },
  customerId: {
    label: 'Customer number',
    source: ACCOUNT,
    usedFor: 'linking your emails, carts and orders to you',
  },
  createdAt: {
    label: 'First stored',
    source: ACCOUNT,
    usedFor: 'record keeping',
    show: (p) => p.createdAt && readableTime(p.createdAt),
  },
  updatedAt: {
    label: 'Last changed',
    source: 'your account, your activity, or this page',
    usedFor: 'record keeping',
    show: (p) => p.updatedAt && readableTime(p.updatedAt),
  },
};

function showConsent(p: Profile): string | undefined {
  const c = p.consent;
  if (!c) return undefined;
  const email =
    c.email === 'opted_in'
      ? 'Yes, you opted in'
      : c.email === 'opted_out'
        ? 'No, you opted out'
        : 'Not given';
  const evidence = [
    c.source && `via ${c.source}`,
    c.updatedAt && `on ${readableTime(c.updatedAt)}`,
    c.textVersion && `(wording ${c.textVersion})`,
  ]
    .filter(Boolean)
    .join(' ');
  const topics = Object.entries(c.topics ?? {})
    .map(([t, on]) => `${TOPIC_LABELS[t as Topic] ?? t}: ${on ? 'on' : 'off'}`)
    .join(', ');
  return `${email}${evidence ? ` ${evidence}` : ''}.${topics ? ` Topics: ${topics}.` : ''}`;
}

/** One row of the page: a stored value with its provenance, keyed by field name or `attributes.<name>`. */
export interface FieldRow {
  key: string;
  label: string;
  value: string | undefined;
  source: string;
  usedFor: string;
}

/**
 * The rows for a stored profile: every described field that holds a value (editable ones always, so they can
 * be added), one row per free-form attribute, and any stored key the catalogue does not know, so nothing
 * stored is ever hidden from the customer.
 */
export function profileRows(profile: Profile, alwaysShow: readonly string[]): FieldRow[] {
  const rows: FieldRow[] = [];
  const stored = profile as unknown as Record<string, unknown>;
  for (const [key, info] of Object.entries(PROFILE_FIELDS) as [keyof Profile, FieldInfo][]) {
    if (key === 'attributes') continue;
    const raw = stored[key];
    const value = info.show
      ? info.show(profile)
      : raw === undefined || raw === null
        ? undefined
        : String(raw);
    if (value === undefined && !alwaysShow.includes(key)) continue;
    rows.push({ key, label: info.label, value, source: info.source, usedFor: info.usedFor });
  }
  for (const [name, value] of Object.entries(profile.attributes ?? {})) {
    const { source, usedFor } = PROFILE_FIELDS.attributes;
    rows.push({ key: `attributes.${name}`, label: name, value: JSON.stringify(value), source, usedFor });
  }
  for (const key of Object.keys(stored)) {
    if (Object.hasOwn(PROFILE_FIELDS, key)) continue;
    const value = JSON.stringify(stored[key]);
    rows.push({ key, label: key, value, source: 'stored by the shop’s email system', usedFor: 'nothing' });
  }
  return rows;
}
