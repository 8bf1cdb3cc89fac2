/**
 * The event contract: what a shop puts on the bus. Validated with zod; the CLI exports JSON Schemas from these
 * (cli/schemas.ts: the exporter is kept out of the Lambda bundles).
 */

import {
  ATTRIBUTE_KEY_PATTERN,
  HTTPS_URL_PATTERN,
  hasControlCharacter,
  isReservedAttributeName,
  isWebUrl,
  MAX_ATTRIBUTE_VALUE_LENGTH,
  MAX_ATTRIBUTES,
  NO_CONTROL_PATTERN,
  reservedNamesPattern,
  stripControl,
} from './input-safety.js';
import { DETAIL_TYPES, TOPICS, type Topic } from './names.js';
import * as z from './zod.js';

export {
  ATTRIBUTE_KEY_PATTERN,
  MAX_ATTRIBUTE_VALUE_LENGTH,
  MAX_ATTRIBUTES,
  PROFILE_SIZE_LIMIT_BYTES,
  profileSizeBytes,
  RESERVED_ATTRIBUTE_NAMES,
  stripControl,
} from './input-safety.js';

const ianaTimeZone = z
  .string()
  .check(z.refine(isValidTimeZone, { message: 'must be an IANA time zone, e.g. Europe/Berlin' }));

