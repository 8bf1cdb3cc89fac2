/**
 * Intake of `order.placed`, exactly once per order: the same order arriving again, under the same or a new
 * event id, changes nothing (Powertools Idempotency keyed on customer and order id, kept 90 days). An order
 * closes the customer's carts that were last updated no later than the order (never a newer cart: a late
 * redelivery of an old order leaves newer carts and their reminders alone), counts the order on the catalogue
 * (popularity, co-purchases) and the profile (taste, order rhythm), credits the last message when the order
 * falls inside its attribution window, and starts the thank-you.
 *
 * The idempotency record's times are Powertools' own: it reads Date.now(), the wall clock, never deps.clock.
 * Under the embedded simulated clock a record therefore lasts 90 real days: it never expires during a run,
 * however far the simulated time moves.
 */
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import type { Deps } from '../app/deps.js';
import { asContractError, useCase } from '../app/lambda.js';
import { withinAttributionWindow } from '../domain/attribution.js';
import { banditKey } from '../domain/bandit.js';
import { TransientError } from '../domain/errors.js';
import type { Profile } from '../domain/model.js';
import { orderPatch } from '../domain/profile.js';
import { orderFollowupRequest } from '../domain/triggers.js';
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
  /** The order was handled before (`first` is what that handling returned): nothing was done again. */
  | { outcome: 'duplicate'; first: OrderRecorded | Rejected };

/** How long an order is remembered: far longer than any redelivery (EventBridge retries for 24 h at most). */
export const ORDER_DEDUPE_SECONDS = 90 * 86_400;

/**
 * How long a started, unfinished handling holds the order (a crash mid-way frees it after this): longer than
 * the function's timeout (30 s), so two deliveries of one order never run side by side.
 */
export const ORDER_LOCK_MS = 60_000;

/** Idempotency keys: `order#<hash of [customerId, orderId]>`, whatever the function is named. */
const KEY_PREFIX = 'order';

interface OrderPayload {
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
    'reputation',
    'rejected',
    'scheduler',
    'workflow',
    'idempotency',
    'linkKeys',
  ],
  async run(deps, input: unknown): Promise<OrderIntakeResult> {
    const admitted = await admit(deps, input, 'order-intake');
    if (!admitted.ok) return admitted.rejected;
    try {
      return await placeOrderOnce(deps)({ event: admitted.event, at: admitted.at, input });
    } catch (error) {
      throw contractError(error);
    }
  },
});

const ONCE = new WeakMap<Deps, (payload: OrderPayload) => Promise<OrderIntakeResult>>();

/** placeOrder behind Powertools Idempotency, built once per Deps (one persistence layer per table and client). */
function placeOrderOnce(deps: Deps): (payload: OrderPayload) => Promise<OrderIntakeResult> {
  let once = ONCE.get(deps);
  if (!once) {
    const config = new IdempotencyConfig({
      eventKeyJmesPath: '[event.detail.customerId, event.detail.orderId]',
      expiresAfterSeconds: ORDER_DEDUPE_SECONDS,
      throwOnNoIdempotencyKey: true,
      responseHook: (first) => ({ outcome: 'duplicate', first }),
    });
    // The lock's lifetime: use cases do not see Lambda's context, and the function's timeout bounds it anyway.
    config.registerLambdaContext({ getRemainingTimeInMillis: () => ORDER_LOCK_MS } as Context);
    once = makeIdempotent((payload: OrderPayload) => placeOrder(deps, payload), {
      persistenceStore: new DynamoDBPersistenceLayer({
        tableName: deps.idempotencyTable,
        awsSdkV3Client: deps.dynamodb,
      }),
      config,
      keyPrefix: KEY_PREFIX,
    });
    ONCE.set(deps, once);
  }
  return once;
}

async function placeOrder(deps: Deps, { event, at, input }: OrderPayload): Promise<OrderIntakeResult> {
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
  }
  await products.recordOrder(detail.items);
  if (profile) {
    await rewriteProfile(deps, detail.customerId, profile, (current) =>
      current
        ? { patch: orderPatch(current, at, detail.items, deps.config) }
        : { stop: 'no_profile' as const },
    );
    await creditLastMessage(deps, profile, at);
  }
  const executionArn = await deps.workflow.start(orderFollowupRequest(detail, at));
  return { outcome: 'order_recorded', cancelledCarts, executionArn };
}

/** An order soon after a message is feedback on that message (attribution, and the variant's reward). */
async function creditLastMessage(deps: Deps, profile: Profile, at: string): Promise<void> {
  const last = profile.lastMessage;
  if (!last || !withinAttributionWindow(last.sentAt, at)) return;
  const bandit = deps.config.bandit;
  const rewards = bandit.enabled && bandit.reward === 'order' && last.variant && last.templateVersion;
  // The first attributed order is the variant's success: only then is the entry read, to tell first from later.
  const entry = rewards ? await deps.stores.ledger.get(last.messageId) : undefined;
  const first = entry !== undefined && entry.events?.ordered === undefined;
  await deps.stores.ledger.addEvent(last.messageId, 'ordered', at);
  if (first && last.variant && last.templateVersion)
    await deps.stores.reputation.countVariant(
      banditKey(last.journey, last.variant, last.templateVersion),
      'successes',
    );
}

/**
 * Powertools' own errors in the error contract's terms: a delivery of an order still being handled, or an
 * idempotency store that is throttled or unreachable, is retryable (the event comes again); everything else
 * (our own writes' errors, rethrown by Powertools as they were) keeps its name.
 */
function contractError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  if (error.name === 'IdempotencyAlreadyInProgressError')
    return new TransientError('The order is being handled by another delivery of it', { cause: error });
  if (
    error.name === 'IdempotencyPersistenceLayerError' &&
    asContractError(error.cause) instanceof TransientError
  )
    return new TransientError(`Idempotency store: ${(error.cause as Error).message}`, { cause: error });
  return error;
}
