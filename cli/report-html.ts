/**
 * The marketer's KPI report as one self-contained HTML file: the figures as text (every number tagged
 * `data-kpi="<path in the report>"`, so it can be checked against the embedded JSON), charts drawn by an inlined
 * Chart.js from that JSON, no request to the network. Readable on a phone, on a desktop and on paper.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { JourneyKpis, KpiReport, MessageKpis, RateFigure } from '../functions/domain/kpis.js';
import {
  formatCount,
  formatDays,
  formatInstant,
  formatMoney,
  formatPercent,
  formatPoints,
  formatRate,
  formatRelative,
  formatSigned,
  NO_RATE,
  upliftNotYet,
  upliftWords,
  variantLabel,
} from './kpi-table.js';
import { REPORT_CSS, REPORT_SCRIPT } from './report-assets.js';

export interface ReportMeta {
  title?: string;
  /** Where the figures come from (a run directory, a table), shown under the title. */
  source?: string;
}

/** How a `data-kpi` value is written on the page. */
export type KpiFormat =
  | 'count'
  | 'rate'
  | 'percent'
  | 'money'
  | 'points'
  | 'relative'
  | 'signed'
  | 'instant'
  | 'days';

/** The text a report value is shown as, for a format: the page and its tests both use this. */
export function formatKpi(format: KpiFormat, value: unknown): string {
  switch (format) {
    case 'count':
      return formatCount(value as number);
    case 'rate':
      return formatRate(value as RateFigure);
    case 'percent':
      return formatPercent(value as number | null);
    case 'money':
      return formatMoney(value as number | undefined);
    case 'points':
      return formatPoints(value as number);
    case 'relative':
      return formatRelative(value as number | undefined);
    case 'signed':
      return formatSigned(value as number);
    case 'instant':
      return formatInstant(value as string);
    case 'days':
      return formatDays(value as number);
  }
}

/**
 * The value at a dotted path of the report. Array items are addressed by their journey, `variant@version`,
 * `days` (retention) or stage (funnel), else by index: `journeys.order_followup.variants.B@v000001.openRate`.
 */
export function kpiAt(report: unknown, path: string): unknown {
  let at: unknown = report;
  for (const key of path.split('.')) {
    if (Array.isArray(at)) {
      at =
        at.find(
          (item: Record<string, unknown>) =>
            item.journey === key ||
            `${item.variant}@${item.version}` === key ||
            String(item.days) === key ||
            item.stage === key,
        ) ?? at[Number(key)];
    } else if (at && typeof at === 'object') at = (at as Record<string, unknown>)[key];
    else return undefined;
  }
  return at;
}

const JOURNEY_NAMES: Record<string, string> = {
  cart_reminder: 'Cart reminder',
  order_followup: 'Order follow-up',
  birthday: 'Birthday',
  winback: 'Win-back',
};

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

let chartJs: string | undefined;
/**
 * Chart.js's UMD build, read once from node_modules (pinned in package.json). Its package exports only its
 * modules, so the file is found next to the CommonJS entry (dist/chart.cjs).
 */
function chartJsSource(): string {
  const dist = dirname(createRequire(import.meta.url).resolve('chart.js'));
  chartJs ??= readFileSync(join(dist, 'chart.umd.min.js'), 'utf8');
  return chartJs;
}

