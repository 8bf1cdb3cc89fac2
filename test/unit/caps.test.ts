import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  capDeferralOf,
  capsFreeAt,
  checkCaps,
  isCapReason,
  pruneSends,
  releaseSend,
  reserveSend,
} from '../../functions/domain/caps.js';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const HOUR = 3_600_000;
const ago = (ms: number): string => new Date(NOW.getTime() - ms).toISOString();
const CAPS = { perDay: 1, perWeek: 3 };

describe('Function: pruneSends', () => {
  it('keeps only the last 7 days, sorted ascending', () => {
    // Prepare
    const sends = [
      ago(1 * HOUR),
      ago(7 * 24 * HOUR),
      ago(7 * 24 * HOUR - 1),
      ago(50 * HOUR),
      ago(30 * 24 * HOUR),
    ];

    // Act
    const kept = pruneSends(sends, NOW);

    // Assess: exactly 7 days ago has left the window; a millisecond later is still in it
    expect(kept).toEqual([ago(7 * 24 * HOUR - 1), ago(50 * HOUR), ago(1 * HOUR)]);
  });

  it('drops future times, garbage and times without an offset, and normalizes to UTC', () => {
    // Prepare
    const sends = [
      ago(-1),
      'not a date',
      '2026-03-10T10:00:00',
      '',
      '2026-03-10T07:00:00-05:00',
      NOW.toISOString(),
    ];

    // Act
    const kept = pruneSends(sends, NOW);

    // Assess: a send at exactly now counts
    expect(kept).toEqual(['2026-03-10T12:00:00.000Z', NOW.toISOString()]);
  });
});

describe('Function: checkCaps', () => {
  it('allows a send when nothing was sent', () => {
    // Prepare / Act / Assess
    expect(checkCaps([], NOW, CAPS)).toEqual({ ok: true });
  });

  it('counts a send for the day until exactly 24 hours have passed', () => {
    // Prepare
    const justInside = [ago(24 * HOUR - 1)];
    const exactlyADay = [ago(24 * HOUR)];

    // Act / Assess
    expect(checkCaps(justInside, NOW, CAPS)).toEqual({ ok: false, reason: 'capped_daily' });
    expect(checkCaps(exactlyADay, NOW, CAPS)).toEqual({ ok: true });
  });

  it('caps the week on the rolling 7 days, releasing a slot exactly 7 days later', () => {
    // Prepare
    const threeThisWeek = [ago(7 * 24 * HOUR - 1), ago(3 * 24 * HOUR), ago(2 * 24 * HOUR)];
    const oldestJustLeft = [ago(7 * 24 * HOUR), ago(3 * 24 * HOUR), ago(2 * 24 * HOUR)];

    // Act / Assess
    expect(checkCaps(threeThisWeek, NOW, CAPS)).toEqual({ ok: false, reason: 'capped_weekly' });
    expect(checkCaps(oldestJustLeft, NOW, CAPS)).toEqual({ ok: true });
  });

  it('reports the daily cap when both windows are full', () => {
    // Prepare
    const sends = [ago(5 * 24 * HOUR), ago(3 * 24 * HOUR), ago(HOUR)];

    // Act / Assess
    expect(checkCaps(sends, NOW, CAPS)).toEqual({ ok: false, reason: 'capped_daily' });
  });

  it('blocks everything with a cap of 0 and ignores sends that cannot be read', () => {
    // Prepare / Act / Assess
    expect(checkCaps([], NOW, { perDay: 0, perWeek: 3 })).toEqual({ ok: false, reason: 'capped_daily' });
    expect(checkCaps([], NOW, { perDay: 1, perWeek: 0 })).toEqual({ ok: false, reason: 'capped_weekly' });
    expect(checkCaps(['garbage', ago(-HOUR)], NOW, CAPS)).toEqual({ ok: true });
  });
});

