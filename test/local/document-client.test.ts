/**
 * The stores' document client on a `cacheMiddleware` client (functions/adapters/dynamo.ts
 * CachedDocumentClient) must answer exactly as lib-dynamodb's own: every command the stores send, with every
 * kind of value they store, sent both ways against the same local table, gives the same output (and the
 * same error), and the item either one wrote reads back the same through the other.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CachedDocumentClient, type Doc, documentClient } from '../../functions/adapters/dynamo.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION, type LocalDynamo, startDynamo } from '../../local/dynamo.js';
import { transportConfig } from '../../local/transport.js';

let dynamo: LocalDynamo;
let plain: Doc;
let cached: Doc;
let table: string;
let sorted: string;

beforeAll(async () => {
  dynamo = await startDynamo('doc-', { backend: 'fast' });
  plain = documentClient(client(false));
  cached = documentClient(client(true));
  table = dynamo.tableNames.profiles!;
  sorted = dynamo.tableNames.messages!;
});
afterAll(() => dynamo.close());

function client(cacheMiddleware: boolean, transport: 'memory' | 'http' = 'memory'): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    ...transportConfig(transport, dynamo.service),
    cacheMiddleware,
  });
}

/** Every kind of value an item of ours holds (undefined members are removed, as the stores ask). */
const rich = (id: string) => ({
  customerId: id,
  email: 'a@example.com',
  count: 3,
  price: 12.5,
  negative: -0.25,
  yes: true,
  nothing: null,
  gone: undefined,
  tags: new Set(['b', 'a']),
  scores: new Set([1, 2]),
  list: ['x', 2, { deep: [true, null, { deeper: 'y' }] }],
  map: { nested: { a: 1, b: 'two', skip: undefined }, empty: {} },
  emptyList: [],
  text: 'ünïcødé ✓',
});

/** Both ways, the output without the request's metadata (its ids and attempts differ by nature). */
async function both<T>(send: (doc: Doc) => Promise<T>): Promise<[T, T]> {
  const strip = (out: T) => {
    const { $metadata: _, ...rest } = out as Record<string, unknown>;
    return rest as T;
  };
  return [strip(await send(plain)), strip(await send(cached))];
}

