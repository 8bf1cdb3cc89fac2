/**
 * The send decision for one intended message: consent, suppression, holdout, expiry, caps, give/ask balance,
 * quiet hours.
 */

import { balanceAllows } from './balance.js';
import { type Caps, capsFreeAt, checkCaps } from './caps.js';
import type { EngineConfig } from './config.js';
import { InvalidInputError } from './errors.js';
import { gestureDue } from './gestures.js';
import { inHoldout } from './holdout.js';
import type { Consent, Decision, Preferences, Profile, SkipReason } from './model.js';
import { JOURNEY_CLASS, type Journey, TOPIC_OF_JOURNEY } from './names.js';
import { nextAllowedTime } from './quiet-hours.js';
import { parseInstant, resolveTimeZone } from './time.js';

/** What `decide` needs; `now` is the clock reading of the caller. */
export interface DecideInput {
  journey: Journey;
  profile: Profile;
  now: Date;
  triggeredAt: Date;
  config: EngineConfig;
}

const HOUR_MS = 3_600_000;

/**
 * The caps for this customer: 'fewer' halves them (at most one a day, half the weekly cap but at least one),
 * and never loosens a configured cap (a shop cap of 0 stays 0).
 */
export function effectiveCaps(caps: Caps, preferences: Preferences | undefined): Caps {
  if (preferences?.frequency !== 'fewer') return caps;
  return {
    perDay: Math.min(caps.perDay, 1),
    perWeek: Math.min(caps.perWeek, Math.max(1, Math.floor(caps.perWeek / 2))),
  };
}

/**
 * The end of a pause still running at `now` (epoch ms), or undefined when not paused. A pause whose end is
 * missing or unreadable counts as running for good: the customer asked for quiet, a bad date must not end it.
 */
export function pauseEnd(preferences: Preferences | undefined, now: Date): number | undefined {
  if (preferences?.frequency !== 'paused') return undefined;
  const until = preferences.pausedUntil ? parseInstant(preferences.pausedUntil) : undefined;
  if (until === undefined) return Number.POSITIVE_INFINITY;
  return until > now.getTime() ? until : undefined;
}

/**
 * Whether to send, defer or skip a message, first matching rule wins: opted out, no opt-in, topic off,
 * suppressed, in the journey's holdout, expired, paused (defer to the pause's end if that is within the
 * deferral limit), capped (with the customer's 'fewer' choice applied; a gesture is deferred until the cap frees
 * up if that is within the deferral limit, an ask is skipped; a gesture whose cap frees up only after the
 * limit is skipped with the cap's reason, the truer one), an ask beyond the give/ask balance, an ask while a
 * gesture is due within a day (domain/gestures.ts: the gesture gets the slot), quiet hours (defer, or expired
 * if the wait outlives the deferral limit), send. Skips are returned as data, never thrown.
 */
export function decide(input: DecideInput): Decision {
  const { journey, profile, now, triggeredAt, config } = input;
  if (Number.isNaN(now.getTime()) || Number.isNaN(triggeredAt.getTime())) {
    throw new InvalidInputError('decide needs valid now and triggeredAt dates');
  }
  // A copy, so the snapshot stored with the send cannot change if the profile object is mutated later.
  const consent: Consent | null = profile.consent ? structuredClone(profile.consent) : null;
  const skip = (reason: SkipReason): Decision => ({ action: 'skip', reason, consent });

  if (consent?.email === 'opted_out') return skip('opted_out');
  // Marketing email needs a recorded opt-in; silence is not consent.
  if (consent?.email !== 'opted_in') return skip('no_email_consent');
  // Topics are opt-out once the customer opted in to email: only an explicit false blocks.
  if (consent.topics?.[TOPIC_OF_JOURNEY[journey]] === false) return skip('topic_off');
  if (profile.suppressed) return skip('suppressed');
  // Right after reachability: the holdout must be a sample of customers the journey could have reached, and
  // everyone assigned to it is counted whatever later rules (caps, quiet hours) would have done, as the
  // treated group is, so the comparison stays intent-to-treat.
  if (config.holdout.enabled && inHoldout(journey, profile.customerId, config.holdout.share)) {
    return skip('holdout');
  }

  const deadline = triggeredAt.getTime() + config.maxDeferralHours * HOUR_MS;
  if (now.getTime() > deadline) return skip('expired');

  const paused = pauseEnd(profile.preferences, now);
  if (paused !== undefined) {
    // A short wait is kept (the message still makes sense just after the pause); a long one drops it.
    if (paused > deadline) return skip('paused');
    return { action: 'defer', reason: 'paused', until: new Date(paused).toISOString(), consent };
  }

  const customerCaps = effectiveCaps(config.caps, profile.preferences);
  const caps = checkCaps(profile.recentSends ?? [], now, customerCaps);
  if (!caps.ok) {
    // A gesture (a thank-you, a birthday wish) waits for the cap to free up rather than being lost to the
    // asks that filled it; an ask is simply not sent.
    const free =
      JOURNEY_CLASS[journey] === 'gesture'
        ? capsFreeAt(profile.recentSends ?? [], now, customerCaps)
        : undefined;
    if (free && free.getTime() <= deadline)
      return { action: 'defer', reason: caps.reason, until: free.toISOString(), consent };
    return skip(caps.reason);
  }
  // Before quiet hours: a held-back ask is dropped now rather than deferred to be dropped later, and Send's
  // re-check (which lets quiet-hour deferrals through) still sees it.
  if (config.balance.enabled && !balanceAllows(journey, profile.recentKinds ?? [], now, config.balance)) {
    return skip('ask_balance');
  }
  // Also before quiet hours: an ask deferred to the morning would only meet the same gesture there.
  if (JOURNEY_CLASS[journey] === 'ask' && gestureDue(profile, now, config)) return skip('yields_to_gesture');

  const timeZone = resolveTimeZone(profile.timeZone, config.defaultTimeZone);
  const until = nextAllowedTime(now, timeZone, config.quietHours);
  if (until) {
    // A birthday wish or cart reminder that would land days late is worse than none.
    if (until.getTime() > deadline) return skip('expired');
    return { action: 'defer', reason: 'quiet_hours', until: until.toISOString(), consent };
  }
  return { action: 'send', reason: 'allowed', consent };
}
