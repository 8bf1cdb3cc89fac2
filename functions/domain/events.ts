/** The event contract: what a shop puts on the bus. Validated with zod; JSON Schemas are exported from these. */
import { z } from 'zod';
import { DETAIL_TYPES } from './names.js';

const ianaTimeZone = z
  .string()
  .refine(isValidTimeZone, { message: 'must be an IANA time zone, e.g. Europe/Berlin' });

/** "YYYY-MM-DD" or "--MM-DD" (year unknown). */
const birthday = z
  .string()
  .regex(/^(\d{4}|-)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be YYYY-MM-DD or --MM-DD')
  .refine(isRealMonthDay, { message: 'is not a real calendar date' });

const topicFlags = z
  .object({
    cart_reminders: z.boolean().optional(),
    order_followups: z.boolean().optional(),
    birthday: z.boolean().optional(),
    winback: z.boolean().optional(),
  })
  .strict();

export const consentInput = z
  .object({
    email: z.enum(['opted_in', 'opted_out']).optional(),
    topics: topicFlags.optional(),
    source: z.string().max(200).optional(),
    textVersion: z.string().max(100).optional(),
  })
  .strict();

const id = z.string().min(1).max(200);
const money = z.number().finite().nonnegative();

export const lineItem = z.object({
  sku: id,
  name: z.string().min(1).max(300),
  price: money,
  quantity: z.number().int().positive(),
  category: z.string().max(200).optional(),
  url: z.url().optional(),
  imageUrl: z.url().optional(),
});
export type LineItem = z.infer<typeof lineItem>;

export const customerUpserted = z.object({
  customerId: id,
  email: z.email(),
  firstName: z.string().max(100).optional(),
  locale: z.string().max(35).optional(),
  timeZone: ianaTimeZone.optional(),
  birthday: birthday.optional(),
  consent: consentInput.optional(),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});
export type CustomerUpserted = z.infer<typeof customerUpserted>;

export const customerActivity = z.object({
  customerId: id,
  kind: z.string().min(1).max(100),
  productId: z.string().max(200).optional(),
});
export type CustomerActivity = z.infer<typeof customerActivity>;

export const cartUpdated = z.object({
  customerId: id,
  cartId: id,
  items: z.array(lineItem).max(200),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code'),
  total: money,
});
export type CartUpdated = z.infer<typeof cartUpdated>;

export const orderPlaced = z.object({
  customerId: id,
  orderId: id,
  cartId: id.optional(),
  items: z.array(lineItem).min(1).max(200),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code'),
  total: money,
});
export type OrderPlaced = z.infer<typeof orderPlaced>;

export const productUpserted = z.object({
  sku: id,
  name: z.string().min(1).max(300),
  category: z.string().min(1).max(200),
  price: money,
  url: z.url().optional(),
  imageUrl: z.url().optional(),
  inStock: z.boolean(),
  /** Re-buyable items (tea, coffee) may be recommended again after a purchase. */
  consumable: z.boolean().optional(),
});
export type ProductUpserted = z.infer<typeof productUpserted>;

export const feedbackGiven = z
  .object({
    customerId: id,
    sku: id.optional(),
    category: z.string().min(1).max(200).optional(),
    vote: z.enum(['up', 'down']),
    messageId: z.string().max(200).optional(),
  })
  .refine((d) => Boolean(d.sku) !== Boolean(d.category), {
    message: 'give either sku or category',
    path: ['sku'],
  });
export type FeedbackGiven = z.infer<typeof feedbackGiven>;

export const DETAIL_SCHEMAS = {
  [DETAIL_TYPES.customerUpserted]: customerUpserted,
  [DETAIL_TYPES.customerActivity]: customerActivity,
  [DETAIL_TYPES.cartUpdated]: cartUpdated,
  [DETAIL_TYPES.orderPlaced]: orderPlaced,
  [DETAIL_TYPES.productUpserted]: productUpserted,
  [DETAIL_TYPES.feedbackGiven]: feedbackGiven,
} as const;

const envelopeBase = z.object({
  id: id,
  source: z.string().min(1).max(256),
  time: z.iso.datetime({ offset: true }),
});

export const shopEvent = z.discriminatedUnion('detail-type', [
  envelopeBase.extend({ 'detail-type': z.literal(DETAIL_TYPES.customerUpserted), detail: customerUpserted }),
  envelopeBase.extend({ 'detail-type': z.literal(DETAIL_TYPES.customerActivity), detail: customerActivity }),
  envelopeBase.extend({ 'detail-type': z.literal(DETAIL_TYPES.cartUpdated), detail: cartUpdated }),
  envelopeBase.extend({ 'detail-type': z.literal(DETAIL_TYPES.orderPlaced), detail: orderPlaced }),
  envelopeBase.extend({ 'detail-type': z.literal(DETAIL_TYPES.productUpserted), detail: productUpserted }),
  envelopeBase.extend({ 'detail-type': z.literal(DETAIL_TYPES.feedbackGiven), detail: feedbackGiven }),
]);
export type ShopEvent = z.infer<typeof shopEvent>;

export type ParseResult = { ok: true; event: ShopEvent } | { ok: false; error: string };

/** Validates an event envelope and its detail; never throws. The error names each failing field. */
export function parseShopEvent(input: unknown): ParseResult {
  const result = shopEvent.safeParse(input);
  if (result.success) return { ok: true, event: result.data };
  return { ok: false, error: formatIssues(result.error) };
}

export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(event)'}: ${issue.message}`)
    .join('; ');
}

/** JSON Schemas of every detail type and of the envelope, for the README and for shops' own validation. */
export function eventJsonSchemas(): Record<string, unknown> {
  const out: Record<string, unknown> = { envelope: z.toJSONSchema(shopEvent, { io: 'input' }) };
  for (const [type, schema] of Object.entries(DETAIL_SCHEMAS))
    out[type] = z.toJSONSchema(schema, { io: 'input' });
  return out;
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz.includes('/') || tz === 'UTC';
  } catch {
    return false;
  }
}

function isRealMonthDay(value: string): boolean {
  const [, y, m, d] = /^(\d{4}|-)-(\d{2})-(\d{2})$/.exec(value) ?? [];
  const year = y === '-' ? 2000 : Number(y); // 2000 is a leap year, so --02-29 is allowed
  const date = new Date(Date.UTC(year, Number(m) - 1, Number(d)));
  return date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
}
