/**
 * Feedback from SES (configuration-set events via EventBridge): delivery, bounce, complaint, open, click update
 * the message's ledger entry; a hard bounce or a complaint suppresses the address, soft bounces do after
 * `softBounceLimit` in a row; a delivery settles a send whose outcome was unknown as sent. Deliveries,
 * bounces and complaints also feed the reputation guard. What each event means is domain/ses-events.ts.
 *
 * A malformed event fails validation (InvalidInputError): Lambda's asynchronous retries, then the
 * function's failure queue keep it, instead of a log line only.
 */
import type { Deps } from '../app/deps.js';
import { useCase } from '../app/lambda.js';
import { banditKey } from '../domain/bandit.js';
import { TransientError } from '../domain/errors.js';
import type { LedgerEntry } from '../domain/ledger.js';
import {
  countSoftBounce,
  evaluateGuard,
  GUARD_PAUSED_MESSAGE,
  type OutcomeKind,
  sumCounts,
} from '../domain/reputation.js';
import { localHour } from '../domain/send-time.js';
import {
  judgeEngagement,
  SETTLED_BY_DELIVERY,
  type SesEventMeaning,
  sentAtOf,
  sesEventMeaning,
  sesEventSchema,
  variantReward,
} from '../domain/ses-events.js';
import { type Counts, engagementCounter, messageStatsKey } from '../domain/stats.js';
import { resolveTimeZone } from '../domain/time.js';

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
  /** Set when this delivery settled a send of unknown outcome as sent. */
  settled?: boolean;
}

export const sesEvents = useCase({
  name: 'ses-events',
  needs: ['ledger', 'stats', 'profiles', 'reputation'],
  input: sesEventSchema,
  async run(deps, event): Promise<SesEventResult> {
    const meaning = sesEventMeaning(event);
    const { messageId, at } = meaning;
    if (!messageId || !meaning.kind) return { outcome: 'ignored' };
    const { ledger } = deps.stores;
    const entry = await ledger.get(messageId);
    // Opens and clicks count only when a person made them, clicks only on content (not our own links).
    const judged = judgeEngagement(
      meaning,
      entry?.events?.delivered,
      deps.config.publicBaseUrl,
      deps.config.engagement,
    );
    const kind = judged?.kind ?? meaning.kind;
    // EventBridge retries a failed invocation: an event whose kind the ledger already holds was counted then.
    // The ledger event write comes last below, so it marks the event as fully handled.
    const replay = entry?.events?.[kind] !== undefined;
    // Counted even without a ledger entry: SES's reputation counts every send of the configuration set.
    const guard = meaning.outcome && !replay ? await countOutcome(deps, meaning.outcome) : undefined;
    const changed = guard ? { guard } : {};
    if (!entry) return { outcome: 'unknown_message', kind, ...changed };
    // An erased customer's entries keep no customerId, and there is no profile left to suppress.
    const customerId = entry.erasedAt ? undefined : entry.customerId;

    let result: SesEventResult = { outcome: 'recorded', kind, suppressed: false, ...changed };
    if (meaning.settlesUnknown && entry.decision === 'unknown') {
      result.settled = await settleAsSent(deps, entry, meaning);
    }
    if (customerId && meaning.suppression) {
      await deps.stores.profiles.suppress(customerId, meaning.suppression);
      result.suppressed = true;
    } else if (customerId && meaning.softBounce && !replay) {
      const counted = await countSoftBounceOf(deps, customerId, at, meaning.softBounce.detail);
      if (counted) result = { ...result, suppressed: counted.suppressed, softBounces: counted.count };
    }
    if (customerId && !replay && judged?.countsHour) await recordEngagementHour(deps, customerId, at);
    if (!replay) {
      const reward = variantReward(meaning, {
        bandit: deps.config.bandit,
        sentAt: meaning.sentAt ?? sentAtOf(entry),
      });
      if (reward && judged?.rewards)
        await deps.stores.reputation.countVariant(
          banditKey(entry.journey, reward.variant, reward.version),
          'successes',
        );
    }
    await ledger.addEvent(messageId, kind, at);
    // Counted after the ledger marks the event handled: a retry finds it there and counts nothing again.
    if (!replay) await deps.stores.stats.add(messageStatsKey(entry, at), eventCounts(entry, kind, meaning));
    return result;
  },
});

