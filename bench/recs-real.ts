/**
 * Recommendations on a real shop's history (`npm run eval:recs -- --data=FILE.csv.gz`, or `--real` for the
 * UCI Online Retail months in ../shared/data): train on every order before 2011-05-01, and for each customer
 * with an order before it and one in May-June, score the top 3 and top 5 against their first order in
 * May-June. Hit rate and recall, overall and apart for repeat items (bought before the split) and explore
 * items (not), as Li et al. ("A Next Basket Recommendation Reality Check", ACM TOIS 2023) ask. TIFU-kNN's,
 * UP-CF@r's (bench/recs-upcf.ts) and buy-again's settings are chosen on a validation split that ends before
 * the test starts (train before 2011-03-01, first order in March-April). Prints a table and writes bench/results/recommendations-real.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describeHistory, loadOrderHistory, UCI_ONLINE_RETAIL } from '../cli/order-history.js';
import { BUY_AGAIN_WEIGHTS, type BuyAgainWeights } from '../functions/domain/buy-again.js';
import { RECOMMEND_WEIGHTS, type RecommendWeights } from '../functions/domain/recommend.js';
import { SUGGEST_MIX, type SuggestMix } from '../functions/domain/suggest.js';
import { type Case, type Split, splitOf, worldOf } from './recs-data.js';
import { buyAgainOnly, engine } from './recs-engine.js';
import {
  type Context,
  contextOf,
  coOccurrence,
  engineToday,
  globalPopularity,
  type Method,
  personalPopularity,
  type TifuParams,
  tifuKnn,
  tifuModel,
} from './recs-models.js';
import { grid, score } from './recs-score.js';
import { type Stored, storedOf } from './recs-stored.js';
import { tuneUpcf, UPCF_GRID, upcf } from './recs-upcf.js';

/** The UCI months beside the checkout (../shared/data, as bench/real.ts finds them), whatever the working directory. */
export const DEFAULT_DATA = fileURLToPath(
  new URL('../../shared/data/online-retail/online-retail-2010-12-to-2011-06.csv.gz', import.meta.url),
);

const TIFU_GRID = {
  groups: [3, 7],
  withinDecay: [0.9, 1],
  groupDecay: [0.6, 0.8],
  neighbours: [100, 300],
  alpha: [0.5, 0.7, 0.9],
} as const;

/** Neighbour counts tried for TIFU-kNN's explore variant (its user-kNN part alone; alpha does not matter). */
const TIFU_EXPLORE_NEIGHBOURS = [25, 50, 100, 300] as const;

/**
 * TIFU-kNN settings with the best validation recall@5 (the paper's tuning metric), ties to the first;
 * `newOnly` (items the customer never bought alone): the best explore hit rate at 5 instead.
 */
async function tuneTifu(ctx: Context, newOnly = false): Promise<{ best: TifuParams; tried: number }> {
  let best: { p: TifuParams; r: number } | undefined;
  let tried = 0;
  const neighbours = newOnly ? TIFU_EXPLORE_NEIGHBOURS : TIFU_GRID.neighbours;
  for (const v of grid({
    groups: TIFU_GRID.groups,
    withinDecay: TIFU_GRID.withinDecay,
    groupDecay: TIFU_GRID.groupDecay,
  })) {
    const model = tifuModel(ctx, v, Math.max(...neighbours));
    for (const q of grid({ neighbours, alpha: newOnly ? [0.5] : TIFU_GRID.alpha })) {
      tried++;
      const s = await score(ctx.split.cases, model({ ...q, newOnly }), 5);
      const r = newOnly ? s.exploreHit : s.recall;
      if (!best || r > best.r) best = { p: { ...v, ...q }, r };
    }
  }
  return { best: best!.p, tried };
}

/** The buy-again weights with the best validation hit rate at 3 and 5 (re-orders alone), ties to the first. */
async function tuneBuyAgain(ctx: Context, stored: Stored): Promise<{ best: BuyAgainWeights; tried: number }> {
  let best = BUY_AGAIN_WEIGHTS;
  let bestHit = -1;
  let tried = 0;
  for (const w of grid(BUY_AGAIN_GRID)) {
    tried++;
    const method = buyAgainOnly(ctx.world, stored, ctx.byPopularity, w);
    const h = (await score(ctx.split.cases, method, 3)).hit + (await score(ctx.split.cases, method, 5)).hit;
    if (h > bestHit) [bestHit, best] = [h, w];
  }
  return { best, tried };
}

/**
 * How re-orders and new items share the slots (functions/domain/suggest.ts SUGGEST_MIX): every setting of
 * MIX_GRID on the validation split, the engine as Personalize runs it, by hit rate at 3 plus 5 (the shipped
 * mix is set from this by hand, and the report says whether they agree). Explore hit is kept beside it.
 */
