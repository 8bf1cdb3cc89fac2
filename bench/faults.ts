/**
 * `npm run bench:faults`: the exactly-once promises measured per fault kind. Each row is one embedded run of
 * 200 orders (one thank-you each) with faults injected through the real SES stand-in and the send handler's
 * crash points, then the run's outbox and ledger are checked: duplicate emails (must be 0), silent losses
 * (must be 0), and the outcomes recorded as unknown (held back from resending) with how many really went out.
 */

import { drillOrders } from '../local/drill.js';
import type { FaultsInput } from '../local/faults.js';

const ORDERS = 200;

const KINDS: { kind: string; faults: FaultsInput }[] = [
  { kind: 'none', faults: {} },
  {
    kind: 'SES accepted, answer lost (reset-after)',
    faults: { ses: [{ mode: 'reset-after', every: 10, count: 20 }] },
  },
  {
    kind: 'SES accepted, then HTTP 500 (error-after)',
    faults: { ses: [{ mode: 'error-after', every: 10, count: 20 }] },
  },
  {
    kind: 'connection reset before SES (reset-before)',
    faults: { ses: [{ mode: 'reset-before', every: 10, count: 20 }] },
  },
  {
    kind: 'SES rejects (reject)',
    faults: { ses: [{ mode: 'reject', every: 10, count: 20 }] },
  },
  {
    kind: 'throttle storm, 250 calls in a row',
    faults: { ses: [{ mode: 'throttle', every: 1, count: 250 }] },
  },
  {
    kind: 'DynamoDB throttling past the SDK retries',
    faults: {
      dynamodb: [20, 21, 22, 23].map((from) => ({
        mode: 'throttle' as const,
        operation: 'UpdateItem',
        every: 40,
        from,
        count: 10,
      })),
    },
  },
  {
    kind: 'send crashes before SES, Lambda retry',
    faults: { crash: [{ handler: 'send', point: 'before-ses', every: 10, retry: 'lambda' }] },
  },
  {
    kind: 'send crashes before SES, timeout',
    faults: { crash: [{ handler: 'send', point: 'before-ses', every: 10, retry: 'timeout' }] },
  },
  {
    kind: 'send crashes after SES, Lambda retry',
    faults: { crash: [{ handler: 'send', point: 'after-ses', every: 10, retry: 'lambda' }] },
  },
  {
    kind: 'send crashes after SES, timeout',
    faults: { crash: [{ handler: 'send', point: 'after-ses', every: 10, retry: 'timeout' }] },
  },
];

const rows: string[][] = [];
for (const { kind, faults } of KINDS) {
  const started = performance.now();
  const outcome = await drillOrders(ORDERS, faults);
  const { check, stats } = outcome;
  const injected = stats.ses.faults + stats.crashes + stats.dynamodbFaults;
  rows.push([
    kind,
    String(injected),
    String(check.emails),
    String(check.duplicateEmails),
    String(check.silentLosses),
    String(check.decisions.sent ?? 0),
    `${check.unknown.recorded} (${check.unknown.delivered} went out)`,
    String(check.decisions.failed ?? 0),
    `${((performance.now() - started) / 1000).toFixed(1)} s`,
  ]);
  console.error(`${kind}: done`);
}
const head = [
  'fault kind',
  'faults injected',
  'emails',
  'duplicate emails',
  'silent losses',
  'sent',
  'unknown',
  'failed',
  'wall',
];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(`${ORDERS} orders per row, one thank-you each (node ${process.version})\n`);
console.log(line(head));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const row of rows) console.log(line(row));
