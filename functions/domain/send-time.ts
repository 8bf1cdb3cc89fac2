/**
 * Send time: the local hour at which a customer historically reads their email (from their opens and clicks),
 * for messages that can go at any hour of their day (birthday, win-back). Pure: every instant is a parameter.
 */
import { InvalidInputError } from './errors.js';
import type { Preferences, SendTimeChoice } from './model.js';
import type { QuietHours } from './quiet-hours.js';
import { addDays, firstInstantAtOrAfter, localParts } from './time.js';

/** Opens and clicks per local hour; keys "0"-"23" (DynamoDB map keys are strings). */
export type HourHistogram = Record<string, number>;

function minutesOf(clock: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(clock);
  if (!match) throw new InvalidInputError(`Quiet hours time "${clock}" is not HH:MM (24h)`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * Whether a message sent at `hour`:00 local would fall inside quiet hours. Checked at the top of the hour
 * because that is when a send at that hour goes (the birthday sweep and the win-back schedule fire at :00).
 */
export function isQuietHour(hour: number, quiet: QuietHours): boolean {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const minute = hour * 60;
  if (start === end) return false;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** The local hour (0-23) of `at` in `timeZone`: the key an open or click is counted under. */
export function localHour(at: Date, timeZone: string): number {
  return localParts(at, timeZone).hour;
}

/** The histogram with one more event at `hour` (a copy: callers write it back whole). */
export function withEvent(histogram: HourHistogram | undefined, hour: number): HourHistogram {
  const key = String(hour);
  return { ...histogram, [key]: (histogram?.[key] ?? 0) + 1 };
}

/**
 * The customer's best send hour, and what decided it: the hour with the most opens and clicks, ties to the
 * earlier hour, among hours outside quiet hours (a message planned inside them would only be deferred to their
 * end, which is not the hour the customer reads): source 'engagement'. `fallback` with source 'usual' when the
 * histogram holds fewer than `minEvents` events in total (too little evidence to beat the configured hour) or
 * every engaged hour is quiet.
 */
export function bestHour(
  histogram: HourHistogram | undefined,
  fallback: number,
  quiet: QuietHours,
  minEvents = 3,
): SendTimeChoice {
  const usual: SendTimeChoice = { hour: fallback, source: 'usual' };
  if (!histogram) return usual;
  const counts: number[] = [];
  for (const [key, value] of Object.entries(histogram)) {
    const hour = Number(key);
    if (!Number.isInteger(hour) || hour < 0 || hour > 23 || !(value > 0)) continue;
    counts[hour] = value;
  }
  const total = counts.reduce<number>((sum, n) => sum + (n ?? 0), 0);
  if (total < minEvents) return usual;
  let best: number | undefined;
  // Ascending hours with a strict ">" keep the earlier hour on a tie.
  for (let hour = 0; hour < 24; hour++) {
    const n = counts[hour] ?? 0;
    if (n === 0 || isQuietHour(hour, quiet)) continue;
    if (best === undefined || n > (counts[best] ?? 0)) best = hour;
  }
  return best === undefined ? usual : { hour: best, source: 'engagement' };
}

/** What the send hour is chosen from: the customer's open/click histogram and their tracking choice. */
export interface SendTimeProfile {
  engagementHours?: HourHistogram;
  preferences?: Pick<Preferences, 'tracking'>;
}

/** The parts of the configuration the send hour depends on. */
export interface SendTimeConfig {
  sendTime: { enabled: boolean; minEvents: number };
  quietHours: QuietHours;
}

/**
 * The customer's own best hour, or undefined when they have none (sendTime off, tracking turned off by the
 * customer, too few events, or every engaged hour quiet): callers then keep their usual timing. A customer
 * who turned tracking off is never timed by what tracking learned before.
 */
export function personalHour(profile: SendTimeProfile, config: SendTimeConfig): number | undefined {
  if (!config.sendTime.enabled || profile.preferences?.tracking === false) return undefined;
  // -1 never comes out of the histogram, so it marks "no personal hour".
  const choice = bestHour(profile.engagementHours, -1, config.quietHours, config.sendTime.minEvents);
  return choice.source === 'engagement' ? choice.hour : undefined;
}

/** The hour a message goes at and why: the customer's own hour (personalHour), else `usualHour`. */
export function sendTimeOf(
  profile: SendTimeProfile,
  usualHour: number,
  config: SendTimeConfig,
): SendTimeChoice {
  const hour = personalHour(profile, config);
  return hour === undefined ? { hour: usualHour, source: 'usual' } : { hour, source: 'engagement' };
}

/**
 * The first instant at or after `now` at which the local clock in `timeZone` shows `hour`:00: today's when
 * it is still ahead, else tomorrow's. An hour swallowed by a DST gap gives the moment the clock jumps.
 */
export function nextLocalHour(now: Date, hour: number, timeZone: string): Date {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) {
    throw new InvalidInputError(`Send hour ${hour} is not a whole hour 0-23`);
  }
  const today = localParts(now, timeZone);
  const at = firstInstantAtOrAfter({ ...today, hour, minute: 0 }, timeZone);
  if (at.getTime() >= now.getTime()) return at;
  return firstInstantAtOrAfter({ ...addDays(today, 1), hour, minute: 0 }, timeZone);
}
