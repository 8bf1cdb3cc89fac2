import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../../functions/domain/config.js';
import {
  adaptiveInactivityDays,
  medianGapDays,
  RECENT_ORDER_TIMES,
  recentOrderTimes,
} from '../../functions/domain/inactivity.js';
import type { Profile } from '../../functions/domain/model.js';
import { activityPatch, inactivityCheck, orderPatch } from '../../functions/domain/profile.js';

const ITEMS = [{ sku: 'TEA-1', category: 'tea' }];
const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString();

describe('Function: medianGapDays', () => {
  it('is the median gap, undefined below two orders', () => {
    expect(medianGapDays([])).toBeUndefined();
    expect(medianGapDays([day(0)])).toBeUndefined();
    expect(medianGapDays([day(0), day(10)])).toBe(10);
    // Gaps 10, 10, 90 (a long break): the median stays 10.
    expect(medianGapDays([day(110), day(0), day(10), day(20)])).toBe(10);
    // Even count: the mean of the two middle gaps (5, 10, 20, 30 -> 15).
    expect(medianGapDays([day(0), day(5), day(15), day(35), day(65)])).toBe(15);
  });

  it('keeps only the latest order times, once each', () => {
    let times: string[] | undefined;
    for (let i = 0; i < 9; i++) times = recentOrderTimes(times, day(i * 7));
    expect(times).toHaveLength(RECENT_ORDER_TIMES);
    expect(times?.at(-1)).toBe(day(56));
    expect(recentOrderTimes([day(1)], day(1))).toEqual([day(1)]);
    expect(recentOrderTimes([day(5)], day(1))).toEqual([day(1), day(5)]);
  });
});

describe('Function: adaptiveInactivityDays', () => {
  it('is the larger of the floor and k x the median gap', () => {
    expect(adaptiveInactivityDays(10, DEFAULT_CONFIG)).toBe(60); // max(60, 20)
    expect(adaptiveInactivityDays(50, DEFAULT_CONFIG)).toBe(100); // max(60, 100)
    expect(adaptiveInactivityDays(50, parseConfig({ inactivity: { k: 3 } }))).toBe(150);
    expect(adaptiveInactivityDays(30.4, DEFAULT_CONFIG)).toBe(61);
  });

  it('is the floor with one order (no gap) or with k = 0 (adaptation off)', () => {
    expect(adaptiveInactivityDays(undefined, DEFAULT_CONFIG)).toBe(60);
    expect(adaptiveInactivityDays(50, parseConfig({ inactivity: { k: 0 } }))).toBe(60);
    expect(DEFAULT_CONFIG.inactivity.k).toBe(2);
  });
});

describe('Function: adaptive inactivity on the profile', () => {
  it('learns the gap from orders in the one order patch, and only moves the key earlier', () => {
    let profile: Profile = { customerId: 'c', email: 'e' };
    for (const n of [0, 50, 100])
      profile = { ...profile, ...orderPatch(profile, day(n), ITEMS, DEFAULT_CONFIG) } as Profile;
    expect(profile.orderGapDays).toBe(50);
    expect(profile.recentOrderTimes).toEqual([day(0), day(50), day(100)]);
    expect(profile.lastOrderAt).toBe(day(100));
    // Set once at the first order (floor line), then left for the sweep to move later.
    expect(profile.inactiveOn).toBe(day(60).slice(0, 10));

    // A rare buyer turning frequent: the real line is earlier than a key moved out to 100 days.
    const rare: Profile = { ...profile, inactiveOn: day(200).slice(0, 10) };
    const later = orderPatch(rare, day(105), ITEMS, DEFAULT_CONFIG);
    expect(later.orderGapDays).toBe(50); // gaps 50, 50, 5
    expect(later.inactiveOn).toBeUndefined(); // line day 205, after the key: the sweep moves it lazily
    const sooner = orderPatch({ ...rare, ...later } as Profile, day(110), ITEMS, DEFAULT_CONFIG);
    expect(sooner.orderGapDays).toBe(27.5); // gaps 5, 5, 50, 50
    expect(sooner.inactiveOn).toBe(day(170).slice(0, 10)); // max(60, 55) after day 110, before the key
  });

  it('puts the line at k x the median gap in the sweep, and at the floor for a first-time customer', () => {
    const rare = { lastActiveAt: day(0), orderGapDays: 50 };
    const frequent = { lastActiveAt: day(0), orderGapDays: 10 };
    expect(inactivityCheck(frequent, day(60).slice(0, 10), DEFAULT_CONFIG)).toEqual({ action: 'winback' });
    expect(inactivityCheck(rare, day(60).slice(0, 10), DEFAULT_CONFIG)).toEqual({
      action: 'rekey',
      inactiveOn: day(100).slice(0, 10),
    });
    expect(inactivityCheck(rare, day(100).slice(0, 10), DEFAULT_CONFIG)).toEqual({ action: 'winback' });
    const off = parseConfig({ inactivity: { k: 0 } });
    expect(inactivityCheck(rare, day(60).slice(0, 10), off)).toEqual({ action: 'winback' });
    expect(activityPatch(undefined, day(0), DEFAULT_CONFIG)).toEqual({
      lastActiveAt: day(0),
      inactiveOn: day(60).slice(0, 10),
    });
  });
});
