import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  birthdayIndexKeys,
  birthdayMonthDay,
  birthdaySendDue,
  isBirthdayOn,
} from '../../functions/domain/birthday.js';
import { InvalidInputError } from '../../functions/domain/errors.js';
import { localParts } from '../../functions/domain/time.js';

const HOUR = 3_600_000;
const due = (birthday: string, timeZone: string, iso: string, hour = 9) =>
  birthdaySendDue({ birthday, timeZone, now: new Date(iso), hour });

/** The sweeps (every UTC hour) from `fromIso` for `hours` hours that find the birthday due. */
function dueSweeps(birthday: string, timeZone: string, fromIso: string, hours: number, hour = 9): string[] {
  const out: string[] = [];
  for (let i = 0; i < hours; i++) {
    const now = new Date(Date.parse(fromIso) + i * HOUR);
    if (birthdaySendDue({ birthday, timeZone, now, hour }).due) out.push(now.toISOString());
  }
  return out;
}

describe('Function: birthdayMonthDay', () => {
  it('reads the month and day from both stored forms', () => {
    // Prepare / Act / Assess
    expect(birthdayMonthDay('1990-07-04')).toBe('07-04');
    expect(birthdayMonthDay('--12-31')).toBe('12-31');
    expect(birthdayMonthDay('--02-29')).toBe('02-29');
    expect(birthdayMonthDay('2000-02-29')).toBe('02-29');
  });

  it('rejects dates that do not exist', () => {
    // Prepare / Act / Assess
    for (const bad of ['1999-02-29', '--02-30', '--13-01', '1990-04-31', '07-04', 'July 4th', '']) {
      expect(() => birthdayMonthDay(bad), bad).toThrow(InvalidInputError);
    }
  });
});

describe('Function: isBirthdayOn', () => {
  it('celebrates Feb 29 on Feb 28 in 2027 and on Feb 29 in 2028', () => {
    // Prepare
    const leapling = '2000-02-29';

    // Act / Assess
    expect(isBirthdayOn(leapling, { year: 2027, month: 2, day: 28 })).toBe(true);
    expect(isBirthdayOn(leapling, { year: 2027, month: 3, day: 1 })).toBe(false);
    expect(isBirthdayOn(leapling, { year: 2028, month: 2, day: 28 })).toBe(false);
    expect(isBirthdayOn(leapling, { year: 2028, month: 2, day: 29 })).toBe(true);
  });

  it('leaves Feb 28 birthdays alone', () => {
    // Prepare / Act / Assess
    expect(isBirthdayOn('--02-28', { year: 2028, month: 2, day: 28 })).toBe(true);
    expect(isBirthdayOn('--02-28', { year: 2028, month: 2, day: 29 })).toBe(false);
    expect(isBirthdayOn('--02-28', { year: 2027, month: 2, day: 28 })).toBe(true);
  });
});

