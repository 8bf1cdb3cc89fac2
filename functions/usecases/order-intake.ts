/**
 * Intake of `order.placed`, exactly once per order: the same order arriving again, under the same or a new
 * event id, changes nothing (an idempotency record per customer and order id, kept 90 days). An order
 * closes the customer's carts that were last updated no later than the order (never a newer cart: a late
 * redelivery of an old order leaves newer carts and their reminders alone), counts the order on the catalogue
 * (popularity, co-purchases) and the profile (taste, order rhythm), credits the last message when the order
 * is attributed to (and counts the customer's recent messages' conversion and retention, sent and held-out
 * alike), redeems the order's discount codes that were ours (each once: the code, its message's ledger event
 * and its counters), and starts the thank-you.
 */
import { createHash } from 'node:crypto';
import { documentClient } from '../adapters/dynamo.js';
import { OnceStore } from '../adapters/once.js';
import type { Deps } from '../app/deps.js';
import { useCase } from '../app/lambda.js';
import { orderEffects } from '../domain/attribution.js';
import { banditKey } from '../domain/bandit.js';
import { TransientError } from '../domain/errors.js';
import { pendingGesturePatch } from '../domain/gestures.js';
import { messageIdFor, triggerKeys } from '../domain/ids.js';
import { isExpired } from '../domain/incentives.js';
import { orderPatch } from '../domain/profile.js';
import { type Counts, messageStatsKey, REDEMPTION_COUNTERS, RETENTION_DAYS } from '../domain/stats.js';
import { orderFollowupRequest } from '../domain/triggers.js';
import { releaseIncentive, releasesCode } from './incentive.js';
import {
  admit,
  cancelReminder,
  type EventOf,
  type Rejected,
  rejectIfErased,
  rewriteProfile,
} from './intake.js';

export type OrderRecorded = { outcome: 'order_recorded'; cancelledCarts: string[]; executionArn: string };
export type OrderIntakeResult =
  | Rejected
  | OrderRecorded
  /** The order was handled before: nothing was done again. */
  | { outcome: 'duplicate' };

/** How long an order is remembered: far longer than any redelivery (EventBridge retries for 24 h at most). */
export const ORDER_DEDUPE_SECONDS = 90 * 86_400;

/**
 * How long a started, unfinished handling holds the order (a crash mid-way frees it after this): longer than
 * the function's timeout (30 s), so two deliveries of one order never run side by side.
 */
export const ORDER_LOCK_MS = 60_000;

/** The idempotency key of an order: `order#<SHA-256 of [customerId, orderId]>` (no personal data in the key). */
export function orderKey(customerId: string, orderId: string): string {
  return `order#${createHash('sha256')
    .update(JSON.stringify([customerId, orderId]))
    .digest('base64url')}`;
}

interface OrderPayload {
  /** The order's idempotency key (orderKey). */
  key: string;
  event: EventOf<'order.placed'>;
  at: string;
  input: unknown;
}

export const orderIntake = useCase({
  name: 'order-intake',
  needs: [
    'carts',
    'products',
    'profiles',
    'ledger',
    'stats',
    'reputation',
    'rejected',
    'scheduler',
    'workflow',
    'idempotency',
    'linkKeys',
    'codes',
  ],
  async run(deps, input: unknown): Promise<OrderIntakeResult> {
    const admitted = await admit(deps, input, 'order-intake');
    if (!admitted.ok) return admitted.rejected;
    const { customerId, orderId } = admitted.event.detail;
    const key = orderKey(customerId, orderId);
    const once = onceStore(deps);
    const now = deps.clock();
    const claim = await once.claim(key, now, ORDER_LOCK_MS);
    if (claim.status === 'done') return { outcome: 'duplicate' };
    if (claim.status === 'busy')
      throw new TransientError('The order is being handled by another delivery of it');
    // The counting steps are not idempotent: a retry after a failure skips the ones already done.
    const steps = new Set<OrderStep>(claim.done.filter(isOrderStep));
    let result: OrderIntakeResult;
    try {
      result = await placeOrder(deps, { key, event: admitted.event, at: admitted.at, input }, steps);
    } catch (error) {
      // Best effort: if this fails too, the lock expires and Lambda's retry takes the order then.
      await once.release(key, [...steps]).catch(() => undefined);
      throw error;
    }
    await once.complete(key, now, ORDER_DEDUPE_SECONDS);
    return result;
  },
});

