import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type EngineConfig } from '../../functions/domain/config.js';
import { decide } from '../../functions/domain/consent.js';
import { InvalidInputError } from '../../functions/domain/errors.js';
import type { Consent, Profile } from '../../functions/domain/model.js';
import { JOURNEYS, type Journey } from '../../functions/domain/names.js';

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

function run(
  p: Profile,
  opts: { now?: Date; triggeredAt?: Date; journey?: Journey; config?: EngineConfig } = {},
) {
  const now = opts.now ?? NOON;
  return decide({
    journey: opts.journey ?? 'cart_reminder',
    profile: p,
    now,
    triggeredAt: opts.triggeredAt ?? now,
    config: opts.config ?? CONFIG,
  });
}

describe('Function: decide', () => {
  it('sends to an opted-in customer in the daytime, recording the consent relied on', () => {
    // Prepare / Act
    const decision = run(profile());

    // Assess
    expect(decision).toEqual({ action: 'send', reason: 'allowed', consent: OPTED_IN });
  });

  it('skips an opted-out customer', () => {
    // Prepare / Act
    const decision = run(profile({ consent: { email: 'opted_out' } }));

    // Assess
    expect(decision).toEqual({ action: 'skip', reason: 'opted_out', consent: { email: 'opted_out' } });
  });

  it('requires an opt-in: no consent record, or one without an email choice, is no consent', () => {
    // Prepare
    const { consent: _omitted, ...noConsent } = profile();

    // Act
    const missing = run(noConsent);
    const topicsOnly = run(profile({ consent: { topics: { cart_reminders: true } } }));

    // Assess
    expect(missing).toEqual({ action: 'skip', reason: 'no_email_consent', consent: null });
    expect(topicsOnly).toMatchObject({ action: 'skip', reason: 'no_email_consent' });
  });

  it.each(JOURNEYS.map((journey) => [journey] as const))(
    'skips %s when its topic is switched off, and allows it when the flag is missing',
    (journey) => {
      // Prepare
      const topics = { cart_reminders: false, order_followups: false, birthday: false, winback: false };

      // Act
      const off = run(profile({ consent: { ...OPTED_IN, topics } }), { journey });
      const unset = run(profile({ consent: { ...OPTED_IN, topics: {} } }), { journey });

      // Assess
      expect(off).toMatchObject({ action: 'skip', reason: 'topic_off' });
      expect(unset).toMatchObject({ action: 'send', reason: 'allowed' });
    },
  );

  it('looks only at the topic of the journey', () => {
    // Prepare: winback is off, the cart reminder topic is on
    const p = profile({ consent: { ...OPTED_IN, topics: { winback: false, cart_reminders: true } } });

    // Act / Assess
    expect(run(p, { journey: 'cart_reminder' })).toMatchObject({ action: 'send' });
    expect(run(p, { journey: 'winback' })).toMatchObject({ action: 'skip', reason: 'topic_off' });
  });

  it('skips a suppressed address even when opted in', () => {
    // Prepare / Act
    const decision = run(profile({ suppressed: { reason: 'hard_bounce', at: '2026-01-01T00:00:00Z' } }));

    // Assess
    expect(decision).toMatchObject({ action: 'skip', reason: 'suppressed' });
  });

  it('expires a message strictly older than maxDeferralHours', () => {
    // Prepare
    const limit = CONFIG.maxDeferralHours * HOUR;

    // Act
    const atLimit = run(profile(), { triggeredAt: new Date(NOON.getTime() - limit) });
    const pastLimit = run(profile(), { triggeredAt: new Date(NOON.getTime() - limit - 1) });

    // Assess
    expect(atLimit).toMatchObject({ action: 'send' });
    expect(pastLimit).toMatchObject({ action: 'skip', reason: 'expired' });
  });

  it('skips on the daily and the weekly cap', () => {
    // Prepare
    const hoursAgo = (h: number): string => new Date(NOON.getTime() - h * HOUR).toISOString();

    // Act
    const daily = run(profile({ recentSends: [hoursAgo(23)] }));
    const weekly = run(profile({ recentSends: [hoursAgo(30), hoursAgo(72), hoursAgo(150)] }));
    const dayOld = run(profile({ recentSends: [hoursAgo(24)] }));

    // Assess
    expect(daily).toMatchObject({ action: 'skip', reason: 'capped_daily' });
    expect(weekly).toMatchObject({ action: 'skip', reason: 'capped_weekly' });
    expect(dayOld).toMatchObject({ action: 'send' });
  });

  it('defers a gesture held by the cap until the cap frees up, and skips one that would wait too long', () => {
    // Prepare
    const hoursAgo = (h: number): string => new Date(NOON.getTime() - h * HOUR).toISOString();
    const capped = profile({ recentSends: [hoursAgo(2)] });

    // Act
    const thankYou = run(capped, { journey: 'order_followup' });
    const late = run(capped, {
      journey: 'order_followup',
      triggeredAt: new Date(NOON.getTime() - 60 * HOUR),
    });
    const ask = run(capped, { journey: 'cart_reminder' });

    // Assess: free 24 h after the send that fills the day; the 72 h deferral limit still holds
    expect(thankYou).toMatchObject({
      action: 'defer',
      reason: 'capped_daily',
      until: new Date(NOON.getTime() + 22 * HOUR).toISOString(),
    });
    expect(late).toMatchObject({ action: 'skip', reason: 'capped_daily' });
    expect(ask).toMatchObject({ action: 'skip', reason: 'capped_daily' });
  });

  it('defers a night-time send to the end of quiet hours in the customer zone', () => {
    // Prepare: 23:30 in Berlin
    const now = new Date('2026-01-15T22:30:00Z');

    // Act
    const decision = run(profile(), { now });

    // Assess: 08:00 Berlin the next morning
    expect(decision).toEqual({
      action: 'defer',
      reason: 'quiet_hours',
      until: '2026-01-16T07:00:00.000Z',
      consent: OPTED_IN,
    });
  });

  it('uses the default zone when the profile has none or an invalid one', () => {
    // Prepare: 22:30 UTC; the config default is New York, where it is 17:30
    const now = new Date('2026-01-15T22:30:00Z');
    const config = { ...CONFIG, defaultTimeZone: 'America/New_York' };

    // Act
    const invalid = run(profile({ timeZone: 'Europe/Atlantis' }), { now, config });
    const missing = run(profile({ timeZone: undefined }), { now, config });
    const berlin = run(profile(), { now, config });

    // Assess
    expect(invalid).toMatchObject({ action: 'send' });
    expect(missing).toMatchObject({ action: 'send' });
    expect(berlin).toMatchObject({ action: 'defer' });
  });

  it('expires instead of deferring when quiet hours end after the deferral deadline', () => {
    // Prepare: 23:30 Berlin; the deadline (triggeredAt + 72h) falls at 07:59:59 Berlin, quiet hours end 08:00
    const now = new Date('2026-01-15T22:30:00Z');
    const until = Date.parse('2026-01-16T07:00:00Z');
    const limit = CONFIG.maxDeferralHours * HOUR;

    // Act
    const late = run(profile(), { now, triggeredAt: new Date(until - limit - 1000) });
    const justInTime = run(profile(), { now, triggeredAt: new Date(until - limit) });

    // Assess
    expect(late).toMatchObject({ action: 'skip', reason: 'expired' });
    expect(justInTime).toMatchObject({ action: 'defer', until: '2026-01-16T07:00:00.000Z' });
  });

  it('applies the rules in order: opt-out before suppression, consent before expiry, expiry before caps', () => {
    // Prepare
    const everythingWrong = profile({
      consent: { email: 'opted_out', topics: { cart_reminders: false } },
      suppressed: { reason: 'complaint', at: '2026-01-01T00:00:00Z' },
      recentSends: [NOON.toISOString()],
    });
    const old = new Date(NOON.getTime() - 100 * HOUR);

    // Act / Assess
    expect(run(everythingWrong, { triggeredAt: old })).toMatchObject({ reason: 'opted_out' });
    expect(
      run(
        { ...everythingWrong, consent: { ...OPTED_IN, topics: { cart_reminders: false } } },
        { triggeredAt: old },
      ),
    ).toMatchObject({ reason: 'topic_off' });
    expect(run({ ...everythingWrong, consent: OPTED_IN }, { triggeredAt: old })).toMatchObject({
      reason: 'suppressed',
    });
    expect(run(profile({ recentSends: [NOON.toISOString()] }), { triggeredAt: old })).toMatchObject({
      reason: 'expired',
    });
  });

  it('returns a copy of the consent, unaffected by later changes to the profile', () => {
    // Prepare
    const p = profile({ consent: { email: 'opted_in', topics: { birthday: true } } });

    // Act
    const decision = run(p, { journey: 'birthday' });
    p.consent!.email = 'opted_out';
    p.consent!.topics!.birthday = false;

    // Assess
    expect(decision.consent).toEqual({ email: 'opted_in', topics: { birthday: true } });
  });

  it('rejects an invalid date as a contract violation', () => {
    // Prepare / Act / Assess
    expect(() => run(profile(), { triggeredAt: new Date('nope') })).toThrow(InvalidInputError);
  });

  it('never sends without an opt-in or with a full cap, whatever the rest of the input', () => {
    const consent = fc.option(
      fc.record(
        {
          email: fc.constantFrom('opted_in', 'opted_out') as fc.Arbitrary<'opted_in' | 'opted_out'>,
          topics: fc.dictionary(
            fc.constantFrom('cart_reminders', 'order_followups', 'birthday', 'winback'),
            fc.boolean(),
          ),
        },
        { requiredKeys: [] },
      ),
      { nil: undefined },
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...JOURNEYS),
        consent,
        fc.array(fc.integer({ min: -2 * 24 * 60, max: 9 * 24 * 60 }), { maxLength: 6 }),
        fc.date({
          min: new Date('2020-01-01T00:00:00Z'),
          max: new Date('2035-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 100 * 60 }),
        fc.constantFrom(
          'Europe/Berlin',
          'America/New_York',
          'Pacific/Kiritimati',
          'Asia/Kolkata',
          undefined,
          'Bad/Zone',
        ),
        fc.record({ perDay: fc.integer({ min: 0, max: 3 }), perWeek: fc.integer({ min: 0, max: 5 }) }),
        (journey, c, sendMinutesAgo, now, ageMinutes, timeZone, caps) => {
          // Prepare
          const recentSends = sendMinutesAgo.map((m) => new Date(now.getTime() - m * 60_000).toISOString());
          const p = profile({ consent: c as Consent | undefined, recentSends, timeZone });
          const triggeredAt = new Date(now.getTime() - ageMinutes * 60_000);
          const inDay = sendMinutesAgo.filter((m) => m >= 0 && m < 24 * 60).length;
          const inWeek = sendMinutesAgo.filter((m) => m >= 0 && m < 7 * 24 * 60).length;

          // Act
          const decision = decide({ journey, profile: p, now, triggeredAt, config: { ...CONFIG, caps } });

          // Assess
          if (c?.email !== 'opted_in' || inDay >= caps.perDay || inWeek >= caps.perWeek) {
            expect(decision.action).not.toBe('send');
          }
          if (decision.action === 'defer') {
            expect(Date.parse(decision.until!)).toBeGreaterThan(now.getTime());
            expect(Date.parse(decision.until!)).toBeLessThanOrEqual(
              triggeredAt.getTime() + CONFIG.maxDeferralHours * HOUR,
            );
          }
          expect(decision.consent).toEqual(c ?? null);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
