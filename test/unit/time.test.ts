import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  firstInstantAtOrAfter,
  isLeapYear,
  isoDay,
  localParts,
  parseInstant,
  possibleInstants,
  resolveTimeZone,
  zonedToUtc,
} from '../../functions/domain/time.js';

const iso = (d: Date): string => d.toISOString();

describe('Function: localParts', () => {
  it('reads the wall clock on both sides of the New York spring-forward', () => {
    // Prepare: 06:59Z is 01:59 EST; 07:00Z is 03:00 EDT (02:00-02:59 never happens on 2026-03-08)
    const before = new Date('2026-03-08T06:59:00Z');
    const after = new Date('2026-03-08T07:00:00Z');

    // Act
    const a = localParts(before, 'America/New_York');
    const b = localParts(after, 'America/New_York');

    // Assess
    expect(a).toEqual({ year: 2026, month: 3, day: 8, hour: 1, minute: 59, second: 0, weekday: 0 });
    expect(b).toMatchObject({ hour: 3, minute: 0 });
  });

  it('reports midnight as hour 0, not 24', () => {
    // Prepare / Act
    const parts = localParts(new Date('2026-01-01T23:00:00Z'), 'Europe/Berlin');

    // Assess
    expect(parts).toMatchObject({ year: 2026, month: 1, day: 2, hour: 0, minute: 0, weekday: 5 });
  });

  it('puts Kiritimati (+14) a day ahead of Pago Pago (-11) at the same instant', () => {
    // Prepare
    const instant = new Date('2026-06-30T12:00:00Z');

    // Act
    const kiritimati = localParts(instant, 'Pacific/Kiritimati');
    const pagoPago = localParts(instant, 'Pacific/Pago_Pago');

    // Assess
    expect(kiritimati).toMatchObject({ month: 7, day: 1, hour: 2, weekday: 3 });
    expect(pagoPago).toMatchObject({ month: 6, day: 30, hour: 1, weekday: 2 });
  });

  it('keeps the half-hour offset of Asia/Kolkata', () => {
    // Prepare / Act
    const parts = localParts(new Date('2026-01-15T03:30:45Z'), 'Asia/Kolkata');

    // Assess
    expect(parts).toMatchObject({ hour: 9, minute: 0, second: 45 });
  });

  it('throws RangeError for an unknown zone', () => {
    // Prepare / Act / Assess
    expect(() => localParts(new Date(), 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('Function: zonedToUtc', () => {
  it('converts an ordinary local time', () => {
    // Prepare / Act
    const instant = zonedToUtc({ year: 2026, month: 7, day: 1, hour: 9, minute: 0 }, 'Europe/Berlin');

    // Assess: CEST is UTC+2
    expect(iso(instant)).toBe('2026-07-01T07:00:00.000Z');
  });

  it.each([
    // [zone, local wall time that does not exist, expected instant, its local reading]
    ['America/New_York', [2026, 3, 8, 2, 30], '2026-03-08T07:30:00.000Z', 3, 30],
    ['Europe/Berlin', [2026, 3, 29, 2, 30], '2026-03-29T01:30:00.000Z', 3, 30],
    ['Australia/Lord_Howe', [2026, 10, 4, 2, 15], '2026-10-03T15:45:00.000Z', 2, 45],
  ] as const)(
    'shifts a time in the %s spring-forward gap forward by the gap',
    (zone, l, expected, hour, minute) => {
      // Prepare
      const [year, month, day, h, m] = l;

      // Act
      const instant = zonedToUtc({ year, month, day, hour: h, minute: m }, zone);

      // Assess
      expect(iso(instant)).toBe(expected);
      expect(localParts(instant, zone)).toMatchObject({ day, hour, minute });
    },
  );

  it.each([
    ['America/New_York', [2026, 11, 1, 1, 30], '2026-11-01T05:30:00.000Z', '2026-11-01T06:30:00.000Z'],
    ['Europe/Berlin', [2026, 10, 25, 2, 30], '2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z'],
    ['Australia/Lord_Howe', [2026, 4, 5, 1, 45], '2026-04-04T14:45:00.000Z', '2026-04-04T15:15:00.000Z'],
  ] as const)('picks the earlier instant in the %s fall-back overlap', (zone, l, earlier, later) => {
    // Prepare
    const [year, month, day, hour, minute] = l;
    const local = { year, month, day, hour, minute };

    // Act
    const instant = zonedToUtc(local, zone);
    const both = possibleInstants(local, zone);

    // Assess
    expect(iso(instant)).toBe(earlier);
    expect(both.map(iso)).toEqual([earlier, later]);
  });

  it('handles the far ends of the offset range and half-hour zones', () => {
    // Prepare
    const local = { year: 2026, month: 1, day: 1, hour: 0, minute: 0 };

    // Act / Assess
    expect(iso(zonedToUtc(local, 'Pacific/Kiritimati'))).toBe('2025-12-31T10:00:00.000Z');
    expect(iso(zonedToUtc(local, 'Pacific/Pago_Pago'))).toBe('2026-01-01T11:00:00.000Z');
    expect(iso(zonedToUtc(local, 'Asia/Kolkata'))).toBe('2025-12-31T18:30:00.000Z');
  });

  it('round-trips every instant to the same wall minute, never later than the instant', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1990-01-01T00:00:00Z'),
          max: new Date('2060-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom(...Intl.supportedValuesOf('timeZone')),
        (instant, zone) => {
          // Prepare
          const local = localParts(instant, zone);

          // Act
          const back = zonedToUtc(local, zone);

          // Assess: same reading; an overlap's second pass maps to the first, so back may be earlier
          expect(localParts(back, zone)).toMatchObject({
            day: local.day,
            hour: local.hour,
            minute: local.minute,
          });
          expect(back.getTime()).toBeLessThanOrEqual(instant.getTime());
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('Function: firstInstantAtOrAfter', () => {
  it('returns the moment the clock jumps when the time falls in a gap', () => {
    // Prepare
    const ny = { year: 2026, month: 3, day: 8, hour: 2, minute: 30 };
    const lordHowe = { year: 2026, month: 10, day: 4, hour: 2, minute: 15 };

    // Act / Assess: 03:00 EDT, and 02:30 LHDT after Lord Howe's 30-minute jump
    expect(iso(firstInstantAtOrAfter(ny, 'America/New_York'))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(firstInstantAtOrAfter(lordHowe, 'Australia/Lord_Howe'))).toBe('2026-10-03T15:30:00.000Z');
  });

  it('equals zonedToUtc for a time that exists', () => {
    // Prepare
    const local = { year: 2026, month: 11, day: 1, hour: 1, minute: 30 };

    // Act / Assess
    expect(firstInstantAtOrAfter(local, 'America/New_York')).toEqual(zonedToUtc(local, 'America/New_York'));
  });
});

describe('Function: addDays', () => {
  it('crosses month, leap-day and year boundaries in both directions', () => {
    // Prepare / Act / Assess
    expect(addDays({ year: 2028, month: 2, day: 28 }, 1)).toEqual({ year: 2028, month: 2, day: 29 });
    expect(addDays({ year: 2027, month: 2, day: 28 }, 1)).toEqual({ year: 2027, month: 3, day: 1 });
    expect(addDays({ year: 2026, month: 12, day: 31 }, 1)).toEqual({ year: 2027, month: 1, day: 1 });
    expect(addDays({ year: 2026, month: 1, day: 1 }, -1)).toEqual({ year: 2025, month: 12, day: 31 });
    expect(addDays({ year: 2026, month: 3, day: 1 }, 365)).toEqual({ year: 2027, month: 3, day: 1 });
  });
});

describe('Function: isoDay', () => {
  it('gives the UTC day, not the host day', () => {
    // Prepare / Act / Assess
    expect(isoDay(new Date('2026-03-01T23:59:59.999-05:00'))).toBe('2026-03-02');
    expect(isoDay(new Date('2026-03-01T00:00:00Z'))).toBe('2026-03-01');
  });
});

describe('Function: isLeapYear', () => {
  it('follows the Gregorian rule', () => {
    // Prepare / Act / Assess
    expect([1900, 2000, 2024, 2026, 2027, 2028, 2100].map(isLeapYear)).toEqual([
      false,
      true,
      true,
      false,
      false,
      true,
      false,
    ]);
  });
});

describe('Function: resolveTimeZone', () => {
  it('keeps a valid zone and falls back for a missing, empty or unknown one', () => {
    // Prepare / Act / Assess
    expect(resolveTimeZone('Asia/Kolkata', 'UTC')).toBe('Asia/Kolkata');
    expect(resolveTimeZone(undefined, 'Europe/Berlin')).toBe('Europe/Berlin');
    expect(resolveTimeZone('', 'Europe/Berlin')).toBe('Europe/Berlin');
    expect(resolveTimeZone('Europe/Atlantis', 'UTC')).toBe('UTC');
  });
});

describe('Function: parseInstant', () => {
  it('accepts ISO date-times with an offset and rejects ones whose zone is unknown', () => {
    // Prepare / Act / Assess
    expect(parseInstant('2026-03-08T02:30:00-05:00')).toBe(Date.parse('2026-03-08T07:30:00Z'));
    expect(parseInstant('2026-03-08T07:30:00.123Z')).toBe(Date.parse('2026-03-08T07:30:00.123Z'));
    expect(parseInstant('2026-03-08T07:30:00')).toBeUndefined();
    expect(parseInstant('2026-03-08')).toBeUndefined();
    expect(parseInstant('March 8, 2026')).toBeUndefined();
    expect(parseInstant('2026-02-30T00:00:00Z')).toBeUndefined();
    expect(parseInstant('2026-01-01T24:00:00Z')).toBeUndefined();
    expect(parseInstant('2028-02-29T12:00:00+14:00')).toBe(Date.parse('2028-02-28T22:00:00Z'));
  });
});
