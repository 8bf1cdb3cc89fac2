/**
 * The peer sweep against a real (local) DynamoDB: every profile read once, the picks of customers who can
 * get marketing email written to the peer buckets (a few items, not one per customer), none for those who
 * cannot, nothing rewritten when nothing changed, and erasure taking a customer's picks with them.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Deps, makeDeps } from '../../functions/app/deps.js';
import { toHandler } from '../../functions/app/lambda.js';
import { historyOf } from '../../functions/domain/purchase-history.js';
import { peerSweep } from '../../functions/usecases/peer-sweep.js';
import { type LocalDynamo, startDynamo } from '../../local/dynamo.js';

let dynamo: LocalDynamo;
let deps: Deps;
const now = new Date('2026-12-02T02:00:00Z');
let later = now;
const bought = (...skus: string[]) => ({
  purchaseHistory: historyOf([{ at: '2026-11-01T10:00:00Z', skus }]),
});

beforeAll(async () => {
  dynamo = await startDynamo('peers-');
  deps = makeDeps({
    env: {
      PROFILES_TABLE: dynamo.tableNames.profiles,
      AWS_REGION: 'us-east-1',
      RECIPROCITY_CONFIG: '{}',
    },
    clients: {
      dynamodb: new DynamoDBClient({
        endpoint: dynamo.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      }),
    },
    clock: () => now,
    needs: peerSweep.needs,
  });
  const { profiles } = deps.stores;
  await profiles.patch('ann', { email: 'ann@example.com', ...bought('tea', 'whisk') });
  await profiles.patch('ben', { email: 'ben@example.com', ...bought('tea', 'whisk', 'teapot') });
  await profiles.patch('cy', { email: 'cy@example.com', ...bought('tea', 'candles') });
  await profiles.patch('fay', { email: 'fay@example.com', ...bought('mug') });
  // Opted out: his history counts for others, he gets no picks.
  await profiles.patch('oli', {
    email: 'oli@example.com',
    consent: { email: 'opted_out' },
    ...bought('whisk', 'teapot', 'matcha'),
  });
  await profiles.patch('new', { email: 'new@example.com' });
  // An erasure tombstone lives in the same table: not a customer, never read as one.
  await profiles.putTombstone({ id: 'k1', erasedAt: now.toISOString(), expiresAt: 2_000_000_000 });
});
afterAll(async () => {
  deps?.dynamodb.destroy();
  await dynamo?.close();
});

describe('Use case: peerSweep', () => {
  const run = () => toHandler(peerSweep, deps)({ scheduledTime: now.toISOString() });

  it("writes each mailable customer's picks, best first, in a few shared buckets", async () => {
    // Act
    const result = await run();

    // Assess: Ann, Ben and Cy have neighbours; Fay's mug is hers alone
    const { profiles } = deps.stores;
    const ann = await deps.stores.peers.peerPicksOf('ann');
    expect(ann?.at).toBe(now.toISOString());
    expect(ann?.items[0]).toEqual(['teapot', 1]);
    // Oli's matcha reaches Ann through their shared whisk, though Oli gets nothing himself.
    expect(ann?.items.map(([sku]) => sku)).toContain('matcha');
    expect(await deps.stores.peers.peerPicksOf('oli')).toBeUndefined();
    expect(await deps.stores.peers.peerPicksOf('new')).toBeUndefined();
    // Not on the profile item, and the buckets are not customers.
    expect((await profiles.get('ann'))?.peerPicks).toBeUndefined();
    expect(result).toMatchObject({ read: 6, withPicks: 3, changed: 3 });
    expect(result.written).toBeGreaterThan(0);
    expect(result.written).toBeLessThanOrEqual(result.withPicks);
  });

  it('writes nothing on a second run over the same histories, and keeps since when the picks hold', async () => {
    // Act
    later = new Date('2026-12-09T02:00:00Z');
    const again = await toHandler(peerSweep, deps)({ scheduledTime: later.toISOString() });
    // Assess
    expect(again).toMatchObject({ read: 6, withPicks: 3, changed: 0, written: 0 });
    expect((await deps.stores.peers.peerPicksOf('ann'))?.at).toBe(now.toISOString());
  });

  it("moves a customer's picks when their neighbours change, and drops them at erasure", async () => {
    // Prepare: a new neighbour for Fay (her first picks: his kettle)
    await deps.stores.profiles.patch('gus', { email: 'gus@example.com', ...bought('mug', 'kettle') });
    // Act
    const result = await run();
    const fay = await deps.stores.peers.peerPicksOf('fay');
    const erased = await deps.stores.peers.removePeerPicks('fay');
    // Assess
    // Fay's picks are new; the others' sets stay (their scores move: one more customer), so every bucket
    // holding picks is written once.
    expect(result).toMatchObject({ read: 7, withPicks: 4, changed: 1 });
    expect(result.written).toBeLessThanOrEqual(4);
    expect(fay?.items).toEqual([['kettle', 1]]);
    expect(erased).toBe(true);
    expect(await deps.stores.peers.peerPicksOf('fay')).toBeUndefined();
    expect(await deps.stores.peers.removePeerPicks('fay')).toBe(false);
    // The others keep theirs.
    expect((await deps.stores.peers.peerPicksOf('ann'))?.items[0]).toEqual(['teapot', 1]);
  });

  it('never writes back a customer erased between its Scan and its writes', async () => {
    // Prepare: Cy (with picks) is erased while the sweep computes: profile deleted, then the bucket entry
    const { peers, profiles } = deps.stores;
    await profiles.patch('dot', { email: 'dot@example.com', ...bought('tea', 'candles', 'wick') });
    const scan = peers.scanForPeers.bind(peers);
    peers.scanForPeers = async function* () {
      for await (const page of scan()) yield page;
      await profiles.delete('cy');
      await peers.removePeerPicks('cy');
    };
    try {
      // Act
      await run();
    } finally {
      peers.scanForPeers = scan;
    }
    // Assess: Cy's picks are gone; the others in Cy's bucket, and elsewhere, are written
    expect(await peers.peerPicksOf('cy')).toBeUndefined();
    expect((await peers.peerPicksOf('dot'))?.items.map(([sku]) => sku)).toContain('whisk');
    expect((await peers.peerPicksOf('ann'))?.items[0]).toEqual(['teapot', 1]);
  });

  it('keeps no picks for a shop that turned them off (peers weight 0)', async () => {
    // Prepare: the same tables, the shop's config with peers at 0
    const off = makeDeps({
      env: {
        PROFILES_TABLE: dynamo.tableNames.profiles,
        AWS_REGION: 'us-east-1',
        RECIPROCITY_CONFIG: JSON.stringify({ recommendationWeights: { peers: 0 } }),
      },
      clients: { dynamodb: deps.dynamodb },
      clock: () => now,
      needs: peerSweep.needs,
    });
    // Act
    const result = await toHandler(peerSweep, off)({ scheduledTime: now.toISOString() });
    // Assess
    expect(result).toMatchObject({ withPicks: 0 });
    expect(result.written).toBeGreaterThan(0);
    expect(await deps.stores.peers.peerPicksOf('ann')).toBeUndefined();
  });
});
