/** Stored shapes: profiles, carts, templates; and the message workflow's state data. */

import type { LineItem } from './events.js';
import type { FeedbackVote } from './feedback.js';
import type { Locale } from './locale.js';
import type { Journey, JourneyClass, Topic } from './names.js';
import type { StoredPeerPicks } from './peers.js';
import type { PurchaseHistory } from './purchase-history.js';

export type EmailConsent = 'opted_in' | 'opted_out';

/** Consent with its evidence (who, when, source, wording version). */
export interface Consent {
  email?: EmailConsent;
  topics?: Partial<Record<Topic, boolean>>;
  source?: string;
  textVersion?: string;
  /** When the customer last changed consent (ISO). */
  updatedAt?: string;
}

export interface Suppression {
  reason: 'hard_bounce' | 'complaint' | 'manual' | 'soft_bounces';
  at: string;
  detail?: string;
}

/** Consecutive soft (transient) bounces; a delivery to the customer since `lastAt` starts the count again. */
export interface SoftBounces {
  count: number;
  /** Time of the last soft bounce counted (ISO). */
  lastAt: string;
}

export type Frequency = 'normal' | 'fewer' | 'paused';

/** How often the customer wants marketing email, set in the preference center. */
export interface Preferences {
  /** 'fewer' halves the frequency caps; 'paused' holds every marketing email until pausedUntil. */
  frequency: Frequency;
  /** End of a pause (ISO); only meaningful with frequency 'paused'. */
  pausedUntil?: string;
  /** When the customer last changed it (ISO). */
  updatedAt: string;
  /**
   * Open and click tracking for this customer's emails; false: no open pixel and no click redirect (SES's
   * per-message tracking override). Absent means the shop's default (config `tracking`).
   */
  tracking?: boolean;
}

/** One sent message as the give/ask balance counts it. */
export interface SentKind {
  /** When it was sent (ISO). */
  at: string;
  kind: JourneyClass;
}

export interface Profile {
  customerId: string;
  email: string;
  firstName?: string;
  locale?: string;
  timeZone?: string;
  /** "YYYY-MM-DD" or "--MM-DD". */
  birthday?: string;
  /** "MM-DD", the key of the birthday index. */
  birthdayMd?: string;
  consent?: Consent;
  attributes?: Record<string, string | number | boolean | null>;
  lastActiveAt?: string;
  lastOrderAt?: string;
  /** UTC day ("YYYY-MM-DD") on which the customer becomes inactive, the key of the inactivity index. */
  inactiveOn?: string;
  suppressed?: Suppression;
  /** Soft bounces in a row; at config.softBounceLimit the address is suppressed ('soft_bounces'). */
  softBounces?: SoftBounces;
  /** ISO times of recent marketing sends (last 7 days), the frequency cap's state. */
  recentSends?: string[];
  /** Class of each message sent within the balance window, the give/ask balance's state. */
  recentKinds?: SentKind[];
  /** Optimistic-lock counter for recentSends and recentKinds (written together). */
  capVersion?: number;
  /** The last message sent, for attributing opens, clicks, orders and feedback. */
  lastMessage?: {
    messageId: string;
    journey: Journey;
    sentAt: string;
    recommendations: string[];
    /** The template variant and version it went out with, so an attributed order can reward the variant. */
    variant?: string;
    templateVersion?: string;
  };
  /** Votes on items and categories ("useful" / "not for me"), newest last; one per target. */
  feedback?: FeedbackVote[];
  /** Orders per category, for category affinity in recommendations. */
  purchasedCategories?: Record<string, number>;
  /** Skus of the latest orders (newest last, at most 20): not recommended again unless consumable. */
  recentPurchases?: string[];
  /**
   * What they buy again: orders placed, and per item (at most 50, domain/purchase-history.ts) how many orders
   * had it and the days of the first and last: the rhythm behind "buy again" suggestions.
   */
  purchaseHistory?: PurchaseHistory;
  /**
   * "Shoppers like you": items the customers with the most similar purchase histories bought and this one
   * never did, best first with scores (1 for the best), and since when the set has been the same. Not kept
   * on the profile item: the weekly peer sweep writes them to a shared peer bucket (domain/peers.ts,
   * usecases/peer-sweep.ts), and Personalize and the data page read them beside the profile.
   */
  peerPicks?: StoredPeerPicks;
  /** Opens and clicks per local hour ("0"-"23"), first of each kind per message: the best send hour. */
  engagementHours?: Record<string, number>;
  /**
   * Gestures started and not sent yet, by message id (domain/gestures.ts): due at `dueAt`, given up at `until`
   * (trigger + maxDeferralHours). An ask yields to one of them; the send that takes its cap slot removes it.
   */
  pendingGestures?: Record<string, { journey: Journey; dueAt: string; until: string }>;
  /** ISO times of the latest orders (oldest first, at most 6): the window of the median order gap. */
  recentOrderTimes?: string[];
  /** Median days between the orders in recentOrderTimes (absent below two orders): adaptive inactivity. */
  orderGapDays?: number;
  /** Frequency choice from the preference center; absent means 'normal'. */
  preferences?: Preferences;
  createdAt?: string;
  updatedAt?: string;
}

