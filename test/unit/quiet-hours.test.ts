import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../functions/domain/errors.js';
import { isQuietTime, nextAllowedTime } from '../../functions/domain/quiet-hours.js';

const NIGHT = { start: '21:00', end: '08:00' };
const LUNCH = { start: '12:00', end: '14:00' };
const at = (iso: string): Date => new Date(iso);
const next = (iso: string, zone: string, quiet = NIGHT): string | undefined =>
  nextAllowedTime(at(iso), zone, quiet)?.toISOString();

describe('Function: nextAllowedTime', () => {
  it('rolls a late-evening send over midnight to the next morning', () => {
    // Prepare: 22:00 CET on Jan 15
    const now = '2026-01-15T21:00:00Z';

    // Act
    const until = next(now, 'Europe/Berlin');

    // Assess: 08:00 CET on Jan 16
    expect(until).toBe('2026-01-16T07:00:00.000Z');
  });

  it('ends an after-midnight quiet period the same morning', () => {
    // Prepare / Act / Assess: 03:00 CET -> 08:00 CET the same day
    expect(next('2026-01-16T02:00:00Z', 'Europe/Berlin')).toBe('2026-01-16T07:00:00.000Z');
  });

  it('treats quiet hours as [start, end): start is quiet, end is not', () => {
    // Prepare / Act / Assess (Berlin, CET = UTC+1)
    expect(next('2026-01-15T19:59:59Z', 'Europe/Berlin')).toBeUndefined(); // 20:59:59
    expect(next('2026-01-15T20:00:00Z', 'Europe/Berlin')).toBe('2026-01-16T07:00:00.000Z'); // 21:00
    expect(next('2026-01-16T06:59:59Z', 'Europe/Berlin')).toBe('2026-01-16T07:00:00.000Z'); // 07:59:59
    expect(next('2026-01-16T07:00:00Z', 'Europe/Berlin')).toBeUndefined(); // 08:00
  });

  it('handles a window that does not cross midnight', () => {
    // Prepare / Act / Assess (UTC)
    expect(next('2026-05-05T11:59:00Z', 'UTC', LUNCH)).toBeUndefined();
    expect(next('2026-05-05T12:00:00Z', 'UTC', LUNCH)).toBe('2026-05-05T14:00:00.000Z');
    expect(next('2026-05-05T13:59:00Z', 'UTC', LUNCH)).toBe('2026-05-05T14:00:00.000Z');
    expect(next('2026-05-05T14:00:00Z', 'UTC', LUNCH)).toBeUndefined();
    expect(next('2026-05-05T23:00:00Z', 'UTC', LUNCH)).toBeUndefined();
  });

  it('has no quiet hours when start equals end', () => {
    // Prepare / Act / Assess
    expect(next('2026-05-05T03:00:00Z', 'UTC', { start: '08:00', end: '08:00' })).toBeUndefined();
  });

  it('gives a 9-hour night across the New York spring-forward', () => {
    // Prepare: 22:00 EST on Mar 7; the clock skips 02:00-03:00 on Mar 8
    // Act
    const until = next('2026-03-08T03:00:00Z', 'America/New_York');

    // Assess: 08:00 EDT (UTC-4)
    expect(until).toBe('2026-03-08T12:00:00.000Z');
  });

  it('gives an 11-hour night across the New York fall-back', () => {
    // Prepare: 22:00 EDT on Oct 31; the clock repeats 01:00-02:00 on Nov 1
    // Act
    const until = next('2026-11-01T02:00:00Z', 'America/New_York');

    // Assess: 08:00 EST (UTC-5)
    expect(until).toBe('2026-11-01T13:00:00.000Z');
  });

  it('uses the offset after the change on the Berlin DST days', () => {
    // Prepare / Act / Assess: 23:00 the night before -> 08:00 CEST / 08:00 CET
    expect(next('2026-03-28T22:00:00Z', 'Europe/Berlin')).toBe('2026-03-29T06:00:00.000Z');
    expect(next('2026-10-24T21:00:00Z', 'Europe/Berlin')).toBe('2026-10-25T07:00:00.000Z');
  });

  it('ends quiet hours the moment the clock jumps over their end', () => {
    // Prepare: quiet 00:00-02:30, and 02:30 does not exist in New York on Mar 8; now is 01:45 EST
    const quiet = { start: '00:00', end: '02:30' };

    // Act
    const until = next('2026-03-08T06:45:00Z', 'America/New_York', quiet);

    // Assess: 03:00 EDT, the first instant the clock reads 02:30 or later
    expect(until).toBe('2026-03-08T07:00:00.000Z');
  });

  it('waits for the repeated end time when the fall-back replays quiet hours', () => {
    // Prepare: quiet 21:00-01:30; 01:15 EST is the second pass, the first 01:30 (EDT, 05:30Z) is gone
    const quiet = { start: '21:00', end: '01:30' };

    // Act
    const secondPass = next('2026-11-01T06:15:00Z', 'America/New_York', quiet);
    const firstPassAfterEnd = next('2026-11-01T05:45:00Z', 'America/New_York', quiet);

    // Assess: 01:30 EST; and 01:45 EDT is outside quiet hours although the clock will read 01:00 again
    expect(secondPass).toBe('2026-11-01T06:30:00.000Z');
    expect(firstPassAfterEnd).toBeUndefined();
  });

  it('follows Lord Howe across its 30-minute spring-forward', () => {
    // Prepare: 22:00 LHST (+10:30) on Oct 3; at 02:00 the clock jumps to 02:30 LHDT (+11)
    // Act
    const night = next('2026-10-03T11:30:00Z', 'Australia/Lord_Howe');
    const swallowedEnd = next('2026-10-03T15:00:00Z', 'Australia/Lord_Howe', {
      start: '00:00',
      end: '02:15',
    });

    // Assess: 08:00 LHDT; an end of 02:15 is over at the jump, 02:30 LHDT
    expect(night).toBe('2026-10-03T21:00:00.000Z');
    expect(swallowedEnd).toBe('2026-10-03T15:30:00.000Z');
  });

  it('uses the local day at the ends of the offset range and in half-hour zones', () => {
    // Prepare / Act / Assess
    // Kiritimati 22:00 on Jun 30 (+14) -> 08:00 on Jul 1
    expect(next('2026-06-30T08:00:00Z', 'Pacific/Kiritimati')).toBe('2026-06-30T18:00:00.000Z');
    // Pago Pago 22:00 on Jun 30 (-11) -> 08:00 on Jul 1
    expect(next('2026-07-01T09:00:00Z', 'Pacific/Pago_Pago')).toBe('2026-07-01T19:00:00.000Z');
    // Kolkata 21:30 (+05:30) -> 08:00 the next day
    expect(next('2026-01-15T16:00:00Z', 'Asia/Kolkata')).toBe('2026-01-16T02:30:00.000Z');
    // Kolkata 20:59 is not quiet yet
    expect(next('2026-01-15T15:29:00Z', 'Asia/Kolkata')).toBeUndefined();
  });

  it('rejects a malformed clock time', () => {
    // Prepare / Act / Assess
    expect(() => nextAllowedTime(at('2026-01-01T00:00:00Z'), 'UTC', { start: '9:00', end: '08:00' })).toThrow(
      InvalidInputError,
    );
  });

  it('skips a day whose only allowed hour does not exist (the spring-forward gap)', () => {
    // Prepare: allowed only 02:00-02:59 local in Yakutat; on 8 March 2037 clocks jump from 02:00 to 03:00
    const quiet = { start: '02:59', end: '02:00' };
    // Act: from 7 March 02:59 local (11:59 UTC)
    const until = nextAllowedTime(at('2037-03-07T11:59:00Z'), 'America/Yakutat', quiet);
    // Assess: 9 March 02:00 local (AKDT, UTC-8), a day later than the hour 8 March does not have
    expect(until?.toISOString()).toBe('2037-03-09T10:00:00.000Z');
  });

  it('returns null or a later instant outside quiet hours, for any instant, zone and window', () => {
    const clock = fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45, 59))
      .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2045-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom(...Intl.supportedValuesOf('timeZone')),
        fc.oneof(fc.constant(NIGHT), fc.record({ start: clock, end: clock })),
        (now, zone, quiet) => {
          // Act
          const until = nextAllowedTime(now, zone, quiet);

          // Assess
          if (until === null) {
            expect(isQuietTime(now, zone, quiet)).toBe(false);
            return;
          }
          expect(isQuietTime(now, zone, quiet)).toBe(true);
          expect(until.getTime()).toBeGreaterThan(now.getTime());
          expect(isQuietTime(until, zone, quiet)).toBe(false);
          // Minimal: the second before is still quiet, so nothing was deferred longer than needed
          expect(isQuietTime(new Date(until.getTime() - 1000), zone, quiet)).toBe(true);
          // Within a day and a DST shift, or two when the only allowed hour falls in a spring-forward gap
          // (the day has none; the case below)
          expect(until.getTime() - now.getTime()).toBeLessThanOrEqual(50 * 3_600_000);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('Function: isQuietTime', () => {
  it('reads the window in the given zone', () => {
    // Prepare: 21:30 in Berlin is 20:30 UTC
    const now = at('2026-01-15T20:30:00Z');

    // Act / Assess
    expect(isQuietTime(now, 'Europe/Berlin', NIGHT)).toBe(true);
    expect(isQuietTime(now, 'UTC', NIGHT)).toBe(false);
  });
});
