/**
 * The marketer's KPI report as a fixed-width terminal table (`reciprocity report`), and the number formats it
 * shares with the HTML report (cli/report-html.ts), so a figure reads the same in both.
 */
import type {
  JourneyKpis,
  KpiReport,
  MessageKpis,
  RateFigure,
  RetentionFigure,
} from '../functions/domain/kpis.js';
import { NO_VARIANT } from '../functions/domain/stats.js';

/** What a rate over nothing shows (rate `null`): never 0% or NaN. */
export const NO_RATE = '–';

/** A whole count with thousands separators: `1,234`. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A share as a percentage with one decimal: `41.2%`; `–` for null. */
export function formatPercent(rate: number | null | undefined): string {
  return rate === null || rate === undefined || !Number.isFinite(rate)
    ? NO_RATE
    : `${(rate * 100).toFixed(1)}%`;
}

/** A rate with what it is made of: `41.2% (120/291)`, `– (0/0)`. */
export function formatRate(r: RateFigure): string {
  return `${formatPercent(r.rate)} (${formatCount(r.count)}/${formatCount(r.of)})`;
}

/** Money with two decimals and separators: `1,234.50` (the shop's own currency). */
export function formatMoney(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return NO_RATE;
  return n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** A difference of two rates in percentage points, signed: `+4.5 pp`. */
export function formatPoints(difference: number): string {
  return `${signed((difference * 100).toFixed(1))} pp`;
}

/** A relative change, signed: `+56%`; `–` while there is no base. */
export function formatRelative(relative: number | undefined): string {
  return relative === undefined || !Number.isFinite(relative)
    ? NO_RATE
    : `${signed((relative * 100).toFixed(0))}%`;
}

/** An estimate that may be negative, one decimal, signed: `+14.4`. */
export function formatSigned(n: number): string {
  return signed(n.toFixed(1));
}

/** An instant as `2026-12-08 00:00 UTC`. */
export function formatInstant(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** `1 day`, `5 days`. */
export function formatDays(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'day' : 'days'}`;
}

function signed(text: string): string {
  // -0.0 reads as a loss; it is no change.
  if (Number(text) === 0) return text.replace('-', '');
  return text.startsWith('-') ? text : `+${text}`;
}

/** Words for a journey's uplift: the verdict while not significant, otherwise what the interval says. */
export function upliftWords(uplift: NonNullable<JourneyKpis['uplift']>): string {
  if (uplift.verdict) return uplift.verdict;
  return uplift.absoluteLift.difference > 0
    ? 'The journey brings extra orders: the 95% interval is above zero'
    : 'The journey costs orders: the 95% interval is below zero';
}

/** The uplift has no customer yet whose conversion window has closed (or no holdout yet). */
export function upliftNotYet(j: JourneyKpis): boolean {
  return !!j.uplift && j.uplift.treated.customers + j.uplift.holdout.customers === 0;
}

export function retentionWords(r: RetentionFigure): string {
  if (!r.matured) return `not yet (needs ${formatDays(r.days)})`;
  return `sent ${formatRate(r.treated)} vs held out ${formatRate(r.holdout)}`;
}

const HEAD = ['', 'sent', 'delivered', 'open rate', 'CTR', 'conversion', 'revenue', 'unsubs', 'spam'];

function figures(label: string, k: MessageKpis): string[] {
  return [
    label,
    formatCount(k.sent),
    formatCount(k.delivered),
    formatRate(k.openRate),
    formatRate(k.clickRate),
    formatRate(k.conversionRate),
    formatMoney(k.revenue),
    formatCount(k.unsubscribed),
    formatCount(k.complained),
  ];
}

/** Columns padded to their widest cell: the label left, figures right. */
function grid(rows: string[][]): string[] {
  const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((cells) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

function journeyBlock(j: JourneyKpis, report: KpiReport): string[] {
  const skipped = Object.entries(j.skipped)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([reason, n]) => `${formatCount(n)} ${reason}`);
  const lines = [
    `${j.journey}: ${formatCount(j.triggered)} triggered, ${formatCount(j.sent)} sent` +
      (j.unknown ? ` (+${formatCount(j.unknown)} outcome unknown)` : '') +
      (skipped.length ? `; not sent: ${skipped.join(', ')}` : ''),
    ...grid([HEAD, figures('all', j), ...j.variants.map((v) => figures(variantLabel(v), v))]).map(
      (l) => `  ${l}`,
    ),
    `  view-through (apart, not in conversion): ${formatCount(j.viewThrough.orders)} orders, ` +
      `${formatMoney(j.viewThrough.revenue)} revenue`,
    ...(j.redemption.rate.count > 0 ? [redemptionLine(j)] : []),
  ];
  const u = j.uplift;
  if (!u) return [...lines, '  uplift and retention: no customers held out, so nothing to compare with'];
  if (upliftNotYet(j))
    lines.push(
      `  uplift: not yet (no send has had its ${formatDays(report.windows.conversionDays)} to order yet)`,
    );
  else {
    const lift = u.absoluteLift;
    lines.push(
      `  uplift (ordered within ${formatDays(report.windows.conversionDays)}): sent ${formatRate(rateFigure(u.treated))}` +
        ` vs held out ${formatRate(rateFigure(u.holdout))}`,
      `    lift ${formatPoints(lift.difference)} (95%: ${formatPoints(lift.low)} to ${formatPoints(lift.high)}),` +
        ` relative ${formatRelative(u.relativeLift)}`,
      `    incremental orders ${formatSigned(u.incrementalOrders.estimate)} (95%: ` +
        `${formatSigned(u.incrementalOrders.low)} to ${formatSigned(u.incrementalOrders.high)}),` +
        ` incremental revenue ${formatMoney(u.incrementalRevenue)}`,
      `    ${upliftWords(u)}`,
    );
  }
  for (const r of j.retention) lines.push(`  ordered again within ${r.days} days: ${retentionWords(r)}`);
  return lines;
}

/** Codes redeemed (apart from conversion: a code needs no click), with their orders' revenue. */
export function redemptionLine(k: MessageKpis): string {
  const r = k.redemption;
  return (
    `  codes redeemed (apart): ${formatRate(r.rate)} of delivered, ${formatMoney(r.revenue)} revenue` +
    (r.expired ? `; ${formatCount(r.expired)} after their expiry` : '')
  );
}

/** An uplift group as a rate with its counts (the report's own rate is 0 for an empty group; here it is `–`). */
function rateFigure(g: { conversions: number; customers: number }): RateFigure {
  return {
    count: g.conversions,
    of: g.customers,
    rate: g.customers > 0 ? g.conversions / g.customers : null,
  };
}

/** The terminal table: a block per journey that was triggered at all, then all journeys, bots and windows. */
export function kpiTable(report: KpiReport): string {
  const active = report.journeys.filter((j) => j.triggered > 0);
  const quiet = report.journeys.filter((j) => j.triggered === 0).map((j) => j.journey);
  const c = report.classified;
  const w = report.windows;
  return [
    `Results as of ${formatInstant(report.asOf)}`,
    '',
    ...active.flatMap((j) => [...journeyBlock(j, report), '']),
    ...(quiet.length ? [`No messages yet: ${quiet.join(', ')}`, ''] : []),
    ...grid([HEAD, figures('all journeys', report.total)]),
    'Rates are of delivered emails. unsubs: unsubscribes; spam: complaints (marked as spam).',
    '',
    'Machines and bots, left out of every rate:',
    `  opens   ${formatCount(c.humanOpens)} by people, ${formatCount(c.machineOpens)} by machines` +
      ' (mail privacy proxies, scanners)',
    `  clicks  ${formatCount(c.humanClicks)} by people, ${formatCount(c.botClicks)} by bots`,
    `Attribution: an order counts for a message within ${formatDays(w.clickDays)} of a person's click;`,
    `  view-through (within ${formatDays(w.viewDays)} of delivery, no click) is shown apart, never added in;`,
    `  uplift and retention compare customers sent the journey with customers held out of it`,
    `  (uplift: ordered within ${formatDays(w.conversionDays)} of the send, counting days whose window has closed).`,
  ].join('\n');
}

/** A variant's name in a table: `B@v000002`, or the version alone for a journey with one template. */
export function variantLabel(v: { variant: string; version: string }): string {
  return v.variant === NO_VARIANT ? v.version : `${v.variant}@${v.version}`;
}
