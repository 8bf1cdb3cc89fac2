/** An ask yields to a gesture due the same day (domain/gestures.ts, through decide): pure, no mocks. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type EngineConfig } from '../../functions/domain/config.js';
import { decide } from '../../functions/domain/consent.js';
import {
  gestureDue,
  gestureMayGo,
  livePending,
  pendingGesturePatch,
  settledGestures,
  upcomingBirthday,
} from '../../functions/domain/gestures.js';
import { inHoldout } from '../../functions/domain/holdout.js';
import { messageIdFor, triggerKeys } from '../../functions/domain/ids.js';
import type { Profile } from '../../functions/domain/model.js';
import type { Journey } from '../../functions/domain/names.js';

const HOUR = 3_600_000;
// 12:00 in Berlin (CET): outside quiet hours.
const NOON = new Date('2026-01-15T11:00:00Z');
const CONFIG: EngineConfig = { ...DEFAULT_CONFIG, caps: { perDay: 5, perWeek: 20 } };
const at = (hours: number) => new Date(NOON.getTime() + hours * HOUR).toISOString();

/** A customer id outside (or inside) a journey's 5% holdout. */
function idFor(journey: Journey, held: boolean): string {
  for (let i = 0; ; i++) if (inHoldout(journey, `G${i}`, 0.05) === held) return `G${i}`;
}
const ID = (() => {
  for (let i = 0; ; i++) {
    const id = `P${i}`;
    if (
      !['order_followup', 'birthday', 'cart_reminder', 'winback'].some((j) =>
        inHoldout(j as Journey, id, 0.05),
      )
    )
      return id;
  }
})();

function profile(overrides: Partial<Profile> = {}): Profile {
  return {
    customerId: ID,
    email: 'ada@example.com',
    timeZone: 'Europe/Berlin',
    consent: { email: 'opted_in' },
    ...overrides,
  };
}

const thankYou = (dueHours: number, untilHours = dueHours + 72) => ({
  'M-THANKS': { journey: 'order_followup' as const, dueAt: at(dueHours), until: at(untilHours) },
});

const ask = (p: Profile, journey: Journey = 'cart_reminder', now = NOON) =>
  decide({ journey, profile: p, now, triggeredAt: now, config: CONFIG });

