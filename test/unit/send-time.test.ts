import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../../functions/domain/config.js';
import {
  bestHour,
  isQuietHour,
  localHour,
  nextLocalHour,
  personalHour,
  sendTimeOf,
  withEvent,
} from '../../functions/domain/send-time.js';

const QUIET = { start: '21:00', end: '08:00' };

describe('Function: bestHour', () => {
  it('picks the most frequent hour', () => {
    expect(bestHour({ '9': 1, '19': 5, '12': 2 }, 9, QUIET).hour).toBe(19);
  });

  it('breaks ties to the earlier hour', () => {
    expect(bestHour({ '18': 3, '10': 3, '15': 1 }, 9, QUIET).hour).toBe(10);
  });

  it('needs minEvents events in total before it trusts the history', () => {
    expect(bestHour({ '19': 2 }, 9, QUIET).hour).toBe(9);
    expect(bestHour({ '19': 2, '12': 1 }, 9, QUIET).hour).toBe(19);
    expect(bestHour({ '19': 4 }, 9, QUIET, 5).hour).toBe(9);
    expect(bestHour(undefined, 9, QUIET).hour).toBe(9);
    expect(bestHour({}, 9, QUIET).hour).toBe(9);
  });

  it('never picks an hour inside quiet hours, and falls back when every engaged hour is quiet', () => {
    expect(bestHour({ '23': 10, '7': 4, '17': 2 }, 9, QUIET).hour).toBe(17);
    expect(bestHour({ '23': 10, '2': 4 }, 9, QUIET).hour).toBe(9);
    // The window starts at 21:30: a send at 21:00 is still outside it.
    expect(bestHour({ '21': 5 }, 9, { start: '21:30', end: '08:00' }).hour).toBe(21);
  });

  it("says whether the customer's own history decided the hour or the usual one was kept", () => {
    expect(bestHour({ '19': 5 }, 9, QUIET)).toEqual({ hour: 19, source: 'engagement' });
    expect(bestHour({ '19': 2 }, 9, QUIET)).toEqual({ hour: 9, source: 'usual' });
    expect(bestHour({ '23': 10 }, 9, QUIET)).toEqual({ hour: 9, source: 'usual' });
    expect(bestHour(undefined, 9, QUIET)).toEqual({ hour: 9, source: 'usual' });
    // The usual hour is 'usual' even when the history happens to agree with it.
    expect(bestHour({ '9': 1 }, 9, QUIET)).toEqual({ hour: 9, source: 'usual' });
    expect(bestHour({ '9': 5 }, 9, QUIET)).toEqual({ hour: 9, source: 'engagement' });
  });

  it('ignores keys and counts that are not hours', () => {
    expect(bestHour({ '25': 9, x: 9, '-1': 9, '10': 3 }, 9, QUIET).hour).toBe(10);
    expect(bestHour({ '10': -4, '11': 3 }, 9, QUIET).hour).toBe(11);
  });
});

describe('Function: isQuietHour', () => {
  it('reads windows that cross midnight and windows that do not', () => {
    expect([20, 21, 0, 7, 8].map((h) => isQuietHour(h, QUIET))).toEqual([false, true, true, true, false]);
    expect([12, 13, 14].map((h) => isQuietHour(h, { start: '13:00', end: '14:00' }))).toEqual([
      false,
      true,
      false,
    ]);
    expect(isQuietHour(3, { start: '00:00', end: '00:00' })).toBe(false);
  });
});

describe('Function: personalHour', () => {
  it('is the best hour only with enough history and sendTime enabled', () => {
    expect(personalHour({ engagementHours: { '19': 5 } }, DEFAULT_CONFIG)).toBe(19);
    expect(personalHour({ engagementHours: { '19': 2 } }, DEFAULT_CONFIG)).toBeUndefined();
    expect(personalHour({ engagementHours: { '23': 5 } }, DEFAULT_CONFIG)).toBeUndefined();
    const off = parseConfig({ sendTime: { enabled: false } });
    expect(personalHour({ engagementHours: { '19': 5 } }, off)).toBeUndefined();
  });

  it('never uses the hours of a customer who turned tracking off, whatever was learned before', () => {
    const history = { '19': 5 };
    expect(
      personalHour({ engagementHours: history, preferences: { tracking: false } }, DEFAULT_CONFIG),
    ).toBeUndefined();
    expect(personalHour({ engagementHours: history, preferences: { tracking: true } }, DEFAULT_CONFIG)).toBe(
      19,
    );
  });
});

describe('Function: sendTimeOf', () => {
  it("says 'engagement' for the customer's own hour and 'usual' for the configured one", () => {
    expect(sendTimeOf({ engagementHours: { '19': 5 } }, 9, DEFAULT_CONFIG)).toEqual({
      hour: 19,
      source: 'engagement',
    });
    expect(sendTimeOf({}, 9, DEFAULT_CONFIG)).toEqual({ hour: 9, source: 'usual' });
    expect(
      sendTimeOf({ engagementHours: { '19': 5 }, preferences: { tracking: false } }, 9, DEFAULT_CONFIG),
    ).toEqual({ hour: 9, source: 'usual' });
    const off = parseConfig({ sendTime: { enabled: false } });
    expect(sendTimeOf({ engagementHours: { '19': 5 } }, 9, off)).toEqual({ hour: 9, source: 'usual' });
  });
});

describe('Function: send-time clock helpers', () => {
  it('counts an event under its local hour', () => {
    expect(localHour(new Date('2027-07-01T17:30:00Z'), 'Europe/Berlin')).toBe(19);
    expect(localHour(new Date('2027-01-01T18:30:00Z'), 'Europe/Berlin')).toBe(19);
    expect(withEvent(withEvent(undefined, 19), 19)).toEqual({ '19': 2 });
  });

  it('finds the next occurrence of an hour today or tomorrow, DST-aware', () => {
    const at = new Date('2027-03-10T00:05:00Z');
    expect(nextLocalHour(at, 19, 'Europe/Berlin').toISOString()).toBe('2027-03-10T18:00:00.000Z');
    expect(nextLocalHour(at, 0, 'Europe/Berlin').toISOString()).toBe('2027-03-10T23:00:00.000Z');
    // 19:00 in Los Angeles on Mar 9 is still ahead at 00:05 UTC Mar 10 (16:05 local).
    expect(nextLocalHour(at, 19, 'America/Los_Angeles').toISOString()).toBe('2027-03-10T03:00:00.000Z');
    // 02:00 does not exist in Berlin on 2027-03-28: the moment the clock jumps.
    expect(nextLocalHour(new Date('2027-03-27T12:00:00Z'), 2, 'Europe/Berlin').toISOString()).toBe(
      '2027-03-28T01:00:00.000Z',
    );
    expect(() => nextLocalHour(at, 24, 'UTC')).toThrow(/whole hour/);
  });
});

describe('Configuration: sendTime', () => {
  it('defaults to enabled with three events', () => {
    expect(DEFAULT_CONFIG.sendTime).toEqual({ enabled: true, minEvents: 3 });
    expect(() => parseConfig({ sendTime: { minEvents: 0 } })).toThrow(/minEvents/);
  });
});
