/** The time a sweep runs for, and the sweeps' input: pure, no mocks. */
import { describe, expect, it } from 'vitest';
import { sweepInput, sweepTime } from '../../functions/usecases/sweeps.js';

const NOW = new Date('2026-12-01T10:17:00Z');

describe('Function: sweepTime', () => {
  it("is the schedule's own time, so a late or retried run selects the same customers", () => {
    expect(sweepTime({ scheduledTime: '2026-12-01T10:00:00Z', time: '2026-12-01T10:00:05Z' }, NOW)).toEqual(
      new Date('2026-12-01T10:00:00Z'),
    );
    expect(sweepTime({ time: '2026-12-01T10:00:05Z' }, NOW)).toEqual(new Date('2026-12-01T10:00:05Z'));
  });

  it('falls back when the event names no time, or an unreadable one', () => {
    expect(sweepTime({}, NOW)).toBe(NOW);
    expect(sweepTime({ scheduledTime: '<aws.scheduler.scheduled-time>' }, NOW)).toBe(NOW);
  });
});

describe('Schema: sweepInput', () => {
  it('accepts a scheduled event with other fields, and no event at all', () => {
    const event = {
      version: '0',
      'detail-type': 'Scheduled Event',
      time: '2026-12-01T10:00:00Z',
      detail: {},
    };
    expect(sweepInput.parse(event)).toMatchObject({ time: '2026-12-01T10:00:00Z' });
    expect(sweepInput.parse(undefined)).toEqual({});
    expect(sweepInput.parse(null)).toEqual({});
  });

  it('rejects a time that is not a string', () => {
    expect(sweepInput.safeParse({ scheduledTime: 1764583200000 }).success).toBe(false);
  });
});
