/**
 * A customer's action on a message (a vote, an unsubscribe) as an outcome of that message: its ledger event,
 * set once, and the message's counters (domain/stats.ts), added only when this call set the event first, so a
 * second click or a retry counts nothing again.
 */
import type { Deps } from '../app/deps.js';
import { type Counts, messageStatsKey } from '../domain/stats.js';

export async function countOnce(
  deps: Deps,
  messageId: string,
  kind: string,
  at: string,
  counts: Counts,
): Promise<boolean> {
  const { first, entry } = await deps.stores.ledger.addEventsOnce(messageId, [kind], at);
  if (!entry || !first.has(kind)) return false;
  await deps.stores.stats.add(messageStatsKey(entry, at), counts);
  return true;
}