async function tuneMix(ctx: Context, stored: Stored) {
  const rows: { mix: Partial<SuggestMix>; hit3: number; hit5: number; explore5: number }[] = [];
  for (const mix of grid(MIX_GRID)) {
    const method = engine(ctx.world, stored, { request: () => ({ mix, reorders: 'everything' }) });
    const s3 = await score(ctx.split.cases, method, 3);
    const s5 = await score(ctx.split.cases, method, 5);
    rows.push({ mix, hit3: s3.hit, hit5: s5.hit, explore5: s5.exploreHit });
  }
  rows.sort((a, b) => b.hit3 + b.hit5 - (a.hit3 + a.hit5));
  return rows;
}

/**
 * The shop's own weights for new items (config.recommendationWeights): every setting of EXPLORE_GRID on the
 * validation split, new items alone (no re-order slots), by explore hit rate at 3 plus 5.
 */
async function tuneExplore(ctx: Context, stored: Stored) {
  let best: Partial<RecommendWeights> = {};
  let bestHit = -1;
  let tried = 0;
  for (const weights of grid(EXPLORE_GRID)) {
    tried++;
    const method = engine(ctx.world, stored, { request: () => ({ buyAgainSlots: 0, weights }) });
    const h =
      (await score(ctx.split.cases, method, 3)).exploreHit +
      (await score(ctx.split.cases, method, 5)).exploreHit;
    if (h > bestHit) [bestHit, best] = [h, weights];
  }
  return { best, tried };
}

const EXPLORE_GRID = {
  coPurchase: [3, 8, 16],
  affinity: [0, 0.5, 1.5],
  popularity: [1],
  fresh: [0, 0.5],
  peers: [1, 3, 8],
} as const;

const MIX_GRID = {
  minExplore: [0, 1],
  dueScore: [0, 0.2, 0.35],
  planExtra: [2],
} as const;

const BUY_AGAIN_GRID = {
  dueWidth: [0.5, 1, 2],
  timing: [0, 0.2, 0.5],
  onceTiming: [0.5],
  halfLifeDays: [60, 180, Number.POSITIVE_INFINITY],
  popularity: [0.01, 0.1, 0.3],
} as const;

