/**
 * Schemas of what the workflow and its schedules carry: every task validates its input at the boundary, so a
 * schedule written by an older (or newer) release is handled or refused with a reason, never a crash.
 *
 * Versions: `v` is the shape of a MessageRequest. Requests without `v` were written before versioning and
 * have the shape of version 1. A version this release does not know is refused (InvalidInputError, recorded).
 */
import { lineItem } from './events.js';
import { JOURNEYS } from './names.js';
import * as z from './zod.js';

/** The MessageRequest shape this release writes. */
export const REQUEST_VERSION = 1;

const iso = z.iso.datetime({ offset: true });
const day = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));

export const messageContext = z.object({
  cart: z.optional(z.object({ cartId: z.string().check(z.minLength(1)), updatedAt: iso })),
  order: z.optional(
    z.object({
      orderId: z.string().check(z.minLength(1)),
      items: z.array(lineItem),
      currency: z.string(),
      total: z.number(),
      placedAt: iso,
      orderUrl: z.optional(z.string()),
    }),
  ),
  inactiveOn: z.optional(day),
  sendAt: z.optional(iso),
  sendTime: z.optional(
    z.object({
      hour: z.number().check(z.int(), z.minimum(0), z.maximum(23)),
      source: z.enum(['engagement', 'usual']),
    }),
  ),
});

export const messageRequestSchema = z.object({
  v: z.optional(
    z.literal(REQUEST_VERSION, {
      error: `this release reads message requests of version ${REQUEST_VERSION}`,
    }),
  ),
  journey: z.enum(JOURNEYS),
  customerId: z.string().check(z.minLength(1), z.maxLength(200)),
  triggerKey: z.string().check(z.minLength(1), z.maxLength(500)),
  messageId: z.uuid(),
  triggeredAt: iso,
  context: z._default(messageContext, {}),
  deferrals: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(1000))),
  /** Times SES throttling rescheduled this message (see usecases/defer). */
  throttleDeferrals: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(1000))),
});

/**
 * The workflow state a later task receives: the request plus earlier steps' results. Those results come from
 * our own tasks in the same execution, so they pass through as they are (typed by model.ts).
 */
export const workflowStateSchema = z.catchall(messageRequestSchema, z.unknown());
