/** Run summaries from the ledger: counts per journey and outcome, and the table printed at the end of a run. */
import type { LedgerEntry } from '../functions/domain/ledger.js';
import { JOURNEYS, type Journey } from '../functions/domain/names.js';

export interface JourneySummary {
  /** Messages the journey decided about (one per trigger, however often it was retried or deferred). */
  triggered: number;
  sent: number;
  skipped: Record<string, number>;
  /** Messages deferred at least once (by quiet hours); most are sent later. */
  deferred: number;
  /** Still waiting for their deferred time when the run ended. */
  pending: number;
  cancelled: number;
  failed: number;
  /**
   * SES may have accepted them but the answer was lost (or a send stopped after its claim): never resent,
   * settled as sent when SES reports a delivery. See the README, "Exactly once".
   */
  unknown: number;
}

export type Summary = Record<Journey, JourneySummary>;

export function summarize(entries: readonly LedgerEntry[]): Summary {
  const summary = Object.fromEntries(
    JOURNEYS.map((j) => [
      j,
      { triggered: 0, sent: 0, skipped: {}, deferred: 0, pending: 0, cancelled: 0, failed: 0, unknown: 0 },
    ]),
  ) as Summary;
  for (const entry of entries) {
    const s = summary[entry.journey];
    if (!s) continue;
    s.triggered++;
    if (entry.history?.some((h) => h.decision === 'deferred')) s.deferred++;
    switch (entry.decision) {
      case 'sent':
        s.sent++;
        break;
      case 'skipped': {
        const reason = entry.reason ?? 'unknown';
        s.skipped[reason] = (s.skipped[reason] ?? 0) + 1;
        break;
      }
      // Throttled: between Send's retries when the run ended; it is retried or rescheduled next.
      case 'deferred':
      case 'throttled':
        s.pending++;
        break;
      case 'cancelled':
        s.cancelled++;
        break;
      case 'failed':
        s.failed++;
        break;
      // A claim still held when the run ended: SES may have been called, so it counts as unknown, never resent.
      case 'unknown':
      case 'sending':
        s.unknown++;
        break;
    }
  }
  return summary;
}

/** A fixed-width table for the terminal. */
export function summaryTable(summary: Summary): string {
  const head = [
    'journey',
    'triggered',
    'sent',
    'skipped',
    'deferred',
    'pending',
    'cancelled',
    'failed',
    'unknown',
  ];
  const rows = JOURNEYS.map((j) => {
    const s = summary[j];
    const skipped = Object.values(s.skipped).reduce((a, b) => a + b, 0);
    return [j, s.triggered, s.sent, skipped, s.deferred, s.pending, s.cancelled, s.failed, s.unknown].map(
      String,
    );
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const reasons = JOURNEYS.flatMap((j) =>
    Object.entries(summary[j].skipped)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([reason, n]) => `  ${j} skipped ${n} × ${reason}`),
  );
  return [
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    'Skipped, by reason:',
    ...(reasons.length ? reasons : ['  none']),
  ].join('\n');
}
