/**
 * What a customer buys again, in a bounded record on their profile: per item, how many of their orders
 * contained it and the days of its first and last purchase; and how many orders they placed. That is what a
 * repurchase rhythm needs (the typical interval is (last - first) / (times - 1)), and it stays the same size
 * however long the history: at most HISTORY_ITEMS_KEPT items, the ones with the most recent-weighted
 * purchases. An order of a wholesale customer with 200 lines therefore costs the same to store as one of 50.
 */

const DAY_MS = 86_400_000;

/** Items kept per customer: about 1.5 KB of profile. */
export const HISTORY_ITEMS_KEPT = 50;

/** Half-life, in days, of a purchase's weight when choosing which items to keep. */
export const HISTORY_HALF_LIFE_DAYS = 180;

/** One item's record: [orders that contained it, day of the first purchase, day of the last] (UTC epoch days). */
export type ItemRecord = [times: number, firstDay: number, lastDay: number];

export interface PurchaseHistory {
  /** Orders recorded (all of them, also those whose items are no longer kept). */
  orders: number;
  /** Day of the latest order recorded (UTC epoch day). */
  lastDay: number;
  items: Record<string, ItemRecord>;
}

/** One item as the rhythm sees it. */
export interface ItemPurchases {
  sku: string;
  timesBought: number;
  /** Epoch ms of the first and the last purchase (midnight UTC of their days). */
  firstAt: number;
  lastAt: number;
  /** Mean days between its purchases, from two purchases on. */
  typicalDays?: number;
}

export function epochDay(at: string | number | Date): number {
  const ms = typeof at === 'string' ? Date.parse(at) : typeof at === 'number' ? at : at.getTime();
  return Math.floor(ms / DAY_MS);
}

/**
 * The history after one more order (pure; the input is not changed). An item repeated in one order counts
 * once. Orders arrive in any order (an import, a late event): first and last days stay the earliest and
 * latest seen.
 */
export function recordPurchase(
  history: PurchaseHistory | undefined,
  at: string,
  skus: readonly string[],
): PurchaseHistory {
  const day = epochDay(at);
  const items: Record<string, ItemRecord> = { ...history?.items };
  for (const sku of new Set(skus)) {
    const seen = items[sku];
    items[sku] = seen ? [seen[0] + 1, Math.min(seen[1], day), Math.max(seen[2], day)] : [1, day, day];
  }
  const lastDay = Math.max(history?.lastDay ?? day, day);
  return { orders: (history?.orders ?? 0) + 1, lastDay, items: bounded(items, lastDay) };
}

/** Keeps the HISTORY_ITEMS_KEPT items with the most purchases weighted by recency (ties: latest, then sku). */
function bounded(items: Record<string, ItemRecord>, today: number): Record<string, ItemRecord> {
  const entries = Object.entries(items);
  if (entries.length <= HISTORY_ITEMS_KEPT) return items;
  const weight = ([, [times, , last]]: [string, ItemRecord]) =>
    times * 0.5 ** ((today - last) / HISTORY_HALF_LIFE_DAYS);
  entries.sort(
    (a, b) => weight(b) - weight(a) || b[1][2] - a[1][2] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
  );
  return Object.fromEntries(entries.slice(0, HISTORY_ITEMS_KEPT));
}

/** The history replayed from a list of orders (an import). */
export function historyOf(orders: readonly { at: string; skus: readonly string[] }[]): PurchaseHistory {
  let history: PurchaseHistory | undefined;
  for (const o of [...orders].sort((a, b) => a.at.localeCompare(b.at)))
    history = recordPurchase(history, o.at, o.skus);
  return history ?? { orders: 0, lastDay: 0, items: {} };
}

/** The items of a history, each with its rhythm. */
export function itemPurchases(history: PurchaseHistory | undefined): ItemPurchases[] {
  return Object.entries(history?.items ?? {}).map(([sku, [times, first, last]]) => {
    const item: ItemPurchases = { sku, timesBought: times, firstAt: first * DAY_MS, lastAt: last * DAY_MS };
    if (times > 1) item.typicalDays = Math.max(1, (last - first) / (times - 1));
    return item;
  });
}

/** Every sku the history still holds (what counts as owned, besides the latest purchases). */
export function ownedSkus(history: PurchaseHistory | undefined): Set<string> {
  return new Set(Object.keys(history?.items ?? {}));
}

/**
 * The stored form of a history's items, one string instead of a map of number lists: `sku:times:first:last`
 * per item, apart by spaces, and `sku:times:day` when the first and last day are the same (an item bought in
 * one order). A wholesale customer's 50 items took 2,710 bytes of DynamoDB JSON as a map (201 attribute
 * values: 50 lists of 3 numbers; the median of the UCI shop's 740 full histories); packed they take 757 in
 * one string, and every layer that reads or writes the profile (the SDK's serializers, the local store,
 * DynamoDB's item size and so its write units) handles one value. Items the packed form cannot hold (a sku with a separator, a number that is not whole)
 * keep the map: it is returned as it is.
 */
export function packHistoryItems(
  items: Readonly<Record<string, ItemRecord>>,
): string | Record<string, ItemRecord> {
  const entries = Object.entries(items).map(([sku, [times, first, last]]) =>
    first === last ? `${sku}:${times}:${last}` : `${sku}:${times}:${first}:${last}`,
  );
  return entries.every((entry) => PACKED_ENTRY.test(entry)) ? entries.join(' ') : { ...items };
}

/**
 * A history's items from either stored form (`packHistoryItems`' string, or the map stored before it or for
 * skus it cannot hold). An entry that does not parse is left out.
 */
export function unpackHistoryItems(stored: unknown): Record<string, ItemRecord> {
  if (typeof stored !== 'string') return (stored ?? {}) as Record<string, ItemRecord>;
  const items: Record<string, ItemRecord> = {};
  for (const entry of stored.split(' ')) {
    const m = PACKED_ENTRY.exec(entry);
    if (m) items[m[1]!] = [Number(m[2]), Number(m[3]), Number(m[4] ?? m[3])];
  }
  return items;
}

/** One packed item: sku, times, first day, and the last day when it is not the first. */
const PACKED_ENTRY = /^([^\s:]+):(-?\d+):(-?\d+)(?::(-?\d+))?$/u;
