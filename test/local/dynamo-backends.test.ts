/**
 * The `fast` local DynamoDB (local/dynamo-fast/) must answer exactly as dynalite does, so that a run's outputs
 * never depend on the backend. Checked at three levels:
 * - its parts: the sorted store iterates every range as memory-level does; the expression cache gives what
 *   dynalite's own validateExpressions gives, for a request seen before with other values too;
 * - every request of a run, replayed in order against a fresh dynalite and a fresh fast backend (plus
 *   requests the run does not make: scans, deletes, batch writes, errors), gets the same status and body;
 * - whole runs through runSession, once per backend, with the capacity meter in front: the same outbox,
 *   ledger, counters, rejected events, summary, stats, KPIs and capacity units (RRU/WRU by operation and table),
 *   with the audience answering and with faults injected.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SessionInput } from '../../cli/session.js';
import type { CapacityMeter } from '../../local/capacity.js';
import type { DynamoBackend } from '../../local/dynamo.js';
import { startDynamo } from '../../local/dynamo.js';
import { ExpressionCache } from '../../local/dynamo-fast/expressions.js';
import { SortedDb } from '../../local/dynamo-fast/store.js';
import type { LocalRequest, LocalService } from '../../local/transport.js';
import { expectSameOutputs, injectedFaults, runShop, withAudience } from './run-outputs.js';

// runSession starts the embedded mode itself: the backend, the meter and a request log go in through here.
const chosen = vi.hoisted(() => ({
  backend: 'dynalite' as DynamoBackend,
  meter: undefined as CapacityMeter | undefined,
  log: undefined as LocalRequest[] | undefined,
}));
vi.mock('../../local/runtime.js', async (importOriginal) => {
  const runtime = await importOriginal<typeof import('../../local/runtime.js')>();
  const { startCapacityMeter } = await import('../../local/capacity.js');
  return {
    ...runtime,
    startEmbedded: (options: Parameters<typeof runtime.startEmbedded>[0]) =>
      runtime.startEmbedded({
        ...options,
        dynamo: chosen.backend,
        dynamoProxy: async (target) => {
          const meter = await startCapacityMeter(target);
          chosen.meter = meter;
          const log = chosen.log;
          const service: LocalService = (request) => {
            log?.push(request);
            return meter.service(request);
          };
          return { endpoint: meter.endpoint, service, close: meter.close };
        },
      }),
  };
});

const dynaliteRequire = createRequire(createRequire(import.meta.url).resolve('dynalite'));
const { MemoryLevel } = dynaliteRequire('memory-level') as {
  MemoryLevel: new (
    options: object,
  ) => {
    put(key: string, value: unknown): Promise<void>;
    keys(options: object): { all(): Promise<string[]> };
  };
};
const dynaliteValidations = createRequire(import.meta.url)('dynalite/validations/index.js') as {
  validateExpressions(data: object): string | undefined;
};

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dynamo-backends-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('Class: SortedDb', () => {
  it('iterates every range as memory-level does', async () => {
    // Prepare: keys of dynalite's alphabet (hex, '/', '~'), some sharing prefixes
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = '0123456789abcdef/~';
    const key = () =>
      Array.from({ length: 1 + Math.floor(random() * 5) }, () => alphabet[Math.floor(random() * 18)]).join(
        '',
      );
    const level = new MemoryLevel({ valueEncoding: 'json' });
    const sorted = new SortedDb();
    for (let i = 0; i < 300; i++) {
      const k = key();
      await level.put(k, i);
      sorted.put(k, i);
    }

    // Act + Assess
    for (let i = 0; i < 400; i++) {
      const options: Record<string, unknown> = {};
      for (const bound of ['gt', 'gte', 'lt', 'lte']) if (random() < 0.4) options[bound] = key();
      if (random() < 0.5) options.reverse = true;
      if (random() < 0.4) options.limit = Math.floor(random() * 6);
      expect({ options, keys: sorted.range(options) }).toEqual({
        options,
        keys: await level.keys(options).all(),
      });
    }
  });
});

describe('Class: SortedDb (decoded values kept)', () => {
  const json = () =>
    new SortedDb(
      (v) => JSON.stringify(v),
      (t) => JSON.parse(t as string),
      3,
    );
  const read = (db: SortedDb, key: string) =>
    new Promise<unknown>((resolve) => db.get(key, (_, value) => resolve(value)));
  const stream = (db: SortedDb, options: object = {}) =>
    new Promise<unknown[]>((resolve) => {
      const out: unknown[] = [];
      const s = db.createValueStream(options);
      s.on('data', (v: unknown) => out.push(v));
      s.on('end', () => resolve(out));
    });

  it('parses a hot value once, and never answers with one written over or deleted since', async () => {
    const db = json();
    db.put('a', { n: 1 });
    const first = await read(db, 'a');
    expect(await read(db, 'a')).toBe(first);
    // A range read shares it too.
    expect((await stream(db))[0]).toBe(first);

    db.put('a', { n: 2 });
    expect(await read(db, 'a')).toEqual({ n: 2 });
    db.batch([{ type: 'put', key: 'a', value: { n: 3 } }]);
    expect(await read(db, 'a')).toEqual({ n: 3 });
    db.del('a');
    expect(await read(db, 'a')).toBeUndefined();
    expect(await stream(db)).toEqual([]);
    // The caller's object is never kept: changing it after the write changes nothing stored.
    const written = { n: 4 };
    db.put('a', written);
    written.n = 5;
    expect(await read(db, 'a')).toEqual({ n: 4 });
  });

  it('keeps at most its bound of decoded values and reads every value right past it', async () => {
    const db = json();
    for (let i = 0; i < 10; i++) db.put(`k${i}`, { i });
    for (let round = 0; round < 3; round++)
      for (let i = 0; i < 10; i++) expect(await read(db, `k${i}`)).toEqual({ i });
    expect(await stream(db, { gte: 'k2', lt: 'k5' })).toEqual([{ i: 2 }, { i: 3 }, { i: 4 }]);
    expect((db as unknown as { decoded: Map<string, unknown> }).decoded.size).toBe(3);
  });
});

describe('Class: ExpressionCache', () => {
  const requests = (values: Record<string, unknown>[], between = true) =>
    values.map((ExpressionAttributeValues) => ({
      UpdateExpression:
        'SET #a = if_not_exists(#a, :zero) + :one, #l = list_append(if_not_exists(#l, :empty), :item) ADD #n :one REMOVE #gone',
      ConditionExpression: between
        ? 'attribute_not_exists(pk) OR (#a BETWEEN :low AND :high AND size(#l) < :max)'
        : 'attribute_not_exists(pk) OR (#a >= :low AND #a <= :high AND size(#l) < :max)',
      ExpressionAttributeNames: { '#a': 'count', '#l': 'list', '#n': 'n', '#gone': 'old' },
      ExpressionAttributeValues,
    }));
  const values = (low: string, high: string, item: string) => ({
    ':zero': { N: '0' },
    ':one': { N: '1' },
    ':empty': { L: [] },
    ':item': { L: [{ S: item }] },
    ':low': { N: low },
    ':high': { N: high },
    ':max': { N: '10' },
  });

  it("gives dynalite's parse and errors for requests it has seen with other values", () => {
    // Prepare: the same kinds of request with other values, a BETWEEN the wrong way round, a bad number
    const kinds = [
      values('1', '5', 'a'),
      values('2', '9', 'b'),
      values('9', '2', 'c'),
      values('3', '4', 'd'),
      { ...values('1', '2', 'e'), ':one': { N: 'x' } },
    ];
    const cases = [...requests(kinds), ...requests(kinds, false)];
    const cache = new ExpressionCache();

    // Act
    const results = cases.map((request) => {
      const theirs = structuredClone(request) as Record<string, unknown>;
      const ours = structuredClone(request) as Record<string, unknown>;
      return {
        theirs: [dynaliteValidations.validateExpressions(theirs), theirs],
        ours: [cache.validate(ours), ours],
      };
    });

    // Assess
    for (const { theirs, ours } of results) expect(ours).toEqual(theirs);
    expect(results[2]!.theirs[0]).toMatch(/BETWEEN operator requires upper bound/);
    expect(results[4]!.theirs[0]).toMatch(/ExpressionAttributeValues contains invalid value/);
    expect(cache.hits).toBeGreaterThan(0);
  });

  it('gives each request its own copy of the parse, with its own values in it', () => {
    // Prepare
    const [first, second] = requests([values('1', '5', 'a'), values('1', '5', 'b')]) as Record<
      string,
      unknown
    >[];
    const cache = new ExpressionCache();

    // Act
    cache.validate(first!);
    cache.validate(second!);

    // Assess
    expect(second!._updates).not.toBe(first!._updates);
    expect(JSON.stringify(second!._updates)).toContain('"b"');
    expect(JSON.stringify(second!._updates)).not.toContain('"a"');
  });
});

/** Requests a demo run does not make: scans, deletes, batch writes, and answers that are errors. */
function extraRequests(): LocalRequest[] {
  const request = (operation: string, body: object): LocalRequest => ({
    method: 'POST',
    path: '/',
    query: new URLSearchParams(),
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${operation}`,
    },
    body: Buffer.from(JSON.stringify(body)),
  });
  const table = 'reciprocity-carts';
  return [
    request('Scan', { TableName: table, Limit: 7 }),
    request('Scan', {
      TableName: table,
      FilterExpression: 'attribute_type(#t, :n) AND #t <= :now',
      ExpressionAttributeNames: { '#t': 'expiresAt' },
      ExpressionAttributeValues: { ':n': { S: 'N' }, ':now': { N: '9999999999' } },
      ProjectionExpression: 'cartId',
      ReturnConsumedCapacity: 'INDEXES',
    }),
    request('BatchWriteItem', {
      RequestItems: {
        [table]: [
          { PutRequest: { Item: { cartId: { S: 'extra-1' }, customerId: { S: 'X' }, n: { N: '1' } } } },
          { PutRequest: { Item: { cartId: { S: 'extra-2' }, customerId: { S: 'X' } } } },
        ],
      },
      ReturnConsumedCapacity: 'TOTAL',
    }),
    request('Query', {
      TableName: table,
      IndexName: 'byCustomer',
      KeyConditionExpression: 'customerId = :c',
      ExpressionAttributeValues: { ':c': { S: 'X' } },
      Limit: 1,
      ReturnConsumedCapacity: 'INDEXES',
    }),
    request('DeleteItem', {
      TableName: table,
      Key: { cartId: { S: 'extra-1' } },
      ConditionExpression: 'n = :one',
      ExpressionAttributeValues: { ':one': { N: '1' } },
      ReturnValues: 'ALL_OLD',
      ReturnConsumedCapacity: 'INDEXES',
    }),
    request('DeleteItem', {
      TableName: table,
      Key: { cartId: { S: 'extra-1' } },
      ConditionExpression: 'attribute_exists(cartId)',
    }),
    request('UpdateItem', {
      TableName: table,
      Key: { cartId: { S: 'extra-2' } },
      UpdateExpression: 'SET #x = :x',
      ExpressionAttributeNames: { '#x': 'x', '#unused': 'y' },
      ExpressionAttributeValues: { ':x': { S: 'x' } },
    }),
    request('GetItem', { TableName: table, Key: { cartId: { S: '' } } }),
    request('GetItem', { TableName: 'reciprocity-nope', Key: { cartId: { S: 'a' } } }),
    request('PutItem', { TableName: table, Item: { customerId: { S: 'no key' } } }),
    request('Nope', {}),
    { ...request('GetItem', {}), body: Buffer.from('{not json') },
  ];
}

/** A reply as the caller reads it; BatchGetItem's responses sorted (dynalite shuffles them on purpose). */
function comparable(
  request: LocalRequest,
  reply: { status: number; headers: Record<string, string>; body: unknown },
) {
  const text = String(reply.body);
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  const responses = (body as { Responses?: Record<string, unknown[]> } | undefined)?.Responses;
  if (request.headers['x-amz-target']?.endsWith('.BatchGetItem') && responses) {
    for (const table of Object.keys(responses))
      responses[table] = responses[table]!.map((item) => JSON.stringify(item)).sort();
  }
  return { status: reply.status, type: reply.headers['content-type'], body };
}

describe('Embedded mode: the fast local DynamoDB against dynalite', () => {
  const run = async (
    backend: DynamoBackend,
    name: string,
    extra: Partial<SessionInput>,
    log?: LocalRequest[],
  ) => {
    chosen.backend = backend;
    chosen.log = log;
    try {
      const { files, result } = await runShop(join(root, `${name}-${backend}`), extra);
      const capacity = chosen.meter!.snapshot();
      // Item sizes are recorded as writes finish, and concurrent writes finish in either order: compare them sorted.
      for (const sizes of Object.values(capacity.itemBytes)) sizes.sort((a, b) => a - b);
      return { files, result, capacity };
    } finally {
      chosen.log = undefined;
    }
  };
  const log: LocalRequest[] = [];

  it('gives the same outputs, counters, KPIs and capacity units with the audience answering', async () => {
    // Act
    const dynalite = await run('dynalite', 'audience', withAudience, log);
    const fast = await run('fast', 'audience', withAudience);

    // Assess
    expect(dynalite.result.emails).toBeGreaterThan(10);
    expect(dynalite.result.stats.audience?.opens.person ?? 0).toBeGreaterThan(0);
    expect(dynalite.capacity.byOperation.Query?.read ?? 0).toBeGreaterThan(0);
    expectSameOutputs(dynalite.files, fast.files);
    expect(fast.result.stats).toEqual(dynalite.result.stats);
    expect(fast.result.kpis).toEqual(dynalite.result.kpis);
    expect(fast.capacity).toEqual(dynalite.capacity);
  }, 900_000);

  it('answers every request of that run, in order, as dynalite does', async () => {
    // Prepare
    const requests = [...log, ...extraRequests()];
    const dynalite = await startDynamo('reciprocity-', { backend: 'dynalite' });
    const fast = await startDynamo('reciprocity-', { backend: 'fast' });

    try {
      // Act
      const differences: unknown[] = [];
      for (const request of requests) {
        const expected = comparable(request, await dynalite.service(request));
        const actual = comparable(request, await fast.service(request));
        if (JSON.stringify(actual) !== JSON.stringify(expected) && differences.length < 3)
          differences.push({ request: request.body.toString(), expected, actual });
      }

      // Assess
      expect(log.length).toBeGreaterThan(1000);
      expect(differences).toEqual([]);
    } finally {
      await dynalite.close();
      await fast.close();
    }
  }, 900_000);

  it('gives the same outputs and capacity units when SES and DynamoDB fail and handlers crash', async () => {
    // Act
    const dynalite = await run('dynalite', 'faults', { faults: injectedFaults });
    const fast = await run('fast', 'faults', { faults: injectedFaults });

    // Assess
    expect(dynalite.result.stats.dynamodbFaults).toBeGreaterThan(1);
    expect(dynalite.result.promises.unknown.recorded).toBeGreaterThan(0);
    expectSameOutputs(dynalite.files, fast.files);
    expect(fast.result.stats).toEqual(dynalite.result.stats);
    expect(fast.capacity).toEqual(dynalite.capacity);
  }, 900_000);
});
