/**
 * Feedback from SES (configuration-set events via EventBridge): delivery, bounce, complaint, open, click update
 * the message's ledger entry; a hard bounce or a complaint suppresses the address, soft bounces do after
 * `softBounceLimit` in a row. Deliveries, bounces and complaints also feed the reputation guard.
 */
import { z } from 'zod';
import { now } from '../adapters/clock.js';
import { banditKey } from '../domain/bandit.js';
import { TransientError } from '../domain/errors.js';
import { formatIssues } from '../domain/events.js';
import { SES_TAGS } from '../domain/names.js';
import {
  countSoftBounce,
  evaluateGuard,
  GUARD_PAUSED_MESSAGE,
  type OutcomeKind,
  sumCounts,
} from '../domain/reputation.js';
import { localHour, withEvent } from '../domain/send-time.js';
import { resolveTimeZone } from '../domain/time.js';
import { config, db, logger } from './deps.js';

const sesEvent = z.object({
  time: z.string(),
  detail: z.object({
    eventType: z.string(),
    mail: z.object({ messageId: z.string(), tags: z.record(z.string(), z.array(z.string())).optional() }),
    bounce: z.object({ bounceType: z.string(), bounceSubType: z.string().optional() }).optional(),
    complaint: z.object({ complaintFeedbackType: z.string().optional() }).optional(),
  }),
});
type SesDetail = z.infer<typeof sesEvent>['detail'];

const KINDS: Record<string, string> = {
  Send: 'accepted',
  Delivery: 'delivered',
  Bounce: 'bounced',
  Complaint: 'complained',
  Reject: 'rejected',
  Open: 'opened',
  Click: 'clicked',
  DeliveryDelay: 'delayed',
  RenderingFailure: 'rendering_failed',
};

const RACE_ATTEMPTS = 5;
/** Enough of a customer's newest ledger entries to hold every message since their last soft bounce. */
const RECENT_MESSAGES = 20;

export interface SesEventResult {
  outcome: 'recorded' | 'ignored' | 'unknown_message';
  kind?: string;
  suppressed?: boolean;
  /** Soft bounces in a row after this one (soft bounces only). */
  softBounces?: number;
  /** Set when this event changed the reputation guard. */
  guard?: 'paused' | 'resumed';
}

export async function handler(event: unknown): Promise<SesEventResult> {
  const parsed = sesEvent.safeParse(event);
  if (!parsed.success) {
    // Not ours to reject into the shop's record: log loudly, the event stays in the rule's DLQ if it failed.
    logger.error('Unreadable SES event', { error: formatIssues(parsed.error) });
    return { outcome: 'ignored' };
  }
  const { detail, time } = parsed.data;
  const messageId = detail.mail.tags?.[SES_TAGS.messageId]?.[0];
  const kind = KINDS[detail.eventType];
  if (!messageId || !kind) return { outcome: 'ignored' };
  const { ledger } = db();
  const entry = await ledger.get(messageId);
  const at = new Date(time).toISOString();
  // EventBridge retries a failed invocation: an event whose kind the ledger already holds was counted then.
  // The ledger write comes last below, so it marks the event as fully handled.
  const replay = entry?.events?.[kind] !== undefined;
  const outcome = outcomeOf(detail);
  // Counted even without a ledger entry: SES's reputation counts every send of the configuration set.
  const guard = outcome && !replay ? await countOutcome(outcome) : undefined;
  const changed = guard ? { guard } : {};
  if (!entry) return { outcome: 'unknown_message', kind, ...changed };
  // An erased customer's entries keep no customerId, and there is no profile left to suppress.
  const customerId = entry.erasedAt ? undefined : entry.customerId;

  let result: SesEventResult = { outcome: 'recorded', kind, suppressed: false, ...changed };
  if (customerId && (outcome === 'bounced' || outcome === 'complained')) {
    await db().profiles.suppress(customerId, {
      reason: outcome === 'bounced' ? 'hard_bounce' : 'complaint',
      at,
      detail:
        outcome === 'bounced'
          ? (detail.bounce?.bounceSubType ?? 'Permanent')
          : (detail.complaint?.complaintFeedbackType ?? 'abuse'),
    });
    result.suppressed = true;
  } else if (
    customerId &&
    outcome === 'softBounced' &&
    detail.bounce?.bounceType === 'Transient' &&
    !replay
  ) {
    const counted = await countSoftBounceOf(customerId, at, detail.bounce.bounceSubType);
    if (counted) result = { ...result, suppressed: counted.suppressed, softBounces: counted.count };
  }
  if (customerId && !replay && (detail.eventType === 'Open' || detail.eventType === 'Click')) {
    await recordEngagementHour(customerId, new Date(at));
  }
  if (!replay && detail.eventType === 'Click') await rewardVariant(entry.journey, detail);
  await ledger.addEvent(messageId, kind, at);
  return result;
}

