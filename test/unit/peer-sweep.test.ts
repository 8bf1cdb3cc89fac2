/**
 * The peer sweep against a real (local) DynamoDB: every profile read once, picks written on the profiles of
 * customers who can get marketing email, removed from those who cannot, nothing rewritten when nothing
 * changed, and no profile created for a customer erased since.
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
  // Opted out: her history counts for others, she gets no picks, and her old ones go.
  await profiles.patch('oli', {
    email: 'oli@example.com',
    consent: { email: 'opted_out' },
    peerPicks: { at: '2026-11-01T02:00:00Z', items: [['candles', 1]] },
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

  it("writes each mailable customer's picks, best first, and removes an opted-out customer's", async () => {
    // Act
    const result = await run();

    // Assess
    const { profiles } = deps.stores;
    const ann = await profiles.get('ann');
    expect(ann?.peerPicks?.at).toBe(now.toISOString());
    expect(ann?.peerPicks?.items[0]).toEqual(['teapot', 1]);
    // Oli's matcha reaches Ann through their shared whisk, though Oli gets nothing himself.
    expect(ann?.peerPicks?.items.map(([sku]) => sku)).toContain('matcha');
    expect((await profiles.get('oli'))?.peerPicks).toBeUndefined();
    expect((await profiles.get('new'))?.peerPicks).toBeUndefined();
    expect(result).toMatchObject({ read: 6, removed: 1 });
    expect(result.written).toBe(result.withPicks);
  });

  it('writes nothing on a second run over the same histories', async () => {
    const again = await run();
    expect(again).toMatchObject({ written: 0, removed: 0 });
    expect(again.withPicks).toBeGreaterThan(0);
  });

  it('never re-creates a profile erased before its write', async () => {
    // Prepare: a new neighbour for Fay (her first picks: his kettle); Fay is erased before the sweep writes
    await deps.stores.profiles.patch('gus', { email: 'gus@example.com', ...bought('mug', 'kettle') });
    const original = deps.stores.profiles.scanForPeers.bind(deps.stores.profiles);
    deps.stores.profiles.scanForPeers = async function* () {
      for await (const page of original()) yield page;
      await deps.stores.profiles.delete('fay');
    };

    // Act
    await run();

    // Assess
    expect(await deps.stores.profiles.get('fay')).toBeUndefined();
    expect(await deps.stores.profiles.get(`erased#k1`)).toMatchObject({ erasedAt: now.toISOString() });
  });
});
