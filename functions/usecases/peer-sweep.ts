/**
 * Weekly (Mondays 02:00 UTC): "shoppers like you" for every customer (domain/peers.ts), from the purchase
 * histories on the profiles, stored in the profiles table's peer buckets (`peers#00`...) for Personalize and
 * the data page to read beside the profile.
 *
 * One Scan of the profiles table (only the fields it needs, and the buckets as stored), the picks computed in
 * memory, and a bucket written only when what it holds changed: at most PEER_BUCKETS (64) writes a run,
 * however many customers (a write per customer cost a real shop 2,700 profile writes of about 3 WRU a week,
 * and a 2.6 s CPU an embedded run). A customer's `at` says since when their set of picks has been the same.
 * Customers who cannot get marketing email (opted out, suppressed) count as neighbours, as their orders count
 * in co-purchase, but get no picks of their own. With `recommendationWeights.peers` at 0 the run empties the
 * buckets and computes nothing. Erasure removes a customer's entry (customer-erase.ts) and bumps the
 * bucket's version; the sweep writes a bucket only over the version it read (writeBucket), so an erasure
 * during a run is never undone. Sized for one Lambda:
 * the histories are at most 50 items per customer (100,000 customers are some 5 million entries in memory),
 * and the work grows with the square of the customers per product: measured on this machine, the UCI shop's
 * 2,700 customers 0.45 s CPU, the demo shop's dense 48-product catalogue 0.5 s at 3,700 customers, 3.8 s at
 * 15,000 and 17 s at 30,000. Well past 100,000 customers the sweep would need sharding (customer segments
 * behind a Step Functions Map), more buckets, or fewer neighbours per item.
 */
import type { PeerStore, ScannedBucket } from '../adapters/peers.js';
import { useCase } from '../app/lambda.js';
import { TransientError } from '../domain/errors.js';
import {
  PEER_BUCKET_PREFIX,
  PEER_BUCKETS,
  peerBucketKey,
  peerPicks,
  type StoredPeerPicks,
} from '../domain/peers.js';
import { sweepInput, sweepTime } from './sweeps.js';

export interface PeerSweepResult {
  /** Profiles read. */
  read: number;
  /** Customers with picks after the sweep. */
  withPicks: number;
  /** Customers whose set of picks is new or changed (or gone). */
  changed: number;
  /** Buckets written (at most PEER_BUCKETS). */
  written: number;
}

const skuSet = (picks: StoredPeerPicks | undefined) =>
  (picks?.items ?? [])
    .map(([sku]) => sku)
    .sort()
    .join('\n');

/** A bucket's content in one order (the stored map's key order is DynamoDB's). */
const canonical = (picks: Readonly<Record<string, StoredPeerPicks>>) =>
  JSON.stringify(
    Object.keys(picks)
      .sort()
      .map((id) => [id, picks[id]]),
  );

/**
 * Writes a bucket over the version the sweep read. If it moved, an erasure came in between (it removes its
 * customer's entry and bumps the version after deleting the profile): keep only customers who still have a
 * profile, over the version now, so an erased customer is never written back.
 */
async function writeBucket(
  peers: PeerStore,
  key: string,
  at: string,
  picks: Record<string, StoredPeerPicks>,
  readVersion: number | undefined,
): Promise<void> {
  let version = readVersion;
  let kept = picks;
  for (
    let attempt = 1;
    !(await peers.putPeerBucket({ customerId: key, at, picks: kept }, version));
    attempt++
  ) {
    if (attempt === 3) throw new TransientError(`Peer bucket ${key} kept changing during the sweep`);
    version = (await peers.bucket(key))?.version;
    const alive = await peers.existingCustomers(Object.keys(kept));
    kept = Object.fromEntries(Object.entries(kept).filter(([id]) => alive.has(id)));
  }
}

export const peerSweep = useCase({
  name: 'peer-sweep',
  needs: ['peers', 'profilesScan'],
  input: sweepInput,
  async run(deps, input): Promise<PeerSweepResult> {
    const at = sweepTime(input, deps.clock()).toISOString();
    const { peers } = deps.stores;
    const customers: { customerId: string; items: string[] }[] = [];
    const mailable = new Set<string>();
    const stored = new Map<string, ScannedBucket>();
    let read = 0;
    for await (const page of peers.scanForPeers()) {
      for (const bucket of page.buckets) stored.set(bucket.customerId, bucket);
      for (const p of page.profiles) {
        read++;
        const items = Object.keys(p.purchaseHistory?.items ?? {});
        if (items.length) customers.push({ customerId: p.customerId, items });
        if (p.consent?.email !== 'opted_out' && !p.suppressed) mailable.add(p.customerId);
      }
    }
    // A shop that turned them off (recommendationWeights.peers 0) keeps none: nothing reads them, and the
    // data page must not list what is not used.
    const off = deps.config.recommendationWeights?.peers === 0;
    const before = (customerId: string) => stored.get(peerBucketKey(customerId))?.picks[customerId];
    const next = new Map<string, Record<string, StoredPeerPicks>>();
    let withPicks = 0;
    let changed = 0;
    for (const [customerId, items] of off ? [] : peerPicks(customers)) {
      if (!mailable.has(customerId)) continue;
      withPicks++;
      const old = before(customerId);
      const same = old !== undefined && skuSet(old) === skuSet({ at, items });
      if (!same) changed++;
      const key = peerBucketKey(customerId);
      const bucket = next.get(key) ?? {};
      bucket[customerId] = { at: same ? old.at : at, items };
      next.set(key, bucket);
    }
    // Customers whose picks are gone (no neighbours now, no email, no profile).
    for (const bucket of stored.values())
      for (const customerId of Object.keys(bucket.picks))
        if (!next.get(bucket.customerId)?.[customerId]) changed++;
    let written = 0;
    for (let n = 0; n < PEER_BUCKETS; n++) {
      const key = `${PEER_BUCKET_PREFIX}${String(n).padStart(2, '0')}`;
      const picks = next.get(key) ?? {};
      const old = stored.get(key);
      if (old ? canonical(old.picks) === canonical(picks) : Object.keys(picks).length === 0) continue;
      await writeBucket(peers, key, at, picks, old?.version);
      written++;
    }
    return { read, withPicks, changed, written };
  },
});
