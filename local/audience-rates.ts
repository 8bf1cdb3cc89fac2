/**
 * The simulated audience's vocabulary and parameters (local/audience.ts decides with them): the rates and their
 * defaults, the options, what an email offers a reader (its links and items), and the actions a fate is made of.
 */
import type { LinkKind } from '../functions/domain/engagement.js';

export interface AudienceRates {
  /** Share of addresses behind a privacy proxy (Apple MPP). */
  privacyProxyShare: number;
  /** Share of addresses behind a link scanner. */
  linkScannerShare: number;
  /** Share of addresses that no longer exist (hard bounce). */
  deadAddressShare: number;
  /** Per email: a transient bounce instead of a delivery. */
  softBounce: number;
  /** Base chance that a person reads an email of each journey; others: `readDefault`. */
  read: Readonly<Record<string, number>>;
  readDefault: number;
  /** Read chance is divided by 1 + this x emails to the address in the 7 days before. */
  fatiguePerEmail: number;
  /** A reader's content click: clickBase + clickPerFit x fit, times the variant's lift. */
  clickBase: number;
  clickPerFit: number;
  /** A reader's vote on a recommended item. */
  vote: number;
  /** A reader's unsubscribe: unsubscribe x (1 + unsubscribeFatigue x recent) x (1 - 0.6 x fit). */
  unsubscribe: number;
  unsubscribeFatigue: number;
  /** Spam-button complaint per delivered email, x (1 + 0.5 x recent). */
  complaint: number;
  /** An order after a content click: orderAfterClick + orderAfterClickPerFit x fit. */
  orderAfterClick: number;
  orderAfterClickPerFit: number;
  /** An order after reading without a click: viewThrough + viewThroughPerFit x fit. */
  viewThrough: number;
  viewThroughPerFit: number;
  /** Without given tastes, the chance that a category is one of the customer's favourites. */
  tasteShare: number;
}

export const DEFAULT_AUDIENCE_RATES: AudienceRates = {
  privacyProxyShare: 0.3,
  linkScannerShare: 0.08,
  deadAddressShare: 0.008,
  softBounce: 0.01,
  read: { order_followup: 0.5, birthday: 0.55, cart_reminder: 0.4, winback: 0.25 },
  readDefault: 0.35,
  fatiguePerEmail: 0.3,
  clickBase: 0.05,
  clickPerFit: 0.3,
  vote: 0.15,
  unsubscribe: 0.01,
  unsubscribeFatigue: 0.5,
  complaint: 0.0005,
  orderAfterClick: 0.15,
  orderAfterClickPerFit: 0.25,
  viewThrough: 0.015,
  viewThroughPerFit: 0.03,
  tasteShare: 0.3,
};

/** Click-rate multiplier of each template variant: the audience's "truth" a bandit has to discover. */
export const DEFAULT_VARIANT_LIFT: Readonly<Record<string, number>> = { B: 1.5 };

/** Options of `reciprocity run` and the demo's simulated audience (`audience` of the embedded runtime). */
export interface AudienceOptions {
  /** Seed of every draw: the same input and seed give the same run. @default 1 */
  seed?: number;
  /** Hidden favourite categories per customer id (the demo shop's); others get theirs from a hash. */
  tastes?: Readonly<Record<string, readonly string[]>>;
  /** Click-rate multiplier per template variant name. @default { B: 1.5 } */
  variantLift?: Readonly<Record<string, number>>;
  /** Overrides of DEFAULT_AUDIENCE_RATES (tests raise them to see every path on a small shop). */
  rates?: Partial<AudienceRates>;
}

/** The options with every default filled in. */
export interface AudienceModel {
  seed: number;
  tastes: Readonly<Record<string, readonly string[]>>;
  variantLift: Readonly<Record<string, number>>;
  rates: AudienceRates;
}

export function audienceModel(options: AudienceOptions = {}): AudienceModel {
  return {
    seed: options.seed ?? 1,
    tastes: options.tastes ?? {},
    variantLift: options.variantLift ?? DEFAULT_VARIANT_LIFT,
    rates: { ...DEFAULT_AUDIENCE_RATES, ...options.rates },
  };
}

/** A link of the email, as a reader sees it: where it goes and, for items and votes, which item. */
export interface EmailLink {
  url: string;
  kind: LinkKind;
  /** The item a content link shows or a vote link votes on, when known. */
  sku?: string;
  category?: string;
  /** Vote links: which answer the link gives. */
  vote?: 'up' | 'down';
}

/** What the audience knows of one accepted email. */
export interface EmailFacts {
  /** Our message id (the `message_id` tag): the key of every per-email draw. */
  messageId: string;
  customerId: string;
  /** The recipient's address: the key of its mailbox's traits. */
  address: string;
  journey: string;
  variant?: string;
  sentAt: Date;
  /** The customer's time zone (IANA), for the arrival hour. */
  timeZone: string;
  /** Categories of the items the email features (recommendations, cart lines). */
  categories: readonly string[];
  /** Recommended skus with their categories, for votes and orders. */
  recommended: readonly { sku: string; category?: string }[];
  links: readonly EmailLink[];
  /** The List-Unsubscribe URL, when the email offers one-click unsubscribe (List-Unsubscribe-Post). */
  oneClickUnsubscribe?: string;
  /** Emails to this address in the 7 days before this one. */
  recentEmails: number;
}

/** Who did it: the person, the privacy proxy, or the link scanner in front of the mailbox. */
export type Actor = 'person' | 'proxy' | 'scanner';

export type AudienceAction =
  | { type: 'delivery'; at: Date }
  | { type: 'bounce'; at: Date; bounceType: 'Permanent' | 'Transient'; subType: string }
  | { type: 'complaint'; at: Date }
  | { type: 'open'; at: Date; userAgent: string; by: Actor }
  | { type: 'click'; at: Date; link: EmailLink; userAgent: string; by: Actor }
  /** A request to our customer endpoints (a page fetched, a form posted). */
  | { type: 'request'; at: Date; url: string; method: 'GET' | 'POST'; body?: string; by: Actor }
  | { type: 'order'; at: Date; skus: string[]; fromCart: boolean };

export interface Mailbox {
  privacyProxy: boolean;
  linkScanner: boolean;
  deadAddress: boolean;
}

/** An email's fate: what happens to it, in time order, and the chances it was decided with. */
export interface Fate {
  mailbox: Mailbox;
  fit: number;
  chances: { read: number; click: number; vote: number; unsubscribe: number; complaint: number };
  actions: AudienceAction[];
}

/** Apple MPP's pre-fetch sends exactly this (domain/engagement.ts, proxyPrefetchUserAgents). */
export const PRIVACY_PROXY_USER_AGENT = 'Mozilla/5.0';

/** Security gateways: some look like a browser (caught by timing), some name themselves. */
export const SCANNER_USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (compatible; Barracuda Sentinel URL scanner)',
  'Mozilla/5.0 (compatible; Proofpoint URL Defense)',
] as const;

/** A person's mail app (opens) and browser (clicks); one pair per address. Gmail's proxy counts as human. */
export const PERSON_AGENTS = [
  {
    open: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
    click:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  },
  {
    open: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
    click:
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
  },
  {
    open: 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)',
    click:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0',
  },
  {
    open: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)',
    click:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  },
] as const;
