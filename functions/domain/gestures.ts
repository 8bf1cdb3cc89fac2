/**
 * An ask yields to a gesture due the same day: a cart reminder or win-back is not sent while the customer has a
 * thank-you or birthday wish due within the next 24 hours (or started and still waiting: deferred by quiet
 * hours or a cap), so the gesture gets the frequency-cap slot. Pure: the profile says what is pending.
 *
 * Two sources, both on the profile, at no extra read:
 * - `pendingGestures`: gestures started and not sent yet, recorded in a write that happens anyway (order
 *   intake's profile update records the thank-you it is about to start) and removed by the write that takes
 *   the gesture's cap slot (Send's reservation); an entry past its `until` (trigger + maxDeferralHours, when
 *   the gesture would be skipped as expired) no longer counts and is pruned by the next such write.
 * - the birthday, derived: the customer's birthday message goes at a planned local hour (send-time.ts), so one
 *   due within the horizon is known before the hourly sweep starts it, with no write at all.
 */
import { isBirthdayOn } from './birthday.js';
import type { EngineConfig } from './config.js';
import { inHoldout } from './holdout.js';
import type { MessageRequest, Profile } from './model.js';
import { JOURNEY_CLASS, type Journey, TOPIC_OF_JOURNEY } from './names.js';
import { sendTimeOf } from './send-time.js';
import { addDays, firstInstantAtOrAfter, localParts, parseInstant, resolveTimeZone } from './time.js';

/** Pending gestures by message id, as stored on the profile. */
export type PendingGestures = NonNullable<Profile['pendingGestures']>;
export type PendingGesture = PendingGestures[string];

/** How far ahead a planned gesture makes an ask yield: the rest of the customer's day and a little more. */
export const GESTURE_HORIZON_MS = 24 * 3_600_000;

const HOUR_MS = 3_600_000;

/** The gesture an ask yields to. */
export interface DueGesture {
  journey: Journey;
  /** When it is (or was) due (ISO). */
  dueAt: string;
  /** The pending entry's message id; absent for a birthday not started yet. */
  messageId?: string;
}

type GestureConfig = Pick<
  EngineConfig,
  'holdout' | 'birthdayHour' | 'sendTime' | 'quietHours' | 'defaultTimeZone'
>;

/**
 * Whether a gesture of `journey` could reach this customer at all, timing aside: email opted in, its topic
 * not off, not suppressed, not in its journey's holdout (where it is never sent). A gesture that cannot go
 * holds no ask back.
 */
export function gestureMayGo(
  profile: Profile,
  journey: Journey,
  config: Pick<EngineConfig, 'holdout'>,
): boolean {
  if (JOURNEY_CLASS[journey] !== 'gesture') return false;
  if (profile.consent?.email !== 'opted_in') return false;
  if (profile.consent.topics?.[TOPIC_OF_JOURNEY[journey]] === false) return false;
  if (profile.suppressed) return false;
  return !(config.holdout.enabled && inHoldout(journey, profile.customerId, config.holdout.share));
}

/** The entries still awaited at `now` (their `until` not passed, readable), by message id. */
export function livePending(pending: PendingGestures | undefined, now: Date): PendingGestures {
  const live: PendingGestures = {};
  for (const [messageId, entry] of Object.entries(pending ?? {})) {
    const until = typeof entry?.until === 'string' ? parseInstant(entry.until) : undefined;
    if (until !== undefined && until > now.getTime()) live[messageId] = entry;
  }
  return live;
}

/**
 * The profile patch that records a gesture about to be started (to be merged into a profile write that
 * happens anyway): the live entries plus this one, due at its trigger. Nothing when it is no gesture or cannot
 * reach the customer (and nothing changes then, so the write is not widened).
 */
export function pendingGesturePatch(
  profile: Profile,
  request: Pick<MessageRequest, 'journey' | 'messageId' | 'triggeredAt'>,
  now: Date,
  config: Pick<EngineConfig, 'holdout' | 'maxDeferralHours'>,
): { pendingGestures?: PendingGestures } {
  if (!gestureMayGo(profile, request.journey, config)) return {};
  const triggered = parseInstant(request.triggeredAt);
  if (triggered === undefined) return {};
  const until = new Date(triggered + config.maxDeferralHours * HOUR_MS);
  if (until.getTime() <= now.getTime()) return {};
  const entry: PendingGesture = {
    journey: request.journey,
    dueAt: new Date(triggered).toISOString(),
    until: until.toISOString(),
  };
  return { pendingGestures: { ...livePending(profile.pendingGestures, now), [request.messageId]: entry } };
}

/**
 * The entries the send of `messageId` at `now` settles: its own (sent, it no longer waits) and every one past
 * its `until`. Removed in the same write as the send's cap reservation.
 */
export function settledGestures(
  pending: PendingGestures | undefined,
  messageId: string,
  now: Date,
): string[] {
  const live = livePending(pending, now);
  return Object.keys(pending ?? {}).filter((id) => id === messageId || !(id in live));
}

/**
 * When the customer's birthday message is planned, if that is after `now` - 1 h (the sweep of the hour may
 * not have run yet) and within the horizon; undefined otherwise, or when it has been sent already (the last
 * message sent is that birthday's), or the birthday cannot be read.
 */
export function upcomingBirthday(profile: Profile, now: Date, config: GestureConfig): Date | undefined {
  if (!profile.birthday) return undefined;
  const timeZone = resolveTimeZone(profile.timeZone, config.defaultTimeZone);
  // The hour the birthday sweep will pick (the customer's own, else birthdayHour).
  const hour = sendTimeOf(profile, config.birthdayHour, config).hour;
  const today = localParts(now, timeZone);
  for (const day of [addDays(today, -1), today, addDays(today, 1)]) {
    let isBirthday: boolean;
    try {
      isBirthday = isBirthdayOn(profile.birthday, day);
    } catch {
      return undefined; // an unreadable birthday never holds an ask back
    }
    if (!isBirthday) continue;
    const planned = firstInstantAtOrAfter({ ...day, hour, minute: 0 }, timeZone);
    const ms = planned.getTime();
    if (ms <= now.getTime() - HOUR_MS || ms > now.getTime() + GESTURE_HORIZON_MS) continue;
    const last = profile.lastMessage;
    const sentAt = last?.journey === 'birthday' ? parseInstant(last.sentAt) : undefined;
    if (sentAt !== undefined && sentAt >= ms - HOUR_MS) return undefined;
    return planned;
  }
  return undefined;
}

/**
 * The gesture an ask at `now` yields to, or undefined: a pending gesture that may still go and is due within
 * the horizon (one already due and waiting counts until its `until`), else the customer's birthday message
 * planned within it. The earliest due first.
 */
export function gestureDue(profile: Profile, now: Date, config: GestureConfig): DueGesture | undefined {
  const horizon = now.getTime() + GESTURE_HORIZON_MS;
  const due: DueGesture[] = [];
  for (const [messageId, entry] of Object.entries(livePending(profile.pendingGestures, now))) {
    const dueAt = parseInstant(entry.dueAt);
    if (dueAt === undefined || dueAt > horizon || !gestureMayGo(profile, entry.journey, config)) continue;
    due.push({ journey: entry.journey, dueAt: new Date(dueAt).toISOString(), messageId });
  }
  if (!due.some((g) => g.journey === 'birthday') && gestureMayGo(profile, 'birthday', config)) {
    const birthday = upcomingBirthday(profile, now, config);
    if (birthday) due.push({ journey: 'birthday', dueAt: birthday.toISOString() });
  }
  return due.sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
}
