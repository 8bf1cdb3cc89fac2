/**
 * Co-purchase counts in bounded space. A real shop's popular item is bought with thousands of others; kept
 * whole, its counts grow without end, and with them the item every order rewrites (DynamoDB bills a write by
 * the item's size and refuses items over 400 KB). So each product keeps at most CO_PARTNERS_KEPT partners,
 * counted with Space-Saving (Metwally, Agrawal and El Abbadi, "Efficient Computation of Frequent and Top-k
 * Elements in Data Streams", ICDT 2005): a new partner takes the place of the least counted one, with that
 * count plus one. A partner that is more than 1/k of all the partners counted is never lost, and a count is
 * never under the truth (over by at most the count it replaced).
 *
 * The count a partner inherited on taking an evicted one's place is kept as its `error`: count - error is a
 * count the partner certainly reached (never over the truth), and that is what readers get
 * (`guaranteedCounts`). A popular item's list fills with one-off partners that each inherited the floor;
 * ranked by their raw counts they tie with or beat partners bought together often, ranked by guaranteed counts
 * they fall to zero and drop out. Recommendations use a seed's strongest eight partners (domain/recommend.ts);
 * k = 64 keeps a partner seen in one order of three even when every order brings twenty other partners, in
 * a map of about 1 KB.
 */

export const CO_PARTNERS_KEPT = 64;

/**
 * A product's Space-Saving state: per partner its count, and (only when not 0) the count it inherited.
 * Maps stored before errors were kept have none: every error is then 0, as when the map never overflowed.
 */
export interface CoPurchases {
  counts: Record<string, number>;
  errors: Record<string, number>;
}

/** Counts one order's partners (distinct, other than the item itself) into `co`; returns a new state. */
export function countCoPurchases(
  co: Readonly<CoPurchases>,
  partners: readonly string[],
  keep: number = CO_PARTNERS_KEPT,
): CoPurchases {
  const tally = new CoPurchaseTally(co, keep);
  tally.add(partners);
  return tally.state();
}

/**
 * Space-Saving counted in place: for many orders of one product (an import, or a batch of live orders),
 * without copying the map per order. The same results as `countCoPurchases` order by order.
 */
export class CoPurchaseTally {
  private readonly entries = new Map<string, { count: number; error: number }>();

  constructor(
    co: Readonly<CoPurchases> = { counts: {}, errors: {} },
    private readonly keep: number = CO_PARTNERS_KEPT,
  ) {
    for (const [sku, count] of Object.entries(co.counts)) {
      const error = Math.min(count, Math.max(0, co.errors[sku] ?? 0));
      this.entries.set(sku, { count, error });
    }
    // An input over the bound (a map kept under a larger one) is cut to its strongest first.
    while (this.entries.size > keep) this.entries.delete(this.weakest());
  }

  /** One order's partners (duplicates count once). */
  add(partners: readonly string[]): void {
    for (const partner of new Set(partners)) {
      const known = this.entries.get(partner);
      if (known) known.count += 1;
      else if (this.entries.size < this.keep) this.entries.set(partner, { count: 1, error: 0 });
      else {
        const evicted = this.weakest();
        const floor = this.entries.get(evicted)?.count ?? 0;
        this.entries.delete(evicted);
        this.entries.set(partner, { count: floor + 1, error: floor });
      }
    }
  }

  /** The state to store: counts, and the errors that are not 0. */
  state(): CoPurchases {
    const counts: Record<string, number> = {};
    const errors: Record<string, number> = {};
    for (const [sku, { count, error }] of this.entries) {
      counts[sku] = count;
      if (error > 0) errors[sku] = error;
    }
    return { counts, errors };
  }

  /** The least counted partner; of equals, the greatest sku, so the same orders always keep the same map. */
  private weakest(): string {
    let out: string | undefined;
    let min = Number.POSITIVE_INFINITY;
    for (const [sku, { count }] of this.entries)
      if (count < min || (count === min && out !== undefined && sku > out)) {
        out = sku;
        min = count;
      }
    return out as string;
  }
}

/**
 * What readers rank partners by: per partner the count it certainly reached (count - error); partners
 * with none (a one-off that inherited the floor) are left out.
 */
export function guaranteedCounts(co: Readonly<CoPurchases>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [sku, count] of Object.entries(co.counts)) {
    const sure = count - Math.max(0, co.errors[sku] ?? 0);
    if (sure > 0) out[sku] = sure;
  }
  return out;
}

/** The stored form of a co-purchase state: JSON of `[sku, count]`, or `[sku, count, error]` when not 0. */
export function packCoPurchases(co: Readonly<CoPurchases>): string {
  return JSON.stringify(
    Object.entries(co.counts).map(([sku, count]) => {
      const error = co.errors[sku] ?? 0;
      return error > 0 ? [sku, count, error] : [sku, count];
    }),
  );
}

/** Reads `packCoPurchases`' form; an entry that is not `[string, number, number?]` is left out. */
export function unpackCoPurchases(packed: string): CoPurchases {
  const counts: Record<string, number> = {};
  const errors: Record<string, number> = {};
  let entries: unknown;
  try {
    entries = JSON.parse(packed);
  } catch {
    entries = [];
  }
  for (const entry of Array.isArray(entries) ? entries : []) {
    if (!Array.isArray(entry)) continue;
    const [sku, count, error] = entry as unknown[];
    if (typeof sku !== 'string' || typeof count !== 'number' || !Number.isFinite(count)) continue;
    counts[sku] = count;
    if (typeof error === 'number' && error > 0) errors[sku] = error;
  }
  return { counts, errors };
}
