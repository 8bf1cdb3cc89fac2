/**
 * Schemas of what the workflow and its schedules carry: every task validates its input at the boundary, so a
 * schedule written by an older (or newer) release is handled or refused with a reason, never a crash.
 *
 * Versions: `v` is the shape of a MessageRequest. Requests without `v` were written before versioning and
 * have the shape of version 1. A version this release does not know is refused (InvalidInputError, recorded).
 */
import * as z from 'zod';
import { lineItem } from './events.js';
import { JOURNEYS } from './names.js';

/** The MessageRequest shape this release writes. */
export const REQUEST_VERSION = 1;

const iso = z.iso.datetime({ offset: true });
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const messageContext = z.object({
  cart: z.object({ cartId: z.string().min(1), updatedAt: iso }).optional(),
  order: z
    .object({
      orderId: z.string().min(1),
      items: z.array(lineItem),
      currency: z.string(),
      total: z.number(),
      placedAt: iso,
      orderUrl: z.string().optional(),
    })
    .optional(),
  inactiveOn: day.optional(),
  sendAt: iso.optional(),
  sendTime: z
    .object({ hour: z.number().int().min(0).max(23), source: z.enum(['engagement', 'usual']) })
    .optional(),
});

export const messageRequestSchema = z.object({
  v: z
    .literal(REQUEST_VERSION, { error: `this release reads message requests of version ${REQUEST_VERSION}` })
    .optional(),
  journey: z.enum(JOURNEYS),
  customerId: z.string().min(1).max(200),
  triggerKey: z.string().min(1).max(500),
  messageId: z.uuid(),
  triggeredAt: iso,
  context: messageContext.default({}),
  deferrals: z.number().int().min(0).max(1000).optional(),
  /** Times SES throttling rescheduled this message (see usecases/defer). */
  throttleDeferrals: z.number().int().min(0).max(1000).optional(),
});

/**
 * The workflow state a later task receives: the request plus earlier steps' results. Those results come from
 * our own tasks in the same execution, so they pass through as they are (typed by model.ts).
 */
export const workflowStateSchema = messageRequestSchema.loose();
