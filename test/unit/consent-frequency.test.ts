/** The frequency preferences in the pure send decision: 'fewer' halves the caps, a pause defers or skips. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type EngineConfig } from '../../functions/domain/config.js';
import { decide, effectiveCaps } from '../../functions/domain/consent.js';
import type { Consent, Profile } from '../../functions/domain/model.js';

const HOUR = 3_600_000;
// 12:00 in Berlin (CET): outside the default quiet hours 21:00-08:00
const NOON = new Date('2026-01-15T11:00:00Z');
const CONFIG: EngineConfig = { ...DEFAULT_CONFIG, defaultTimeZone: 'UTC' };
const OPTED_IN: Consent = { email: 'opted_in', source: 'checkout', textVersion: 'v1' };

function profile(overrides: Partial<Profile> = {}): Profile {
  return {
    customerId: 'C-1',
    email: 'ada@example.com',
    timeZone: 'Europe/Berlin',
    consent: OPTED_IN,
    ...overrides,
  };
}

function run(p: Profile, opts: { triggeredAt?: Date } = {}) {
  return decide({
    journey: 'cart_reminder',
    profile: p,
    now: NOON,
    triggeredAt: opts.triggeredAt ?? NOON,
    config: CONFIG,
  });
}
describe('Function: effectiveCaps', () => {
  it.each([
    [
      { perDay: 1, perWeek: 3 },
      { perDay: 1, perWeek: 1 },
    ],
    [
      { perDay: 2, perWeek: 5 },
      { perDay: 1, perWeek: 2 },
    ],
    [
      { perDay: 3, perWeek: 1 },
      { perDay: 1, perWeek: 1 },
    ],
    [
      { perDay: 0, perWeek: 0 },
      { perDay: 0, perWeek: 0 },
    ],
  ])('halves %o to %o for "fewer", never loosening a cap', (caps, fewer) => {
    // Prepare / Act
    const halved = effectiveCaps(caps, { frequency: 'fewer', updatedAt: NOON.toISOString() });
    const normal = effectiveCaps(caps, { frequency: 'normal', updatedAt: NOON.toISOString() });

    // Assess
    expect(halved).toEqual(fewer);
    expect(normal).toEqual(caps);
    expect(effectiveCaps(caps, undefined)).toEqual(caps);
  });
});

describe('Function: decide with frequency preferences', () => {
  const at = (hours: number): string => new Date(NOON.getTime() + hours * HOUR).toISOString();
  const paused = (pausedUntil?: string): Profile['preferences'] => ({
    frequency: 'paused',
    ...(pausedUntil ? { pausedUntil } : {}),
    updatedAt: at(-1),
  });

  it('applies the halved weekly cap when the customer chose fewer emails', () => {
    // Prepare: one send two days ago; the weekly cap of 3 becomes 1
    const recentSends = [at(-48)];

    // Act
    const fewer = run(profile({ recentSends, preferences: { frequency: 'fewer', updatedAt: at(-1) } }));
    const normal = run(profile({ recentSends }));

    // Assess
    expect(fewer).toMatchObject({ action: 'skip', reason: 'capped_weekly' });
    expect(normal).toMatchObject({ action: 'send' });
  });

  it('defers to the end of a pause that ends within the deferral limit', () => {
    // Prepare / Act
    const decision = run(profile({ preferences: paused(at(24)) }));

    // Assess
    expect(decision).toEqual({ action: 'defer', reason: 'paused', until: at(24), consent: OPTED_IN });
  });

  it('skips as paused when the pause outlasts the deferral limit', () => {
    // Prepare / Act: 72 h limit from the trigger; the pause ends a month later
    const decision = run(profile({ preferences: paused(at(24 * 30)) }));

    // Assess
    expect(decision).toMatchObject({ action: 'skip', reason: 'paused' });
  });

  it('sends normally once the pause is over, and treats a pause without an end as still running', () => {
    // Prepare / Act
    const over = run(profile({ preferences: paused(at(-1)) }));
    const endless = run(profile({ preferences: paused(undefined) }));
    const garbled = run(profile({ preferences: paused('next spring') }));

    // Assess
    expect(over).toMatchObject({ action: 'send' });
    expect(endless).toMatchObject({ action: 'skip', reason: 'paused' });
    expect(garbled).toMatchObject({ action: 'skip', reason: 'paused' });
  });

  it('ranks the pause after consent, suppression and expiry, and before caps and quiet hours', () => {
    // Prepare
    const p = profile({ preferences: paused(at(24)), recentSends: [at(-1)] });
    const old = new Date(NOON.getTime() - 100 * HOUR);

    // Act / Assess
    expect(run({ ...p, consent: { email: 'opted_out' } })).toMatchObject({ reason: 'opted_out' });
    expect(run({ ...p, suppressed: { reason: 'complaint', at: at(-2) } })).toMatchObject({
      reason: 'suppressed',
    });
    expect(run(p, { triggeredAt: old })).toMatchObject({ reason: 'expired' });
    expect(run(p)).toMatchObject({ action: 'defer', reason: 'paused' });
  });

  it('never sends while a pause runs, whatever the times', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 * 100 }),
        fc.integer({ min: 0, max: 72 }),
        (pauseHours, ageHours) => {
          // Prepare
          const p = profile({ preferences: paused(at(pauseHours)) });

          // Act
          const decision = run(p, { triggeredAt: new Date(NOON.getTime() - ageHours * HOUR) });

          // Assess
          expect(decision.action).not.toBe('send');
          if (decision.action === 'defer') expect(decision.until).toBe(at(pauseHours));
        },
      ),
    );
  });
});