const ONCE = new WeakMap<Deps, OnceStore>();
function onceStore(deps: Deps): OnceStore {
  let store = ONCE.get(deps);
  if (!store) {
    store = new OnceStore(documentClient(deps.dynamodb), deps.idempotencyTable);
    ONCE.set(deps, store);
  }
  return store;
}

/** The steps of an order that count something, each done at most once per order. */
const ORDER_STEPS = ['catalogue', 'profile', 'credit', 'redeem'] as const;
type OrderStep = (typeof ORDER_STEPS)[number];
const isOrderStep = (step: string): step is OrderStep => (ORDER_STEPS as readonly string[]).includes(step);

/** Runs `work` unless `step` is in `done`, and adds it there once it succeeded. */
async function unlessDone(
  done: Set<OrderStep>,
  step: OrderStep,
  work: () => Promise<unknown>,
): Promise<void> {
  if (done.has(step)) return;
  await work();
  done.add(step);
}

async function placeOrder(
  deps: Deps,
  { key, event, at, input }: OrderPayload,
  done: Set<OrderStep>,
): Promise<OrderIntakeResult> {
  const { detail } = event;
  const { carts, products } = deps.stores;
  const profile = await deps.stores.profiles.get(detail.customerId);
  if (!profile) {
    const erased = await rejectIfErased(deps, input, detail.customerId);
    if (erased) return erased;
  }
  const open = await carts.openCartsOf(detail.customerId);
  const closing = [...new Set([...(detail.cartId ? [detail.cartId] : []), ...open])];
  const cancelledCarts: string[] = [];
  for (const cartId of closing) {
    // The rule (domain orderClosesCart) is checked inside the write: a cart updated after the order stays open.
    if (!(await carts.closeForOrder(cartId, detail.customerId, at))) continue;
    cancelledCarts.push(cartId);
    await cancelReminder(deps, { cartId, customerId: detail.customerId }, at, 'order_placed');
    await releaseCancelledReminder(deps, cartId);
  }
  // The key also makes each product's count once, should this step fail after some products were written.
  await unlessDone(done, 'catalogue', () => products.recordOrder(detail.items, key));
  if (profile) {
    await unlessDone(done, 'profile', () =>
      rewriteProfile(deps, detail.customerId, profile, (current) =>
        current
          ? {
              patch: {
                ...orderPatch(current, at, detail.items, deps.config),
                // The thank-you it starts below is pending until sent: asks yield to it (domain/gestures.ts).
                ...pendingGesturePatch(current, orderFollowupRequest(detail, at), deps.clock(), deps.config),
              },
            }
          : { stop: 'no_profile' as const },
      ),
    );
    await unlessDone(done, 'credit', () => recordOutcomes(deps, detail.customerId, at, detail.total));
  }
  if (detail.discountCodes?.length)
    await unlessDone(done, 'redeem', () =>
      redeemCodes(deps, detail.orderId, detail.discountCodes ?? [], at, detail.total),
    );
  const executionArn = await deps.workflow.start(orderFollowupRequest(detail, at));
  return { outcome: 'order_recorded', cancelledCarts, executionArn };
}

/**
 * What the order means for the customer's recent messages (domain/attribution.ts orderEffects): the message it
 * is attributed to (click, else view-through), the exposures it converts (sent and held-out alike, for the
 * uplift) and the ones it retains. One query of the customer's messages of the last 90 days (reads, no
 * writes), then per message touched one ledger write (its outcome events, each set once) and one stats ADD.
 */