/** The engine's rows: re-orders alone, new items alone, and both as Personalize asks for them. */
function engineRows(
  ctx: Context,
  stored: Stored,
  weights: BuyAgainWeights,
  shop: Partial<RecommendWeights>,
): [string, (k: number) => Method][] {
  const { world } = ctx;
  return [
    [
      'buy-again only (`buyAgain` on the stored history)',
      () => buyAgainOnly(world, stored, ctx.byPopularity, weights),
    ],
    [
      'explore only, without "shoppers like you" (peers weight 0)',
      () => engine(world, stored, { request: () => ({ buyAgainSlots: 0, weights: { peers: 0 } }) }),
    ],
    [
      'explore only (`suggest` without re-order slots)',
      () => engine(world, stored, { request: () => ({ buyAgainSlots: 0 }) }),
    ],
    [
      'explore only, the weights tuned for this shop',
      () => engine(world, stored, { request: () => ({ buyAgainSlots: 0, weights: shop }) }),
    ],
    ['the engine as shipped (`reorders: regulars`, default weights)', () => engine(world, stored)],
    [
      'the engine, `reorders: regulars`, the weights tuned for this shop',
      () => engine(world, stored, { request: () => ({ weights: shop }) }),
    ],
    [
      '**the engine configured for this shop** (`reorders: everything` as `reciprocity history` sets it, the tuned weights)',
      () => engine(world, stored, { request: () => ({ reorders: 'everything', weights: shop }) }),
    ],
  ];
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Rows of the results table, hit and recall at 3 and 5 for each recommender. */
async function tableOf(
  cases: readonly Case[],
  methods: [string, (k: number) => Method][],
  log: (m: string) => void,
) {
  const rows: string[] = [];
  for (const [name, make] of methods) {
    for (const k of [3, 5]) {
      const s = await score(cases, make(k), k);
      rows.push(
        `| ${name} | ${k} | ${pct(s.hit)} | ${pct(s.recall)} | ${pct(s.repeatHit)} | ${pct(s.repeatRecall)} | ${pct(s.exploreHit)} | ${pct(s.exploreRecall)} | ${pct(s.owned)} |`,
      );
    }
    log(name);
  }
  return [
    '| recommender | k | hit | recall | repeat hit | repeat recall | explore hit | explore recall | owned share |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

/** The baselines every split is scored against (TIFU-kNN only where it was tuned). */
function baselines(ctx: Context): [string, (k: number) => Method][] {
  return [
    ['personal popularity (own most-bought)', () => personalPopularity(ctx)],
    ['global popularity', () => globalPopularity(ctx)],
    ['item co-occurrence (last basket)', () => coOccurrence(ctx, false)],
    ['item co-occurrence, new items only', () => coOccurrence(ctx, true)],
  ];
}

/** `quick`: the validation split only, without TIFU-kNN (for tuning by hand); prints its table. */
export async function runReal(path: string, quick = false): Promise<void> {
  const t0 = Date.now();
  const history = await loadOrderHistory(path, UCI_ONLINE_RETAIL);
  const world = worldOf(history.orders);
  const log = (m: string) => console.error(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${m}`);
  log(describeHistory(history));

  const validation = contextOf(
    world,
    splitOf(world, 'validation', '2011-03-01T00:00:00Z', '2011-05-01T00:00:00Z'),
  );
  log(`validation: ${validation.split.cases.length} cases`);
  const validationStored = storedOf(world, validation.split);
  const again = await tuneBuyAgain(validation, validationStored);
  log(`buy-again tuned (${again.tried} settings): ${JSON.stringify(again.best)}`);
  const explore = await tuneExplore(validation, validationStored);
  log(`explore weights tuned (${explore.tried} settings): ${JSON.stringify(explore.best)}`);
  const validationTable = await tableOf(
    validation.split.cases,
    [...baselines(validation), ...engineRows(validation, validationStored, again.best, explore.best)],
    log,
  );
  const mixes = await tuneMix(validation, validationStored);
  const mixTable = [
    '| minExplore | dueScore | planExtra | hit@3 | hit@5 | explore hit@5 |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...mixes
      .slice(0, 8)
      .map(
        (r) =>
          `| ${r.mix.minExplore} | ${r.mix.dueScore} | ${r.mix.planExtra} | ${pct(r.hit3)} | ${pct(r.hit5)} | ${pct(r.explore5)} |`,
      ),
  ].join('\n');
  log(`mix tuned (${mixes.length} settings): best ${JSON.stringify(mixes[0]?.mix)}`);
  if (quick) {
    console.log(`${validationTable}\n\n${mixTable}`);
    return;
  }
  const tifu = await tuneTifu(validation);
  log(`TIFU-kNN tuned (${tifu.tried} settings): ${JSON.stringify(tifu.best)}`);
  const tifuExplore = await tuneTifu(validation, true);
  log(`TIFU-kNN new items only tuned (${tifuExplore.tried} settings): ${JSON.stringify(tifuExplore.best)}`);
  const up = await tuneUpcf(validation);
  log(`UP-CF@r tuned (${up.tried} settings): ${JSON.stringify(up.best)}`);
  const upExplore = await tuneUpcf(validation, true);
  log(`UP-CF@r new items only tuned (${upExplore.tried} settings): ${JSON.stringify(upExplore.best)}`);
  validation.split.coCounts.fill(0);

  const split: Split = splitOf(world, 'test', '2011-05-01T00:00:00Z', '2011-07-01T00:00:00Z');
  const ctx = contextOf(world, split);
  const stored = storedOf(world, split);
  const cases = split.cases;
  const repeatShare = cases.filter((c) => c.repeat.size > 0).length / cases.length;
  log(`test: ${cases.length} cases, ${pct(repeatShare)} with a repeat item`);

  const table = await tableOf(
    cases,
    [
      ...baselines(ctx),
      ['TIFU-kNN', () => tifuKnn(ctx, tifu.best)],
      ['TIFU-kNN, new items only (its neighbours part)', () => tifuKnn(ctx, tifuExplore.best, true)],
      ['UP-CF@r', () => upcf(ctx, up.best)],
      ["UP-CF@r, new items only (similar customers' recent items)", () => upcf(ctx, upExplore.best, true)],
      ['recommend.ts alone (the engine before re-orders)', () => engineToday(ctx)],
      ...engineRows(ctx, stored, again.best, explore.best),
    ],
    log,
  );
  const c0 = cases[0] ? await score(cases, () => [], 3) : undefined;
  const exploreCases = cases.filter((c) => c.explore.size > 0);
  const soldBefore = exploreCases.filter((c) => [...c.explore].some((i) => split.popularity[i]! > 0)).length;
  const onlyLater = exploreCases.filter((c) => [...c.explore].some((i) => split.popularity[i] === 0)).length;
  const text = `# Recommendations on a real shop's history

UCI "Online Retail" (a UK gift shop; many customers are small wholesalers), ${path.split('/').at(-1)}:
${describeHistory(history)}.
Time split: trained on every order before 2011-05-01; evaluated on each customer's first order in May-June
2011 who also ordered before the split: ${cases.length} customers (the suggestions a thank-you for their last
order before May would have carried). ${pct(repeatShare)} of those next orders contain an item the customer
had bought before; ${c0?.exploreCases} contain at least one item they had not (${c0?.repeatCases} at least one
they had).

A hit: at least one of the top k is in the next order; recall: the share of the next order's items in the top
k (mean over customers). Repeat columns count only items bought before the split, over the ${c0?.repeatCases}
customers whose next order has one; explore columns only items not bought before, over the ${c0?.exploreCases}
whose next order has one. Owned share: of all items suggested, the share the customer had already bought.
Of those ${exploreCases.length}, ${pct(soldBefore / (exploreCases.length || 1))} hold a new-to-them item the shop had sold before the split
(what any recommender trained before it can reach), and ${pct(onlyLater / (exploreCases.length || 1))} one first sold after it.

${table}

- Categories (the shop has none): from the item's name by keyword rules, first match wins
  (\`keywordCategory\` in cli/order-history.ts: christmas, jewellery, candles and lights, cards and wrap, party,
  stationery, bags, kitchen and dining, storage, garden, toys and kids, warmers and wear, home decor, other).
- TIFU-kNN (Hu et al., SIGIR 2020), the authors' computation: ${JSON.stringify(tifu.best)}, chosen by recall@5
  among ${tifu.tried} settings (${Object.entries(TIFU_GRID)
    .map(([k, v]) => `${k} ${v.join('/')}`)
    .join(', ')}) on the validation split (train before 2011-03-01, first order in March-April 2011).
  Its new-items-only row ranks what the nearest customers bought that this one never did (the user-kNN
  part; items the customer owns are left out): ${JSON.stringify({ ...tifuExplore.best, alpha: undefined })},
  chosen by explore hit rate at 5 among ${tifuExplore.tried} settings (neighbours ${TIFU_EXPLORE_NEIGHBOURS.join('/')})
  on the same split.
- UP-CF@r (Faggioli, Polato, Aiolli, UMAP 2020; bench/recs-upcf.ts, the paper's definition: each user's
  share of their last r baskets holding an item, summed over every user weighted by the asymmetric cosine
  of their item sets to the power q): ${JSON.stringify(up.best)}, chosen by recall@5 among ${up.tried} settings
  (${Object.entries(UPCF_GRID)
    .map(([k, v]) => `${k} ${v.join('/')}`)
    .join(', ')}) on the validation split; its new-items-only row (the customer's own items left out):
  ${JSON.stringify(upExplore.best)}, chosen by explore hit rate at 5 on the same split and grid.
- Weights for new items tuned for this shop (config.recommendationWeights; the default is
  ${JSON.stringify(RECOMMEND_WEIGHTS)}, tuned on the demo shop but for peers, chosen on this validation split), chosen on the same validation split by
  explore hit rate at 3 and 5 of new items alone among ${explore.tried} settings: ${JSON.stringify(explore.best)}.
  To use them: \`"recommendationWeights": ${JSON.stringify(explore.best)}\` in the shop's config.json.
- Buy-again weights (functions/domain/buy-again.ts), chosen on the same validation split by hit rate at 3
  and 5 of re-orders alone among ${again.tried} settings: ${JSON.stringify(again.best)}.
- The engine: the use case Personalize runs (\`suggestionsFor\`, functions/usecases/suggestions.ts, around
  the pure \`suggest\` of functions/domain/suggest.ts) for the thank-you of the customer's last order before
  the split, its catalogue reads answered from what the product would have stored after the training orders (bench/recs-stored.ts: per product its order count,
  its bounded co-purchase state of 64 partners counted with Space-Saving and read as count minus error, its first sale as \`addedAt\`; per
  customer the bounded purchase history, category counts, the last 20 skus, the order gap, and the
  "shoppers like you" picks the weekly peer sweep computes from those histories, functions/domain/peers.ts).
- recommend.ts alone: \`recommend\` as Personalize called it before re-orders (seeds: the last order's items;
  candidates: their strongest partners and the 10 most ordered items of the seeds' and the customer's top
  categories; \`recentlyBought\`: the last 20 skus), on exact co-purchase counts.

Validation split (train before 2011-03-01, first order in March-April 2011; the settings above were chosen
here):

${validationTable}

How re-orders and new items share the slots (SUGGEST_MIX in functions/domain/suggest.ts, shipped as
${JSON.stringify({ minExplore: SUGGEST_MIX.minExplore, dueScore: SUGGEST_MIX.dueScore, planExtra: SUGGEST_MIX.planExtra })}),
the engine with \`reorders: everything\` on the validation split, best first by hit@3 + hit@5:

${mixTable}

Generated by \`npm run eval:recs -- --real\` in ${((Date.now() - t0) / 1000).toFixed(0)} s.
`;
  console.log(text);
  await mkdir('bench/results', { recursive: true });
  await writeFile('bench/results/recommendations-real.md', text);
}
