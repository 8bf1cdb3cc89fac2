/**
 * The bench's real-data cost row: the metered run (DynamoDB through local/capacity.ts, priced by cost.ts, as
 * the demo's metered run in flow.ts) over the same sample of a real shop's month that bench/real.ts replays,
 * beside the demo's figures, with the sizes of the product items its orders write (a write is billed per 1 KB
 * of item: a product item just over 1 KB costs two units per order). Audience off, as the demo's metered run.
 */

import { existsSync } from 'node:fs';
import { historyToRun } from '../cli/history-run.js';
import { loadOrderHistory, UCI_ONLINE_RETAIL } from '../cli/order-history.js';
import type { SynthesizedWorkflow } from '../local/synth.js';
import { type Analysis, analyze } from './analyze.js';
import { PRICES } from './cost.js';
import { runFlow } from './flow.js';
import { REAL_SHOP, realShopExport } from './real.js';
import { type Section, topWrites } from './report.js';
import type { StackFacts } from './stack-facts.js';
import { fmt, usd } from './stats.js';

/** Sizes (bytes, dynalite's as its units) of the items a table's writes left behind. */
export interface ItemSizes {
  writes: number;
  median: number;
  p90: number;
  max: number;
  /** Writes that left an item over 1 KB (2 WRU or more for the table write alone). */
  over1Kb: number;
}

export interface RealCostFigures {
  sample: number;
  month: string;
  orders: number;
  products: number;
  analysis: Analysis;
  productItems: ItemSizes;
}

/** The metered run of the real shop's sample month; skipped, and said so, without the export. */
export async function meterRealShop(options: {
  root: string;
  workflow: SynthesizedWorkflow;
  templatesDir: string;
  facts: StackFacts;
  sample?: number;
}): Promise<RealCostFigures | { skipped: string }> {
  const file = realShopExport(options.root);
  if (!existsSync(file)) return { skipped: `${file} is not on this machine` };
  const sample = options.sample ?? REAL_SHOP.sample;
  const history = await loadOrderHistory(file, UCI_ONLINE_RETAIL);
  const run = historyToRun(history, {
    split: new Date(REAL_SHOP.split),
    until: new Date(REAL_SHOP.until),
    sample,
  });
  const shop = {
    start: new Date(REAL_SHOP.split),
    until: new Date(REAL_SHOP.until),
    profiles: run.profiles,
    events: run.events,
  };
  const metered = await runFlow({
    shop,
    config: run.config,
    workflow: options.workflow,
    templatesDir: options.templatesDir,
    meter: true,
  });
  return {
    sample,
    month: `${REAL_SHOP.split.slice(0, 10)} to ${REAL_SHOP.until.slice(0, 10)}`,
    orders: run.facts.orderEvents,
    products: run.facts.products,
    analysis: analyze([metered], metered, options.facts),
    productItems: productItemSizes(metered.capacity?.itemBytes ?? {}),
  };
}

/** The products table's written item sizes (its name ends in `products`). */
export function productItemSizes(itemBytes: Readonly<Record<string, readonly number[]>>): ItemSizes {
  const bytes = Object.entries(itemBytes)
    .filter(([table]) => table.endsWith('products'))
    .flatMap(([, sizes]) => sizes)
    .sort((a, b) => a - b);
  const at = (p: number) => bytes[Math.min(bytes.length - 1, Math.floor(p * bytes.length))] ?? 0;
  return {
    writes: bytes.length,
    median: at(0.5),
    p90: at(0.9),
    max: bytes.at(-1) ?? 0,
    over1Kb: bytes.filter((b) => b > 1024).length,
  };
}