/**
 * The counters of a message's first event of a kind: its own (bounces split hard and soft), and for a person's
 * open and content click, the message opened-and-clicked once both happened, in whichever order they came.
 */
function eventCounts(entry: LedgerEntry, kind: string, meaning: SesEventMeaning): Counts {
  const counts: Counts = { [engagementCounter(kind, meaning.outcome)]: 1 };
  const other = kind === 'opened' ? 'clicked' : kind === 'clicked' ? 'opened' : undefined;
  if (other && entry.events?.[other] !== undefined) counts.clicked_opened = 1;
  return counts;
}

/**
 * SES delivered a message whose send was recorded as `unknown` (the answer to SendEmail was lost): it was
 * sent. The transition table allows unknown -> sent to anyone; a second delivery event finds it sent. An
 * erased entry gets no SES id back (that would tie it to the customer again).
 */
async function settleAsSent(deps: Deps, entry: LedgerEntry, meaning: SesEventMeaning): Promise<boolean> {
  const { messageId, customerId, journey, triggerKey } = entry;
  return deps.stores.ledger.decide(
    { messageId, customerId, journey, triggerKey },
    'sent',
    meaning.sentAt ?? meaning.at,
    { reason: SETTLED_BY_DELIVERY, ...(entry.erasedAt ? {} : { sesMessageId: meaning.sesMessageId }) },
  );
}

/**
 * Counts the open or click under its local hour in the customer's zone (their best send hour, send-time.ts):
 * one profile read for the zone and one single-key write, only for the first open and first click of a
 * message (`replay` above), so a message opened ten times counts once and a delivery costs nothing. The key
 * is counted in place, so two opens of one customer at once both count; an erased profile is not re-created.
 * A customer who turned tracking off is not profiled by it: an open or click still arriving (an email sent
 * before the change) is kept on its message but teaches no send hour (the read above is needed for the zone
 * anyway, so this costs nothing).
 */
async function recordEngagementHour(deps: Deps, customerId: string, at: string): Promise<void> {
  const { profiles } = deps.stores;
  const profile = await profiles.get(customerId);
  if (!profile || profile.preferences?.tracking === false) return;
  const hour = localHour(new Date(at), resolveTimeZone(profile.timeZone, deps.config.defaultTimeZone));
  await profiles.countEngagementHour(customerId, hour);
}

/**
 * One ADD to the current hour's bucket, then the guard's verdict over the window. Buckets are keyed by
 * processing time (not the event's), so finished hours are final and each container reads them once an hour.
 * Only a change of state writes the guard.
 */
async function countOutcome(deps: Deps, kind: OutcomeKind): Promise<SesEventResult['guard']> {
  const { reputation } = deps.stores;
  const policy = deps.config.reputation;
  const at = deps.clock();
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
    deps.logger.error(GUARD_PAUSED_MESSAGE, {
      reason: verdict.reason,
      ...figures,
      windowHours: policy.windowHours,
    });
    return 'paused';
  }
  if (verdict.action === 'resume' && (await reputation.resume(at))) {
    deps.logger.warn('Reputation guard resumed marketing sends', figures);
    return 'resumed';
  }
  return undefined;
}

/** Counts a soft bounce on the profile with an optimistic-locked write; suppresses at the limit. */
async function countSoftBounceOf(
  deps: Deps,
  customerId: string,
  at: string,
  detail: string | undefined,
): Promise<{ count: number; suppressed: boolean } | undefined> {
  const { profiles } = deps.stores;
  const limit = deps.config.softBounceLimit;
  for (let attempt = 0; attempt < RACE_ATTEMPTS; attempt++) {
    const profile = await profiles.get(customerId);
    if (!profile) return undefined;
    const previous = profile.softBounces;
    const outcome = countSoftBounce({
      previous,
      // Looked up only here, on the rare soft bounce, so a Delivery never costs a profile read or write.
      deliveredSince: previous ? await deliveredAfter(deps, customerId, previous.lastAt) : false,
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
async function deliveredAfter(deps: Deps, customerId: string, since: string): Promise<boolean> {
  const recent = await deps.stores.ledger.byCustomer(customerId, RECENT_MESSAGES);
  return recent.some((entry) => (entry.events?.delivered ?? '') > since);
}
