/**
 * Erasure from the preference center: everything stored about the customer goes, and every pending message
 * stops.
 */
import type { Deps } from '../app/deps.js';
import { messageIdFor, triggerKeys } from '../domain/ids.js';
import type { Profile } from '../domain/model.js';
import type { ErasureSummary } from '../domain/pages/erase.js';
import { PREFERENCE_CENTER_EVIDENCE } from '../domain/preferences.js';
import { mergeConsent } from '../domain/profile.js';
import { writeTombstone } from './intake.js';
import { changeProfile } from './profile-writes.js';

/** Ledger entries anonymized at once. */
const ERASE_CONCURRENCY = 10;

/**
 * Erasure, in an order that stops email first and deletes the profile last (so a failure half-way can be
 * retried from the same link): opt out; close each open cart's pending reminder with an anonymous tombstone;
 * anonymize every ledger entry (closing deferred and throttled ones); delete carts; write the erasure
 * tombstone (later shop events for the customer are refused); delete the profile; then anonymize again any
 * entry a run already in flight wrote meanwhile.
 */
export async function erase(deps: Deps, profile: Profile, now: Date): Promise<ErasureSummary> {
  const at = now.toISOString();
  const { profiles, carts, ledger } = deps.stores;
  const { customerId } = profile;
  const optOut = { email: 'opted_out', ...PREFERENCE_CENTER_EVIDENCE } as const;
  await changeProfile(deps, profile, (current) => ({
    consent: mergeConsent(current.consent, optOut, at),
    updatedAt: at,
  }));
  const owned = await carts.allOf(customerId);
  for (const cart of owned.filter((c) => c.status === 'open'))
    await ledger.tombstone(messageIdFor(triggerKeys.cartReminder(cart.cartId)), 'cart_reminder', at);
  let messages = await anonymizeAll(deps, customerId, at);
  let deletedCarts = 0;
  for (const cart of owned) if (await carts.deleteOf(cart.cartId, customerId)) deletedCarts++;
  // Before the profile goes: intake looks for a tombstone only when it finds no profile, so from here on
  // no late or replayed shop event can bring the customer back.
  await writeTombstone(deps, customerId, now);
  const deleted = await profiles.delete(customerId);
  // "Shoppers like you" kept in a shared bucket; the next peer sweep would drop them, erasure does not wait.
  await deps.stores.peers.removePeerPicks(customerId);
  messages += await anonymizeAll(deps, customerId, at);
  deps.logger.info('Erased customer data', { carts: deletedCarts, messages });
  return { profile: deleted, carts: deletedCarts, messages };
}

async function anonymizeAll(deps: Deps, customerId: string, at: string): Promise<number> {
  const { ledger } = deps.stores;
  const entries = await ledger.allByCustomer(customerId);
  let done = 0;
  for (let i = 0; i < entries.length; i += ERASE_CONCURRENCY) {
    const batch = entries.slice(i, i + ERASE_CONCURRENCY);
    const results = await Promise.all(batch.map((e) => ledger.anonymize(customerId, e.messageId, at)));
    done += results.filter(Boolean).length;
  }
  return done;
}
