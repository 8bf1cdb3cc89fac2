/**
 * The give/ask balance: a customer should not get more asks (reminders, win-back offers) than gestures
 * (thank-yous, birthday notes) beyond a small lead over a rolling window. A lead rather than a ratio, so a new
 * customer's first reminders still go before any gesture was possible.
 */
import type { SentKind } from './model.js';
import { JOURNEY_CLASS, type Journey } from './names.js';
import { DAY_MS, parseInstant } from './time.js';

export interface BalancePolicy {
  /** How many more asks than gestures may have been sent within the window. */
  maxAskLead: number;
  windowDays: number;
}

/**
 * The sent kinds that still count at `now`: valid times after now-window and not after now, sorted ascending,
 * normalized to UTC ISO. Entries with a bad time or kind are dropped rather than trusted.
 */
export function pruneKinds(recentKinds: readonly SentKind[], now: Date, windowDays: number): SentKind[] {
  const nowMs = now.getTime();
  const from = nowMs - windowDays * DAY_MS;
  const kept: { ms: number; kind: SentKind['kind'] }[] = [];
  for (const entry of recentKinds) {
    const ms = typeof entry?.at === 'string' ? parseInstant(entry.at) : undefined;
    if (ms === undefined || ms <= from || ms > nowMs) continue;
    if (entry.kind !== 'gesture' && entry.kind !== 'ask') continue;
    kept.push({ ms, kind: entry.kind });
  }
  return kept.sort((a, b) => a.ms - b.ms).map(({ ms, kind }) => ({ at: new Date(ms).toISOString(), kind }));
}

/**
 * Whether sending one message of `journey` at `now` keeps the balance: a gesture always does; an ask does
 * when asks minus gestures in the window, counting this ask, stays within maxAskLead.
 */
export function balanceAllows(
  journey: Journey,
  recentKinds: readonly SentKind[],
  now: Date,
  policy: BalancePolicy,
): boolean {
  if (JOURNEY_CLASS[journey] === 'gesture') return true;
  let lead = 1;
  for (const { kind } of pruneKinds(recentKinds, now, policy.windowDays)) lead += kind === 'ask' ? 1 : -1;
  return lead <= policy.maxAskLead;
}

/** The pruned list with this send appended, written together with the frequency-cap slot. */
export function recordKind(
  recentKinds: readonly SentKind[],
  journey: Journey,
  now: Date,
  windowDays: number,
): SentKind[] {
  return [
    ...pruneKinds(recentKinds, now, windowDays),
    { at: now.toISOString(), kind: JOURNEY_CLASS[journey] },
  ];
}
