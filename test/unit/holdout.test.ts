import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type EngineConfig, parseConfig } from '../../functions/domain/config.js';
import { decide } from '../../functions/domain/consent.js';
import { holdoutPosition, inHoldout } from '../../functions/domain/holdout.js';
import type { Profile } from '../../functions/domain/model.js';
import { JOURNEYS, type Journey } from '../../functions/domain/names.js';

// 12:00 in Berlin: outside quiet hours
const NOON = new Date('2026-01-15T11:00:00Z');
const CUSTOMERS = Array.from({ length: 10_000 }, (_, i) => `C-${i}`);

/** The first customer id the pure function puts in (or out of) the journey's default holdout. */
function customerWhere(journey: Journey, held: boolean): string {
  const id = CUSTOMERS.find((c) => inHoldout(journey, c, 0.05) === held);
  if (!id) throw new Error('no such customer among the samples');
  return id;
}

function profile(overrides: Partial<Profile> = {}): Profile {
  return {
    customerId: 'C-1',
    email: 'ada@example.com',
    timeZone: 'Europe/Berlin',
    consent: { email: 'opted_in' },
    ...overrides,
  };
}

function run(p: Profile, config: EngineConfig = DEFAULT_CONFIG, journey: Journey = 'order_followup') {
  return decide({ journey, profile: p, now: NOON, triggeredAt: NOON, config });
}

describe('Function: holdoutPosition / inHoldout', () => {
  it('holds out 5% of 10,000 customers per journey, within 0.6 points', () => {
    for (const journey of JOURNEYS) {
      // Act
      const held = CUSTOMERS.filter((c) => inHoldout(journey, c, 0.05)).length;
      // Assess
      expect(Math.abs(held / CUSTOMERS.length - 0.05)).toBeLessThanOrEqual(0.006);
    }
  });

  it('is deterministic: the same customer and journey always land in the same group', () => {
    const first = CUSTOMERS.slice(0, 500).map((c) => holdoutPosition('birthday', c));
    const again = CUSTOMERS.slice(0, 500).map((c) => holdoutPosition('birthday', c));
    expect(again).toEqual(first);
    for (const position of first) {
      expect(position).toBeGreaterThanOrEqual(0);
      expect(position).toBeLessThan(1);
    }
  });

  it('draws each journey independently (overlap near share squared, not share)', () => {
    // Prepare
    const held = (journey: Journey) => new Set(CUSTOMERS.filter((c) => inHoldout(journey, c, 0.05)));
    const cart = held('cart_reminder');
    const thanks = held('order_followup');
    // Act
    const both = [...cart].filter((c) => thanks.has(c)).length;
    // Assess: independent draws overlap in about 0.25% (25 of 10,000); identical ones would in 5%
    expect(both).toBeLessThan(60);
    expect(cart).not.toEqual(thanks);
  });

  it('holds out nobody at share 0 and grows monotonically with the share', () => {
    expect(CUSTOMERS.some((c) => inHoldout('winback', c, 0))).toBe(false);
    const at5 = CUSTOMERS.filter((c) => inHoldout('winback', c, 0.05));
    const at10 = new Set(CUSTOMERS.filter((c) => inHoldout('winback', c, 0.1)));
    expect(at5.every((c) => at10.has(c))).toBe(true);
  });
});

describe('Function: decide with the holdout', () => {
  const held = customerWhere('order_followup', true);

  it('skips a reachable held-out customer with reason holdout', () => {
    expect(run(profile({ customerId: held }))).toMatchObject({ action: 'skip', reason: 'holdout' });
  });

  it('checks reachability first: an opted-out, topic-off or suppressed customer is not counted as held out', () => {
    // Prepare
    const optedOut = profile({ customerId: held, consent: { email: 'opted_out' } });
    const topicOff = profile({
      customerId: held,
      consent: { email: 'opted_in', topics: { order_followups: false } },
    });
    const suppressed = profile({
      customerId: held,
      suppressed: { reason: 'complaint', at: NOON.toISOString() },
    });
    // Act / Assess
    expect(run(optedOut).reason).toBe('opted_out');
    expect(run(topicOff).reason).toBe('topic_off');
    expect(run(suppressed).reason).toBe('suppressed');
  });

  it('holds out before caps and quiet hours, so the group does not depend on timing', () => {
    // Prepare: capped, and at 23:00 in Berlin
    const capped = profile({
      customerId: held,
      recentSends: [new Date(NOON.getTime() - 3_600_000).toISOString()],
    });
    const night = new Date('2026-01-15T22:00:00Z');
    // Act / Assess
    expect(run(capped).reason).toBe('holdout');
    expect(
      decide({
        journey: 'order_followup',
        profile: profile({ customerId: held }),
        now: night,
        triggeredAt: night,
        config: DEFAULT_CONFIG,
      }).reason,
    ).toBe('holdout');
  });

  it('sends to the same customer when the holdout is off, and to customers outside it', () => {
    const off = parseConfig({ holdout: { enabled: false } });
    expect(run(profile({ customerId: held }), off)).toMatchObject({ action: 'send' });
    const treated = customerWhere('order_followup', false);
    expect(run(profile({ customerId: treated }))).toMatchObject({ action: 'send' });
  });

  it('is configurable: share within 0..0.5, defaults filled for a partial object', () => {
    expect(DEFAULT_CONFIG.holdout).toEqual({ enabled: true, share: 0.05 });
    expect(parseConfig({ holdout: { share: 0.1 } }).holdout).toEqual({ enabled: true, share: 0.1 });
    expect(() => parseConfig({ holdout: { share: 0.6 } })).toThrow(/holdout/);
    expect(() => parseConfig({ holdout: { share: -0.1 } })).toThrow(/holdout/);
  });
});