describe('Rule: an ask yields to a gesture due the same day', () => {
  it('skips a cart reminder or win-back while a thank-you is pending, and sends it once it is gone', () => {
    // Prepare: a thank-you deferred by quiet hours since last night
    const waiting = profile({ pendingGestures: thankYou(-14) });

    // Act / Assess
    expect(ask(waiting)).toMatchObject({ action: 'skip', reason: 'yields_to_gesture' });
    expect(ask(waiting, 'winback')).toMatchObject({ action: 'skip', reason: 'yields_to_gesture' });
    expect(ask(profile())).toMatchObject({ action: 'send' });
    // The gesture itself is never held back by the rule.
    expect(ask(waiting, 'order_followup')).toMatchObject({ action: 'send' });
  });

  it('stops holding asks back once the gesture is past its deferral limit', () => {
    const expired = profile({ pendingGestures: thankYou(-80, -8) });
    expect(ask(expired)).toMatchObject({ action: 'send' });
    expect(gestureDue(expired, NOON, CONFIG)).toBeUndefined();
  });

  it('holds back for a gesture due within 24 hours, not for one due later', () => {
    expect(gestureDue(profile({ pendingGestures: thankYou(23) }), NOON, CONFIG)).toMatchObject({
      journey: 'order_followup',
      messageId: 'M-THANKS',
    });
    expect(gestureDue(profile({ pendingGestures: thankYou(25) }), NOON, CONFIG)).toBeUndefined();
  });

  it('ignores a gesture that cannot reach the customer: its topic off, or its journey holds them out', () => {
    const topicOff = profile({
      consent: { email: 'opted_in', topics: { order_followups: false } },
      pendingGestures: thankYou(-1),
    });
    const heldOut = profile({ customerId: idFor('order_followup', true), pendingGestures: thankYou(-1) });
    expect(gestureDue(topicOff, NOON, CONFIG)).toBeUndefined();
    expect(gestureDue(heldOut, NOON, CONFIG)).toBeUndefined();
    expect(gestureMayGo(heldOut, 'order_followup', { holdout: { enabled: false, share: 0.05 } })).toBe(true);
  });

  it("yields to a birthday wish planned for later today, in the customer's zone and hour", () => {
    // Prepare: Jan 15 is the birthday; the wish goes at 09:00 Berlin (08:00 UTC) by default
    const birthday = profile({ birthday: '1990-01-15' });
    const early = new Date('2026-01-15T06:30:00Z'); // 07:30 Berlin
    const eve = new Date('2026-01-14T10:00:00Z'); // 22 h before

    // Act / Assess
    expect(upcomingBirthday(birthday, early, CONFIG)?.toISOString()).toBe('2026-01-15T08:00:00.000Z');
    expect(ask(birthday, 'cart_reminder', eve)).toMatchObject({ reason: 'yields_to_gesture' });
    // At the customer's own hour (19:00 Berlin) when their opens say so.
    const reader = profile({ birthday: '1990-01-15', engagementHours: { '19': 5 } });
    expect(upcomingBirthday(reader, early, CONFIG)?.toISOString()).toBe('2026-01-15T18:00:00.000Z');
  });

  it('does not yield to a birthday already sent, long past, two days away or unreadable', () => {
    const sent = profile({
      birthday: '1990-01-15',
      lastMessage: {
        messageId: 'B',
        journey: 'birthday',
        sentAt: '2026-01-15T08:00:00.000Z',
        recommendations: [],
      },
    });
    expect(upcomingBirthday(sent, new Date('2026-01-15T08:20:00Z'), CONFIG)).toBeUndefined();
    expect(upcomingBirthday(profile({ birthday: '1990-01-15' }), NOON, CONFIG)).toBeUndefined();
    expect(upcomingBirthday(profile({ birthday: '1990-01-17' }), NOON, CONFIG)).toBeUndefined();
    expect(upcomingBirthday(profile({ birthday: '1990-02-31' }), NOON, CONFIG)).toBeUndefined();
    // Birthday topic off: no wish is coming, nothing to yield to.
    const off = profile({
      birthday: '1990-01-16',
      consent: { email: 'opted_in', topics: { birthday: false } },
    });
    expect(gestureDue(off, NOON, CONFIG)).toBeUndefined();
  });

  it('reports a full cap before it: the ask would not have gone anyway', () => {
    const capped = profile({ pendingGestures: thankYou(-1), recentSends: [at(-1)] });
    const strict = { ...CONFIG, caps: { perDay: 1, perWeek: 3 } };
    expect(
      decide({ journey: 'cart_reminder', profile: capped, now: NOON, triggeredAt: NOON, config: strict }),
    ).toMatchObject({
      reason: 'capped_daily',
    });
  });
});

describe('Record: pending gestures on the profile', () => {
  const request = {
    journey: 'order_followup' as const,
    messageId: messageIdFor(triggerKeys.orderFollowup('O-1')),
    triggeredAt: at(0),
  };

  it('records a thank-you about to start, due at its trigger, given up after maxDeferralHours', () => {
    const patch = pendingGesturePatch(
      profile({ pendingGestures: thankYou(-100, -28) }),
      request,
      NOON,
      CONFIG,
    );
    // The expired entry is dropped in the same write.
    expect(patch).toEqual({
      pendingGestures: { [request.messageId]: { journey: 'order_followup', dueAt: at(0), until: at(72) } },
    });
  });

  it('records nothing for an ask, a gesture that cannot go, or one already past its limit', () => {
    expect(pendingGesturePatch(profile(), { ...request, journey: 'cart_reminder' }, NOON, CONFIG)).toEqual(
      {},
    );
    expect(pendingGesturePatch(profile({ consent: { email: 'opted_out' } }), request, NOON, CONFIG)).toEqual(
      {},
    );
    expect(pendingGesturePatch(profile(), { ...request, triggeredAt: at(-73) }, NOON, CONFIG)).toEqual({});
  });

  it("settles the sent gesture's own entry and every expired one, and keeps the others", () => {
    const pending = {
      ...thankYou(-1),
      OLD: { journey: 'birthday' as const, dueAt: at(-90), until: at(-18) },
      OTHER: { journey: 'order_followup' as const, dueAt: at(-2), until: at(70) },
    };
    expect(settledGestures(pending, 'M-THANKS', NOON).sort()).toEqual(['M-THANKS', 'OLD']);
    expect(settledGestures(pending, 'A-CART-REMINDER', NOON)).toEqual(['OLD']);
    expect(Object.keys(livePending(pending, NOON)).sort()).toEqual(['M-THANKS', 'OTHER']);
    expect(settledGestures(undefined, 'x', NOON)).toEqual([]);
  });
});
