/**
 * What every intake function shares: the envelope step (validate, reject with a reason, refuse a misrouted
 * event), the erasure tombstone, the optimistic-locked profile write, and cancelling a cart's reminder.
 *
 * Bad input is never thrown: a retry would not fix it. It is kept in the rejected table with its reason
 * (`reciprocity rejected`) and the invocation returns `{ outcome: 'rejected', error }`. AWS errors (throttling
 * included) are not caught here: the error contract maps them and the event is delivered again.
 */

import type { Deps } from '../app/deps.js';
import { TransientError } from '../domain/errors.js';
import { parseShopEvent, type ShopEvent } from '../domain/events.js';
import { messageIdFor, scheduleName, triggerKeys } from '../domain/ids.js';
import type { Profile } from '../domain/model.js';
import { type DetailType, INTAKE_OF_DETAIL_TYPE, type IntakeName } from '../domain/names.js';
import { PEER_BUCKET_PREFIX } from '../domain/peers.js';
import { activityPatch, effectivePatch, type ProfilePatch } from '../domain/profile.js';
import {
  currentTombstoneId,
  TOMBSTONE_PREFIX,
  tombstoneExpiresAt,
  tombstoneIds,
} from '../domain/tombstone.js';

/** Customer-id prefixes of the profiles table's own items: erasure tombstones and peer buckets. */
const RESERVED_PREFIXES = [TOMBSTONE_PREFIX, PEER_BUCKET_PREFIX];

/** An event kept in the rejected table instead of being applied. */
export interface Rejected {
  outcome: 'rejected';
  error: string;
}

/** The reject reason of an event for a customer who was erased. */
export const ERASED = 'erased';

/** The detail types an intake function handles. */
export type DetailTypeOf<N extends IntakeName> = {
  [T in DetailType]: (typeof INTAKE_OF_DETAIL_TYPE)[T] extends N ? T : never;
}[DetailType];

/** A validated event of one of the given detail types. */
export type EventOf<T extends DetailType> = Extract<ShopEvent, { 'detail-type': T }>;

export type Admission<T extends DetailType> =
  | { ok: true; event: EventOf<T> /** The event's time (ISO, UTC). */; at: string }
  | { ok: false; rejected: Rejected };

export interface AdmitOptions {
  /**
   * Called with the validation error of an invalid event before it is stored; returns the reason to store
   * (profile intake applies a salvaged consent withdrawal here and says so in the reason).
   */
  onInvalid?: (error: string, input: unknown) => Promise<string>;
}

/**
 * The envelope step: validates the event (the engine's URL policy), refuses one routed to the wrong function,
 * and stores every refusal in the rejected table with its reason. Never throws for bad input.
 */
export async function admit<N extends IntakeName>(
  deps: Deps,
  input: unknown,
  intake: N,
  options: AdmitOptions = {},
): Promise<Admission<DetailTypeOf<N>>> {
  const type = detailTypeOf(input);
  const owner =
    type && Object.hasOwn(INTAKE_OF_DETAIL_TYPE, type)
      ? INTAKE_OF_DETAIL_TYPE[type as DetailType]
      : undefined;
  if (owner && owner !== intake)
    return {
      ok: false,
      rejected: await reject(deps, input, `misrouted: ${type} is handled by ${owner}, not ${intake}`),
    };
  const parsed = parseShopEvent(input, { allowHttpUrls: deps.config.allowHttpUrls });
  if (!parsed.ok) {
    const reason = options.onInvalid ? await options.onInvalid(parsed.error, input) : parsed.error;
    return { ok: false, rejected: await reject(deps, input, reason) };
  }
  const event = parsed.event; // of this function's types: every other known type was refused above
  const customerId = (event.detail as { customerId?: string }).customerId;
  const reserved = RESERVED_PREFIXES.find((prefix) => customerId?.startsWith(prefix));
  if (reserved)
    return {
      ok: false,
      rejected: await reject(deps, input, `detail.customerId: must not start with "${reserved}" (reserved)`),
    };
  return { ok: true, event: event as EventOf<DetailTypeOf<N>>, at: new Date(event.time).toISOString() };
}

/** Keeps an event in the rejected table with its reason, for a person to read; never thrown. */
export async function reject(deps: Deps, event: unknown, error: string): Promise<Rejected> {
  await deps.stores.rejected.put({ receivedAt: deps.clock(), event, error });
  deps.logger.warn('Rejected event', { error });
  return { outcome: 'rejected', error };
}

function detailTypeOf(input: unknown): string | undefined {
  if (input === null || typeof input !== 'object') return undefined;
  const descriptor = Object.getOwnPropertyDescriptor(input, 'detail-type');
  return descriptor && typeof descriptor.value === 'string' ? descriptor.value : undefined;
}

/**
 * Records that a customer was erased (customer-http's erasure calls it), so that later events for them are
 * rejected with reason `erased` and create nothing. The tombstone is a keyed hash of the customer id under the
 * current link key, kept as long as rejected events (domain/tombstone.ts).
 */
