/**
 * Co-purchase counts in bounded space. A real shop's popular item is bought with thousands of others; kept
 * whole, its counts grow without end, and with them the item every order rewrites (DynamoDB bills a write by
 * the item's size and refuses items over 400 KB). So each product keeps at most CO_PARTNERS_KEPT partners,
 * counted with Space-Saving (Metwally, Agrawal and El Abbadi, "Efficient Computation of Frequent and Top-k
 * Elements in Data Streams", ICDT 2005): a new partner takes the place of the least counted one, with that
 * count plus one. A partner that is more than 1/k of all the partners counted is never lost, and a count is
 * never under the truth (over by at most the count it replaced). Recommendations use a seed's strongest
 * eight partners (domain/recommend.ts); k = 64 keeps a partner seen in one order of three even when every
 * order brings twenty other partners, in a map of about 1 KB.
 */

export const CO_PARTNERS_KEPT = 64;

/** Counts one order's partners (distinct, other than the item itself) into `counts`; returns a new map. */
export function countCoPurchases(
  counts: Readonly<Record<string, number>>,
  partners: readonly string[],
  keep: number = CO_PARTNERS_KEPT,
): Record<string, number> {
  const next = new Map(Object.entries(counts));
  // An input over the bound (a map kept under a larger one) is cut to its strongest first.
  while (next.size > keep) next.delete(weakest(next));
  for (const partner of new Set(partners)) {
    const known = next.get(partner);
    if (known !== undefined) next.set(partner, known + 1);
    else if (next.size < keep) next.set(partner, 1);
    else {
      const evicted = weakest(next);
      const floor = next.get(evicted) ?? 0;
      next.delete(evicted);
      next.set(partner, floor + 1);
    }
  }
  return Object.fromEntries(next);
}

/** The least counted partner; of equals, the greatest sku, so the same orders always keep the same map. */
function weakest(counts: ReadonlyMap<string, number>): string {
  let out: string | undefined;
  let min = Number.POSITIVE_INFINITY;
  for (const [sku, n] of counts)
    if (n < min || (n === min && out !== undefined && sku > out)) {
      out = sku;
      min = n;
    }
  return out as string;
}
