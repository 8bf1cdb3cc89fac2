/** Wall-clock time in an IANA time zone -> UTC instant, without a date library (Intl is enough). */

import { cachedFormat } from '../functions/domain/locale.js';

/** The zone's wall clock as parts; built once per zone (each zonedToUtc reads it up to four times). */
function wallClock(zone: string): Intl.DateTimeFormat {
  return cachedFormat(
    `wall|${zone}`,
    () =>
      new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      }),
  );
}

/** Offset (ms) of `zone` from UTC at the instant `utcMs`. */
function offsetAt(utcMs: number, zone: string): number {
  const parts = wallClock(zone).formatToParts(new Date(utcMs));
  const get = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((part) => part.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/**
 * `wall` is "yyyy-mm-ddThh:mm:ss" read in `zone`. Like Temporal's 'compatible' disambiguation: in a DST
 * overlap the earlier instant, in a DST gap the wall time shifted forward by the gap.
 */
export function zonedToUtc(wall: string, zone: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(wall);
  if (!match) throw new RangeError(`Not a local date-time: ${wall}`);
  const [, y, mo, d, h, mi, s] = match.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const naive = Date.UTC(y, mo - 1, d, h, mi, s);
  // A day either side brackets any transition near this wall time; real zones change at most once a day.
  const before = naive - offsetAt(naive - DAY_MS, zone);
  const after = naive - offsetAt(naive + DAY_MS, zone);
  const valid = [before, after].filter((utc) => utc + offsetAt(utc, zone) === naive);
  return new Date(valid.length > 0 ? Math.min(...valid) : before);
}

const DAY_MS = 86_400_000;
