/**
 * Weekly (Mondays 02:00 UTC): "shoppers like you" for every customer (domain/peers.ts), from the purchase histories on the
 * profiles, stored on each profile as `peerPicks` for Personalize to read with the rest of the profile.
 *
 * One Scan of the profiles (only the fields it needs), the picks computed in memory, and a write only for a
 * customer whose set of picks changed (a new order of the same items, or new scores, is not worth a write:
 * on the UCI shop a week changes the order for 98% of customers and the set for 77%), so a run costs the
 * Scan's reads and at most one write per customer. Customers who cannot get marketing email (opted out,
 * suppressed) count as neighbours, as their orders count in co-purchase, but get no picks of their own
 * (any they had are removed). A write is conditional on the profile existing: an erasure during the sweep
 * is never undone. Sized for one Lambda: the histories are at most 50 items per customer, so 100,000
 * customers are some 5 million entries in memory; a larger shop would shard the sweep (by customer
 * segment) behind a Step Functions Map.
 */
import { useCase } from '../app/lambda.js';
import { type PeerPick, peerPicks } from '../domain/peers.js';
import { sweepInput, sweepTime } from './sweeps.js';

export interface PeerSweepResult {
  /** Profiles read. */
  read: number;
  /** Customers with picks after the sweep. */
  withPicks: number;
  /** Profiles written: picks new or changed. */
  written: number;
  /** Profiles whose picks were removed (no neighbours any more, or no marketing email). */
  removed: number;
}

const skuSet = (picks: readonly PeerPick[] | undefined) =>
  (picks ?? [])
    .map(([sku]) => sku)
    .sort()
    .join('\n');
const sameSkus = (a: readonly PeerPick[] | undefined, b: readonly PeerPick[] | undefined): boolean =>
  skuSet(a) === skuSet(b);

export const peerSweep = useCase({
  name: 'peer-sweep',
  needs: ['profiles'],
  input: sweepInput,
  async run(deps, input): Promise<PeerSweepResult> {
    const at = sweepTime(input, deps.clock()).toISOString();
    const { profiles } = deps.stores;
    const stored = new Map<string, { picks: PeerPick[] | undefined; mailable: boolean }>();
    const customers: { customerId: string; items: string[] }[] = [];
    for await (const page of profiles.scanForPeers()) {
      for (const p of page) {
        const items = Object.keys(p.purchaseHistory?.items ?? {});
        if (items.length) customers.push({ customerId: p.customerId, items });
        stored.set(p.customerId, {
          picks: p.peerPicks?.items,
          mailable: p.consent?.email !== 'opted_out' && !p.suppressed,
        });
      }
    }
    const picks = peerPicks(customers);
    let written = 0;
    let removed = 0;
    let withPicks = 0;
    for (const [customerId, { picks: before, mailable }] of stored) {
      const after = mailable ? picks.get(customerId) : undefined;
      if (after) withPicks++;
      if (sameSkus(before, after)) continue;
      const done = await profiles.patchExisting(customerId, {
        peerPicks: after ? { at, items: after } : null,
      });
      if (done && after) written++;
      else if (done) removed++;
    }
    return { read: stored.size, withPicks, written, removed };
  },
});