export type CartStatus = 'open' | 'ordered' | 'emptied';

export interface Cart {
  cartId: string;
  customerId: string;
  status: CartStatus;
  items: LineItem[];
  currency: string;
  total: number;
  /** Event time of the last update (ISO): the reminder is due cartDelayMinutes after it. */
  updatedAt: string;
  /** The shop's link back to this cart (cart.updated `cartUrl`), the reminder's button. */
  cartUrl?: string;
}

/** Event data a message is about, carried into rendering. */
export interface MessageContext {
  cart?: { cartId: string; updatedAt: string };
  order?: {
    orderId: string;
    items: LineItem[];
    currency: string;
    total: number;
    placedAt: string;
    /** The shop's page for this order (order.placed `orderUrl`), the thank-you's button. */
    orderUrl?: string;
  };
  /** For win-back: the inactive spell, named by the day its line was crossed (re-checked when it runs). */
  inactiveOn?: string;
  /** When the message was planned for (ISO): the customer's best send hour, for the record. */
  sendAt?: string;
  /**
   * How the send hour was chosen, for "why you got this": the customer's own most frequent open/click hour
   * ('engagement', from open and click tracking) or the shop's usual hour ('usual'); local hour 0-23.
   */
  sendTime?: SendTimeChoice;
}

export interface SendTimeChoice {
  hour: number;
  source: 'engagement' | 'usual';
}

/** Why one recommendation was picked (domain/recommend.ts); each has its own words in the email and pages. */
export type ReasonKind =
  | 'buy_again'
  | 'bought_together'
  | 'shoppers_like_you'
  | 'liked_category'
  | 'bought_category'
  | 'popular'
  | 'new';

/** An incentive code given with a message (domain/incentives.ts): the terms shown beside it. */
export interface IssuedCode {
  code: string;
  kind: 'percent' | 'amount' | 'free_shipping';
  /** Percent off (percent) or money off in `currency` (amount); absent for free shipping. */
  value?: number;
  currency?: string;
  /** Smallest order (in `currency`) the code applies to, if any. */
  minOrder?: number;
  /** End of validity (ISO). */
  expiresAt: string;
}

/** Input of the message workflow: one intended message, identified by its trigger. */
export interface MessageRequest {
  journey: Journey;
  customerId: string;
  /** Stable key of what triggered the message, e.g. "order_followup:order:O-1". */
  triggerKey: string;
  /** UUID v5 of triggerKey: the ledger key, the same on every replay. */
  messageId: string;
  /** When the trigger happened (ISO). */
  triggeredAt: string;
  context: MessageContext;
  /** How many times quiet hours or a snooze deferred this message. */
  deferrals?: number;
  /** How many times SES throttling (beyond Send's retries) rescheduled it. */
  throttleDeferrals?: number;
  /** Shape version (domain/requests.ts); absent: version 1. */
  v?: number;
}

