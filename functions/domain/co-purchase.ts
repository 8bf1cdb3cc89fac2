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

  constructor(
    co: Readonly<CoPurchases> = { counts: {}, errors: {} },
    private readonly keep: number = CO_PARTNERS_KEPT,
  ) {
    for (const [sku, count] of Object.entries(co.counts)) {
      const error = Math.min(count, Math.max(0, co.errors[sku] ?? 0));
      this.entries.set(sku, { count, error });
    }
    // An input over the bound (a map kept under a larger one) is cut to its strongest first.
    while (this.entries.size > keep) this.entries.delete(this.weakest() as string);
  }

  /**
   * A stored state (`packCoPurchases`' form) read straight into a tally: the same tally as
   * `new CoPurchaseTally(unpackCoPurchases(packed))`, without the objects in between. Objects keyed by a
   * real shop's numeric skus are kept by V8 as slow dictionaries: they were most of what a product write cost.
   */
  static fromPacked(packed: string, keep: number = CO_PARTNERS_KEPT): CoPurchaseTally {
    if (packed.startsWith('[')) return new CoPurchaseTally(unpackJson(packed), keep);
    const tally = new CoPurchaseTally({ counts: {}, errors: {} }, keep);
    for (const [sku, entry] of parseCompact(packed))
      tally.entries.set(sku, { count: entry.count, error: Math.min(entry.count, entry.error) });
    while (tally.entries.size > keep) tally.entries.delete(tally.weakest() as string);
    return tally;
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
        const evicted = this.weakest();
        const floor = evicted === undefined ? 0 : (this.entries.get(evicted)?.count ?? 0);
        if (evicted !== undefined) this.entries.delete(evicted);
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

  /** `packCoPurchases(this.state())`, packed from the tally itself. */
  packed(): string {
    return packEntries(this.entries) ?? packCoPurchases(this.state());
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
    let min = Number.POSITIVE_INFINITY;
    for (const { count } of this.entries.values()) if (count < min) min = count;
    const skus: string[] = [];
    for (const [sku, { count }] of this.entries) if (count === min) skus.push(sku);
    // Code-unit order, as `>` compares strings.
    this.floorSkus = skus.sort();
    this.floor = min;
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
  const groups = new Map<number, string[]>();
  for (const [sku, count] of Object.entries(co.counts)) {
    const error = Math.min(count, Math.max(0, co.errors[sku] ?? 0));
    if (!COMPACT_SKU.test(sku) || !Number.isSafeInteger(count) || !Number.isSafeInteger(error) || count < 0)
      return packJson(co);
    const sure = count - error;
    const group = groups.get(error) ?? [];
    group.push(sure === 1 ? sku : `${sku}:${sure}`);
    groups.set(error, group);
  }
  return [...groups]
    .sort(([a], [b]) => a - b)
    .map(([error, entries]) => `${error} ${entries.join(' ')}`)
    .join('|');
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
  if (packed.startsWith('[')) return unpackJson(packed);
  const counts: Record<string, number> = {};
  const errors: Record<string, number> = {};
  for (const [sku, { count, error }] of parseCompact(packed)) {
    counts[sku] = count;
    if (error > 0) errors[sku] = error;
  }
  return { counts, errors };
}

/** `guaranteedCounts(unpackCoPurchases(packed))`, without the state in between. */
export function guaranteedFromPacked(packed: string): Record<string, number> {
  if (packed.startsWith('[')) return guaranteedCounts(unpackJson(packed));
  const out: Record<string, number> = {};
  for (const [sku, { count, error }] of parseCompact(packed)) if (count > error) out[sku] = count - error;
  return out;
}

/**
 * The compact form's partners, in stored order: per sku its count and the count it inherited (0: none). An
 * entry or group that does not parse is left out; a sku stored twice (never written so) keeps its first
 * place, its last count and its last error that is not 0, as the objects it was first read into did.
 */
function parseCompact(packed: string): Map<string, { count: number; error: number }> {
  const out = new Map<string, { count: number; error: number }>();
  const end = packed.length;
  for (let group = 0; group < end; ) {
    let groupEnd = packed.indexOf('|', group);
    if (groupEnd < 0) groupEnd = end;
    let head = packed.indexOf(' ', group);
    if (head < 0 || head > groupEnd) head = groupEnd;
    const error = wholeAt(packed, group, head);
    if (error !== undefined)
      for (let at = head + 1; at < groupEnd; ) {
        let entryEnd = packed.indexOf(' ', at);
        if (entryEnd < 0 || entryEnd > groupEnd) entryEnd = groupEnd;
        let skuEnd = at;
        while (skuEnd < entryEnd && packed.charCodeAt(skuEnd) !== COLON) skuEnd++;
        const sure = skuEnd === entryEnd ? 1 : wholeAt(packed, skuEnd + 1, entryEnd);
        if (skuEnd > at && sure !== undefined) {
          const sku = packed.slice(at, skuEnd);
          const known = out.get(sku);
          if (!known) out.set(sku, { count: error + sure, error });
          else {
            known.count = error + sure;
            if (error > 0) known.error = error;
          }
        }
        at = entryEnd + 1;
      }
    group = groupEnd + 1;
  }
  return out;
}

const COLON = 58;

/** The whole number written in `text` from `from` to `to` (digits only, at least one), or undefined. */
function wholeAt(text: string, from: number, to: number): number | undefined {
  if (to <= from) return undefined;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return Number(text.slice(from, to));
}

/** A canonical array index ("0", "17", not "017"): an object lists such keys first, in numeric order. */
const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;
const MAX_ARRAY_INDEX = 2 ** 32 - 2;

/**
 * `packCoPurchases` of a tally's entries, in the order the state object would list them (array-index skus
 * first, ascending, then the rest as kept), so the stored string is the same; undefined when a sku or a
 * number needs the JSON form.
 */
function packEntries(entries: ReadonlyMap<string, { count: number; error: number }>): string | undefined {
  const indexed: string[] = [];
  const named: string[] = [];
  for (const [sku, { count, error }] of entries) {
    if (!COMPACT_SKU.test(sku) || !Number.isSafeInteger(count) || !Number.isSafeInteger(error) || count < 0)
      return undefined;
    if (ARRAY_INDEX.test(sku) && Number(sku) <= MAX_ARRAY_INDEX) indexed.push(sku);
    else named.push(sku);
  }
  indexed.sort((a, b) => Number(a) - Number(b));
  const groups = new Map<number, string[]>();
  for (const sku of indexed.concat(named)) {
    const { count, error } = entries.get(sku) as { count: number; error: number };
    const sure = count - error;
    const group = groups.get(error);
    if (group) group.push(sure === 1 ? sku : `${sku}:${sure}`);
    else groups.set(error, [sure === 1 ? sku : `${sku}:${sure}`]);
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