describe('the cached document client answers as lib-dynamodb does', () => {
  it('is what documentClient builds on a cacheMiddleware client, and lib-dynamodb otherwise', () => {
    expect(cached).toBeInstanceOf(CachedDocumentClient);
    expect(plain).toBeInstanceOf(DynamoDBDocumentClient);
  });

  it('puts, gets and deletes every kind of value alike', async () => {
    await plain.send(new PutCommand({ TableName: table, Item: rich('p1') }));
    await cached.send(new PutCommand({ TableName: table, Item: rich('p2') }));
    const read = (doc: Doc, id: string) =>
      doc.send(new GetCommand({ TableName: table, Key: { customerId: id }, ConsistentRead: true }));
    const [a, b] = await both((doc) => read(doc, 'p1'));
    expect(b).toEqual(a);
    expect(a.Item?.tags).toEqual(new Set(['a', 'b']));
    expect(a.Item).not.toHaveProperty('gone');
    const [c, d] = await both((doc) => read(doc, 'p2'));
    expect({ ...d.Item, customerId: 'p1' }).toEqual(a.Item);
    expect(c).toEqual(d);
    const [missingA, missingB] = await both((doc) => read(doc, 'none'));
    expect(missingB).toEqual(missingA);
    expect(missingA.Item).toBeUndefined();
    const [deleted] = await both((doc) =>
      doc.send(new DeleteCommand({ TableName: table, Key: { customerId: 'p1' }, ReturnValues: 'ALL_OLD' })),
    );
    expect(deleted.Attributes?.email).toBe('a@example.com');
  });

  it('updates with conditions and answers ALL_NEW / UPDATED_OLD alike, and fails a condition alike', async () => {
    const update = (doc: Doc, id: string) =>
      doc.send(
        new UpdateCommand({
          TableName: table,
          Key: { customerId: id },
          UpdateExpression: 'ADD #n :one SET #m = :map, #l = list_append(if_not_exists(#l, :none), :items)',
          ConditionExpression: 'attribute_not_exists(#n) OR #n < :max',
          ExpressionAttributeNames: { '#n': 'count', '#m': 'map', '#l': 'list' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':max': 3,
            ':map': { a: [1, 'b', { c: null }], d: undefined },
            ':none': [],
            ':items': ['x'],
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
    const [first] = await both((doc) => update(doc, `u-${doc === plain ? 'plain' : 'cached'}`));
    const again = await both((doc) => update(doc, `u-${doc === plain ? 'plain' : 'cached'}`));
    expect({ ...again[1].Attributes, customerId: 'x' }).toEqual({ ...again[0].Attributes, customerId: 'x' });
    expect(first.Attributes).toMatchObject({ count: 1, map: { a: [1, 'b', { c: null }] }, list: ['x'] });
    await both((doc) => update(doc, `u-${doc === plain ? 'plain' : 'cached'}`));
    const errors = await Promise.all(
      [plain, cached].map((doc) =>
        update(doc, `u-${doc === plain ? 'plain' : 'cached'}`).then(
          () => undefined,
          (error: Error) => ({ name: error.name, message: error.message }),
        ),
      ),
    );
    expect(errors[0]?.name).toBe('ConditionalCheckFailedException');
    expect(errors[1]).toEqual(errors[0]);
    const [oldA, oldB] = await both((doc) =>
      doc.send(
        new UpdateCommand({
          TableName: table,
          Key: { customerId: 'u-plain' },
          UpdateExpression: 'SET email = :e',
          ExpressionAttributeValues: { ':e': `${doc === plain ? 'p' : 'c'}@example.com` },
          ReturnValues: 'UPDATED_OLD',
        }),
      ),
    );
    expect(oldA.Attributes).toEqual({});
    expect(oldB.Attributes).toEqual({ email: 'p@example.com' });
  });

  it('queries an index page by page and scans alike, with the same start keys', async () => {
    for (let i = 0; i < 5; i++)
      await cached.send(
        new PutCommand({
          TableName: sorted,
          Item: {
            messageId: `m${i}`,
            customerId: 'q1',
            createdAt: `2026-12-0${i + 1}`,
            detail: rich(`q${i}`),
          },
        }),
      );
    const page = (doc: Doc, start?: Record<string, unknown>) =>
      doc.send(
        new QueryCommand({
          TableName: sorted,
          IndexName: 'byCustomer',
          KeyConditionExpression: 'customerId = :c AND createdAt >= :from',
          ExpressionAttributeValues: { ':c': 'q1', ':from': '2026-12-02' },
          Limit: 2,
          ScanIndexForward: false,
          ExclusiveStartKey: start,
        }),
      );
    let [a, b] = await both((doc) => page(doc));
    expect(b).toEqual(a);
    expect(a.LastEvaluatedKey).toMatchObject({ customerId: 'q1', messageId: expect.any(String) });
    [a, b] = await both((doc) => page(doc, a.LastEvaluatedKey));
    expect(b).toEqual(a);
    expect(a.Items?.map((i) => i.messageId)).toEqual(['m2', 'm1']);
    const [scanA, scanB] = await both((doc) =>
      doc.send(
        new ScanCommand({
          TableName: sorted,
          FilterExpression: 'createdAt > :d',
          ExpressionAttributeValues: { ':d': '2026-12-03' },
        }),
      ),
    );
    expect(scanB).toEqual(scanA);
    expect(scanA.Count).toBe(2);
  });

  it('batch-writes and batch-reads alike', async () => {
    const write = (doc: Doc, prefix: string) =>
      doc.send(
        new BatchWriteCommand({
          RequestItems: {
            [table]: [
              { PutRequest: { Item: rich(`${prefix}1`) } },
              { PutRequest: { Item: rich(`${prefix}2`) } },
              { DeleteRequest: { Key: { customerId: 'p2' } } },
            ],
          },
        }),
      );
    const [wa, wb] = await both((doc) => write(doc, doc === plain ? 'bp' : 'bc'));
    expect(wb).toEqual(wa);
    const [ra, rb] = await both((doc) =>
      doc.send(
        new BatchGetCommand({
          RequestItems: {
            [table]: { Keys: [{ customerId: 'bp1' }, { customerId: 'bc2' }, { customerId: 'none' }] },
          },
        }),
      ),
    );
    // A batch read answers in no set order.
    const byId = (out: typeof ra) =>
      [...(out.Responses?.[table] ?? [])].sort((x, y) =>
        String(x.customerId).localeCompare(String(y.customerId)),
      );
    expect(byId(rb)).toEqual(byId(ra));
    expect(rb.UnprocessedKeys).toEqual(ra.UnprocessedKeys);
    expect(byId(ra).map((i) => i.customerId)).toEqual(['bc2', 'bp1']);
  });

  it('sends a command twice with the same answer (its input is marshalled afresh each time)', async () => {
    const get = new GetCommand({ TableName: table, Key: { customerId: 'bp1' } });
    const first = await cached.send(get);
    const second = await cached.send(get);
    expect(second.Item).toEqual(first.Item);
    expect(get.input.Key).toEqual({ customerId: 'bp1' });
  });

  it('passes the per-call options on (an aborted signal stops the request, over HTTP), as lib-dynamodb does', async () => {
    const [overHttpPlain, overHttpCached] = [
      documentClient(client(false, 'http')),
      documentClient(client(true, 'http')),
    ];
    expect(overHttpCached).toBeInstanceOf(CachedDocumentClient);
    await overHttpCached.send(new PutCommand({ TableName: table, Item: { customerId: 'http1' } }));
    const get = () => new GetCommand({ TableName: table, Key: { customerId: 'http1' } });
    expect((await overHttpCached.send(get())).Item?.customerId).toBe('http1');
    const aborted = AbortSignal.abort();
    const names = await Promise.all(
      [overHttpPlain, overHttpCached].map((doc) =>
        doc.send(get(), { abortSignal: aborted }).then(
          () => 'answered',
          (error: Error) => error.name,
        ),
      ),
    );
    expect(names[1]).toBe(names[0]);
    expect(names[1]).not.toBe('answered');
  });
});
