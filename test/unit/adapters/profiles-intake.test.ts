import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { documentClient } from '../../../functions/adapters/dynamo.js';
import { ProfileStore } from '../../../functions/adapters/profiles.js';
import type { Profile } from '../../../functions/domain/model.js';

const ddb = mockClient(DynamoDBDocumentClient);
const store = () => new ProfileStore(documentClient(new DynamoDBClient({ region: 'us-east-1' })), 'profiles');
const conditionFailed = () =>
  Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });
const profile = (extra: object = {}): Profile =>
  ({ customerId: 'c1', email: 'c1@example.com', ...extra }) as Profile;

describe('Class: ProfileStore (intake writes)', () => {
  afterEach(() => ddb.reset());

  it('writes a patch over a read profile only if its version is unchanged, and bumps it', async () => {
    ddb.on(UpdateCommand).resolves({});
    const written = await store().patchIfUnchanged(
      'c1',
      { feedback: [], updatedAt: '2026-12-01T10:00:00.000Z', inactiveOn: null },
      profile({ profileVersion: 3 }),
    );
    expect(written).toBe(true);
    const input = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.Key).toEqual({ customerId: 'c1' });
    expect(input.UpdateExpression).toBe(
      'SET #version = :nextVersion, #feedback = :feedback, #updatedAt = :updatedAt REMOVE #inactiveOn',
    );
    expect(input.ConditionExpression).toBe(
      'attribute_exists(customerId) AND (#version = :expectedVersion OR (attribute_not_exists(#version) AND :expectedVersion = :zeroVersion))',
    );
    expect(input.ExpressionAttributeNames).toMatchObject({ '#version': 'profileVersion' });
    expect(input.ExpressionAttributeValues).toMatchObject({ ':expectedVersion': 3, ':nextVersion': 4 });
  });

  it('counts a profile stored before versions as version 0', async () => {
    ddb.on(UpdateCommand).resolves({});
    await store().patchIfUnchanged('c1', { firstName: 'Ada' }, profile());
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input.ExpressionAttributeValues).toMatchObject({
      ':expectedVersion': 0,
      ':zeroVersion': 0,
      ':nextVersion': 1,
    });
  });

  it('creates a profile only if there still is none (never over one written, or erased, meanwhile)', async () => {
    ddb.on(UpdateCommand).resolves({});
    await store().patchIfUnchanged('c1', { email: 'c1@example.com' }, undefined);
    const input = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toBe('attribute_not_exists(customerId)');
    expect(input.ExpressionAttributeValues).toMatchObject({ ':nextVersion': 1, ':email': 'c1@example.com' });
  });

  it('answers false on a lost race and rethrows anything else (throttling is never swallowed)', async () => {
    ddb.on(UpdateCommand).rejectsOnce(conditionFailed());
    expect(await store().patchIfUnchanged('c1', { firstName: 'Ada' }, profile())).toBe(false);
    const throttled = Object.assign(new Error('slow down'), {
      name: 'ProvisionedThroughputExceededException',
    });
    ddb.on(UpdateCommand).rejects(throttled);
    await expect(store().patchIfUnchanged('c1', { firstName: 'Ada' }, profile())).rejects.toBe(throttled);
  });

  it('reads consistently when asked (after a lost race)', async () => {
    ddb.on(GetCommand).resolves({ Item: profile() });
    await store().get('c1', { consistent: true });
    await store().get('c1');
    const [consistent, plain] = ddb.commandCalls(GetCommand).map((c) => c.args[0].input);
    expect(consistent).toMatchObject({ Key: { customerId: 'c1' }, ConsistentRead: true });
    expect(plain?.ConsistentRead).toBeUndefined();
  });

  it('keeps a tombstone under erased#<id> with its times only', async () => {
    ddb.on(PutCommand).resolves({});
    await store().putTombstone({ id: 'abc', erasedAt: '2026-12-01T10:00:00.000Z', expiresAt: 1_800_000_000 });
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
      TableName: 'profiles',
      Item: { customerId: 'erased#abc', erasedAt: '2026-12-01T10:00:00.000Z', expiresAt: 1_800_000_000 },
    });
  });

  it('finds a tombstone under any of the ids, and none once it expired', async () => {
    ddb
      .on(GetCommand, { Key: { customerId: 'erased#old' } })
      .resolves({ Item: { customerId: 'erased#old', expiresAt: 200 } });
    ddb.on(GetCommand, { Key: { customerId: 'erased#new' } }).resolves({});
    expect(await store().hasTombstone(['new', 'old'], 100)).toBe(true);
    expect(await store().hasTombstone(['new', 'old'], 200)).toBe(false);
    expect(await store().hasTombstone(['new'], 100)).toBe(false);
  });

  it('stores a purchase history with its items packed and reads either form back as the domain holds it', async () => {
    ddb.on(UpdateCommand).resolves({});
    const history = {
      orders: 3,
      lastDay: 20_160,
      items: { tea: [3, 20_100, 20_160] as [number, number, number] },
    };
    await store().patchIfUnchanged('c1', { purchaseHistory: history }, profile());
    const values = ddb.commandCalls(UpdateCommand)[0]!.args[0].input.ExpressionAttributeValues;
    expect(values?.[':purchaseHistory']).toEqual({ orders: 3, lastDay: 20_160, items: 'tea:3:20100:20160' });

    // A profile stored before the packed form (items as a map) reads the same.
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: profile({ purchaseHistory: values?.[':purchaseHistory'] }) })
      .resolvesOnce({ Item: profile({ purchaseHistory: history }) });
    expect((await store().get('c1'))?.purchaseHistory).toEqual(history);
    expect((await store().get('c1'))?.purchaseHistory).toEqual(history);
  });
});
