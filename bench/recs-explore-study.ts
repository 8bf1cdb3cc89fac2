/**
 * How far explore can go on the real shop (`npx tsx bench/recs-explore-study.ts [FILE]`, about 20 seconds): the
 * items a customer never bought, scored as bench/recs-real.ts scores explore (hit rate at 5 over the
 * customers whose next order holds one), for signals Personalize does not have today, beside item
 * co-occurrence of the last basket (the goal's baseline):
 * - names: the words of product names shared with what the customer bought (weighted by rarity; recent
 *   orders count more): variants of a line the customer already stocks;
 * - recent: what the shop sold in the 30 days before the split;
 * - user-kNN: what the customer's nearest customers own (cosine over the sets of items ever bought);
 * - blends of them, each signal scaled to its maximum per customer.
 * Every setting is chosen on the validation split (train before March, first order in March-April) and then
 * scored once on the test split (train before May, May-June). Also printed: a per-customer oracle that takes
 * whichever of the signals' top 5 hits, a bound no single ranking reaches. A study, not a recommender: it
 * reads every customer's history at once, as a periodic job could and Personalize does not.
 */
import { loadOrderHistory, UCI_ONLINE_RETAIL } from '../cli/order-history.js';
import { type Case, type Split, splitOf, topScored, type World, worldOf } from './recs-data.js';
import { DEFAULT_DATA } from './recs-real.js';
import { grid } from './recs-score.js';

type Signal = (c: Case) => Float64Array;

/** The k best-scored items the customer does not own. */
const topNew = (split: Split, scores: Float64Array, c: Case, k: number) =>
  topScored(split.popularity.keys(), scores, split.popularity, k, c.owned);

const exploreCases = (split: Split) => split.cases.filter((c) => c.explore.size > 0);

function exploreHit(split: Split, signal: Signal, k = 5): number {
  const cases = exploreCases(split);
  const hits = cases.filter((c) => topNew(split, signal(c), c, k).some((j) => c.explore.has(j))).length;
  return hits / cases.length;
}

const scaled = (a: Float64Array) => {
  let max = 0;
  for (const v of a) if (v > max) max = v;
  if (max > 0) for (let i = 0; i < a.length; i++) a[i]! /= max;
  return a;
};

function signalsOf(world: World, split: Split) {
  const { n, coCounts, popularity } = split;
  const words = world.names.map((name) =>
    [...new Set(name.toUpperCase().split(/[^A-Z]+/))].filter((w) => w.length > 2),
  );
  const withWord = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    if (!(popularity[i]! > 0)) continue;
    for (const w of words[i]!) {
      const list = withWord.get(w) ?? [];
      list.push(i);
      withWord.set(w, list);
    }
  }
  const users = [...split.history.keys()];
  const position = new Map(users.map((u, i) => [u, i]));
  const owned = users.map((u) => new Set(split.history.get(u)!.flatMap((b) => b.items)));
  const owners = new Map<number, number[]>();
  owned.forEach((items, ui) => {
    for (const i of items) {
      const list = owners.get(i) ?? [];
      list.push(ui);
      owners.set(i, list);
    }
  });
  const cache = new Map<string, Float64Array>();
  const memo = (key: string, c: Case, make: () => Float64Array) => {
    const k = `${key}|${c.customerId}`;
    let v = cache.get(k);
    if (!v) {
      v = make();
      cache.set(k, v);
    }
    return v;
  };
  return {
    coOccurrence: (c: Case) =>
      memo('co', c, () => {
        const s = new Float64Array(n);
        for (const i of c.past.at(-1)!.items) for (let j = 0; j < n; j++) s[j]! += coCounts[i * n + j]!;
        return scaled(s);
      }),
    names: (c: Case) =>
      memo('names', c, () => {
        const weight = new Map<string, number>();
        c.past.forEach((b, t) => {
          const w = 0.8 ** (c.past.length - 1 - t);
          for (const i of b.items)
            for (const word of words[i]!) weight.set(word, (weight.get(word) ?? 0) + w);
        });
        const s = new Float64Array(n);
        for (const [word, w] of weight) {
          const items = withWord.get(word) ?? [];
          const f = Math.log(1 + n / (items.length || 1)) * Math.log(1 + w);
          for (const j of items) s[j]! += f;
        }
        for (let j = 0; j < n; j++) s[j]! /= Math.sqrt(words[j]!.length || 1);
        return scaled(s);
      }),
    recent: (c: Case) => memo('recent', c, () => scaled(Float64Array.from(split.recentPopularity))),
    userKnn: (p: { neighbours: number; power: number; idf: number }) => (c: Case) =>
      memo(JSON.stringify(p), c, () => {
        const self = position.get(c.customerId)!;
        const mine = owned[self]!;
        const dot = new Float64Array(users.length);
        for (const i of mine) {
          const list = owners.get(i)!;
          const w = p.idf ? Math.log(users.length / list.length) : 1;
          for (const ui of list) dot[ui]! += w;
        }
        dot[self] = 0;
        const near = [...dot.keys()]
          .filter((ui) => dot[ui]! > 0)
          .map((ui) => [ui, dot[ui]! / Math.sqrt(owned[ui]!.size * mine.size)] as const)
          .sort((a, b) => b[1] - a[1] || a[0] - b[0])
          .slice(0, p.neighbours);
        const s = new Float64Array(n);
        for (const [ui, sim] of near) for (const i of owned[ui]!) s[i]! += sim ** p.power;
        return scaled(s);
      }),
  };
}