async function recordOutcomes(deps: Deps, customerId: string, at: string, total: number): Promise<void> {
  const { ledger, stats } = deps.stores;
  const since = new Date(Date.parse(at) - OUTCOME_LOOKBACK_MS).toISOString();
  const entries = await ledger.byCustomer(customerId, OUTCOME_MESSAGES, since);
  const effects = orderEffects(entries, { at, total }, deps.config.attribution);
  const bandit = deps.config.bandit;
  for (const effect of effects) {
    const { first } = await ledger.addEventsOnce(effect.entry.messageId, Object.keys(effect.once), at);
    const counts: Counts = { ...effect.always };
    for (const [kind, add] of Object.entries(effect.once)) {
      if (!first.has(kind)) continue;
      for (const [name, value] of Object.entries(add)) counts[name] = (counts[name] ?? 0) + value;
    }
    await stats.add(messageStatsKey(effect.entry, at), counts);
    // The first attributed order of a message rewards its variant when the bandit learns from orders.
    const { variant, templateVersion, journey } = effect.entry;
    if (first.has('ordered') && bandit.enabled && bandit.reward === 'order' && variant && templateVersion)
      await deps.stores.reputation.countVariant(banditKey(journey, variant, templateVersion), 'successes');
  }
}

/** How far back an order looks for messages it may convert or retain: the longest retention window. */
const OUTCOME_LOOKBACK_MS = (RETENTION_DAYS[RETENTION_DAYS.length - 1] ?? 90) * 86_400_000;
/** Enough of a customer's messages for 90 days at the default caps (at most 1 a day, 3 a week). */
const OUTCOME_MESSAGES = 60;

/**
 * A reminder cancelled after it was personalized and deferred (quiet hours) held a code: it goes back. Only
 * when the cart reminder carries an incentive (otherwise no read).
 */
async function releaseCancelledReminder(deps: Deps, cartId: string): Promise<void> {
  if (!deps.config.incentives.cart_reminder) return;
  const messageId = messageIdFor(triggerKeys.cartReminder(cartId));
  if (releasesCode((await deps.stores.ledger.get(messageId))?.decision))
    await releaseIncentive(deps, messageId);
}

/**
 * The order's discount codes that we issued: each marked redeemed by this order (once; the same order again
 * is a retry), recorded on its message's ledger entry (`redeemed`, set once) and counted in the message's row:
 * `redeemed`, and the order's total as `revenue_redeemed` for the first of our codes in the order only (two
 * of our codes on one order do not make twice its revenue). A code redeemed after its expiry still counts
 * (the shop's checkout took it, and the order happened) and is noted (`redeemed_expired`, ledger and
 * counter). A code that is not ours (the shop's own), not issued, or redeemed by another order is logged and
 * left alone.
 */
async function redeemCodes(
  deps: Deps,
  orderId: string,
  codes: readonly string[],
  at: string,
  total: number,
): Promise<void> {
  let revenueCounted = false;
  for (const code of new Set(codes)) {
    const outcome = await deps.stores.codes.redeem(code, orderId, at);
    if (outcome.status !== 'redeemed' || !outcome.item.messageId) {
      deps.logger.info('Discount code not counted', { orderId, status: outcome.status });
      continue;
    }
    const { item } = outcome;
    const messageId = item.messageId ?? '';
    const late = item.issued !== undefined && isExpired(item.issued, new Date(at));
    const { redeemed, expired, revenue } = REDEMPTION_COUNTERS;
    const kinds = late ? [redeemed, expired] : [redeemed];
    const { first, entry } = await deps.stores.ledger.addEventsOnce(messageId, kinds, at);
    const withRevenue = !revenueCounted;
    revenueCounted = true;
    if (!entry || !first.has(redeemed)) continue;
    await deps.stores.stats.add(messageStatsKey(entry, at), {
      [redeemed]: 1,
      ...(withRevenue ? { [revenue]: total } : {}),
      ...(first.has(expired) ? { [expired]: 1 } : {}),
    });
    if (late) deps.logger.info('Discount code redeemed after its expiry', { orderId, messageId });
  }
}