export type SkipReason =
  | 'profile_missing'
  | 'template_missing'
  | 'no_email_consent'
  | 'opted_out'
  | 'topic_off'
  | 'suppressed'
  | 'paused'
  | 'capped_daily'
  | 'capped_weekly'
  | 'expired'
  | 'cart_ordered'
  | 'cart_emptied'
  | 'cart_missing'
  | 'customer_active_again'
  | 'render_failed'
  /** In the journey's holdout group: deliberately not sent, to measure the journey's lift. */
  | 'holdout'
  /** An ask held back because asks would run too far ahead of gestures. */
  | 'ask_balance'
  /** An ask not sent because a gesture (a thank-you, a birthday wish) is due within a day: it gets the slot. */
  | 'yields_to_gesture';

/** Output of Personalize, at $.personalized. */
export type Personalized =
  | {
      ok: true;
      to: string;
      subject: string;
      html: string;
      text: string;
      templateVersion: string;
      /**
       * The template variant chosen for this message ('A' is the journey's current version); absent only in
       * runs personalized before variants existed.
       */
      variant?: string;
      recommendations: string[];
      /** Why each recommendation was picked, in order. */
      reasons?: ReasonKind[];
      /** The locale it was rendered in (domain/locale.ts). */
      locale?: string;
      /** false: send with SES open and click tracking off (the customer's choice or the shop's). */
      tracking?: boolean;
      /** The incentive code it carries (claimed for this message id). */
      code?: string;
      /** The one-click unsubscribe URL, also put in the List-Unsubscribe header. */
      unsubscribeUrl: string;
    }
  /** record=false: nothing to record (e.g. a superseded schedule); the newer trigger will decide. */
  | { ok: false; reason: SkipReason | 'superseded'; record: boolean; detail?: string };

export type DecisionAction = 'send' | 'defer' | 'skip';

/** Output of CheckConsent, at $.decision. */
export interface Decision {
  action: DecisionAction;
  reason: string;
  /** For defer: when to try again (ISO). */
  until?: string;
  /** The consent the decision relied on, stored with the send record. */
  consent: Consent | null;
}

/** Output of Send, at $.delivery. */
export interface Delivery {
  /**
   * duplicate: already decided, or another run holds the claim; skipped: consent changed since the check;
   * unknown: SES may have accepted it (the answer was lost): recorded, never resent.
   */
  status: 'sent' | 'duplicate' | 'capped' | 'skipped' | 'failed' | 'unknown';
  reason?: string;
  sesMessageId?: string;
  sentAt?: string;
  /**
   * Set on a send the template bandit counts (bandit on, a variant chosen): only then does CaptureFeedback run,
   * so a send costs no Lambda invocation for a count that is not kept.
   */
  countsVariant?: true;
}

/** A stored template version. HTML is compiled from MJML when pushed, never at send time. */
export interface TemplateVersion {
  journey: Journey;
  version: string;
  subject: string;
  html: string;
  text: string;
  mjml?: string;
  /**
   * Translations of this version, by language (domain/locale.ts): a customer whose language is here gets it,
   * everyone else the content above (the shop's default language).
   */
  locales?: Partial<Record<Locale, LocalizedContent>>;
  createdAt: string;
  author?: string;
}

/** One language's subject, compiled HTML and text of a template version. */
export interface LocalizedContent {
  subject: string;
  html: string;
  text: string;
  mjml?: string;
}

/** The workflow's state as it grows: the request plus each step's result. */
export interface WorkflowState extends MessageRequest {
  personalized?: Personalized;
  decision?: Decision;
  delivery?: Delivery;
  /** Set by a Catch: the error that ended the run. */
  error?: { Error?: string; Cause?: string };
}

/** The request part of a state, e.g. to schedule the same message again. */
export function requestOf(state: WorkflowState): MessageRequest {
  const { journey, customerId, triggerKey, messageId, triggeredAt, context, deferrals, throttleDeferrals } =
    state;
  return {
    v: 1,
    journey,
    customerId,
    triggerKey,
    messageId,
    triggeredAt,
    context,
    deferrals: deferrals ?? 0,
    ...(throttleDeferrals ? { throttleDeferrals } : {}),
  };
}