/** The report as one HTML file. */
export function reportHtml(report: KpiReport, meta: ReportMeta = {}): string {
  const title = meta.title ?? 'Reciprocity: email results';
  // A value by path, formatted, tagged: the page's numbers are the report's by construction.
  const k = (path: string, format: KpiFormat) =>
    `<span data-kpi="${esc(path)}" data-format="${format}">${esc(formatKpi(format, kpiAt(report, path)))}</span>`;
  const json = JSON.stringify(report).replace(/</g, '\\u003c');
  const active = report.journeys.filter((j) => j.triggered > 0);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
<p class="meta">Figures as of ${k('asOf', 'instant')}${meta.source ? ` · from <code>${esc(meta.source)}</code>` : ''}</p>
<nav aria-label="Journeys"><ul>${report.journeys
    .map((j) => `<li><a href="#${j.journey}">${esc(JOURNEY_NAMES[j.journey] ?? j.journey)}</a></li>`)
    .join(
      '',
    )}<li><a href="#bots">Machines and bots</a></li><li><a href="#how">How to read this</a></li></ul></nav>
</header>
<main>
<section aria-labelledby="all-h">
<h2 id="all-h">All journeys</h2>
${
  active.length
    ? `<div class="cards">
${card('Open rate', k('total.openRate.rate', 'percent'), `${k('total.openRate.count', 'count')} of ${k('total.openRate.of', 'count')} delivered emails opened by a person`)}
${card('Click-through rate', k('total.clickRate.rate', 'percent'), `${k('total.clickRate.count', 'count')} of ${k('total.clickRate.of', 'count')} delivered emails clicked by a person`)}
${card('Conversion', k('total.conversionRate.rate', 'percent'), `${k('total.conversionRate.count', 'count')} orders within ${k('windows.clickDays', 'days')} of a click, of ${k('total.conversionRate.of', 'count')} delivered; revenue ${k('total.revenue', 'money')}`)}
${retentionCard(report, k)}
</div>`
    : '<p class="empty">No messages yet.</p>'
}
</section>
${report.journeys.map((j) => journeySection(j, k)).join('\n')}
<section id="bots" aria-labelledby="bots-h">
<h2 id="bots-h">Machines and bots</h2>
<p>Some opens are not a person reading: mail privacy proxies (such as Apple Mail's) and security scanners
fetch every image. Some clicks are not a person either: link scanners follow every link. They are counted
apart and left out of every rate above.</p>
<div class="table-wrap"><table>
<thead><tr><th scope="col"></th><th scope="col">By people</th><th scope="col">By machines or bots</th></tr></thead>
<tbody>
<tr><th scope="row">Opens</th><td>${k('classified.humanOpens', 'count')}</td><td>${k('classified.machineOpens', 'count')}</td></tr>
<tr><th scope="row">Clicks</th><td>${k('classified.humanClicks', 'count')}</td><td>${k('classified.botClicks', 'count')}</td></tr>
</tbody></table></div>
</section>
<section id="how" aria-labelledby="how-h">
<h2 id="how-h">How to read this</h2>
<ul class="how">
<li><strong>Every rate comes with its counts.</strong> ${
    report.total.openRate.of > 0
      ? `An open rate of ${k('total.openRate', 'rate')} means ${k('total.openRate.count', 'count')} of ${k('total.openRate.of', 'count')} delivered emails were opened.`
      : 'A rate is followed by what it is made of: (opened/delivered).'
  } A dash (–) means there is nothing to divide by yet.</li>
<li><strong>Opens and clicks are people's.</strong> Machine opens and bot clicks are shown apart (above) and never
counted as engagement. Clicks on unsubscribe, preference and feedback links are not counted as clicks either.</li>
<li><strong>Conversion</strong> is an order within ${k('windows.clickDays', 'days')} of a person's click on the
email, one order to one email. <strong>View-through</strong> orders (within ${k('windows.viewDays', 'days')} of
delivery, without a click) are shown apart and never added in: many of those customers would have ordered anyway.</li>
<li><strong>Each day is a cohort:</strong> an email's later opens, clicks and orders count on the day it was sent,
so the most recent days look lower until their customers have had time.</li>
<li><strong>Holdout:</strong> a random few customers are deliberately not sent a journey. Comparing how many of
them ordered (within ${k('windows.conversionDays', 'days')} of when they would have been sent it) with the customers
who were sent it shows what the emails add: the <strong>uplift</strong>. Only days whose
${k('windows.conversionDays', 'days')} have passed count, so both groups had the same time to order.</li>
<li><strong>Lift</strong> is the difference between the sent and the held-out customers' rates, in percentage
points (pp); relative lift is that difference over the held-out rate.</li>
<li><strong>The 95% interval</strong> is the range the true lift is likely to lie in. While it includes zero,
the data cannot yet tell whether the journey helps, and the report says how many more customers it needs.</li>
<li><strong>Ordered again</strong> (retention) compares the share of sent and held-out customers who ordered again
within 30, 60 and 90 days, once that many days have passed.</li>
</ul>
</section>
</main>
<script type="application/json" id="kpis">${json}</script>
<script>${chartJsSource().replace(/<\/script/gi, '<\\/script')}</script>
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`;
}

type Tag = (path: string, format: KpiFormat) => string;

function card(title: string, big: string, sub: string): string {
  return `<div class="card"><h3>${title}</h3><p class="big">${big}</p><p class="sub">${sub}</p></div>`;
}

function retentionCard(report: KpiReport, k: Tag): string {
  const lines = report.journeys
    .filter((j) => j.uplift)
    .map((j) => {
      const r = j.retention.find((x) => x.days === 30);
      const p = `journeys.${j.journey}.retention.30`;
      const name = esc(JOURNEY_NAMES[j.journey] ?? j.journey);
      return r?.matured
        ? `<li>${name}: ${k(`${p}.treated`, 'rate')} sent vs ${k(`${p}.holdout`, 'rate')} held out</li>`
        : `<li>${name}: not yet (needs ${k(`${p}.days`, 'days')})</li>`;
    });
  return `<div class="card"><h3>Ordered again within 30 days</h3>${
    lines.length
      ? `<ul class="sub">${lines.join('')}</ul>`
      : '<p class="sub">No customers held out yet, so nothing to compare with.</p>'
  }</div>`;
}

function journeySection(j: JourneyKpis, k: Tag): string {
  const p = `journeys.${j.journey}`;
  const name = esc(JOURNEY_NAMES[j.journey] ?? j.journey);
  const head = `<section id="${j.journey}" class="journey" aria-labelledby="${j.journey}-h">
<h2 id="${j.journey}-h">${name} <small>${j.journey}</small></h2>`;
  if (j.triggered === 0) return `${head}\n<p class="empty">No messages yet.</p>\n</section>`;
  const skipped = Object.keys(j.skipped)
    .sort()
    .map((reason) => `${k(`${p}.skipped.${reason}`, 'count')} ${esc(reason.replaceAll('_', ' '))}`);
  // Shares say something once there are two variants to share the sends.
  const hasVariants = new Set(j.daily.flatMap((d) => Object.keys(d.variants))).size > 1;
  const delivered = j.delivered > 0;
  return `${head}
<p>${k(`${p}.triggered`, 'count')} triggered, ${k(`${p}.sent`, 'count')} sent${
    j.unknown ? ` (and ${k(`${p}.unknown`, 'count')} whose outcome is unknown)` : ''
  }, ${k(`${p}.delivered`, 'count')} delivered${skipped.length ? `; not sent: ${skipped.join(', ')}` : ''}.</p>${
    j.redemption.rate.count > 0
      ? `\n<p>Gift codes redeemed: ${k(`${p}.redemption.rate.count`, 'count')} of ${k(`${p}.redemption.rate.of`, 'count')} delivered emails (${k(`${p}.redemption.rate.rate`, 'percent')}), in orders worth ${k(`${p}.redemption.revenue`, 'money')}${
          j.redemption.expired ? `; ${k(`${p}.redemption.expired`, 'count')} after their expiry` : ''
        }. Counted apart from conversion: a code needs no click.</p>`
      : ''
  }
<div class="charts">
${chartBox('funnel', j.journey, 'From trigger to order', `Funnel of ${name}: triggered, sent, delivered, opened, clicked, ordered`)}
${delivered ? chartBox('rates', j.journey, 'Open and click-through rate by send day', `Open rate and click-through rate of ${name} per day`) : ''}
${hasVariants ? chartBox('shares', j.journey, 'Share of sends per variant by day', `Share of each variant in ${name}'s sends per day`) : ''}
</div>
${delivered ? '' : '<p class="empty">Nothing delivered yet, so no rates.</p>'}
${upliftBlock(j, k)}
${
  j.sent + j.unknown > 0
    ? `<h3>By variant</h3>
${variantTable(j, k)}`
    : ''
}
</section>`;
}

function chartBox(kind: string, journey: string, caption: string, label: string): string {
  return `<figure class="chart-box"><figcaption>${caption}</figcaption><div class="chart"><canvas data-chart="${kind}" data-journey="${journey}" role="img" aria-label="${esc(label)}"></canvas></div></figure>`;
}

function upliftBlock(j: JourneyKpis, k: Tag): string {
  const p = `journeys.${j.journey}`;
  const u = j.uplift;
  if (!u)
    return `<h3>Does it work?</h3><p>No customers are held out of this journey, so its effect cannot be measured
against sending nothing.</p>`;
  if (upliftNotYet(j))
    return `<h3>Does it work?</h3><p>Not yet: no send has had its ${k('windows.conversionDays', 'days')} to order.</p>`;
  // The report's rate of an empty group is 0; a rate over nobody is shown as a dash.
  const groupRate = (group: 'treated' | 'holdout') =>
    u[group].customers > 0 ? k(`${p}.uplift.${group}.rate`, 'percent') : NO_RATE;
  const lift = u.absoluteLift;
  const min = Math.min(lift.low, 0);
  const max = Math.max(lift.high, 0);
  const span = max - min || 0.01;
  // Room either side for the end labels, centred on the bar's ends.
  const at = (x: number) => `${(((x - min) / span) * 76 + 12).toFixed(2)}%`;
  const retention = j.retention
    .map(
      (r) =>
        `<tr><th scope="row">within ${k(`${p}.retention.${r.days}.days`, 'days')}</th>${
          r.matured
            ? `<td>${k(`${p}.retention.${r.days}.treated`, 'rate')}</td><td>${k(`${p}.retention.${r.days}.holdout`, 'rate')}</td>`
            : `<td colspan="2">not yet (needs ${k(`${p}.retention.${r.days}.days`, 'days')})</td>`
        }</tr>`,
    )
    .join('');
  return `<h3>Does it work? Sent against held out</h3>
<p class="verdict${u.significant ? ' significant' : ''}">${esc(upliftWords(u))}</p>
<div class="uplift">
<figure class="chart-box"><figcaption>Customers who ordered within ${k('windows.conversionDays', 'days')}</figcaption><div class="chart short"><canvas data-chart="uplift" data-journey="${j.journey}" role="img" aria-label="Conversion of customers sent ${esc(j.journey)} against customers held out"></canvas></div></figure>
<div>
<p>Sent: ${groupRate('treated')} (${k(`${p}.uplift.treated.conversions`, 'count')} of ${k(`${p}.uplift.treated.customers`, 'count')} customers).
Held out: ${groupRate('holdout')} (${k(`${p}.uplift.holdout.conversions`, 'count')} of ${k(`${p}.uplift.holdout.customers`, 'count')}).</p>
<p>Lift: ${k(`${p}.uplift.absoluteLift.difference`, 'points')}, 95% interval ${k(`${p}.uplift.absoluteLift.low`, 'points')} to ${k(`${p}.uplift.absoluteLift.high`, 'points')}; relative ${k(`${p}.uplift.relativeLift`, 'relative')}.</p>
<div class="range" role="img" aria-label="Lift ${esc(formatPoints(lift.difference))}, 95% interval ${esc(formatPoints(lift.low))} to ${esc(formatPoints(lift.high))}">
<div class="range-axis"></div><div class="range-zero" style="left:${at(0)}"><span>0</span></div>
<div class="range-bar${u.significant ? ' significant' : ''}" style="left:${at(lift.low)};width:calc(${at(lift.high)} - ${at(lift.low)})"></div>
<div class="range-dot" style="left:${at(lift.difference)}"></div>
<span class="range-end" style="left:${at(lift.low)}">${esc(formatPoints(lift.low))}</span>
<span class="range-end" style="left:${at(lift.high)}">${esc(formatPoints(lift.high))}</span>
</div>
<p class="note">The bar is the 95% interval of the lift, the dot the best estimate; while the bar crosses 0 the
difference may be chance.</p>
<p>Extra orders from the journey: ${k(`${p}.uplift.incrementalOrders.estimate`, 'signed')} (95% interval ${k(`${p}.uplift.incrementalOrders.low`, 'signed')} to ${k(`${p}.uplift.incrementalOrders.high`, 'signed')}); extra revenue ${k(`${p}.uplift.incrementalRevenue`, 'money')}.</p>
</div>
</div>
<div class="table-wrap"><table class="retention">
<caption>Ordered again</caption>
<thead><tr><th scope="col"></th><th scope="col">Sent</th><th scope="col">Held out</th></tr></thead>
<tbody>${retention}</tbody></table></div>`;
}

function variantTable(j: JourneyKpis, k: Tag): string {
  const p = `journeys.${j.journey}`;
  const columns: { label: string; path: string; kpis: MessageKpis }[] = [
    { label: 'All', path: p, kpis: j },
    ...j.variants.map((v) => ({
      label: variantLabel(v),
      path: `${p}.variants.${v.variant}@${v.version}`,
      kpis: v,
    })),
  ];
  const row = (label: string, cell: (path: string, kpis: MessageKpis) => string) =>
    `<tr><th scope="row">${label}</th>${columns.map((c) => `<td>${cell(c.path, c.kpis)}</td>`).join('')}</tr>`;
  const ownLinks = [...new Set(j.variants.flatMap((v) => Object.keys(v.ownLinkClicks)))].sort();
  return `<p class="note">One column per template variant and version (variant@version), busiest first.</p>
<div class="table-wrap"><table class="variants">
<thead><tr><th scope="col">Figure</th>${columns.map((c) => `<th scope="col">${esc(c.label).replace('@', '<wbr>@')}</th>`).join('')}</tr></thead>
<tbody>
${row('Sent', (x) => k(`${x}.sent`, 'count'))}
${row('Delivered', (x) => k(`${x}.delivered`, 'count'))}
${row('Open rate', (x) => k(`${x}.openRate`, 'rate'))}
${row('Click-through rate', (x) => k(`${x}.clickRate`, 'rate'))}
${row('Clicked, of opened', (x) => k(`${x}.clickToOpen`, 'rate'))}
${row('Conversion', (x) => k(`${x}.conversionRate`, 'rate'))}
${row('Revenue', (x) => k(`${x}.revenue`, 'money'))}
${row('View-through orders (apart)', (x) => k(`${x}.viewThrough.orders`, 'count'))}
${row('View-through revenue (apart)', (x) => k(`${x}.viewThrough.revenue`, 'money'))}
${
  j.redemption.rate.count > 0
    ? `${row('Codes redeemed, of delivered', (x) => k(`${x}.redemption.rate`, 'rate'))}
${row('Revenue of orders with a code', (x) => k(`${x}.redemption.revenue`, 'money'))}`
    : ''
}
${row('Unsubscribed', (x) => k(`${x}.unsubscribeRate`, 'rate'))}
${row('Spam complaints', (x) => k(`${x}.complaintRate`, 'rate'))}
${row('Bounced', (x) => k(`${x}.bounceRate`, 'rate'))}
${row('Votes up / down', (x) => `${k(`${x}.votes.up`, 'count')} / ${k(`${x}.votes.down`, 'count')}`)}
${row('Machine opens (apart)', (x) => k(`${x}.machineOpens`, 'count'))}
${row('Bot clicks (apart)', (x) => k(`${x}.botClicks`, 'count'))}
${ownLinks.map((kind) => row(`Clicks on ${esc(kind)} link`, (x, kp) => (kind in kp.ownLinkClicks ? k(`${x}.ownLinkClicks.${kind}`, 'count') : '0'))).join('\n')}
</tbody></table></div>`;
}
