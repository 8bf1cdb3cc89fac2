/**
 * "Shoppers like you": for each customer, items their most similar customers bought and they never did.
 * The one signal measured to find items new to a customer better than co-purchase on a real shop's history
 * (bench/recs-explore-study.ts: cosine user-kNN, 1.16x item co-occurrence at 5 on the UCI shop), and one a
 * message cannot compute alone: it needs every customer's history at once, so a periodic sweep
 * (usecases/peer-sweep.ts) computes it from the purchase histories on the profiles and stores the picks in
 * PEER_BUCKETS shared items of the profiles table (`peers#00`...), each customer's under their id in the
 * bucket their id hashes to: a sweep then writes 64 items, not one per customer (on the UCI shop a week
 * changes 77% of customers' picks), and Personalize reads one small item beside the profile.
 *
 * Similarity: the items two customers both bought, each weighted by its rarity (log of customers over its
 * buyers: two customers sharing a niche item are more alike than two sharing the best seller), over the
 * geometric mean of their item counts (cosine). An item's score: the sum over the customer's `neighbours`
 * most similar customers who bought it of similarity^power. Settings chosen on the validation split of the
 * UCI shop (bench/recs-explore-study.ts); deterministic: ties by customer id, then by buyers and sku.
 */
import { firstBy } from './top.js';

export interface PeerSettings {
  /** Most similar customers whose items count. */
  neighbours: number;
  /** Similarity^power: higher trusts the closest neighbours more. */
  power: number;
  /** Picks kept per customer. */
  picks: number;
  /** Customers sharing fewer items than this are not neighbours (1: one shared item is enough). */
  minShared: number;
}

export const PEER_SETTINGS: PeerSettings = { neighbours: 100, power: 2, picks: 10, minShared: 1 };

/** One customer as the sweep reads them: the items they bought (their profile's purchase history). */
export interface PeerInput {
  customerId: string;
  items: readonly string[];
}

/** A pick: the sku and its score scaled to the customer's best pick (1). */
export type PeerPick = [sku: string, score: number];

/** One customer's picks as stored: best first, and since when the set has been the same (ISO). */
export interface StoredPeerPicks {
  at: string;
  items: PeerPick[];
}

/** Profile-table key prefix of the peer buckets (a shop's own customer ids must not start with it). */
export const PEER_BUCKET_PREFIX = 'peers#';

/**
 * Buckets the picks are spread over. At about 200 bytes per customer a bucket stays under DynamoDB's 400 KB
 * item limit up to some 2,000 customers, so 64 hold about 120,000 (the sweep refuses a bucket over 350 KB).
 */
export const PEER_BUCKETS = 64;

/** The bucket item holding a customer's picks: `peers#` and two digits, from the FNV-1a hash of the id. */
export function peerBucketKey(customerId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < customerId.length; i++) {
    hash ^= customerId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${PEER_BUCKET_PREFIX}${String(hash % PEER_BUCKETS).padStart(2, '0')}`;
}

/**
 * Each customer's picks, best first: items their neighbours bought and they did not. Customers without a
 * neighbour (no item shared with anyone) get none and are left out of the map.
 */
export function peerPicks(
  customers: readonly PeerInput[],
  settings: Partial<PeerSettings> = {},
): Map<string, PeerPick[]> {
  const s = { ...PEER_SETTINGS, ...settings };
  const ordered = [...customers].sort((a, b) =>
    a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0,
  );
  // Items as numbers, customers as positions: the inner loops touch typed arrays only.
  const itemIds = new Map<string, number>();
  const skus: string[] = [];
  const owned = ordered.map((c) => {
    const ids = new Set<number>();
    for (const sku of c.items) {
      let id = itemIds.get(sku);
      if (id === undefined) {
        id = skus.length;
        itemIds.set(sku, id);
        skus.push(sku);
      }
      ids.add(id);
    }
    return Int32Array.from(ids);
  });
  const buyerLists: number[][] = skus.map(() => []);
  owned.forEach((items, u) => {
    for (const i of items) buyerLists[i]!.push(u);
  });
  const buyers = buyerLists.map((list) => Int32Array.from(list));
  const users = ordered.length;
  const rarity = Float64Array.from(buyers, (list) => Math.log(users / list.length));
  const buyerCount = Int32Array.from(buyers, (list) => list.length);
  const itemCount = Int32Array.from(owned, (items) => items.length);

  const out = new Map<string, PeerPick[]>();
  const dot = new Float64Array(users);
  const shared = new Int32Array(users);
  const touched = new Int32Array(users);
  const similarity = new Float64Array(users);
  // The neighbours kept so far, most similar first (ties: lower position first): positions, no tuples.
  const near = new Int32Array(Math.max(0, s.neighbours));
  const score = new Float64Array(skus.length);
  const scoredItems: number[] = [];
  const mine = new Uint8Array(skus.length);
  const byScore = (a: number, b: number) =>
    score[b]! - score[a]! || buyerCount[b]! - buyerCount[a]! || (skus[a]! < skus[b]! ? -1 : 1);
  ordered.forEach((customer, self) => {
    const items = owned[self]!;
    if (items.length === 0) return;
    let touchedCount = 0;
    for (const i of items) {
      mine[i] = 1;
      const w = rarity[i]!;
      const list = buyers[i]!;
      for (let b = 0; b < list.length; b++) {
        const u = list[b]!;
        if (u === self) continue;
        if (shared[u] === 0) touched[touchedCount++] = u;
        shared[u]! += 1;
        dot[u]! += w;
      }
    }
    // The `neighbours` most similar, by insertion into a short sorted list: the order (similarity, then
    // position) is total, so the result does not depend on the order customers were touched in.
    let kept = 0;
    const k = near.length;
    for (let t = 0; t < touchedCount; t++) {
      const u = touched[t]!;
      const sim = dot[u]! / Math.sqrt(itemCount[u]! * items.length);
      const ok = shared[u]! >= s.minShared && sim > 0;
      dot[u] = 0;
      shared[u] = 0;
      if (!ok || k === 0) continue;
      if (kept === k) {
        const last = near[k - 1]!;
        if (sim < similarity[last]! || (sim === similarity[last]! && u > last)) continue;
      }
      let at = kept < k ? kept++ : k - 1;
      while (at > 0) {
        const before = near[at - 1]!;
        if (sim < similarity[before]! || (sim === similarity[before]! && u > before)) break;
        near[at] = before;
        at--;
      }
      near[at] = u;
      similarity[u] = sim;
    }
    for (let n = 0; n < kept; n++) {
      const u = near[n]!;
      const weight = similarity[u]! ** s.power;
      for (const i of owned[u]!) {
        if (mine[i]) continue;
        if (score[i] === 0) scoredItems.push(i);
        score[i]! += weight;
      }
    }
    const top = firstBy(scoredItems, s.picks, byScore);
    const best = top.length ? score[top[0]!]! : 0;
    if (best > 0)
      out.set(
        customer.customerId,
        top.map((i) => [skus[i]!, Math.round((score[i]! / best) * 1000) / 1000]),
      );
    for (const i of scoredItems) score[i] = 0;
    scoredItems.length = 0;
    for (const i of items) mine[i] = 0;
  });
  return out;
}
