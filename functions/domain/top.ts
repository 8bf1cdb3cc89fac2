/**
 * The first `k` of a list as a stable sort by `compare` would put them, without sorting the whole list: a
 * message's seeds bring up to 64 partners each (a wholesale order's 30 items: some 2,000 entries) and it
 * needs the strongest 8. The same result as `[...items].sort(compare).slice(0, k)`, ties in input order.
 */
export function firstBy<T>(items: Iterable<T>, k: number, compare: (a: T, b: T) => number): T[] {
  const best: T[] = [];
  if (k <= 0) return best;
  for (const item of items) {
    // At or after the last kept one: a stable sort would put it later.
    if (best.length === k && compare(item, best[k - 1] as T) >= 0) continue;
    let at = best.length;
    while (at > 0 && compare(item, best[at - 1] as T) < 0) at--;
    best.splice(at, 0, item);
    if (best.length > k) best.pop();
  }
  return best;
}