function blend(parts: [Signal, number][]): Signal {
  return (c) => {
    const out = new Float64Array(parts[0]![0](c).length);
    for (const [signal, w] of parts) {
      if (!w) continue;
      const s = signal(c);
      for (let i = 0; i < s.length; i++) out[i]! += w * s[i]!;
    }
    return out;
  };
}

const KNN_GRID = { neighbours: [50, 100, 200, 400], power: [1, 2], idf: [0, 1] } as const;
const BLEND_GRID = { names: [0, 0.5, 1], recent: [0, 0.3, 0.5], users: [0, 0.5, 1, 2] } as const;

const history = await loadOrderHistory(process.argv[2] ?? DEFAULT_DATA, UCI_ONLINE_RETAIL);
const world = worldOf(history.orders);
const validation = splitOf(world, 'validation', '2011-03-01T00:00:00Z', '2011-05-01T00:00:00Z');
const v = signalsOf(world, validation);
const best = <T>(options: T[], make: (o: T) => Signal) => {
  let top: { o: T; hit: number } | undefined;
  for (const o of options) {
    const hit = exploreHit(validation, make(o));
    if (!top || hit > top.hit) top = { o, hit };
  }
  return top!;
};
const knn = best(grid(KNN_GRID), (p) => v.userKnn(p));
const mix = best(grid(BLEND_GRID), (w) =>
  blend([
    [v.coOccurrence, 1],
    [v.names, w.names],
    [v.recent, w.recent],
    [v.userKnn(knn.o), w.users],
  ]),
);
validation.coCounts.fill(0);

const test = splitOf(world, 'test', '2011-05-01T00:00:00Z', '2011-07-01T00:00:00Z');
const t = signalsOf(world, test);
const rows: [string, Signal][] = [
  ['item co-occurrence (last basket), the baseline', t.coOccurrence],
  ['product-name words', t.names],
  ['recent popularity (30 days)', t.recent],
  [`user-kNN ${JSON.stringify(knn.o)}`, t.userKnn(knn.o)],
  [
    'co-occurrence + names',
    blend([
      [t.coOccurrence, 1],
      [t.names, 1],
    ]),
  ],
  [
    `blend ${JSON.stringify({ coOccurrence: 1, ...mix.o })}`,
    blend([
      [t.coOccurrence, 1],
      [t.names, mix.o.names],
      [t.recent, mix.o.recent],
      [t.userKnn(knn.o), mix.o.users],
    ]),
  ],
];
const baseline = exploreHit(test, t.coOccurrence);
const cases = exploreCases(test);
console.log(
  `Explore hit rate at 5 on the test split (${cases.length} customers whose next order holds a new item):`,
);
console.log('| signal | explore hit@5 | vs co-occurrence |\n| --- | ---: | ---: |');
for (const [name, signal] of rows) {
  const hit = exploreHit(test, signal);
  console.log(`| ${name} | ${(hit * 100).toFixed(1)}% | ${(hit / baseline).toFixed(2)}x |`);
}
const signals = rows.slice(0, 4).map(([, s]) => s);
const oracle = cases.filter((c) =>
  signals.some((s) => topNew(test, s(c), c, 5).some((j) => c.explore.has(j))),
).length;
console.log(
  `\nUser-kNN and the blend chosen on the validation split (${knn.hit.toFixed(3)}, ${mix.hit.toFixed(3)} there) among ` +
    `${grid(KNN_GRID).length} and ${grid(BLEND_GRID).length} settings. Oracle (whichever of the first four signals' ` +
    `top 5 hits, per customer): ${((oracle / cases.length) * 100).toFixed(1)}%. The goal, 1.5x: ${(baseline * 150).toFixed(1)}%.`,
);
