/** Engine configuration: every key documented, every key defaulted. Parsed once from RECIPROCITY_CONFIG. */

import { brandSchema } from './brand.js';
import { DEFAULT_ENGAGEMENT_RULES, engagementRulesSchema } from './engagement.js';
import { formatIssues } from './events.js';
import { incentivesSchema } from './incentives.js';
import { LOCALES } from './locale.js';
import * as z from './zod.js';

/** config.reorders: which items of the order just placed a thank-you may offer again. */
export const REORDERS = ['regulars', 'everything'] as const;
export type Reorders = (typeof REORDERS)[number];
const weight = z.number().check(z.minimum(0), z.maximum(100));

const clock = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24h)'));

export const engineConfig = z.strictObject({
  /** Minutes a cart must stay untouched before its reminder goes. */
  cartDelayMinutes: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(10_080)), 60),
  /**
   * Days without activity or an order after which a customer gets one win-back message; with adaptive
   * inactivity (see `inactivity.k`) the floor of each customer's own line.
   */
  inactivityDays: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(3650)), 60),
  /**
   * Adaptive inactivity: a customer is lapsing once the days since their last activity exceed
   * max(inactivityDays, k x their median gap between orders), so a monthly buyer is not chased after a
   * fortnight and a weekly buyer is not left alone for two months. k = 0 turns adaptation off.
   */
  inactivity: z._default(
    z.strictObject({ k: z._default(z.number().check(z.minimum(0), z.maximum(100)), 2) }),
    { k: 2 },
  ),
  /**
   * Send time: birthday and win-back messages go at the customer's most frequent local open/click hour
   * outside quiet hours, once they have at least minEvents opens and clicks; else the usual hour.
   */
  sendTime: z._default(
    z.strictObject({
      enabled: z._default(z.boolean(), true),
      minEvents: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(1000)), 3),
    }),
    { enabled: true, minEvents: 3 },
  ),
  /** Local hour (0-23) at which birthday messages go, in the customer's own time zone. */
  birthdayHour: z._default(z.number().check(z.int(), z.minimum(0), z.maximum(23)), 9),
  /** Time zone for customers who did not give one. */
  defaultTimeZone: z._default(z.string(), 'UTC'),
  /** No marketing email between start and end in the customer's time zone; such sends are deferred. */
  quietHours: z._default(z.strictObject({ start: clock, end: clock }), { start: '21:00', end: '08:00' }),
  /** Frequency caps across all journeys, per customer. */
  caps: z._default(
    z.strictObject({
      perDay: z._default(z.number().check(z.int(), z.minimum(0)), 1),
      perWeek: z._default(z.number().check(z.int(), z.minimum(0)), 3),
    }),
    { perDay: 1, perWeek: 3 },
  ),
  /** A deferred message older than this (hours since its trigger) is skipped as expired instead of sent. */
  maxDeferralHours: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(720)), 72),
  /** Sender; never built from customer data. */
  sender: z._default(
    z.strictObject({
      from: z._default(z.string().check(z.minLength(3)), 'Reciprocity Demo Shop <hello@shop.example>'),
      replyTo: z.optional(z.string()),
      /** Postal address shown in every marketing email (CAN-SPAM). */
      postalAddress: z._default(z.string(), 'Demo Shop, 1 Example Street, 10115 Berlin, Germany'),
      shopName: z._default(z.string(), 'Demo Shop'),
      /** Currency of catalogue prices (ISO 4217), for recommendations outside an order or cart. */
      currency: z._default(z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code')), 'EUR'),
    }),
    {
      from: 'Reciprocity Demo Shop <hello@shop.example>',
      postalAddress: 'Demo Shop, 1 Example Street, 10115 Berlin, Germany',
      shopName: 'Demo Shop',
      currency: 'EUR',
    },
  ),
  /**
   * Accept http: (as well as https:) item and product URLs in shop events. Off by default: a plain-http
   * link in an email is open to tampering on the way and browsers flag it; on for a local shop without TLS.
   */
  allowHttpUrls: z._default(z.boolean(), false),
  /** Public base URL of the customer endpoints (unsubscribe, preferences). */
  publicBaseUrl: z._default(z.url(), 'http://localhost:8787'),
  /** How many recommendations a message carries. */
  recommendations: z._default(z.number().check(z.int(), z.minimum(0), z.maximum(12)), 3),
  /**
   * Which items of the order a thank-you is for may come back in it as re-orders "for your next order":
   * 'regulars', only those the customer has bought in another order too (a one-off they just bought is
   * never offered again); 'everything', every item, for shops whose customers restock what they just bought
   * (wholesale, consumables). `reciprocity history` measures which one a shop's own history supports.
   */
  reorders: z._default(z.enum(REORDERS), 'regulars'),
  /**
   * The shop's own weights for suggesting items new to a customer (domain/recommend.ts RECOMMEND_WEIGHTS
   * for any left out): `npm run eval:recs -- --data FILE` tunes them on a shop's order history.
   */
  recommendationWeights: z.optional(
    z.strictObject({
      coPurchase: z.optional(weight),
      affinity: z.optional(weight),
      liked: z.optional(weight),
      popularity: z.optional(weight),
      fresh: z.optional(weight),
      peers: z.optional(weight),
    }),
  ),
  /** Days a signed link in an email stays valid (preferences, "why", feedback); see unsubscribeLinkDays. */
  linkTtlDays: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(400)), 60),
  /**
   * Days an unsubscribe link (email footer and List-Unsubscribe header) stays valid: at least a year, since
   * mailbox providers and CAN-SPAM expect an opt-out to keep working long after the send.
   */
  unsubscribeLinkDays: z._default(z.number().check(z.int(), z.minimum(365), z.maximum(3650)), 400),
  /** Soft (transient) bounces in a row, with no delivery between, after which an address is suppressed. */
  softBounceLimit: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(100)), 3),
  /**
   * The reputation guard: marketing sends pause while the rolling bounce or complaint rate of recent SES
   * outcomes is at its limit (SES reviews an account at 5% bounces or 0.1% complaints), and resume once
   * both are below half their limits.
   */
  reputation: z._default(
    z.strictObject({
      /** Hours of SES outcomes the rates are computed over (hourly buckets, the current one included). */
      windowHours: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(168)), 24),
      /** Outcomes (deliveries + bounces) the window needs before the guard decides anything. */
      minSample: z._default(z.number().check(z.int(), z.minimum(1)), 200),
      /** Hard-bounce rate that pauses marketing sends. */
      maxBounceRate: z._default(z.number().check(z.gt(0), z.maximum(1)), 0.05),
      /** Complaint rate that pauses marketing sends. */
      maxComplaintRate: z._default(z.number().check(z.gt(0), z.maximum(1)), 0.001),
    }),
    { windowHours: 24, minSample: 200, maxBounceRate: 0.05, maxComplaintRate: 0.001 },
  ),
  /**
   * A per-journey holdout: a deterministic share of reachable customers gets no message of a journey, so
   * its lift can be measured against them. Off for shops (or tests) that want every message to go.
   */
  holdout: z._default(
    z.strictObject({
      enabled: z._default(z.boolean(), true),
      /** Share of customers held out of each journey (0 to 0.5; more would starve the treated group). */
      share: z._default(z.number().check(z.minimum(0), z.maximum(0.5)), 0.05),
    }),
    { enabled: true, share: 0.05 },
  ),
  /** The give/ask balance: asks (reminders, win-back) may not run ahead of gestures (thank-yous, birthdays). */
  balance: z._default(
    z.strictObject({
      enabled: z._default(z.boolean(), true),
      /** How many more asks than gestures a customer may have been sent within the window. */
      maxAskLead: z._default(z.number().check(z.int(), z.minimum(0), z.maximum(100)), 2),
      /** Days of sent messages the balance counts over. */
      windowDays: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(365)), 30),
    }),
    { enabled: true, maxAskLead: 2, windowDays: 30 },
  ),
  /**
   * Template variants: a journey with several published variants picks one per send by Thompson sampling
   * on its reward rate (first click, or an order attributed to the message), deterministic per message id.
   */
  bandit: z._default(
    z.strictObject({
      enabled: z._default(z.boolean(), true),
      /** Share of sends (0 to 0.5) that pick a variant uniformly, so a worse-looking variant keeps a chance. */
      explorationFloor: z._default(z.number().check(z.minimum(0), z.maximum(0.5)), 0.05),
      /** What counts as a success: the message's first click, or an order attributed to it. */
      reward: z._default(z.enum(['click', 'order']), 'click'),
    }),
    { enabled: true, explorationFloor: 0.05, reward: 'click' },
  ),
  /**
   * Which orders a message gets credit for (domain/attribution.ts, kpis.ts): within `clickDays` of a
   * person's click on its content; else, labelled view-through and never added in, within `viewDays` of its
   * delivery. `conversionDays` is the uplift's window: sent and held-out customers alike count as converted
   * when they order within it after the (would-be) send.
   */
  attribution: z._default(
    z.strictObject({
      clickDays: z._default(z.number().check(z.minimum(0), z.maximum(90)), 5),
      viewDays: z._default(z.number().check(z.minimum(0), z.maximum(90)), 1),
      conversionDays: z._default(z.number().check(z.minimum(0), z.maximum(90)), 5),
    }),
    { clickDays: 5, viewDays: 1, conversionDays: 5 },
  ),
  /** How machine opens and bot clicks are told from people's (domain/engagement.ts, with sources). */
  engagement: z._default(engagementRulesSchema, DEFAULT_ENGAGEMENT_RULES),
  /** The shop's look and details in every email and customer page (domain/brand.ts resolves the defaults). */
  brand: z.prefault(brandSchema, {}),
  /**
   * Languages: emails and customer pages go in the profile's `locale` when the shop has that language
   * (en, de and fr ship), else in `defaultLocale`.
   */
  defaultLocale: z._default(z.enum(LOCALES), 'en'),
  /**
   * Open and click tracking (SES's pixel and link redirect), the shop's default; each customer may turn it
   * off for their own emails in the preference center. Off: no open rate or CTR for those emails, and the
   * send hour falls back to the usual one.
   */
  tracking: z._default(
    z.strictObject({ opens: z._default(z.boolean(), true), clicks: z._default(z.boolean(), true) }),
    { opens: true, clicks: true },
  ),
  /**
   * How long each kind of data is kept, enforced by DynamoDB TTL (and by the embedded mode's sweep): a
   * message's record with its opens and clicks, a cart, and the outcome counters (no personal data). The
   * profile is kept while the customer is a customer, and goes on erasure.
   */
  retention: z._default(
    z.strictObject({
      messagesDays: z._default(z.number().check(z.int(), z.minimum(30), z.maximum(3650)), 400),
      cartsDays: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(3650)), 90),
      statsDays: z._default(z.number().check(z.int(), z.minimum(30), z.maximum(3650)), 730),
    }),
    { messagesDays: 400, cartsDays: 90, statsDays: 730 },
  ),
  /**
   * Real gifts: a journey may carry an incentive with a unique single-use code (domain/incentives.ts). An
   * email only promises what a code it carries delivers.
   */
  incentives: z._default(incentivesSchema, {}),
});

export type EngineConfig = z.infer<typeof engineConfig>;

export class ConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** Parses a configuration object, filling defaults; throws ConfigError naming each bad key. */
export function parseConfig(input: unknown): EngineConfig {
  const result = engineConfig.safeParse(input ?? {});
  if (!result.success) throw new ConfigError(`Invalid configuration: ${formatIssues(result.error)}`);
  return result.data;
}

export const DEFAULT_CONFIG: EngineConfig = parseConfig({});