describe('Function: reserveSend', () => {
  it('returns the pruned list with now appended', () => {
    // Prepare
    const sends = [ago(8 * 24 * HOUR), ago(2 * 24 * HOUR)];

    // Act
    const result = reserveSend(sends, NOW, CAPS);

    // Assess
    expect(result).toEqual({ ok: true, next: [ago(2 * 24 * HOUR), NOW.toISOString()] });
  });

  it('refuses when capped and leaves nothing to write', () => {
    // Prepare / Act
    const result = reserveSend([ago(HOUR)], NOW, CAPS);

    // Assess
    expect(result).toEqual({ ok: false, reason: 'capped_daily' });
  });

  it('sends exactly when both rolling windows have room, over any sequence of attempts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 30 * 24 * 60 }), { maxLength: 60 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 10 }),
        (minuteOffsets, perDay, perWeek) => {
          // Prepare: attempts at non-decreasing times over a month
          const times = [...minuteOffsets].sort((a, b) => a - b).map((m) => NOW.getTime() + m * 60_000);
          let state: string[] = [];
          const sent: number[] = [];

          for (const t of times) {
            const inDay = sent.filter((s) => s > t - 24 * HOUR).length;
            const inWeek = sent.filter((s) => s > t - 7 * 24 * HOUR).length;

            // Act
            const result = reserveSend(state, new Date(t), { perDay, perWeek });

            // Assess: allowed if and only if both windows still have room
            expect(result.ok).toBe(inDay < perDay && inWeek < perWeek);
            if (result.ok) {
              state = result.next;
              sent.push(t);
            }
          }
        },
      ),
    );
  });
});

describe('Function: releaseSend', () => {
  it("removes only the message's own cap entry and give/ask record", () => {
    const state = {
      recentSends: ['2026-12-01T08:00:00.000Z', '2026-12-01T10:00:00.000Z'],
      recentKinds: [
        { at: '2026-12-01T08:00:00.000Z', kind: 'ask' as const },
        { at: '2026-12-01T10:00:00.000Z', kind: 'gesture' as const },
      ],
    };
    expect(releaseSend(state, '2026-12-01T10:00:00.000Z')).toEqual({
      recentSends: ['2026-12-01T08:00:00.000Z'],
      recentKinds: [{ at: '2026-12-01T08:00:00.000Z', kind: 'ask' }],
    });
    expect(state.recentSends).toHaveLength(2);
  });

  it('changes nothing when the message holds no slot', () => {
    expect(releaseSend({ recentSends: ['2026-12-01T08:00:00.000Z'] }, '2026-12-02T00:00:00.000Z')).toEqual({
      recentSends: ['2026-12-01T08:00:00.000Z'],
      recentKinds: [],
    });
  });
});

describe('Function: capsFreeAt', () => {
  const now = new Date('2026-12-01T12:00:00.000Z');
  const caps = { perDay: 1, perWeek: 3 };

  it('is now when one more send fits', () => {
    expect(capsFreeAt([], now, caps)).toEqual(now);
  });

  it('is when the oldest send that fills the day turns 24 hours old', () => {
    expect(capsFreeAt(['2026-12-01T10:00:00.000Z'], now, caps)?.toISOString()).toBe(
      '2026-12-02T10:00:00.000Z',
    );
  });

  it('is when the week frees up, if that is later than the day', () => {
    const sends = ['2026-11-26T09:00:00.000Z', '2026-11-28T09:00:00.000Z', '2026-11-30T09:00:00.000Z'];
    expect(capsFreeAt(sends, now, caps)?.toISOString()).toBe('2026-12-03T09:00:00.000Z');
  });

  it('is never for a cap of 0', () => {
    expect(capsFreeAt([], now, { perDay: 0, perWeek: 3 })).toBeUndefined();
  });
});

describe("Function: capDeferralOf (Send's answer for a gesture a cap held)", () => {
  it('reads a capped delivery with a time as a deferral, and nothing else', () => {
    const until = '2026-12-02T10:00:00.000Z';
    expect(capDeferralOf({ status: 'capped', reason: 'capped_daily', until })).toEqual({
      status: 'capped',
      reason: 'capped_daily',
      until,
    });
    expect(capDeferralOf({ status: 'capped', reason: 'capped_daily' })).toBeUndefined();
    expect(capDeferralOf({ status: 'capped', reason: 'opted_out', until })).toBeUndefined();
    expect(capDeferralOf({ status: 'sent', reason: 'capped_weekly', until })).toBeUndefined();
    expect(capDeferralOf({ status: 'capped', reason: 'capped_weekly', until: 'soon' })).toBeUndefined();
    expect(capDeferralOf(undefined)).toBeUndefined();
    expect([isCapReason('capped_weekly'), isCapReason('quiet_hours')]).toEqual([true, false]);
  });
});