export async function writeTombstone(deps: Deps, customerId: string, at: Date): Promise<void> {
  const keys = await deps.linkKeys();
  await deps.stores.profiles.putTombstone({
    id: currentTombstoneId(customerId, keys),
    erasedAt: at.toISOString(),
    expiresAt: tombstoneExpiresAt(at),
  });
}

/**
 * Whether the customer was erased (a tombstone under any configured link key, still in force). Costs one read
 * per key: intake asks only when the customer has no profile.
 */
export async function isErased(deps: Deps, customerId: string): Promise<boolean> {
  const keys = await deps.linkKeys();
  return deps.stores.profiles.hasTombstone(
    tombstoneIds(customerId, keys),
    Math.floor(deps.clock().getTime() / 1000),
  );
}

/** For a customer without a profile: the `erased` reject if they were erased, else undefined. */
export async function rejectIfErased(
  deps: Deps,
  input: unknown,
  customerId: string,
): Promise<Rejected | undefined> {
  if (!(await isErased(deps, customerId))) return undefined;
  // The event is kept as evidence that it came, but not what it says: the customer asked to be forgotten.
  const e = (input ?? {}) as Record<string, unknown>;
  const envelope = { id: e.id, source: e.source, 'detail-type': e['detail-type'], time: e.time };
  return reject(deps, { ...envelope, detail: '(withheld: this customer erased their data)' }, ERASED);
}

/** Lost optimistic-lock races in a row before giving up (then the event is retried as a whole). */
const PROFILE_WRITE_ATTEMPTS = 5;

/** What a profile rewrite computes from the profile as read: a patch to write, or a stop with a reason. */
export type ProfileStep<S> = { patch: ProfilePatch } | { stop: S };

export type ProfileWrite<S> =
  | { kind: 'written'; profile: Profile | undefined }
  | { kind: 'unchanged'; profile: Profile | undefined }
  | { kind: 'stopped'; stop: S; profile: Profile | undefined };

/**
 * The one optimistic-lock retry of intake's profile writes: computes a patch from the profile as read
 * (`first`: the caller's read, so a step reads the profile once), writes it only if the profile is still as
 * read (ProfileStore.patchIfUnchanged), and on a lost race reads again, consistently, and recomputes. A patch
 * that changes nothing is not written (a duplicate event writes nothing). Throws TransientError after
 * PROFILE_WRITE_ATTEMPTS lost races, so the event is retried.
 */
export async function rewriteProfile<S>(
  deps: Deps,
  customerId: string,
  first: Profile | undefined,
  compute: (profile: Profile | undefined) => ProfileStep<S> | Promise<ProfileStep<S>>,
): Promise<ProfileWrite<S>> {
  const { profiles } = deps.stores;
  let profile = first;
  for (let attempt = 0; attempt < PROFILE_WRITE_ATTEMPTS; attempt++) {
    if (attempt > 0) profile = await profiles.get(customerId, { consistent: true });
    const step = await compute(profile);
    if ('stop' in step) return { kind: 'stopped', stop: step.stop, profile };
    const patch = effectivePatch(profile, step.patch);
    if (Object.keys(patch).length === 0) return { kind: 'unchanged', profile };
    if (await profiles.patchIfUnchanged(customerId, patch, profile)) return { kind: 'written', profile };
  }
  throw new TransientError(
    `Profile ${customerId} kept changing: ${PROFILE_WRITE_ATTEMPTS} writes lost the race`,
  );
}

/**
 * Moves the customer's last-active time forward (domain activityPatch), on a profile that still exists:
 * activity never creates a profile. Returns false when there is no profile (any more).
 */
export async function recordActivity(
  deps: Deps,
  customerId: string,
  profile: Profile | undefined,
  at: string,
): Promise<boolean> {
  const write = await rewriteProfile(deps, customerId, profile, (current) =>
    current ? { patch: activityPatch(current, at, deps.config) } : { stop: 'no_profile' as const },
  );
  return write.kind !== 'stopped';
}

/**
 * Cancels a cart's pending reminder: deletes its schedule and records the cancellation. A reminder that had
 * already fired and been deferred (quiet hours) is cancelled too; one already sent or decided stays as it was,
 * and a cart that never had a reminder records nothing.
 */
export async function cancelReminder(
  deps: Deps,
  cart: { cartId: string; customerId: string },
  at: string,
  reason: string,
): Promise<void> {
  const triggerKey = triggerKeys.cartReminder(cart.cartId);
  const messageId = messageIdFor(triggerKey);
  const removed = await deps.scheduler.remove(scheduleName('cart', cart.cartId));
  if (!removed && (await deps.stores.ledger.get(messageId))?.decision !== 'deferred') return;
  await deps.stores.ledger.decide(
    { messageId, customerId: cart.customerId, journey: 'cart_reminder', triggerKey },
    'cancelled',
    at,
    { reason },
  );
}
