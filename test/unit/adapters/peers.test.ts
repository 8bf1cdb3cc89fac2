/** The peer buckets' adapter (functions/adapters/peers.ts) against a mocked DynamoDB: the requests it makes. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { documentClient } from '../../../functions/adapters/dynamo.js';
import { PeerStore } from '../../../functions/adapters/peers.js';
import { peerBucketKey } from '../../../functions/domain/peers.js';

const ddb = mockClient(DynamoDBDocumentClient);
const store = () => new PeerStore(documentClient(new DynamoDBClient({ region: 'us-east-1' })), 'profiles');
const conditionFailed = () =>
  Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });

describe('Class: PeerStore', () => {
  afterEach(() => ddb.reset());

  it("reads only the customer's entry of their bucket", async () => {
    // Prepare
    const picks = { at: '2026-12-07T02:00:00.000Z', items: [['POT-1', 1]] };
    ddb.on(GetCommand).resolves({ Item: { picks: { 'c.1': picks } } });
    // Act
    const found = await store().peerPicksOf('c.1');
    // Assess: the id is an attribute name, so dots or hashes in it cannot change the path
    expect(found).toEqual(picks);
    const input = ddb.commandCalls(GetCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      TableName: 'profiles',
      Key: { customerId: peerBucketKey('c.1') },
      ProjectionExpression: '#picks.#id',
      ExpressionAttributeNames: { '#picks': 'picks', '#id': 'c.1' },
    });
  });

  it('scans every page, parting profiles from buckets and leaving tombstones out', async () => {
    // Prepare: two pages
    ddb
      .on(ScanCommand)
      .resolvesOnce({
        Items: [{ customerId: 'c1' }, { customerId: 'peers#07', at: 'x', picks: {} }],
        LastEvaluatedKey: { customerId: 'c1' },
      })
      .resolvesOnce({ Items: [{ customerId: 'c2' }] });
    // Act
    const pages = [];
    for await (const page of store().scanForPeers()) pages.push(page);
    // Assess
    expect(pages.map((p) => p.profiles.map((c) => c.customerId))).toEqual([['c1'], ['c2']]);
    expect(pages[0]!.buckets.map((b) => b.customerId)).toEqual(['peers#07']);
    const calls = ddb.commandCalls(ScanCommand).map((c) => c.args[0].input);
    expect(calls[1]!.ExclusiveStartKey).toEqual({ customerId: 'c1' });
    expect(calls[0]).toMatchObject({
      FilterExpression: 'NOT begins_with(#id, :tombstone)',
      ExpressionAttributeValues: { ':tombstone': 'erased#' },
    });
  });

  it('refuses a bucket DynamoDB could not store, with why', async () => {
    // Prepare: 5,000 customers' picks in one bucket
    const picks = Object.fromEntries(
      Array.from({ length: 5000 }, (_, i) => [
        `customer-${i}`,
        {
          at: '2026-12-07T02:00:00.000Z',
          items: [
            ['SKU-ABCDEFGH', 1],
            ['SKU-IJKLMNOP', 0.5],
          ] as [string, number][],
        },
      ]),
    );
    // Act / Assess
    await expect(
      store().putPeerBucket({ customerId: 'peers#00', at: 'x', picks }, undefined),
    ).rejects.toThrow(/Peer bucket peers#00 would be \d+ bytes/);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('writes a bucket only over the version the sweep read, and says when it moved', async () => {
    // Prepare
    ddb.on(PutCommand).resolvesOnce({}).rejectsOnce(conditionFailed());
    const bucket = { customerId: 'peers#03', at: '2026-12-07T02:00:00.000Z', picks: {} };
    // Act
    const first = await store().putPeerBucket(bucket, undefined);
    const raced = await store().putPeerBucket(bucket, 4);
    // Assess
    expect([first, raced]).toEqual([true, false]);
    const [a, b] = ddb.commandCalls(PutCommand).map((c) => c.args[0].input);
    expect(a).toMatchObject({ Item: { version: 1 }, ConditionExpression: 'attribute_not_exists(#version)' });
    expect(b).toMatchObject({
      Item: { version: 5 },
      ConditionExpression: '#version = :read',
      ExpressionAttributeValues: { ':read': 4 },
    });
  });

  it("removes a customer's entry only where there is one", async () => {
    // Prepare
    ddb.on(UpdateCommand).rejectsOnce(conditionFailed()).resolves({});
    // Act
    const none = await store().removePeerPicks('c1');
    const removed = await store().removePeerPicks('c1');
    // Assess
    expect([none, removed]).toEqual([false, true]);
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input).toMatchObject({
      Key: { customerId: peerBucketKey('c1') },
      UpdateExpression: 'REMOVE #picks.#id ADD #version :one',
      ConditionExpression: 'attribute_exists(#picks.#id)',
    });
  });
});
