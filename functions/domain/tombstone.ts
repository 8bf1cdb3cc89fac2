/**
 * Erasure tombstones: after a customer is erased, a late or replayed shop event must not bring them back.
 * The tombstone names the customer only by a keyed hash (HMAC-SHA256 with a link-signing key), so it holds no
 * personal data: without the key, nobody can tell whose it is, or test a guessed customer id against it.
 *
 * Retention: a tombstone is kept as long as the shop keeps rejected events (90 days, adapters/rejected.ts),
 * because the events it stops are kept there, with reason `erased`, for the same time; after that an event
 * for the customer is a new customer again. A tombstone is found with any configured link key, so a key
 * rotation does not forget it; retire a link key no sooner than 90 days after it stopped being current.
 */
import { createHmac } from 'node:crypto';
import type { LinkKeys } from './links.js';

/** Profile-table key prefix of tombstones (a shop's own customer ids must not start with it). */
export const TOMBSTONE_PREFIX = 'erased#';

/** As long as rejected events are kept (adapters/rejected.ts KEEP_DAYS). */
export const TOMBSTONE_KEEP_DAYS = 90;

/** Domain separation: the same key also signs links, and a tombstone hash must never be a link's MAC. */
const PURPOSE = 'tombstone:';

/** The tombstone id of a customer under one key: hex HMAC-SHA256 of the customer id. */
export function tombstoneId(customerId: string, key: string): string {
  return createHmac('sha256', key).update(`${PURPOSE}${customerId}`).digest('hex');
}

/** The profile-table key of a tombstone id. */
export function tombstoneKey(id: string): string {
  return `${TOMBSTONE_PREFIX}${id}`;
}

/** Whether a customer id is in the tombstones' key space (never a real customer's). */
export function isTombstoneKey(customerId: string): boolean {
  return customerId.startsWith(TOMBSTONE_PREFIX);
}

/** The id a new tombstone is written under: the current key's. */
export function currentTombstoneId(customerId: string, keys: LinkKeys): string {
  const secret = keys.keys[keys.current];
  if (!secret) throw new Error(`Link key "${keys.current}" is not among the configured keys`);
  return tombstoneId(customerId, secret);
}

/** Every id a tombstone of the customer may have been written under (the current key's first). */
export function tombstoneIds(customerId: string, keys: LinkKeys): string[] {
  const kids = [keys.current, ...Object.keys(keys.keys).filter((kid) => kid !== keys.current)];
  return kids.flatMap((kid) => {
    const secret = keys.keys[kid];
    return secret ? [tombstoneId(customerId, secret)] : [];
  });
}

/** Epoch seconds after which a tombstone written at `at` no longer counts. */
export function tombstoneExpiresAt(at: Date): number {
  return Math.floor(at.getTime() / 1000) + TOMBSTONE_KEEP_DAYS * 86_400;
}
