/**
 * Offline evaluation of recommendations (`npm run eval:recs`): on a time split of the demo shop, train on
 * the orders before the demo week (co-purchase counts, category affinity, popularity, exactly as the catalogue
 * and profiles would hold them), then for every order in the week ask: was one of its items among the top 3 /
 * top 5 the customer would have been shown? Compared with the popularity baseline. Prints a table and writes
 * bench/results/recommendations.md.
 *
 * With `--data=FILE.csv[.gz]` (or `--data FILE`, or `--real` for ../shared/data's UCI Online Retail months) it
 * evaluates on a real shop's history instead: bench/recs-real.ts (`--quick`: its validation split only).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { generateDemoShop } from '../cli/demo-data.js';
import { tasteOf } from '../functions/domain/feedback.js';
import { peerPicks } from '../functions/domain/peers.js';
import { type Product, pickRecommendations, recommend } from '../functions/domain/recommend.js';

interface Order {
  customerId: string;
  at: number;
  skus: string[];
}

const args = process.argv.slice(2);
const dataAt = args.indexOf('--data');
const data =
  args.find((a) => a.startsWith('--data='))?.slice('--data='.length) ??
  (dataAt >= 0 ? args[dataAt + 1] : undefined);
if (data || args.includes('--real')) {
  const { DEFAULT_DATA, runReal } = await import('./recs-real.js');
  await runReal(data ?? DEFAULT_DATA, args.includes('--quick'));
} else await runDemo();

/** The synthetic demo shop (the mode this evaluation started with). */
async function runDemo(): Promise<void> {
  const customers = Number(process.argv.find((a) => a.startsWith('--customers='))?.split('=')[1] ?? 5000);
  const shop = generateDemoShop({ customers, seed: 7 });
  const split = shop.start.getTime();

  const orders: Order[] = [];
  for (const p of shop.profiles as {
    customerId: string;
    orders: { placedAt: string; items: { sku: string }[] }[];
  }[]) {
    for (const o of p.orders)
      orders.push({ customerId: p.customerId, at: Date.parse(o.placedAt), skus: o.items.map((i) => i.sku) });
  }
  for (const e of shop.events as {
    'detail-type': string;
    time: string;
    detail: { customerId: string; items?: { sku: string }[] };
  }[]) {
    if (e['detail-type'] === 'order.placed' && e.detail.items?.length) {
      orders.push({
        customerId: e.detail.customerId,
        at: Date.parse(e.time),
        skus: e.detail.items.map((i) => i.sku),
      });
    }
  }
  const train = orders.filter((o) => o.at < split);
  const test = orders.filter((o) => o.at >= split);

  // What the catalogue would hold after the training orders.
  const products = new Map<string, Product>(
    shop.catalogue.map((c) => [c.sku, { ...c, orderCount: 0, coBought: {} as Record<string, number> }]),
  );
  const history = new Map<string, Order[]>();
  for (const o of train) {
    for (const sku of o.skus) {
      const p = products.get(sku)!;
      p.orderCount += 1;
      for (const other of o.skus) if (other !== sku) p.coBought![other] = (p.coBought![other] ?? 0) + 1;
    }
    history.set(o.customerId, [...(history.get(o.customerId) ?? []), o]);
  }
  const catalogue = [...products.values()];
  // What the weekly peer sweep would have stored at the split ("shoppers like you").
  const peers = peerPicks(
    [...history].map(([customerId, past]) => ({
      customerId,
      items: [...new Set(past.flatMap((p) => p.skus))],
    })),
  );

  function evaluate(k: number) {
    let model = 0;
    let withPeers = 0;
    let baseline = 0;
    let cases = 0;
    for (const o of test) {
      const past = history.get(o.customerId);
      if (!past?.length) continue; // cold start: both fall back to popularity
      cases++;
      const held = [...new Set(past.flatMap((p) => p.skus))];
      const categories: Record<string, number> = {};
      for (const sku of held) {
        const c = products.get(sku)?.category;
        if (c) categories[c] = (categories[c] ?? 0) + 1;
      }
      const recent = past.at(-1)!.skus;
      const input = {
        seeds: recent.map((s) => products.get(s)!),
        candidates: catalogue,
        taste: tasteOf(),
        purchasedCategories: categories,
        recentlyBought: new Set(held),
        limit: k,
      };
      const picks = recommend(input).map((r) => r.sku);
      const peerPicked = recommend({ ...input, peers: new Map(peers.get(o.customerId) ?? []) }).map(
        (r) => r.sku,
      );
      if (o.skus.some((s) => peerPicked.includes(s))) withPeers++;
      const popular = pickRecommendations(catalogue, new Set(held), k).map((r) => r.sku);
      if (o.skus.some((s) => picks.includes(s))) model++;
      if (o.skus.some((s) => popular.includes(s))) baseline++;
    }
    return { k, cases, model: model / cases, withPeers: withPeers / cases, baseline: baseline / cases };
  }

  const rows = [evaluate(3), evaluate(5)];
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const table = [
    '| k | orders evaluated | hit rate: Reciprocity | with "shoppers like you" | hit rate: popularity | lift (with) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.k} | ${r.cases} | ${pct(r.model)} | ${pct(r.withPeers)} | ${pct(r.baseline)} | ${(r.model / r.baseline).toFixed(2)}x (${(r.withPeers / r.baseline).toFixed(2)}x) |`,
    ),
  ].join('\n');
  const text = `# Offline evaluation of recommendations

  Demo shop (${customers} customers, seed 7): trained on ${train.length} orders before ${shop.start.toISOString()},
  evaluated on ${test.length} orders in the following week (${rows[0]!.cases} by customers with history). A hit: one
  of the order's items was among the top k recommended from the customer's history (co-purchase + category
  affinity + popularity; "with shoppers like you": also the picks the weekly peer sweep would have stored at
  the split, domain/peers.ts), already-bought items excluded for both. Generated by \`npm run eval:recs\`.

  ${table}
  `;
  console.log(text);
  await mkdir('bench/results', { recursive: true });
  await writeFile('bench/results/recommendations.md', text);
}
