/** Frequency caps across all journeys: rolling 24-hour and 7-day windows over a customer's recent sends. */
import { DAY_MS, parseInstant } from './time.js';

/** Caps per customer: at most perDay sends in any 24 hours and perWeek in any 7 days. */
export interface Caps {
  perDay: number;
  perWeek: number;
}

export type CapReason = 'capped_daily' | 'capped_weekly';

export type CapCheck = { ok: true } | { ok: false; reason: CapReason };

/** Whether a decision's reason is a frequency cap's. */
export function isCapReason(reason: string): reason is CapReason {
  return reason === 'capped_daily' || reason === 'capped_weekly';
}

/**
 * Send's answer (at $.delivery) for a gesture a cap held at the last moment (an ask took the slot between
 * CheckConsent and Send): nothing recorded, and the workflow routes it to Defer, which schedules the message
 * for `until`, when the cap frees up (within maxDeferralHours, or Send skips it with the cap's reason).
 */
export interface CapDeferral {
  status: 'capped';
  reason: CapReason;
  /** When the cap frees up (ISO). */
  until: string;
}

/** Send's delivery read back as a cap deferral, or undefined when it is none (any other outcome). */
export function capDeferralOf(delivery: unknown): CapDeferral | undefined {
  const d = delivery as Partial<CapDeferral> | null | undefined;
  if (d?.status !== 'capped' || typeof d.reason !== 'string' || !isCapReason(d.reason)) return undefined;
  if (typeof d.until !== 'string' || parseInstant(d.until) === undefined) return undefined;
  return { status: 'capped', reason: d.reason, until: d.until };
}

const WEEK_MS = 7 * DAY_MS;

/**
 * The sends that still count at `now`: ISO times with an offset, after now-7d and not after now, sorted
 * ascending and normalized to UTC ISO. Future times are dropped: a send cannot have happened later than now.
 */
export function pruneSends(recentSends: readonly string[], now: Date): string[] {
  const nowMs = now.getTime();
  const kept: number[] = [];
  for (const send of recentSends) {
    const ms = typeof send === 'string' ? parseInstant(send) : undefined;
    if (ms !== undefined && ms > nowMs - WEEK_MS && ms <= nowMs) kept.push(ms);
  }
  return kept.sort((a, b) => a - b).map((ms) => new Date(ms).toISOString());
}

function check(pruned: readonly string[], nowMs: number, caps: Caps): CapCheck {
  // When both windows are full the daily cap is reported: it is the nearer limit the sender ran into.
  const today = pruned.filter((send) => Date.parse(send) > nowMs - DAY_MS).length;
  if (today >= caps.perDay) return { ok: false, reason: 'capped_daily' };
  if (pruned.length >= caps.perWeek) return { ok: false, reason: 'capped_weekly' };
  return { ok: true };
}

/** Whether one more send at `now` stays within the caps (a send counts while newer than now-24h / now-7d). */
export function checkCaps(recentSends: readonly string[], now: Date, caps: Caps): CapCheck {
  return check(pruneSends(recentSends, now), now.getTime(), caps);
}

/**
 * The earliest time one more send fits within the caps (now, if it fits already), or undefined when a cap of
 * 0 means it never will. A send stops counting once it is 24 h (daily) or 7 days (weekly) old.
 */
export function capsFreeAt(recentSends: readonly string[], now: Date, caps: Caps): Date | undefined {
  if (caps.perDay <= 0 || caps.perWeek <= 0) return undefined;
  const nowMs = now.getTime();
  const week = pruneSends(recentSends, now).map((send) => Date.parse(send));
  const day = week.filter((ms) => ms > nowMs - DAY_MS);
  let at = nowMs;
  if (day.length >= caps.perDay) at = Math.max(at, day[day.length - caps.perDay]! + DAY_MS);
  if (week.length >= caps.perWeek) at = Math.max(at, week[week.length - caps.perWeek]! + WEEK_MS);
  return new Date(at);
}

/**
 * Claims a send at `now`: the pruned list with `now` appended, to be written with an optimistic lock on the
 * profile's capVersion so two concurrent sends cannot both take the last slot.
 */
export function reserveSend(
  recentSends: readonly string[],
  now: Date,
  caps: Caps,
): { ok: true; next: string[] } | { ok: false; reason: CapReason } {
  const pruned = pruneSends(recentSends, now);
  const verdict = check(pruned, now.getTime(), caps);
  if (!verdict.ok) return verdict;
  return { ok: true, next: [...pruned, now.toISOString()] };
}

/**
 * Gives back the cap slot (and the give/ask record) a message reserved at `sentAt`, after a send that did
 * not go out: its entries are removed, nothing else is touched.
 */
export function releaseSend<K extends { at: string }>(
  state: { recentSends?: readonly string[]; recentKinds?: readonly K[] },
  sentAt: string,
): { recentSends: string[]; recentKinds: K[] } {
  const sends = [...(state.recentSends ?? [])];
  const index = sends.lastIndexOf(sentAt);
  if (index >= 0) sends.splice(index, 1);
  const kinds = [...(state.recentKinds ?? [])];
  const kindIndex = kinds.findLastIndex((k) => k.at === sentAt);
  if (kindIndex >= 0) kinds.splice(kindIndex, 1);
  return { recentSends: sends, recentKinds: kinds };
}
