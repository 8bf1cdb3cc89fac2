/**
 * A customer's own change of a list or map on their profile (consent, votes, free-form details): computed
 * from the profile as read and written under the profile's optimistic lock, so a concurrent vote, opt-out or
 * shop event is kept, never overwritten.
 */
import type { Deps } from '../app/deps.js';
import type { Profile } from '../domain/model.js';
import type { ProfilePatch } from '../domain/profile.js';
import { rewriteProfile } from './intake.js';

/**
 * Writes `change(profile)` with the one optimistic-lock retry (intake.ts rewriteProfile): the first attempt
 * uses `profile`, the caller's read (read once per step); a lost race reads again and runs `change` again.
 * `change` may throw (a form that no longer applies to the profile as it now is). Never creates a profile:
 * false when it is gone (erased meanwhile).
 */
export async function changeProfile(
  deps: Deps,
  profile: Profile,
  change: (current: Profile) => ProfilePatch,
): Promise<boolean> {
  const write = await rewriteProfile(deps, profile.customerId, profile, (current) =>
    current ? { patch: change(current) } : { stop: 'gone' as const },
  );
  return write.kind !== 'stopped';
}
