import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../functions/domain/errors.js';
import { triggerKeys } from '../../functions/domain/ids.js';
import { inactiveOnDay, inactivitySweepDay, isInactive } from '../../functions/domain/inactivity.js';

const DAY = 86_400_000;

describe('Function: inactiveOnDay', () => {
  it('adds whole 24-hour days and reads the UTC day', () => {
    // Prepare / Act / Assess
    expect(inactiveOnDay('2026-01-01T10:00:00Z', 60)).toBe('2026-03-02');
    expect(inactiveOnDay('2027-12-31T23:59:59.999Z', 60)).toBe('2028-02-29');
    expect(inactiveOnDay('2026-01-01T00:00:00Z', 1)).toBe('2026-01-02');
  });

  it('reads an offset timestamp as the instant it names', () => {
    // Prepare: 23:30 in New York on Jan 1 is 04:30 UTC on Jan 2
    // Act / Assess
    expect(inactiveOnDay('2026-01-01T23:30:00-05:00', 1)).toBe('2026-01-03');
  });

  it('ignores DST: a day is 24 hours even across the New York change', () => {
    // Prepare / Act / Assess: 12:00 EST on Mar 7 + 1 day = 17:00Z Mar 8 = 13:00 EDT, still Mar 8 UTC
    expect(inactiveOnDay('2026-03-07T12:00:00-05:00', 1)).toBe('2026-03-08');
  });

  it('rejects a timestamp that is not an ISO instant', () => {
    // Prepare / Act / Assess
    expect(() => inactiveOnDay('yesterday', 60)).toThrow(InvalidInputError);
    expect(() => inactiveOnDay('2026-01-01T10:00:00', 60)).toThrow(InvalidInputError);
  });
});

describe('Function: inactivitySweepDay', () => {
  it('reads yesterday in UTC', () => {
    // Prepare / Act / Assess
    expect(inactivitySweepDay(new Date('2026-03-02T00:05:00Z'))).toBe('2026-03-01');
    expect(inactivitySweepDay(new Date('2028-03-01T00:05:00Z'))).toBe('2028-02-29');
    expect(inactivitySweepDay(new Date('2027-01-01T00:05:00Z'))).toBe('2026-12-31');
  });
});

describe('Function: isInactive', () => {
  it('turns inactive exactly when the days have passed', () => {
    // Prepare
    const last = '2026-01-01T10:00:00Z';
    const line = Date.parse(last) + 60 * DAY;

    // Act / Assess
    expect(isInactive(last, new Date(line - 1), 60)).toBe(false);
    expect(isInactive(last, new Date(line), 60)).toBe(true);
  });

  it('finds every customer of the swept day inactive at the 00:05 sweep, and none a day early', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2020-01-01T00:00:00Z'),
          max: new Date('2035-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 3650 }),
        (lastActive, days) => {
          // Prepare
          const last = lastActive.toISOString();
          const indexDay = inactiveOnDay(last, days);
          const sweep = new Date(Date.parse(`${indexDay}T00:05:00Z`) + DAY);
          const dayStart = new Date(`${indexDay}T00:00:00Z`);

          // Act / Assess: the sweep reads this customer's day, and the customer has crossed the line
          expect(inactivitySweepDay(sweep)).toBe(indexDay);
          expect(isInactive(last, sweep, days)).toBe(true);
          // Before the index day starts, nobody filed under it is inactive yet
          expect(isInactive(last, new Date(dayStart.getTime() - 1), days)).toBe(false);
        },
      ),
    );
  });
});

// The win-back key lives with the other trigger keys (domain/ids.ts); a spell is named by its line's day.
describe('Function: triggerKeys.winback', () => {
  it('gives one key per inactive spell', () => {
    // Prepare
    const spell = '2026-03-02';

    // Act
    const first = triggerKeys.winback('C-1', spell);
    const replay = triggerKeys.winback('C-1', spell);
    const nextSpell = triggerKeys.winback('C-1', '2026-05-31');

    // Assess
    expect(first).toBe('winback:C-1:2026-03-02');
    expect(replay).toBe(first);
    expect(nextSpell).not.toBe(first);
  });
});
