/**
 * Sender reputation: the guard that pauses marketing sends before SES reviews the account (bounce rate >= 5%,
 * complaint rate >= 0.1%), and the soft-bounce rule that suppresses an address after repeated failures.
 * Pure: the counts, the guard's state and the clock reading come in, decisions go out.
 */
import type { EngineConfig } from './config.js';
import type { Decision, SoftBounces, Suppression } from './model.js';

/** SES outcomes counted per hour bucket, one single-item ADD per SES event. */
export interface OutcomeCounts {
  delivered: number;
  /** Permanent bounces: what SES's own bounce rate counts. */
  bounced: number;
  /** Transient and undetermined bounces: the mail did not arrive, but SES's bounce rate ignores them. */
  softBounced: number;
  complained: number;
}

export type OutcomeKind = keyof OutcomeCounts;

export const NO_OUTCOMES: OutcomeCounts = { delivered: 0, bounced: 0, softBounced: 0, complained: 0 };

/** The single `guard` item of the reputation table. */
export interface ReputationGuard {
  paused: boolean;
  /** When the guard last paused (ISO). */
  since: string;
  /** Which rate tripped it. */
  reason: 'bounce_rate' | 'complaint_rate';
  /** The figures that tripped it. */
  bounceRate: number;
  complaintRate: number;
  outcomes: number;
  /** When it resumed after the rates recovered (ISO); absent while paused. */
  resumedAt?: string;
}

export type GuardPolicy = EngineConfig['reputation'];

/**
 * The ERROR line ses-events logs when the guard pauses sends; on AWS a metric filter on its log group turns
 * it into the ReputationGuardPaused metric, which alarms. One constant, so the two cannot drift apart.
 */
export const GUARD_PAUSED_MESSAGE = 'Reputation guard paused marketing sends';

/** The partition key of the guard item; buckets are hour keys ("2026-12-01T10"), which never collide. */
export const GUARD_KEY = 'guard';

const HOUR_MS = 3_600_000;

/** Buckets live a day longer than the longest window (168 h) allows, then DynamoDB's TTL removes them. */
const BUCKET_TTL_HOURS = 192;

/** The epoch-seconds expiry of the bucket that holds `at`. */
export function bucketExpiry(at: Date): number {
  return Math.floor(at.getTime() / HOUR_MS) * 3600 + BUCKET_TTL_HOURS * 3600;
}

/** The UTC hour bucket of an instant, e.g. "2026-12-01T10". */
export function bucketOf(at: Date): string {
  return at.toISOString().slice(0, 13);
}

/** The buckets of the rolling window ending at `at`, oldest first; the last one is `bucketOf(at)`. */
export function windowBuckets(at: Date, hours: number): string[] {
  const current = Math.floor(at.getTime() / HOUR_MS) * HOUR_MS;
  return Array.from({ length: hours }, (_, i) => bucketOf(new Date(current - (hours - 1 - i) * HOUR_MS)));
}

export function sumCounts(buckets: readonly Partial<OutcomeCounts>[]): OutcomeCounts {
  const total = { ...NO_OUTCOMES };
  for (const b of buckets) {
    for (const key of Object.keys(total) as OutcomeKind[]) total[key] += b[key] ?? 0;
  }
  return total;
}

export interface Rates {
  /** Sends that reached an outcome: delivered or bounced (hard or soft). */
  outcomes: number;
  bounceRate: number;
  complaintRate: number;
}

/** Complaints follow deliveries, so both rates share one denominator: sends that reached an outcome. */
export function ratesOf(counts: OutcomeCounts): Rates {
  const outcomes = counts.delivered + counts.bounced + counts.softBounced;
  if (outcomes === 0) return { outcomes, bounceRate: 0, complaintRate: 0 };
  return { outcomes, bounceRate: counts.bounced / outcomes, complaintRate: counts.complained / outcomes };
}

export type GuardVerdict =
  | { action: 'pause'; reason: ReputationGuard['reason']; rates: Rates }
  | { action: 'resume' | 'keep'; rates: Rates };

/**
 * Whether the guard should change state. It pauses at the thresholds and resumes only below half of them
 * (hysteresis), so rates hovering at a threshold do not flip sending on and off every few events. Below
 * `minSample` outcomes nothing changes: a handful of bounces says little, and a paused guard has no evidence
 * of recovery either.
 */
export function evaluateGuard(input: {
  counts: OutcomeCounts;
  paused: boolean;
  policy: GuardPolicy;
}): GuardVerdict {
  const { counts, paused, policy } = input;
  const rates = ratesOf(counts);
  if (rates.outcomes < policy.minSample) return { action: 'keep', rates };
  if (!paused) {
    if (rates.bounceRate >= policy.maxBounceRate) return { action: 'pause', reason: 'bounce_rate', rates };
    if (rates.complaintRate >= policy.maxComplaintRate) {
      return { action: 'pause', reason: 'complaint_rate', rates };
    }
    return { action: 'keep', rates };
  }
  const recovered =
    rates.bounceRate < policy.maxBounceRate / 2 && rates.complaintRate < policy.maxComplaintRate / 2;
  return { action: recovered ? 'resume' : 'keep', rates };
}

/** How long a message waits while the guard is paused before CheckConsent looks again. */
export const PAUSED_DEFER_MS = HOUR_MS;

/**
 * Applies a paused guard to a consent decision: a "no" stays a "no" (consent outranks reputation); anything
 * that would go is deferred by an hour, or skipped as expired when that wait outlives maxDeferralHours.
 */
export function applyGuard(
  decision: Decision,
  input: { guard: ReputationGuard | undefined; now: Date; triggeredAt: Date; maxDeferralHours: number },
): Decision {
  if (!input.guard?.paused || decision.action === 'skip') return decision;
  const until = new Date(input.now.getTime() + PAUSED_DEFER_MS);
  const deadline = input.triggeredAt.getTime() + input.maxDeferralHours * HOUR_MS;
  if (until.getTime() > deadline) return { action: 'skip', reason: 'expired', consent: decision.consent };
  // A deferral (quiet hours, the customer's own pause) that ends after the guard's hour is the binding one:
  // it keeps its time and its reason, and the guard is looked at again when it ends.
  if (decision.until && new Date(decision.until) >= until) return decision;
  return {
    action: 'defer',
    reason: 'reputation_paused',
    until: until.toISOString(),
    consent: decision.consent,
  };
}

/** What a soft bounce does to a profile: the next counter, and a suppression when it reaches the limit. */
export interface SoftBounceOutcome {
  next: SoftBounces;
  suppression?: Suppression;
}

/**
 * Counts a soft bounce. The count holds consecutive failures only: a delivery to the customer since the last
 * soft bounce starts it again at one (the caller finds that delivery in the ledger, so a Delivery event
 * costs no profile write). At `limit` the address is suppressed, unless it already is for another reason.
 */
export function countSoftBounce(input: {
  previous: SoftBounces | undefined;
  deliveredSince: boolean;
  at: string;
  limit: number;
  alreadySuppressed: boolean;
  detail?: string;
}): SoftBounceOutcome {
  const count = input.previous && !input.deliveredSince ? input.previous.count + 1 : 1;
  const next: SoftBounces = { count, lastAt: input.at };
  if (count < input.limit || input.alreadySuppressed) return { next };
  return {
    next,
    suppression: {
      reason: 'soft_bounces',
      at: input.at,
      detail: `${count} soft bounces in a row${input.detail ? ` (last: ${input.detail})` : ''}`,
    },
  };
}
