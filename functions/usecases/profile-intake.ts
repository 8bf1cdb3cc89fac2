/**
 * Intake of `customer.upserted` and `customer.activity`: keeps the profile current.
 * - An upsert merges into the stored profile (absent fields keep their value), with an optimistic lock, so a
 *   concurrent write of the same lists and maps is never lost; one that would grow the profile past
 *   PROFILE_SIZE_LIMIT_BYTES is rejected (`profile_too_large: ...`), not written.
 * - A withdrawal is never lost: an invalid upsert that carries an opt-out or a topic turned off still
 *   applies that withdrawal to the existing profile, and is kept as rejected with a reason that says so.
 * - Activity moves the last-active time forward on an existing profile (never creates one).
 * - After an erasure, nothing for the customer is stored again (reason `erased`).
 */
import type { Deps } from '../app/deps.js';
import { useCase } from '../app/lambda.js';
import { type CustomerUpserted, salvageWithdrawal } from '../domain/events.js';
import { describeWithdrawal, profileTooLarge, upsertPatch, withdrawalPatch } from '../domain/profile.js';
import {
  admit,
  ERASED,
  isErased,
  type Rejected,
  recordActivity,
  reject,
  rejectIfErased,
  rewriteProfile,
} from './intake.js';

export type ProfileIntakeResult =
  | Rejected
  | { outcome: 'profile_updated' | 'profile_unchanged' | 'activity_recorded' | 'stale' };

export const profileIntake = useCase({
  name: 'profile-intake',
  needs: ['profiles', 'rejected', 'linkKeys'],
  async run(deps, input: unknown): Promise<ProfileIntakeResult> {
    const admitted = await admit(deps, input, 'profile-intake', {
      onInvalid: (error) => salvageWithdrawalOf(deps, input, error),
    });
    if (!admitted.ok) return admitted.rejected;
    const { event, at } = admitted;
    if (event['detail-type'] === 'customer.upserted') return upsertCustomer(deps, input, event.detail, at);
    const { customerId } = event.detail;
    const profile = await deps.stores.profiles.get(customerId);
    // Activity of a customer without a profile has nothing to attach to (unless they were erased: say so).
    if (!profile) return (await rejectIfErased(deps, input, customerId)) ?? { outcome: 'stale' };
    return (await recordActivity(deps, customerId, profile, at))
      ? { outcome: 'activity_recorded' }
      : { outcome: 'stale' };
  },
});

async function upsertCustomer(
  deps: Deps,
  input: unknown,
  detail: CustomerUpserted,
  at: string,
): Promise<ProfileIntakeResult> {
  const { customerId } = detail;
  const first = await deps.stores.profiles.get(customerId);
  const write = await rewriteProfile<string>(deps, customerId, first, async (current) => {
    // The tombstone is looked up only when there is no profile (the read was needed anyway).
    if (!current && (await isErased(deps, customerId))) return { stop: ERASED };
    const patch = upsertPatch(current, detail, at, deps.config);
    const tooLarge = profileTooLarge(current, patch);
    return tooLarge ? { stop: tooLarge } : { patch };
  });
  if (write.kind === 'stopped') return reject(deps, input, write.stop);
  return { outcome: write.kind === 'written' ? 'profile_updated' : 'profile_unchanged' };
}

/**
 * For an invalid event: applies the consent withdrawal it carries (salvageWithdrawal) to the existing profile
 * and returns the reject reason, which says whether the withdrawal was applied.
 */
async function salvageWithdrawalOf(deps: Deps, input: unknown, error: string): Promise<string> {
  const withdrawal = salvageWithdrawal(input);
  if (!withdrawal) return error;
  const at = salvagedTime(input, deps.clock());
  const { customerId } = withdrawal;
  const profile = await deps.stores.profiles.get(customerId);
  const write = await rewriteProfile(deps, customerId, profile, (current) =>
    current ? { patch: withdrawalPatch(current, withdrawal, at) } : { stop: 'no_profile' as const },
  );
  const what = describeWithdrawal(withdrawal);
  if (write.kind === 'stopped')
    return `${error} (its consent withdrawal, ${what}, was not applied: there is no profile for this customer)`;
  return `${error} (its consent withdrawal was applied: ${what}; nothing else from it was stored)`;
}

/** The event's time, when it is one and not in the future (the time may be what made it invalid); else now. */
function salvagedTime(input: unknown, now: Date): string {
  // salvageWithdrawal read only own data properties of the input; so does this.
  const time = Object.getOwnPropertyDescriptor(input, 'time')?.value;
  const parsed = typeof time === 'string' ? Date.parse(time) : Number.NaN;
  return Number.isFinite(parsed) && parsed <= now.getTime()
    ? new Date(parsed).toISOString()
    : now.toISOString();
}
