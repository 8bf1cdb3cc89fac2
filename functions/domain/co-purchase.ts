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
 * they fall to 1, below every partner really seen again. Recommendations use a seed's strongest eight partners
 * (domain/recommend.ts); k = 64 keeps a partner seen in one order of three even when every order brings twenty
 * other partners (its share of the counts, 1/61, is over 1/64).
 *
 * DynamoDB bills a write per 1 KB of the whole item, and every order rewrites it: the stored form
 * (`packCoPurchases`) groups partners by inherited count and leaves out the usual "seen once since", so 64
 * partners take 400-460 bytes on the UCI shop (median 404; its JSON form took 900-1,040, and with the
 * product's own fields and order tags most of its popular items went over 1 KB: two units a write).
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
  /**
   * The skus that held the least count (`floor`) when it was last looked for, ascending: the next one evicted
   * is the last of them still at it. Counts only grow and a partner let in when the map is full comes in
   * above the floor, so no other partner can be at it; a partner let in while there is room (count 1) resets
   * the list. A popular product's map is mostly one-offs at the floor: finding the weakest by a scan of all
   * 64 partners per eviction was most of what counting an order cost on a real shop.
   */
  private floorSkus: string[] = [];
  private floor = 0;

  /**
   * From a state, or from its stored form (`packCoPurchases`) read straight into the tally: the same tally as
   * from `unpackCoPurchases(packed)`, without the objects in between. Objects keyed by a real shop's numeric
   * skus are kept by V8 as slow dictionaries: they were most of what a product write cost.
   */
  constructor(
    co: Readonly<CoPurchases> | string = { counts: {}, errors: {} },
    private readonly keep: number = CO_PARTNERS_KEPT,
  ) {
    if (typeof co === 'string' && !co.startsWith('['))
      for (const [sku, { count, error }] of parseCompact(co))
        this.entries.set(sku, { count, error: Math.min(count, error) });
    else {
      const state = typeof co === 'string' ? unpackJson(co) : co;
      for (const [sku, count] of Object.entries(state.counts)) {
        const error = Math.min(count, Math.max(0, state.errors[sku] ?? 0));
        this.entries.set(sku, { count, error });
      }
    }
    // An input over the bound (a map kept under a larger one) is cut to its strongest first.
    while (this.entries.size > keep) this.entries.delete(this.weakest() as string);
  }

  /** One order's partners (duplicates count once). */
  add(partners: readonly string[]): void {
    for (const partner of new Set(partners)) {
      const known = this.entries.get(partner);
      if (known) known.count += 1;
      else if (this.entries.size < this.keep) {
        this.entries.set(partner, { count: 1, error: 0 });
        this.floorSkus = [];
      } else {
        const evicted = this.weakest() as string;
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

  /** Per partner the count it certainly reached, when above 0 (`guaranteedCounts`). */
  guaranteed(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [sku, { count, error }] of this.entries) if (count > error) out[sku] = count - error;
    return out;
  }

  /** The stored form of the state (`packCoPurchases`), packed from the tally itself. */
  packed(): string {
    return packEntries(this.entries) ?? packJson(this.state());
  }

  /** The least counted partner; of equals, the greatest sku, so the same orders always keep the same map. */
  private weakest(): string | undefined {
    if (this.entries.size === 0) return undefined;
    for (;;) {
      const sku = this.floorSkus.pop();
      if (sku === undefined) this.findFloor();
      else if (this.entries.get(sku)?.count === this.floor) return sku;
    }
  }

  /** The least count held, and every sku at it in ascending order (the greatest is evicted first). */
  private findFloor(): void {
    let skus: string[] = [];
    let min = Number.POSITIVE_INFINITY;
    for (const [sku, { count }] of this.entries)
      if (count < min) [skus, min] = [[sku], count];
      else if (count === min) skus.push(sku);
    // Code-unit order, as `>` compares strings.
    this.floorSkus = skus.sort();
    this.floor = min;
  }
}

/**
 * What readers rank partners by: per partner the count it certainly reached (count - error); partners
 * with none (a one-off that inherited the floor) are left out. Of a state, or straight from its stored form.
 */
export function guaranteedCounts(co: Readonly<CoPurchases> | string): Record<string, number> {
  return new CoPurchaseTally(co, Number.POSITIVE_INFINITY).guaranteed();
}

/**
 * A sku the compact form can hold as it is: none of its separators (space, `|`, `:`). A state with any
 * other sku is stored as JSON (the first form) instead.
 */
const COMPACT_SKU = /^[^\s|:]+$/u;

/**
 * The stored form of a co-purchase state, as short as a 1 KB write allows for 64 partners: the partners
 * grouped by the count they inherited (`error`), groups apart by `|`, each `<error> <sku>[:<sure>] ...`
 * with sure = count - error, left out when 1 (a partner seen once since it came in: the usual case).
 * E.g. `0 A:4 B|31 C D:2` is A 4, B 1, C 32 (31 inherited), D 33 (31 inherited). A popular product's full
 * map is mostly one-offs that inherited the same floor, so a partner costs its sku and a space: 6 to 7
 * bytes on the UCI shop's skus where `["20676",33,31],` took 16. Never starts with `[`, so the first form
 * (JSON) still reads; a state whose skus hold a separator, or whose numbers are not whole, is stored in it.
 */
export function packCoPurchases(co: Readonly<CoPurchases>): string {
  return new CoPurchaseTally(co, Number.POSITIVE_INFINITY).packed();
}

/** The first stored form: JSON of `[sku, count]`, or `[sku, count, error]` when not 0. */
function packJson(co: Readonly<CoPurchases>): string {
  return JSON.stringify(
    Object.entries(co.counts).map(([sku, count]) => {
      const error = co.errors[sku] ?? 0;
      return error > 0 ? [sku, count, error] : [sku, count];
    }),
  );
}

/**
 * Reads either stored form (`packCoPurchases`' compact one, or the JSON one stored before it or for skus it
 * cannot hold); a damaged entry or group is left out.
 */
export function unpackCoPurchases(packed: string): CoPurchases {
  return packed.startsWith('[')
    ? unpackJson(packed)
    : new CoPurchaseTally(packed, Number.POSITIVE_INFINITY).state();
}

/**
 * The compact form's partners, in stored order: per sku its count and the count it inherited (0: none). An
 * entry or group that does not parse is left out; a sku stored twice (never written so) keeps its first
 * place, its last count and its last error that is not 0, as the objects it was first read into did.
 */
function parseCompact(packed: string): Map<string, { count: number; error: number }> {
  const out = new Map<string, { count: number; error: number }>();
  for (const group of packed ? packed.split('|') : []) {
    const [head, ...entries] = group.split(' ');
    const error = whole(head);
    if (error === undefined) continue;
    for (const entry of entries) {
      const colon = entry.indexOf(':');
      const sku = colon < 0 ? entry : entry.slice(0, colon);
      const sure = colon < 0 ? 1 : whole(entry.slice(colon + 1));
      if (!sku || sure === undefined) continue;
      const known = out.get(sku);
      if (!known) out.set(sku, { count: error + sure, error });
      else {
        known.count = error + sure;
        if (error > 0) known.error = error;
      }
    }
  }
  return out;
}

/** The whole number `text` writes (digits only, at least one), or undefined. */
function whole(text = ''): number | undefined {
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

/**
 * The compact form of a tally's entries (`packCoPurchases`), in the tally's order; undefined when a sku or a
 * number needs the JSON form. The order is not the state object's (which lists numeric skus first): the same
 * partners, counts and length, read back the same.
 */
function packEntries(entries: ReadonlyMap<string, { count: number; error: number }>): string | undefined {
  const groups = new Map<number, string[]>();
  for (const [sku, { count, error }] of entries) {
    if (!COMPACT_SKU.test(sku) || !Number.isSafeInteger(count) || !Number.isSafeInteger(error) || count < 0)
      return undefined;
    const entry = count - error === 1 ? sku : `${sku}:${count - error}`;
    const group = groups.get(error);
    if (group) group.push(entry);
    else groups.set(error, [entry]);
  }
  return [...groups]
    .sort(([a], [b]) => a - b)
    .map(([error, skus]) => `${error} ${skus.join(' ')}`)
    .join('|');
}

/** Reads the JSON form; an entry that is not `[string, number, number?]` is left out. */
function unpackJson(packed: string): CoPurchases {
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
