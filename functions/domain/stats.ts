/**
 * Outcome counters: per journey x variant x template version x day, kept incrementally with single-item ADDs
 * (adapters/stats.ts), so a marketer's figures never need a scan of the ledger. Pure: which counters an event
 * adds, and the key they add to. The day is the UTC day the message was decided (sent, skipped, ...), and
 * every later outcome of a message (delivery, open, click, order) is added to its send day: each day is a
 * cohort, and its rates compare like with like.
 */
import type { LedgerDecision, LedgerStep } from './ledger.js';
import type { Journey } from './names.js';

/** Variant and version of rows that are not about one template (held-out customers, skips before rendering). */
export const NO_VARIANT = '-';

export interface StatsKey {
  journey: Journey;
  variant: string;
  version: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
}

/** One stored row: its key and its counters (absent counters are 0). */
export interface StatsRow extends StatsKey {
  counts: Record<string, number>;
}

export type Counts = Record<string, number>;

/** The item key of a row. */
export function statsId(key: StatsKey): string {
  return `${key.journey}#${key.day}#${key.variant}#${key.version}`;
}

export function dayOf(iso: string): string {
  return iso.slice(0, 10);
}

/**
 * The counters of a ledger decision. `triggered` counts a message once, at its first final decision; a
 * decision that replaces a final one (an `unknown` settled as `sent` by SES's delivery event) moves the count
 * from the old to the new without counting the trigger again. Deferrals and claims are not final.
 */
export function decisionCounts(
  decision: string,
  reason: string | undefined,
  previous: string | undefined,
): Counts | undefined {
  if (!FINAL.has(decision)) return undefined;
  const counts: Counts = {};
  if (previous && FINAL.has(previous)) {
    if (previous === decision) return undefined;
    counts[previous] = -1;
  } else counts.triggered = 1;
  counts[decision] = (counts[decision] ?? 0) + 1;
  if (decision === 'skipped') counts[`skipped_${reason ?? 'unknown'}`] = 1;
  return counts;
}

/** The decisions that end a message (a deferral or a claim does not). */
export const FINAL_DECISIONS: ReadonlySet<string> = new Set([
  'sent',
  'skipped',
  'cancelled',
  'failed',
  'unknown',
]);
const FINAL = FINAL_DECISIONS;

/** What the stats need of a ledger entry. */
export interface CountedEntry {
  journey: Journey;
  decision?: LedgerDecision;
  variant?: string;
  templateVersion?: string;
  history?: readonly LedgerStep[];
  createdAt?: string;
}

/**
 * The row a message's outcomes are counted in: its variant and version, and the day of its first final
 * decision (its send, for a sent message), so later events and a settled `unknown` land in the same row.
 */
export function messageStatsKey(entry: CountedEntry, fallbackAt: string): StatsKey {
  const final = entry.history?.find((step) => FINAL.has(step.decision));
  return {
    journey: entry.journey,
    variant: entry.variant ?? NO_VARIANT,
    version: entry.templateVersion ?? NO_VARIANT,
    day: dayOf(final?.at ?? fallbackAt),
  };
}

/**
 * The counting of one ledger write: `previous` is the entry as it was before the write (undefined: new), `next`
 * what the write set. Undefined when the write changes no counter (a deferral, a claim).
 */
export function decisionStats(
  previous: CountedEntry | undefined,
  next: {
    journey: Journey;
    decision: LedgerDecision;
    reason?: string;
    at: string;
    variant?: string;
    templateVersion?: string;
  },
): { key: StatsKey; counts: Counts } | undefined {
  const counts = decisionCounts(next.decision, next.reason, previous?.decision);
  if (!counts) return undefined;
  const merged: CountedEntry = {
    journey: next.journey,
    ...(previous?.history ? { history: previous.history } : {}),
    ...((next.variant ?? previous?.variant) ? { variant: next.variant ?? previous?.variant } : {}),
    ...((next.templateVersion ?? previous?.templateVersion)
      ? { templateVersion: next.templateVersion ?? previous?.templateVersion }
      : {}),
  };
  return { key: messageStatsKey(merged, next.at), counts };
}

/** Messages whose recipient got (or may have got) the email: the treated group of a journey. */
export function treatedOf(counts: Counts): number {
  return (counts.sent ?? 0) + (counts.unknown ?? 0);
}

/** Held-out customers: reachable, deliberately not sent. */
export function heldOutOf(counts: Counts): number {
  return counts.skipped_holdout ?? 0;
}

/**
 * The counter an SES event adds (the first of each kind per message): the ledger event's own name, with
 * bounces split hard/soft. Opens and clicks are a person's; machine opens (`opened_machine`), bot clicks
 * (`clicked_bot`) and clicks on our own links (`clicked_unsubscribe`, `clicked_preferences`, `clicked_why`,
 * `clicked_vote`) are counted apart (domain/engagement.ts).
 */
export function engagementCounter(kind: string, outcome: string | undefined): string {
  if (kind === 'bounced') return outcome === 'bounced' ? 'bounced_hard' : 'bounced_soft';
  return kind;
}

/**
 * Counters of incentive codes (usecases/order-intake.ts), each added once per message: its code redeemed by
 * an order (`redeemed`, also the ledger event of that name), of those after the code's expiry
 * (`redeemed_expired`, likewise), and the order's total (`revenue_redeemed`, once per order).
 */
export const REDEMPTION_COUNTERS = {
  redeemed: 'redeemed',
  expired: 'redeemed_expired',
  revenue: 'revenue_redeemed',
} as const;

/** Days after a message within which a repeat order counts toward retention. */
export const RETENTION_DAYS = [30, 60, 90] as const;
export type RetentionDays = (typeof RETENTION_DAYS)[number];