/**
 * Counts the open or click under its local hour in the customer's zone (their best send hour, send-time.ts):
 * one profile read for the zone and one single-item write, only for the first open and first click of a
 * message (`replay` above), so a message opened ten times counts once and a delivery costs nothing. The map
 * is written back whole (a lost race between two opens of one customer costs one count of a histogram, never
 * a message); patchExisting never re-creates an erased profile.
 */
async function recordEngagementHour(customerId: string, at: Date): Promise<void> {
  const { profiles } = db();
  const profile = await profiles.get(customerId);
  if (!profile) return;
  const hour = localHour(at, resolveTimeZone(profile.timeZone, config().defaultTimeZone));
  await profiles.patchExisting(customerId, { engagementHours: withEvent(profile.engagementHours, hour) });
}

/**
 * The first click of a message is a success of its template variant when the bandit rewards clicks: one ADD,
 * the variant and version read from the message's SES tags (no ledger read).
 */
async function rewardVariant(journey: string, detail: SesDetail): Promise<void> {
  const bandit = config().bandit;
  const variant = detail.mail.tags?.[SES_TAGS.variant]?.[0];
  const version = detail.mail.tags?.[SES_TAGS.templateVersion]?.[0];
  if (!bandit.enabled || bandit.reward !== 'click' || !variant || !version) return;
  await db().reputation.countVariant(banditKey(journey, variant, version), 'successes');
}

/** Which reputation counter an event moves, if any (opens, clicks and delays say nothing about it). */
function outcomeOf(detail: SesDetail): OutcomeKind | undefined {
  if (detail.eventType === 'Delivery') return 'delivered';
  if (detail.eventType === 'Complaint') return 'complained';
  if (detail.eventType !== 'Bounce') return undefined;
  return detail.bounce?.bounceType === 'Permanent' ? 'bounced' : 'softBounced';
}

/**
 * One ADD to the current hour's bucket, then the guard's verdict over the window. Buckets are keyed by
 * processing time (not the event's), so finished hours are final and each container reads them once an hour.
 * Only a change of state writes the guard.
 */
async function countOutcome(kind: OutcomeKind): Promise<SesEventResult['guard']> {
  const { reputation } = db();
  const policy = config().reputation;
  const at = now();
  const current = await reputation.count(kind, at);
  const past = await reputation.pastCounts(at, policy.windowHours);
  const guard = await reputation.guard(at);
  const verdict = evaluateGuard({
    counts: sumCounts([past, current]),
    paused: guard?.paused ?? false,
    policy,
  });
  const figures = {
    bounceRate: verdict.rates.bounceRate,
    complaintRate: verdict.rates.complaintRate,
    outcomes: verdict.rates.outcomes,
  };
  if (verdict.action === 'pause') {
    const paused = await reputation.pause(
      { paused: true, since: at.toISOString(), reason: verdict.reason, ...figures },
      at,
    );
    if (!paused) return undefined;
    // ERROR on purpose: the stack turns this line into the ReputationGuardPaused metric and its alarm.
    logger.error(GUARD_PAUSED_MESSAGE, {
      reason: verdict.reason,
      ...figures,
      windowHours: policy.windowHours,
    });
    return 'paused';
  }
  if (verdict.action === 'resume' && (await reputation.resume(at))) {
    logger.warn('Reputation guard resumed marketing sends', figures);
    return 'resumed';
  }
  return undefined;
}

/** Counts a soft bounce on the profile with an optimistic-locked write; suppresses at the limit. */
async function countSoftBounceOf(
  customerId: string,
  at: string,
  detail: string | undefined,
): Promise<{ count: number; suppressed: boolean } | undefined> {
  const { profiles } = db();
  const limit = config().softBounceLimit;
  for (let attempt = 0; attempt < RACE_ATTEMPTS; attempt++) {
    const profile = await profiles.get(customerId);
    if (!profile) return undefined;
    const previous = profile.softBounces;
    const outcome = countSoftBounce({
      previous,
      // Looked up only here, on the rare soft bounce, so a Delivery never costs a profile read or write.
      deliveredSince: previous ? await deliveredAfter(customerId, previous.lastAt) : false,
      at,
      limit,
      alreadySuppressed: profile.suppressed !== undefined,
      ...(detail ? { detail } : {}),
    });
    if (await profiles.replaceSoftBounces(customerId, previous, outcome.next, outcome.suppression)) {
      return {
        count: outcome.next.count,
        suppressed: (outcome.suppression ?? profile.suppressed) !== undefined,
      };
    }
  }
  throw new TransientError(`Lost the soft-bounce race ${RACE_ATTEMPTS} times for ${customerId}`);
}

/** Whether SES delivered any message to the customer after `since` (ISO). */
async function deliveredAfter(customerId: string, since: string): Promise<boolean> {
  const recent = await db().ledger.byCustomer(customerId, RECENT_MESSAGES);
  return recent.some((entry) => (entry.events?.delivered ?? '') > since);
}
