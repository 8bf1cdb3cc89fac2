/**
 * Intake of shop events from the bus: validates each (rejects are stored with their reason), keeps profiles,
 * carts and the catalogue current, and starts, moves or cancels messages.
 */
import { now } from '../adapters/clock.js';
import { banditKey } from '../domain/bandit.js';
import type {
  CartUpdated,
  CustomerActivity,
  CustomerUpserted,
  FeedbackGiven,
  OrderPlaced,
} from '../domain/events.js';
import { parseShopEvent } from '../domain/events.js';
import { addVote, voteFromEvent } from '../domain/feedback.js';
import { messageIdFor, scheduleName, triggerKeys } from '../domain/ids.js';
import { activityPatch, orderPatch, upsertPatch } from '../domain/profile.js';
import {
  cartFromEvent,
  cartReminderDueAt,
  cartReminderRequest,
  orderFollowupRequest,
} from '../domain/triggers.js';
import { config, db, logger, scheduler, workflow } from './deps.js';

/** Orders within this long after a message count as its outcome. */
const ATTRIBUTION_MS = 7 * 86_400_000;

export type IngestResult =
  | { outcome: 'rejected'; error: string }
  | { outcome: 'profile_updated' | 'activity_recorded' | 'stale' | 'product_updated' | 'feedback_recorded' }
  | { outcome: 'reminder_scheduled'; dueAt: string }
  | { outcome: 'reminder_cancelled' | 'cart_emptied' }
  | { outcome: 'order_recorded'; cancelledCarts: string[]; executionArn: string };

export async function handler(event: unknown): Promise<IngestResult> {
  const parsed = parseShopEvent(event);
  if (!parsed.ok) {
    // Kept for a person to read (`reciprocity rejected`), never thrown: a retry would not fix bad input.
    await db().rejected.put({ receivedAt: now(), event, error: parsed.error });
    logger.warn('Rejected event', { error: parsed.error });
    return { outcome: 'rejected', error: parsed.error };
  }
  const { event: e } = parsed;
  const at = new Date(e.time).toISOString();
  switch (e['detail-type']) {
    case 'customer.upserted':
      return upsertCustomer(e.detail, at);
    case 'customer.activity':
      return recordActivity(e.detail, at);
    case 'cart.updated':
      return updateCart(e.detail, at);
    case 'order.placed':
      return placeOrder(e.detail, at);
    case 'product.upserted':
      await db().products.upsert(e.detail);
      return { outcome: 'product_updated' };
    case 'feedback.given':
      return recordFeedback(e.detail, at);
  }
}

async function upsertCustomer(detail: CustomerUpserted, at: string): Promise<IngestResult> {
  const existing = await db().profiles.get(detail.customerId);
  await db().profiles.patch(detail.customerId, upsertPatch(existing, detail, at, config()));
  return { outcome: 'profile_updated' };
}

async function recordActivity(
  detail: Pick<CustomerActivity, 'customerId'>,
  at: string,
): Promise<IngestResult> {
  const existing = await db().profiles.get(detail.customerId);
  if (!existing) return { outcome: 'stale' }; // activity of an unknown customer: nothing to attach it to
  await db().profiles.patch(detail.customerId, activityPatch(existing, at, config()));
  return { outcome: 'activity_recorded' };
}

async function updateCart(detail: CartUpdated, at: string): Promise<IngestResult> {
  const cart = cartFromEvent(detail, at);
  if (!(await db().carts.putIfNewer(cart))) return { outcome: 'stale' };
  await recordActivity(detail, at);
  const name = scheduleName('cart', cart.cartId);
  if (cart.status === 'emptied') {
    await cancelReminder(cart.cartId, cart.customerId, at, 'cart_emptied');
    return { outcome: 'cart_emptied' };
  }
  const due = cartReminderDueAt(at, config());
  const when = new Date(Math.max(due.getTime(), now().getTime()));
  await scheduler().upsert(name, when, cartReminderRequest(cart));
  return { outcome: 'reminder_scheduled', dueAt: when.toISOString() };
}

async function placeOrder(detail: OrderPlaced, at: string): Promise<IngestResult> {
  const { carts, products, profiles } = db();
  const open = await carts.openCartsOf(detail.customerId);
  const closing = [...new Set([...(detail.cartId ? [detail.cartId] : []), ...open])];
  for (const cartId of closing) {
    await carts.markOrdered(cartId, detail.customerId, at);
    await cancelReminder(cartId, detail.customerId, at, 'order_placed');
  }
  await products.recordOrder(detail.items);
  const existing = await profiles.get(detail.customerId);
  if (existing) {
    await profiles.patch(detail.customerId, orderPatch(existing, at, detail.items, config()));
    // An order soon after a message is feedback on that message (attribution for learning what works).
    const last = existing.lastMessage;
    if (last && at >= last.sentAt && Date.parse(at) - Date.parse(last.sentAt) <= ATTRIBUTION_MS) {
      const bandit = config().bandit;
      const rewards = bandit.enabled && bandit.reward === 'order' && last.variant && last.templateVersion;
      // The first attributed order is the variant's success: only then is the entry read, to tell first from later.
      const entry = rewards ? await db().ledger.get(last.messageId) : undefined;
      const first = entry !== undefined && entry.events?.ordered === undefined;
      await db().ledger.addEvent(last.messageId, 'ordered', at);
      if (first && last.variant && last.templateVersion) {
        await db().reputation.countVariant(
          banditKey(last.journey, last.variant, last.templateVersion),
          'successes',
        );
      }
    }
  }
  const executionArn = await workflow().start(orderFollowupRequest(detail, at));
  return { outcome: 'order_recorded', cancelledCarts: closing, executionArn };
}

async function recordFeedback(detail: FeedbackGiven, at: string): Promise<IngestResult> {
  const { profiles, products, ledger } = db();
  const existing = await profiles.get(detail.customerId);
  if (!existing) return { outcome: 'stale' };
  const label = detail.sku ? (await products.getMany([detail.sku]))[0]?.name : detail.category;
  const vote = voteFromEvent(detail, at, label);
  await profiles.patch(detail.customerId, {
    feedback: addVote(existing.feedback ?? [], vote),
    updatedAt: at,
  });
  if (detail.messageId) await ledger.addEvent(detail.messageId, `vote_${detail.vote}:${vote.target.id}`, at);
  return { outcome: 'feedback_recorded' };
}

/**
 * Cancels a cart's pending reminder: deletes its schedule and records the cancellation. A reminder that had
 * already fired and been deferred (quiet hours) is cancelled too; one already sent or decided stays as it was,
 * and a cart that never had a reminder records nothing.
 */
async function cancelReminder(cartId: string, customerId: string, at: string, reason: string): Promise<void> {
  const triggerKey = triggerKeys.cartReminder(cartId);
  const messageId = messageIdFor(triggerKey);
  const removed = await scheduler().remove(scheduleName('cart', cartId));
  if (!removed && (await db().ledger.get(messageId))?.decision !== 'deferred') return;
  await db().ledger.decide({ messageId, customerId, journey: 'cart_reminder', triggerKey }, 'cancelled', at, {
    reason,
  });
}
