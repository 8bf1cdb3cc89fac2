/** Quiet hours: the local-time window in which no marketing email goes out; such sends wait until it ends. */
import { InvalidInputError } from './errors.js';
import {
  addDays,
  firstInstantAtOrAfter,
  type LocalParts,
  localParts,
  possibleInstants,
  type Ymd,
} from './time.js';

/** A daily window [start, end) in local time, "HH:MM" 24h; it crosses midnight when end < start. */
export interface QuietHours {
  start: string;
  end: string;
}

function minutesOf(clock: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(clock);
  if (!match) throw new InvalidInputError(`Quiet hours time "${clock}" is not HH:MM (24h)`);
  return Number(match[1]) * 60 + Number(match[2]);
}

function inWindow(minute: number, start: number, end: number): boolean {
  if (start === end) return false;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** Whether `now` falls inside quiet hours in `timeZone`. */
export function isQuietTime(now: Date, timeZone: string, quiet: QuietHours): boolean {
  const local = localParts(now, timeZone);
  return inWindow(local.hour * 60 + local.minute, minutesOf(quiet.start), minutesOf(quiet.end));
}

/** The first instant after `at` at which the quiet window containing `at` (local time `local`) ends. */
function windowEnd(at: Date, local: LocalParts, start: number, end: number, timeZone: string): Date {
  const minute = local.hour * 60 + local.minute;
  // Evening part of a window that crosses midnight: it ends tomorrow morning.
  let day: Ymd = start > end && minute >= start ? addDays(local, 1) : local;
  for (;;) {
    const target = { ...day, hour: Math.floor(end / 60), minute: end % 60 };
    const instants = possibleInstants(target, timeZone);
    // "Not before end": in a DST gap that swallows `end`, quiet hours are over the moment the clock jumps.
    if (instants.length === 0) return firstInstantAtOrAfter(target, timeZone);
    // In a fall-back overlap the first occurrence of `end` may already be behind us; then take the repeat.
    const next = instants.find((instant) => instant.getTime() > at.getTime());
    if (next) return next;
    day = addDays(day, 1);
  }
}

/**
 * null when `now` is outside quiet hours in `timeZone`; otherwise the first instant after `now` at which the
 * local clock has left them (the local `end` time on the right local day, DST-aware). start == end means no
 * quiet hours.
 */
export function nextAllowedTime(now: Date, timeZone: string, quiet: QuietHours): Date | null {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  let at = now;
  let local = localParts(at, timeZone);
  if (!inWindow(local.hour * 60 + local.minute, start, end)) return null;
  // A DST change can leave the end instant inside the window again (a gap that jumps past a very late
  // start), so step from window end to window end until the clock is outside; two steps always suffice.
  for (let step = 0; step < 3; step++) {
    at = windowEnd(at, local, start, end, timeZone);
    local = localParts(at, timeZone);
    if (!inWindow(local.hour * 60 + local.minute, start, end)) break;
  }
  return at;
}
