/**
 * Scoring of next-basket recommenders (bench/recs-real.ts): hit rate and recall at k, overall and apart for
 * repeat items (bought before the split) and explore items (not), as Li et al. ("A Next Basket
 * Recommendation Reality Check", ACM TOIS 2023) ask; and the grid the tuners walk.
 */
import type { Case } from './recs-data.js';
import type { Method } from './recs-models.js';

export interface Scores {
  cases: number;
  hit: number;
  recall: number;
  repeatCases: number;
  repeatHit: number;
  repeatRecall: number;
  exploreCases: number;
  exploreHit: number;
  exploreRecall: number;
  /** Share of suggested items the customer already owned. */
  owned: number;
}

export async function score(cases: readonly Case[], method: Method, k: number): Promise<Scores> {
  const s: Scores = {
    cases: cases.length,
    hit: 0,
    recall: 0,
    repeatCases: 0,
    repeatHit: 0,
    repeatRecall: 0,
    exploreCases: 0,
    exploreHit: 0,
    exploreRecall: 0,
    owned: 0,
  };
  let shown = 0;
  for (const c of cases) {
    const list = (await method(c, k)).slice(0, k);
    const inter = (set: ReadonlySet<number>) => list.filter((i) => set.has(i)).length;
    const all = inter(c.next);
    s.hit += all > 0 ? 1 : 0;
    s.recall += all / c.next.size;
    if (c.repeat.size) {
      const r = inter(c.repeat);
      s.repeatCases++;
      s.repeatHit += r > 0 ? 1 : 0;
      s.repeatRecall += r / c.repeat.size;
    }
    if (c.explore.size) {
      const e = inter(c.explore);
      s.exploreCases++;
      s.exploreHit += e > 0 ? 1 : 0;
      s.exploreRecall += e / c.explore.size;
    }
    s.owned += inter(c.owned);
    shown += list.length;
  }
  s.hit /= s.cases;
  s.recall /= s.cases;
  s.repeatHit /= s.repeatCases || 1;
  s.repeatRecall /= s.repeatCases || 1;
  s.exploreHit /= s.exploreCases || 1;
  s.exploreRecall /= s.exploreCases || 1;
  s.owned /= shown || 1;
  return s;
}

/** Every combination of the listed values. */
export function grid<T extends Record<string, readonly unknown[]>>(
  axes: T,
): { [K in keyof T]: T[K][number] }[] {
  let out: Record<string, unknown>[] = [{}];
  for (const [key, values] of Object.entries(axes))
    out = out.flatMap((o) => values.map((v) => ({ ...o, [key]: v })));
  return out as { [K in keyof T]: T[K][number] }[];
}