describe('Function: birthdayIndexKeys', () => {
  it('covers every local date on Earth: two at noon UTC, three just before', () => {
    // Prepare / Act / Assess: UTC-12 is at 00:00 Jun 15, UTC+14 at 02:00 Jun 16
    expect(birthdayIndexKeys(new Date('2026-06-15T12:00:00Z'))).toEqual(['06-15', '06-16']);
    // UTC-12 is still at 23:00 Jun 14, UTC+14 already at 01:00 Jun 16
    expect(birthdayIndexKeys(new Date('2026-06-15T11:00:00Z'))).toEqual(['06-14', '06-15', '06-16']);
  });

  it('adds 02-29 while it is Feb 28 somewhere in a non-leap year', () => {
    // Prepare / Act / Assess
    expect(birthdayIndexKeys(new Date('2027-02-28T12:00:00Z'))).toEqual(['02-28', '02-29', '03-01']);
    expect(birthdayIndexKeys(new Date('2027-03-01T11:00:00Z'))).toEqual(['02-28', '02-29', '03-01', '03-02']);
    expect(birthdayIndexKeys(new Date('2027-03-01T12:00:00Z'))).toEqual(['03-01', '03-02']);
  });

  it('reads 02-29 as the real date in a leap year', () => {
    // Prepare / Act / Assess
    expect(birthdayIndexKeys(new Date('2028-02-28T12:00:00Z'))).toEqual(['02-28', '02-29']);
    expect(birthdayIndexKeys(new Date('2028-03-01T11:00:00Z'))).toEqual(['02-29', '03-01', '03-02']);
  });

  it('spans the new year', () => {
    // Prepare / Act / Assess
    expect(birthdayIndexKeys(new Date('2026-12-31T11:00:00Z'))).toEqual(['01-01', '12-30', '12-31']);
  });

  it('always includes the key of the local date in any zone', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2045-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom(...Intl.supportedValuesOf('timeZone')),
        (now, zone) => {
          // Prepare
          const local = localParts(now, zone);
          const key = `${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;

          // Act
          const keys = birthdayIndexKeys(now);

          // Assess
          expect(keys).toContain(key);
          expect(keys.length).toBeLessThanOrEqual(4);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('Function: birthdaySendDue', () => {
  it('is due at 09:00 local on the birthday, and at no other sweep', () => {
    // Prepare / Act
    const sweeps = dueSweeps('1990-07-04', 'Europe/Berlin', '2026-07-03T00:00:00Z', 72);

    // Assess: 09:00 CEST
    expect(sweeps).toEqual(['2026-07-04T07:00:00.000Z']);
    expect(due('1990-07-04', 'Europe/Berlin', '2026-07-04T07:00:00Z')).toEqual({
      due: true,
      localYear: 2026,
    });
  });

  it('is due at 09:30 local in Asia/Kolkata (+05:30), the first sweep after 09:00', () => {
    // Prepare / Act
    const sweeps = dueSweeps('--01-15', 'Asia/Kolkata', '2026-01-14T00:00:00Z', 72);

    // Assess
    expect(sweeps).toEqual(['2026-01-15T04:00:00.000Z']);
    expect(localParts(new Date(sweeps[0]!), 'Asia/Kolkata')).toMatchObject({ hour: 9, minute: 30 });
  });

  it('uses the local date at the far ends of the offset range', () => {
    // Prepare / Act / Assess: Kiritimati (+14) reaches Jan 1 09:00 at 19:00 UTC on Dec 31
    expect(due('--01-01', 'Pacific/Kiritimati', '2025-12-31T19:00:00Z')).toEqual({
      due: true,
      localYear: 2026,
    });
    // Pago Pago (-11) reaches Dec 31 09:00 at 20:00 UTC on Dec 31
    expect(due('--12-31', 'Pacific/Pago_Pago', '2026-12-31T20:00:00Z')).toEqual({
      due: true,
      localYear: 2026,
    });
    expect(due('--12-31', 'Pacific/Pago_Pago', '2026-12-31T09:00:00Z')).toEqual({ due: false });
  });

  it('sends a Feb 29 birthday on Feb 28 in 2027 and on Feb 29 in 2028', () => {
    // Prepare / Act
    const in2027 = dueSweeps('2000-02-29', 'UTC', '2027-02-27T00:00:00Z', 96);
    const in2028 = dueSweeps('2000-02-29', 'UTC', '2028-02-27T00:00:00Z', 96);

    // Assess
    expect(in2027).toEqual(['2027-02-28T09:00:00.000Z']);
    expect(in2028).toEqual(['2028-02-29T09:00:00.000Z']);
  });

  it('keeps 09:00 local across the Berlin DST days', () => {
    // Prepare / Act / Assess: CEST from Mar 29, CET from Oct 25
    expect(dueSweeps('--03-29', 'Europe/Berlin', '2026-03-28T12:00:00Z', 48)).toEqual([
      '2026-03-29T07:00:00.000Z',
    ]);
    expect(dueSweeps('--10-25', 'Europe/Berlin', '2026-10-24T12:00:00Z', 48)).toEqual([
      '2026-10-25T08:00:00.000Z',
    ]);
  });

  it('sends in the first hour after the gap when the hour does not exist (New York, 02:00 on Mar 8)', () => {
    // Prepare / Act
    const sweeps = dueSweeps('--03-08', 'America/New_York', '2026-03-07T12:00:00Z', 48, 2);

    // Assess: 03:00 EDT
    expect(sweeps).toEqual(['2026-03-08T07:00:00.000Z']);
  });

  it('sends once when the fall-back repeats the hour (New York, 01:00 on Nov 1)', () => {
    // Prepare / Act
    const sweeps = dueSweeps('--11-01', 'America/New_York', '2026-10-31T12:00:00Z', 48, 1);

    // Assess: 01:00 EDT; 01:00 EST an hour later is not due again
    expect(sweeps).toEqual(['2026-11-01T05:00:00.000Z']);
  });

  it('follows Lord Howe: half-hour sweeps in winter, a 30-minute gap in October', () => {
    // Prepare / Act
    const winter = dueSweeps('--06-15', 'Australia/Lord_Howe', '2026-06-14T00:00:00Z', 48);
    const gapDay = dueSweeps('--10-04', 'Australia/Lord_Howe', '2026-10-03T00:00:00Z', 48, 2);
    const fallBack = dueSweeps('--04-05', 'Australia/Lord_Howe', '2026-04-04T00:00:00Z', 48, 1);

    // Assess: 09:30 LHST (+10:30); 02:00 is skipped, so 03:00 LHDT; 01:00 LHDT only, not 01:30 LHST
    expect(winter).toEqual(['2026-06-14T23:00:00.000Z']);
    expect(gapDay).toEqual(['2026-10-03T16:00:00.000Z']);
    expect(fallBack).toEqual(['2026-04-04T14:00:00.000Z']);
  });

  it('rejects an hour outside 0-23', () => {
    // Prepare / Act / Assess
    expect(() => due('--01-01', 'UTC', '2026-01-01T09:00:00Z', 24)).toThrow(InvalidInputError);
  });

  it('is due exactly once per birthday for any zone, date and hour', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Intl.supportedValuesOf('timeZone')),
        fc.date({
          min: new Date('2025-01-02T00:00:00Z'),
          max: new Date('2035-12-30T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 23 }),
        (zone, day, hour) => {
          // Prepare: a birthday on that UTC calendar date; sweep every UTC hour from 2 days before to 2 after
          const md = day.toISOString().slice(5, 10);
          const from = `${day.toISOString().slice(0, 10)}T00:00:00Z`;
          const start = new Date(Date.parse(from) - 48 * HOUR).toISOString();

          // Act
          const sweeps = dueSweeps(`--${md}`, zone, start, 120, hour);

          // Assess: one sweep, on the birthday in that zone, read by that sweep's index keys, in the wanted
          // hour or the first after a gap (Antarctica/Troll jumps 2 hours)
          expect(sweeps).toHaveLength(1);
          const sweep = new Date(sweeps[0]!);
          const local = localParts(sweep, zone);
          expect(isBirthdayOn(`--${md}`, local)).toBe(true);
          expect(birthdayIndexKeys(sweep)).toContain(md);
          expect(local.hour).toBeGreaterThanOrEqual(hour);
          expect(local.hour).toBeLessThanOrEqual(hour + 2);
        },
      ),
      { numRuns: 300 },
    );
  });
});
