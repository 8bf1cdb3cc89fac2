/**
 * Incentives: a journey may carry a real gift, a unique single-use code with its terms (percent or money off,
 * or free shipping; a minimum order; an expiry). Codes come from a pool the shop uploads, or are generated
 * from the message id and exported for the shop to load into its checkout. An email shows a code only when
 * one was claimed for that message, so it never promises what the engine cannot tie to a code.
 */
import * as z from 'zod';

export const incentiveSchema = z
  .object({
    kind: z.enum(['percent', 'amount', 'free_shipping']),
    /** Percent off (1-100) or money off in `currency`; not used by free_shipping. */
    value: z.number().positive().max(100_000).optional(),
    /** Currency of `value` and `minOrder` (ISO 4217); default: `sender.currency`. */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code')
      .optional(),
    /** Smallest order the code applies to, if any. */
    minOrder: z.number().min(0).optional(),
    /** Days from the send until the code expires. */
    validDays: z.number().int().min(1).max(365).default(30),
    /**
     * 'pool': codes the shop uploaded (`reciprocity codes import`), one per message, never two; an empty
     * pool sends the message without a code. 'generated': the engine makes the code from the message id, and
     * `reciprocity codes export` lists them for the shop's checkout.
     */
    source: z.enum(['pool', 'generated']).default('generated'),
    /** Printed before a generated code ("BDAY-"): capitals, digits and '-'. */
    prefix: z
      .string()
      .regex(/^[A-Z0-9-]{0,12}$/, 'capitals, digits and "-", at most 12')
      .default(''),
  })
  .strict()
  .refine((i) => i.kind === 'free_shipping' || i.value !== undefined, {
    message: 'a percent or amount incentive needs a value',
    path: ['value'],
  })
  .refine((i) => i.kind !== 'percent' || (i.value ?? 0) <= 100, {
    message: 'a percent incentive is at most 100',
    path: ['value'],
  });

export type Incentive = z.infer<typeof incentiveSchema>;

/** Incentives by journey; a journey without one sends no code. */
export const incentivesSchema = z
  .object({
    cart_reminder: incentiveSchema.optional(),
    order_followup: incentiveSchema.optional(),
    birthday: incentiveSchema.optional(),
    winback: incentiveSchema.optional(),
  })
  .strict();

export type Incentives = z.infer<typeof incentivesSchema>;
