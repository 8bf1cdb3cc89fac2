/**
 * The counters checked against the record: a run recounts, from its ledger, what the handlers counted one ADD
 * at a time (each final decision, each message's first delivery, open and click), and says where they differ.
 * The ledger is the record and the counters a fast copy of it: a difference means a count was lost (a crash
 * between the ledger write and its ADD leaves a counter short) or, worse, added twice. A run shows the result
 * next to the exactly-once check; the fault tests require none.
 *
 * Retention cuts both sides at different ages (messages expire retention.messagesDays after they were created,
 * counter rows retention.statsDays after their day): only days whose messages and row are all still kept are
 * compared (domain/retention.ts recountableSince); older ones are left out and said so (`since`).
 */
import { DEFAULT_CONFIG } from '../functions/domain/config.js';
import type { LedgerEntry } from '../functions/domain/ledger.js';
import { type RetentionDays, recountableSince } from '../functions/domain/retention.js';
import {
  decisionCounts,
  FINAL_DECISIONS as FINAL,
  messageStatsKey,
  REDEMPTION_COUNTERS,
  type StatsRow,
  statsId,
} from '../functions/domain/stats.js';

/**
 * Event kinds the ledger keeps as the first of each (ses-events; order-intake's redeemed codes) and the
 * counter of the same name. Not recounted, on purpose: revenues (`revenue_click`, `revenue_redeemed`, ...),
 * since the ledger keeps no order totals, and the order-side counters (conversion, retention), which an
 * order adds to the exposures it finds, not to one event of one entry.
 */
const EVENT_COUNTERS = [
  'delivered',
  'opened',
  'opened_machine',
  'clicked',
  'clicked_bot',
  'complained',
  REDEMPTION_COUNTERS.redeemed,
  REDEMPTION_COUNTERS.expired,
];

export interface CounterCheck {
  /** Rows x counters compared. */
  compared: number;
  /** Where the counters differ from the ledger's recount: row, counter, counted, recounted. */
  differences: { row: string; counter: string; counted: number; recounted: number }[];
  /** Set when older days were left out (retention may have cut them): the first day compared. */
  since?: string;
}

/** What retention may have removed by the time of the check. */
export interface RetentionAt {
  now: Date;
  retention: Pick<RetentionDays, 'messagesDays' | 'statsDays'>;
  maxDeferralHours: number;
}

/**
 * Compares the counters with the ledger's recount, over the days retention cannot have cut. Without `at`, the
 * newest ledger write stands for now and the default retention applies (an embedded run).
 */
export function checkCounters(
  ledger: readonly LedgerEntry[],
  rows: readonly StatsRow[],
  at: RetentionAt = defaultRetentionAt(ledger),
): CounterCheck {
  const since = recountableSince(at.now, at.retention, at.maxDeferralHours);
  const recount = new Map<string, Record<string, number>>();
  const add = (id: string, name: string, n: number) => {
    const row = recount.get(id) ?? {};
    row[name] = (row[name] ?? 0) + n;
    recount.set(id, row);
  };
  let cut = false;
  for (const entry of ledger) {
    if (!FINAL.has(entry.decision)) continue;
    const key = messageStatsKey(entry, entry.updatedAt);
    if (key.day < since) {
      cut = true;
      continue;
    }
    const id = statsId(key);
    for (const [name, n] of Object.entries(decisionCounts(entry.decision, entry.reason, undefined) ?? {}))
      add(id, name, n);
    for (const kind of EVENT_COUNTERS) if (entry.events?.[kind] !== undefined) add(id, kind, 1);
  }
  const kept = rows.filter((r) => r.day >= since);
  if (kept.length < rows.length) cut = true;
  const counted = new Map(kept.map((r) => [statsId(r), r.counts]));
  const ids = [...new Set([...recount.keys(), ...counted.keys()])].sort();
  const differences: CounterCheck['differences'] = [];
  let compared = 0;
  for (const id of ids) {
    const mine = recount.get(id) ?? {};
    const theirs = counted.get(id) ?? {};
    for (const counter of ['triggered', ...FINAL, ...EVENT_COUNTERS, ...skipKeys(mine, theirs)]) {
      compared++;
      const a = theirs[counter] ?? 0;
      const b = mine[counter] ?? 0;
      if (a !== b) differences.push({ row: id, counter, counted: a, recounted: b });
    }
  }
  return { compared, differences, ...(cut ? { since } : {}) };
}

function defaultRetentionAt(ledger: readonly LedgerEntry[]): RetentionAt {
  let newest = 0;
  for (const entry of ledger) newest = Math.max(newest, Date.parse(entry.updatedAt) || 0);
  const { retention, maxDeferralHours } = DEFAULT_CONFIG;
  return { now: new Date(newest), retention, maxDeferralHours };
}

function skipKeys(...rows: Record<string, number>[]): string[] {
  return [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => k.startsWith('skipped_'))))].sort();
}