/** What a catalogue entry's write looks like to the meter (ProductStore.upsert: its counts kept). */
const CATALOGUE_WRITE = /products UpdateItem SET orderCount = if_not_exists\(orderCount/;

/** Write units of the catalogue's product.upserted writes (a replay loads its whole catalogue at the start). */
export function catalogueWriteUnits(a: Analysis): number {
  return topWrites(a, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY)
    .filter(([shape]) => CATALOGUE_WRITE.test(shape))
    .reduce((n, [, u]) => n + u.write, 0);
}

function withoutCatalogue(a: Analysis): number {
  return a.cost.total - (catalogueWriteUnits(a) * PRICES.dynamoPerWriteUnit * 1000) / a.emails;
}

/** Section 5b: the real shop's cost per 1,000 emails beside the demo's, its largest writes, its product items. */
export function realCostSection(
  real: RealCostFigures | { skipped: string },
  demo: Analysis,
  demoProducts?: ItemSizes,
): Section {
  const title = "5b. AWS cost per 1,000 sent messages, a real shop's month (metered run)";
  if ('skipped' in real) return { title, lines: [`Not measured: ${real.skipped}.`] };
  const a = real.analysis;
  const per = (x: Analysis, n: number) => fmt(n / x.emails, 2);
  const line = (x: Analysis, item: string) => usd(x.cost.lines.find((l) => l.item === item)?.usd ?? 0);
  const sizes = (s: ItemSizes) => [
    fmt(s.writes, 0),
    fmt(s.median, 0),
    fmt(s.p90, 0),
    fmt(s.max, 0),
    `${fmt((s.over1Kb / Math.max(1, s.writes)) * 100, 1)}%`,
  ];
  return {
    title,
    tables: [
      [
        ['per sent message / per 1,000', 'demo', 'real shop'],
        ['emails sent', fmt(demo.emails, 0), fmt(a.emails, 0)],
        ['WRU per email', per(demo, demo.dynamo.write), per(a, a.dynamo.write)],
        ['of which GSI WRU', per(demo, demo.dynamo.indexWrite), per(a, a.dynamo.indexWrite)],
        ['RRU per email', per(demo, demo.dynamo.read), per(a, a.dynamo.read)],
        [
          'DynamoDB writes, $ per 1,000',
          line(demo, 'DynamoDB writes (on-demand)'),
          line(a, 'DynamoDB writes (on-demand)'),
        ],
        [
          'DynamoDB reads, $ per 1,000',
          line(demo, 'DynamoDB reads (on-demand)'),
          line(a, 'DynamoDB reads (on-demand)'),
        ],
        ['TOTAL on top of SES, $ per 1,000', usd(demo.cost.total), usd(a.cost.total)],
        [
          'WRU per email: catalogue writes (product.upserted)',
          per(demo, catalogueWriteUnits(demo)),
          per(a, catalogueWriteUnits(a)),
        ],
        [
          'TOTAL without the catalogue writes, $ per 1,000',
          usd(withoutCatalogue(demo)),
          usd(withoutCatalogue(a)),
        ],
      ],
      [
        ['product item after a write (bytes)', 'writes', 'median', 'p90', 'max', 'over 1 KB'],
        ...(demoProducts ? [['demo', ...sizes(demoProducts)]] : []),
        ['real shop', ...sizes(real.productItems)],
      ],
      [
        [
          'largest writes, real shop (week + SES feedback): table, operation, what',
          'requests/msg',
          'WRU/msg',
        ],
        ...topWrites(a, 8).map(([shape, u]) => [
          shape.replace(/^reciprocity-/, ''),
          per(a, u.requests),
          per(a, u.write),
        ]),
      ],
    ],
    notes: [
      `The UCI "Online Retail" export, ${real.month}, a ${fmt(real.sample * 100, 1)}% sample of its customers (as bench/real.ts and reciprocity history --sample ${real.sample}): ${real.orders} orders replayed, past orders imported unmetered (setup); audience off and one Delivery per email, as the demo's metered run. Durations are the metered run's own (the proxy slows it): an upper bound for Lambda and Express duration.`,
      "Item sizes are dynalite's (attribute names + values), the figure its write units use: a product write over 1,024 bytes is 2 WRU, and wholesale orders write 20-40 products.",
    ],
  };
}
