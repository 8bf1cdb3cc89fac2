/**
 * The counters checked against the record: a run recounts, from its ledger, what the handlers counted one ADD
 * at a time (each final decision, each message's first delivery, open and click), and says where they differ.
 * The ledger is the record and the counters a fast copy of it: a difference means a count was lost (a crash
 * between the ledger write and its ADD leaves a counter short) or, worse, added twice. A run shows the result
 * next to the exactly-once check; the fault tests require none.
 */
import type { LedgerEntry } from '../functions/domain/model.js';
import {
  decisionCounts,
  FINAL_DECISIONS as FINAL,
  messageStatsKey,
  type StatsRow,
  statsId,
} from '../functions/domain/stats.js';

/** Event kinds the ledger keeps as the first of each (ses-events) and the counter of the same name. */
const EVENT_COUNTERS = ['delivered', 'opened', 'opened_machine', 'clicked', 'clicked_bot', 'complained'];

export interface CounterCheck {
  /** Rows x counters compared. */
  compared: number;
  /** Where the counters differ from the ledger's recount: row, counter, counted, recounted. */
  differences: { row: string; counter: string; counted: number; recounted: number }[];
}

export function checkCounters(ledger: readonly LedgerEntry[], rows: readonly StatsRow[]): CounterCheck {
  const recount = new Map<string, Record<string, number>>();
  const add = (id: string, name: string, n: number) => {
    const row = recount.get(id) ?? {};
    row[name] = (row[name] ?? 0) + n;
    recount.set(id, row);
  };
  for (const entry of ledger) {
    if (!FINAL.has(entry.decision)) continue;
    const id = statsId(messageStatsKey(entry, entry.updatedAt));
    for (const [name, n] of Object.entries(decisionCounts(entry.decision, entry.reason, undefined) ?? {}))
      add(id, name, n);
    for (const kind of EVENT_COUNTERS) if (entry.events?.[kind] !== undefined) add(id, kind, 1);
  }
  const counted = new Map(rows.map((r) => [statsId(r), r.counts]));
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
  return { compared, differences };
}

function skipKeys(...rows: Record<string, number>[]): string[] {
  return [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => k.startsWith('skipped_'))))].sort();
}