/** "YYYY-MM-DD" or "--MM-DD" (year unknown). */
const birthday = z
  .string()
  .check(
    z.regex(/^(\d{4}|-)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be YYYY-MM-DD or --MM-DD'),
    z.refine(isRealMonthDay, { message: 'is not a real calendar date' }),
  );

const NO_CONTROL = new RegExp(NO_CONTROL_PATTERN);
const CONTROL_MESSAGE = 'must not contain control characters';

/**
 * Free text that can reach an email or a page: control characters are stripped (stripControl) before the
 * length checks, so a name of only NULs is refused rather than stored empty. `overwrite` is zod's
 * type-keeping transform: the schema stays a string schema (JSON Schema keeps its lengths).
 */
const text = (...checks: z.core.$ZodCheck<string>[]) =>
  z.string().check(z.overwrite(stripControl), ...checks);

/** An identifier is not free text: a control character in it is a reject, not something to clean. */
const id = z.string().check(z.minLength(1), z.maxLength(200), z.regex(NO_CONTROL, CONTROL_MESSAGE));
const optionalId = z.optional(z.string().check(z.maxLength(200), z.regex(NO_CONTROL, CONTROL_MESSAGE)));

const topicFlags = z.strictObject({
  cart_reminders: z.optional(z.boolean()),
  order_followups: z.optional(z.boolean()),
  birthday: z.optional(z.boolean()),
  winback: z.optional(z.boolean()),
});

export const consentInput = z.strictObject({
  email: z.optional(z.enum(['opted_in', 'opted_out'])),
  topics: z.optional(topicFlags),
  source: z.optional(text(z.maxLength(200))),
  textVersion: z.optional(text(z.maxLength(100))),
});

// zod 4 numbers are finite already (classic's `.finite()` was a no-op).
const money = z.number().check(z.nonnegative());
const currency = z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code'));

const attributeValue = z.union(
  [
    text(z.maxLength(MAX_ATTRIBUTE_VALUE_LENGTH, `must be at most ${MAX_ATTRIBUTE_VALUE_LENGTH} characters`)),
    z.number(),
    z.boolean(),
    z.null(),
  ],
  { error: 'must be a string, a number, a boolean or null' },
);

const attributeKey = z
  .string()
  .check(
    z.regex(
      ATTRIBUTE_KEY_PATTERN,
      'must be a letter, then letters, digits, _ . or - (64 characters at most)',
    ),
    z.refine((key) => !isReservedAttributeName(key), { message: 'reserved name' }),
  )
  .register(z.globalRegistry, { not: { pattern: reservedNamesPattern() } });

const attributeRecord = z
  .record(attributeKey, attributeValue)
  .register(z.globalRegistry, { maxProperties: MAX_ATTRIBUTES });

/**
 * The count and a `__proto__` key are judged on the raw input, before the record parses it: zod skips a
 * `__proto__` key silently, and that must be a reject naming the key like any other reserved name. (Classic
 * zod's `z.preprocess`, which mini has not: a transform piped into the record; an issue stops the pipe.)
 */
const attributes = z.pipe(
  z.transform((input: unknown, payload) => {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
    const keys = Object.keys(input);
    if (keys.length > MAX_ATTRIBUTES)
      payload.issues.push({
        code: 'custom',
        input,
        message: `at most ${MAX_ATTRIBUTES} attributes (got ${keys.length})`,
      });
    else if (keys.includes('__proto__'))
      payload.issues.push({ code: 'custom', input, message: 'reserved name', path: ['__proto__'] });
    return input;
  }),
  attributeRecord,
);

export const customerUpserted = z.object({
  customerId: id,
  email: z.email(),
  firstName: z.optional(text(z.maxLength(100))),
  locale: z.optional(z.string().check(z.maxLength(35), z.regex(NO_CONTROL, CONTROL_MESSAGE))),
  timeZone: z.optional(ianaTimeZone),
  birthday: z.optional(birthday),
  consent: z.optional(consentInput),
  attributes: z.optional(attributes),
});
export type CustomerUpserted = z.infer<typeof customerUpserted>;

export const customerActivity = z.object({
  customerId: id,
  kind: text(z.minLength(1), z.maxLength(100)),
  productId: optionalId,
});
export type CustomerActivity = z.infer<typeof customerActivity>;

export const feedbackGiven = z
  .object({
    customerId: id,
    sku: z.optional(id),
    category: z.optional(text(z.minLength(1), z.maxLength(200))),
    vote: z.enum(['up', 'down']),
    messageId: optionalId,
  })
  .check(
    z.refine((d) => Boolean(d.sku) !== Boolean(d.category), {
      message: 'give either sku or category',
      path: ['sku'],
    }),
  );
export type FeedbackGiven = z.infer<typeof feedbackGiven>;

/** A link that reaches an email: https only, or http as well when the caller opts in. */
function webUrl(allowHttp: boolean) {
  const message = allowHttp ? 'must be an https or http URL' : 'must be an https URL';
  return z
    .string()
    .check(z.refine((value) => isWebUrl(value, allowHttp), { message }))
    .register(
      z.globalRegistry,
      allowHttp ? { format: 'uri' } : { format: 'uri', pattern: HTTPS_URL_PATTERN },
    );
}

/** The detail types that carry URLs, and the envelope, for one URL policy. */
function contract(allowHttp: boolean) {
  const url = z.optional(webUrl(allowHttp));
  const lineItem = z.object({
    sku: id,
    name: text(z.minLength(1), z.maxLength(300)),
    price: money,
    quantity: z.number().check(z.int(), z.positive()),
    category: z.optional(text(z.maxLength(200))),
    url,
    imageUrl: url,
  });
  const cartUpdated = z.object({
    customerId: id,
    cartId: id,
    items: z.array(lineItem).check(z.maxLength(200)),
    currency,
    total: money,
    /** The shop's link back to this cart: the reminder's button (else the shop's home page). */
    cartUrl: url,
  });
  const orderPlaced = z.object({
    customerId: id,
    orderId: id,
    cartId: z.optional(id),
    items: z.array(lineItem).check(z.minLength(1), z.maxLength(200)),
    currency,
    total: money,
    /** The shop's page for this order: the thank-you's "see your order" button. */
    orderUrl: url,
    /** Discount codes the order used: a code an email carried is recorded as redeemed on that message. */
    discountCodes: z.optional(z.array(text(z.minLength(1), z.maxLength(64))).check(z.maxLength(20))),
  });
  const productUpserted = z.object({
    sku: id,
    name: text(z.minLength(1), z.maxLength(300)),
    category: text(z.minLength(1), z.maxLength(200)),
    price: money,
    url,
    imageUrl: url,
    inStock: z.boolean(),
    /** Re-buyable items (tea, coffee) may be recommended again after a purchase. */
    consumable: z.optional(z.boolean()),
    /** When the shop added it (ISO date or time): for 30 days it may be suggested, and labelled, as new. */
    addedAt: z.optional(z.union([z.iso.date(), z.iso.datetime({ offset: true })])),
  });
  const details = {
    [DETAIL_TYPES.customerUpserted]: customerUpserted,
    [DETAIL_TYPES.customerActivity]: customerActivity,
    [DETAIL_TYPES.cartUpdated]: cartUpdated,
    [DETAIL_TYPES.orderPlaced]: orderPlaced,
    [DETAIL_TYPES.productUpserted]: productUpserted,
    [DETAIL_TYPES.feedbackGiven]: feedbackGiven,
  } as const;
  const envelopeBase = z.object({
    id: id,
    source: z.string().check(z.minLength(1), z.maxLength(256), z.regex(NO_CONTROL, CONTROL_MESSAGE)),
    time: z.iso.datetime({ offset: true }),
  });
  const shopEvent = z.discriminatedUnion('detail-type', [
    z.extend(envelopeBase, {
      'detail-type': z.literal(DETAIL_TYPES.customerUpserted),
      detail: customerUpserted,
    }),
    z.extend(envelopeBase, {
      'detail-type': z.literal(DETAIL_TYPES.customerActivity),
      detail: customerActivity,
    }),
    z.extend(envelopeBase, { 'detail-type': z.literal(DETAIL_TYPES.cartUpdated), detail: cartUpdated }),
    z.extend(envelopeBase, { 'detail-type': z.literal(DETAIL_TYPES.orderPlaced), detail: orderPlaced }),
    z.extend(envelopeBase, {
      'detail-type': z.literal(DETAIL_TYPES.productUpserted),
      detail: productUpserted,
    }),
    z.extend(envelopeBase, { 'detail-type': z.literal(DETAIL_TYPES.feedbackGiven), detail: feedbackGiven }),
  ]);
  return { lineItem, cartUpdated, orderPlaced, productUpserted, details, shopEvent };
}

// Both URL policies are built once, here; a parse only picks one.
const HTTPS_ONLY = contract(false);
const HTTP_ALLOWED = contract(true);

export const lineItem = HTTPS_ONLY.lineItem;
export type LineItem = z.infer<typeof lineItem>;
export const cartUpdated = HTTPS_ONLY.cartUpdated;
export type CartUpdated = z.infer<typeof cartUpdated>;
export const orderPlaced = HTTPS_ONLY.orderPlaced;
export type OrderPlaced = z.infer<typeof orderPlaced>;
export const productUpserted = HTTPS_ONLY.productUpserted;
export type ProductUpserted = z.infer<typeof productUpserted>;

/** The schema of each detail type (https URLs only), keyed by detail-type. */
export const DETAIL_SCHEMAS = HTTPS_ONLY.details;

/** The envelope with its detail (https URLs only; parseShopEvent can also accept http). */
export const shopEvent = HTTPS_ONLY.shopEvent;
export type ShopEvent = z.infer<typeof shopEvent>;

export type ParseResult = { ok: true; event: ShopEvent } | { ok: false; error: string };

export interface ParseOptions {
  /** Accept http: as well as https: URLs in items and products (engine config `allowHttpUrls`). */
  allowHttpUrls?: boolean;
}

/** Validates an event envelope and its detail; never throws. The error names each failing field. */
export function parseShopEvent(input: unknown, options: ParseOptions = {}): ParseResult {
  const schema = options.allowHttpUrls ? HTTP_ALLOWED.shopEvent : HTTPS_ONLY.shopEvent;
  let result: ReturnType<typeof schema.safeParse>;
  try {
    result = schema.safeParse(input);
  } catch (error) {
    // Only exotic input gets here (a getter or proxy that throws); it is a reject like any other.
    return { ok: false, error: `(event): could not be read (${(error as Error)?.message ?? error})` };
  }
  if (result.success) return { ok: true, event: result.data };
  return { ok: false, error: formatIssues(result.error) };
}

/** Consent withdrawals kept from a `customer.upserted` that failed validation. */
export interface Withdrawal {
  customerId: string;
  consent: { email?: 'opted_out'; topics?: Partial<Record<Topic, false>> };
}

/**
 * The consent withdrawals (email opted_out, topics set to false) of a `customer.upserted` event that failed
 * validation, when its customerId is valid: an opt-out must be honoured even if another field is broken.
 * Never an opt-in or anything else; undefined for a valid event, another type, or nothing to salvage.
 * Never throws.
 */
export function salvageWithdrawal(input: unknown): Withdrawal | undefined {
  try {
    if (own(input, 'detail-type') !== DETAIL_TYPES.customerUpserted) return undefined;
    if (HTTPS_ONLY.shopEvent.safeParse(input).success) return undefined; // the normal path applies it
    const detail = own(input, 'detail');
    const customerId = id.safeParse(own(detail, 'customerId'));
    if (!customerId.success) return undefined;
    const consentIn = own(detail, 'consent');
    const consent: Withdrawal['consent'] = {};
    if (own(consentIn, 'email') === 'opted_out') consent.email = 'opted_out';
    const topicsIn = own(consentIn, 'topics');
    const topics: Partial<Record<Topic, false>> = {};
    for (const topic of TOPICS) if (own(topicsIn, topic) === false) topics[topic] = false;
    if (Object.keys(topics).length > 0) consent.topics = topics;
    if (!consent.email && !consent.topics) return undefined;
    return { customerId: customerId.data, consent };
  } catch {
    // Only a hostile object (a throwing proxy) gets here; there is nothing trustworthy to salvage from it.
    return undefined;
  }
}

/** An own data property: never an inherited one (`__proto__`, `constructor`) and never a getter's result. */
function own(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  const descriptor = Object.getOwnPropertyDescriptor(value, key);
  return descriptor && 'value' in descriptor ? descriptor.value : undefined;
}

const MAX_REPORTED_ISSUES = 20;
const MAX_PATH_SEGMENT = 80;

/** One line per issue ("path: message"), at most 20 of them, so a reject stays small enough to store. */
export function formatIssues(error: z.core.$ZodError): string {
  const lines = error.issues
    .slice(0, MAX_REPORTED_ISSUES)
    .map((issue) => `${pathText(issue.path)}: ${issueMessage(issue)}`);
  const more = error.issues.length - MAX_REPORTED_ISSUES;
  if (more > 0) lines.push(`(and ${more} more)`);
  return lines.join('; ');
}

function issueMessage(issue: z.core.$ZodIssue): string {
  // A record key's own reason is more useful than zod's generic "Invalid key in record".
  if (issue.code === 'invalid_key' && issue.issues.length > 0)
    return issue.issues.map((inner) => inner.message).join(', ');
  return issue.message;
}

/** Path segments come from the sender (attribute keys): long ones are cut, control characters escaped. */
function pathText(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(event)';
  return path
    .map((segment) => {
      let name = String(segment);
      if (name.length > MAX_PATH_SEGMENT) name = `${name.slice(0, MAX_PATH_SEGMENT)}…`;
      return hasControlCharacter(name) ? JSON.stringify(name).slice(1, -1) : name;
    })
    .join('.');
}

/**
 * Zones already checked: building an `Intl.DateTimeFormat` for every event was 0.6% of the demo week's CPU, and
 * a shop's customers live in a few zones. Bounded, since a bad sender could name endless invalid ones.
 */
const ZONES_CHECKED = new Map<string, boolean>();
const ZONES_CHECKED_MAX = 1024;

function isValidTimeZone(tz: string): boolean {
  const known = ZONES_CHECKED.get(tz);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    valid = tz.includes('/') || tz === 'UTC';
  } catch {
    valid = false;
  }
  if (ZONES_CHECKED.size >= ZONES_CHECKED_MAX) ZONES_CHECKED.clear();
  ZONES_CHECKED.set(tz, valid);
  return valid;
}

function isRealMonthDay(value: string): boolean {
  const [, y, m, d] = /^(\d{4}|-)-(\d{2})-(\d{2})$/.exec(value) ?? [];
  const year = y === '-' ? 2000 : Number(y); // 2000 is a leap year, so --02-29 is allowed
  const date = new Date(Date.UTC(year, Number(m) - 1, Number(d)));
  return date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
}
