/**
 * DynamoDB capacity meter: an HTTP proxy in front of dynalite that adds ReturnConsumedCapacity INDEXES to every
 * data-plane request, sums units by operation and table, and returns the response as the caller asked for it.
 * dynalite computes table units (4 KB reads, halved when eventually consistent; 1 KB writes, larger of old and
 * new item) but nothing for global secondary indexes or failed conditional writes, and 0 for an empty Query:
 * the proxy adds those per DynamoDB's rules, reading the item from dynalite (unmetered) around each write,
 * serialized per key (batch writes are not serialized: bulk loads only).
 */
import { createRequire } from 'node:module';
import { crc32 } from 'node:zlib';
import { httpService, type LocalReply, type LocalService, serveLocal } from './transport.js';

type Av = Record<string, unknown>;
type Item = Record<string, Av>;

export type OperationUnits = { requests: number; read: number; write: number };

/** `indexRead`/`indexWrite`: the part of `read`/`write` that went to global secondary indexes. */
export type TableUnits = { read: number; write: number; indexRead: number; indexWrite: number };

export interface CapacityReport {
  byOperation: Record<string, OperationUnits>;
  byTable: Record<string, TableUnits>;
  /** Read units by the consistency the requests asked for (eventually consistent reads cost half). */
  readByConsistency: { eventual: number; strong: number };
  /** Failed conditional writes: billed by DynamoDB, not reported by dynalite, charged by the proxy. */
  failedConditionalWrites: number;
  /** Empty Query/Scan results: charged the minimum read by the proxy (dynalite reports 0). */
  emptyReads: number;
  /**
   * Write units by what was written: `table op shape`, the shape being the update expression (names
   * resolved) or the sorted attribute names of a put. Tells which code path the writes come from.
   */
  byWrite: Record<string, { requests: number; write: number; indexWrite: number }>;
  /** Per table, the size in bytes (dynalite's, as its units) of each item a Put or Update left behind. */
  itemBytes: Record<string, number[]>;
}

export interface CapacityMeter {
  readonly endpoint: string;
  /** The meter's logic, for the memory transport. */
  readonly service: LocalService;
  /** dynalite itself, for unmetered access (bulk loads). */
  readonly target: string;
  snapshot(): CapacityReport;
  reset(): void;
  /** Off: requests pass through unmetered and unslowed (e.g. during a bulk import). */
  setEnabled(on: boolean): void;
  close(): Promise<void>;
}

export type TableInfo = {
  keys: string[];
  indexes: { name: string; keys: string[]; projection: string; include: string[] }[];
};
type Reply = { status: number; headers: Record<string, string>; body: Buffer };

/** dynalite's own item size (the one its table units use), so index and table units agree. */
const { itemSize } = createRequire(import.meta.url)('dynalite/db/index.js') as {
  itemSize(item: Item): number;
};
const HOP_HEADERS = new Set(['content-length', 'host', 'connection']);
const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);
/** dynalite checks only that a signature-shaped header is present. */
const INTERNAL_HEADERS = {
  'content-type': 'application/x-amz-json-1.0',
  authorization: 'AWS4-HMAC-SHA256 Credential=local/x, SignedHeaders=host, Signature=0',
  'x-amz-date': '20260101T000000Z',
};

/** A DynamoDB stand-in to put a proxy in front of: its HTTP endpoint, and how this proxy reaches it. */
export interface DynamoTarget {
  readonly endpoint: string;
  /** dynalite in memory, or its endpoint over HTTP (`httpService(endpoint)`). */
  readonly service: LocalService;
}

/** Starts the meter in front of `target` (an endpoint URL: reached over HTTP). */
export async function startCapacityMeter(target: string | DynamoTarget): Promise<CapacityMeter> {
  const dynamo = typeof target === 'string' ? { endpoint: target, service: httpService(target) } : target;
  const post = async (headers: Record<string, string>, payload: Buffer): Promise<Reply> =>
    toReply(
      await dynamo.service({
        method: 'POST',
        path: '/',
        query: new URLSearchParams(),
        headers,
        body: payload,
      }),
    );
  const tables = new Map<string, Promise<TableInfo>>();
  const locks = new Map<string, Promise<unknown>>();
  let report = emptyReport();
  let enabled = true;

  const call = async (op: string, body: object): Promise<Av> => {
    const headers = { ...INTERNAL_HEADERS, 'x-amz-target': `DynamoDB_20120810.${op}` };
    return json(await post(headers, Buffer.from(JSON.stringify(body))));
  };
  const tableInfo = (name: string): Promise<TableInfo> => {
    if (!tables.has(name)) tables.set(name, call('DescribeTable', { TableName: name }).then(toTableInfo));
    return tables.get(name)!;
  };
  const getItem = async (table: string, key: Item): Promise<Item | undefined> =>
    (await call('GetItem', { TableName: table, Key: key, ConsistentRead: true })).Item as Item | undefined;
  const indexWrites = async (name: string, before?: Item, after?: Item): Promise<number> => {
    const info = await tableInfo(name);
    return info.indexes.reduce((sum, index) => sum + gsiWriteUnits(info, index, before, after), 0);
  };

  const opUnits = (op: string): OperationUnits => {
    report.byOperation[op] ??= { requests: 0, read: 0, write: 0 };
    return report.byOperation[op];
  };
  const add = (op: string, name: string, units: Partial<TableUnits>, strong = false): void => {
    const { read = 0, write = 0, indexRead = 0, indexWrite = 0 } = units;
    report.byTable[name] ??= { read: 0, write: 0, indexRead: 0, indexWrite: 0 };
    bump(opUnits(op), { read, write: write + indexWrite });
    bump(report.byTable[name], { read, write: write + indexWrite, indexRead, indexWrite });
    report.readByConsistency[strong ? 'strong' : 'eventual'] += read;
  };

  /** Runs `fn` after every earlier write to the same key has finished. */
  const serialized = <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const run = (locks.get(key) ?? Promise.resolve()).then(fn);
    const settled = run.catch(() => undefined);
    locks.set(key, settled);
    void settled.then(() => locks.get(key) === settled && locks.delete(key));
    return run;
  };

  const write = async (op: string, input: Av, forward: () => Promise<Reply>): Promise<Reply> => {
    const name = String(input.TableName);
    const info = await tableInfo(name);
    const key = op === 'PutItem' ? pick(input.Item as Item, info.keys) : (input.Key as Item);
    return serialized(`${name}|${canonical(key)}`, async () => {
      const before = await getItem(name, key);
      const reply = await forward();
      const shape = `${name} ${op} ${writeShape(op, input)}`;
      report.byWrite[shape] ??= { requests: 0, write: 0, indexWrite: 0 };
      const byShape = report.byWrite[shape];
      if (reply.status === 200) {
        const after = op === 'DeleteItem' ? undefined : await getItem(name, key);
        const units = Number((json(reply).ConsumedCapacity as Av | undefined)?.CapacityUnits ?? 0);
        const indexWrite = await indexWrites(name, before, after);
        add(op, name, { write: units, indexWrite });
        if (after) {
          const sizes = report.itemBytes[name] ?? [];
          sizes.push(itemSize(after));
          report.itemBytes[name] = sizes;
        }
        bump(byShape, { requests: 1, write: units + indexWrite, indexWrite });
      } else if (reply.status === 400 && reply.body.includes('ConditionalCheckFailedException')) {
        // Billed as the write would have been: the larger of the stored and the proposed item, at least 1.
        const proposed = op === 'PutItem' ? (input.Item as Item) : undefined;
        const units = Math.max(writeUnits(before), writeUnits(proposed));
        add(op, name, { write: units });
        bump(byShape, { requests: 1, write: units });
        report.failedConditionalWrites += 1;
      }
      return reply;
    });
  };

  const batchWrite = async (input: Av, forward: () => Promise<Reply>): Promise<Reply> => {
    const requests = Object.entries((input.RequestItems ?? {}) as Record<string, Av[]>);
    const changes = await Promise.all(
      requests.flatMap(([name, list]) =>
        list.map(async (entry) => {
          const put = (entry.PutRequest as { Item: Item } | undefined)?.Item;
          const info = await tableInfo(name);
          const key = put ? pick(put, info.keys) : (entry.DeleteRequest as { Key: Item }).Key;
          return { name, before: await getItem(name, key), after: put };
        }),
      ),
    );
    const reply = await forward();
    if (reply.status !== 200) return reply;
    for (const cc of (json(reply).ConsumedCapacity ?? []) as Av[]) {
      add('BatchWriteItem', String(cc.TableName), { write: Number(cc.CapacityUnits ?? 0) });
    }
    for (const { name, before, after } of changes) {
      add('BatchWriteItem', name, { indexWrite: await indexWrites(name, before, after) });
    }
    return reply;
  };

  const read = (op: string, input: Av, reply: Reply): void => {
    if (reply.status !== 200) return;
    const consumed = json(reply).ConsumedCapacity;
    for (const cc of (Array.isArray(consumed) ? consumed : [consumed]) as (Av | undefined)[]) {
      if (!cc) continue;
      const name = String(cc.TableName);
      const requested = op === 'BatchGetItem' ? (input.RequestItems as Record<string, Av>)[name] : input;
      const strong = requested?.ConsistentRead === true;
      const indexes = Object.values((cc.GlobalSecondaryIndexes ?? {}) as Record<string, Av>);
      let units = Number(cc.CapacityUnits ?? 0);
      let indexRead = indexes.reduce((sum, i) => sum + Number(i.CapacityUnits ?? 0), 0);
      if (units === 0 && (op === 'Query' || op === 'Scan')) {
        units = strong ? 1 : 0.5; // DynamoDB charges an empty result the minimum read
        if (input.IndexName) indexRead = units;
        report.emptyReads += 1;
      }
      add(op, name, { read: units, indexRead }, strong);
    }
  };

  const service: LocalService = async (request) => {
    const { body } = request;
    const op = (request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const forwarded = Object.entries(request.headers).filter(([name]) => !HOP_HEADERS.has(name));
    const headers = Object.fromEntries(forwarded);
    if (!enabled || (!READS.has(op) && !WRITES.has(op) && op !== 'BatchWriteItem')) {
      return answer(await post(headers, body));
    }
    const input = JSON.parse(body.toString('utf8')) as Av;
    const metered = Buffer.from(JSON.stringify({ ...input, ReturnConsumedCapacity: 'INDEXES' }));
    const forward = () => post(headers, metered);
    opUnits(op).requests += 1;
    let reply: Reply;
    if (WRITES.has(op)) reply = await write(op, input, forward);
    else if (op === 'BatchWriteItem') reply = await batchWrite(input, forward);
    else {
      reply = await forward();
      read(op, input, reply);
    }
    return answer(reply.status === 200 ? asAsked(reply, input.ReturnConsumedCapacity) : reply);
  };
  const listening = await serveLocal(service);

  return {
    endpoint: listening.endpoint,
    service,
    target: dynamo.endpoint,
    snapshot: () => structuredClone(report),
    reset: () => {
      report = emptyReport();
    },
    setEnabled: (on) => {
      enabled = on;
    },
    close: () => listening.close(),
  };
}

function bump(target: Record<string, number>, delta: Record<string, number>): void {
  for (const [key, value] of Object.entries(delta)) target[key] = (target[key] ?? 0) + value;
}

function emptyReport(): CapacityReport {
  const readByConsistency = { eventual: 0, strong: 0 };
  return {
    byOperation: {},
    byTable: {},
    readByConsistency,
    failedConditionalWrites: 0,
    emptyReads: 0,
    byWrite: {},
    itemBytes: {},
  };
}

/** What a write writes, without its values: the update expression with names resolved, or a put's attributes. */
function writeShape(op: string, input: Av): string {
  if (op === 'PutItem')
    return Object.keys((input.Item ?? {}) as Item)
      .sort()
      .join(',');
  if (op === 'DeleteItem') return '';
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  return String(input.UpdateExpression ?? '')
    .replace(/#[A-Za-z0-9_]+/g, (n) => names[n] ?? n)
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>');
}

/**
 * One index's write units for one table write (DynamoDB's rules for global secondary indexes): a new entry
 * or a removed one costs one write of the entry, a changed index key two (delete + put), a change of
 * projected attributes one, anything else nothing.
 */
export function gsiWriteUnits(
  table: TableInfo,
  index: TableInfo['indexes'][number],
  before?: Item,
  after?: Item,
) {
  const inIndex = (item?: Item): item is Item => !!item && index.keys.every((k) => item[k] !== undefined);
  const entry = (item: Item): Item =>
    index.projection === 'ALL' ? item : pick(item, [...index.keys, ...table.keys, ...index.include]);
  const had = inIndex(before);
  const has = inIndex(after);
  if (!had) return has ? writeUnits(entry(after)) : 0;
  const old = entry(before);
  if (!has) return writeUnits(old);
  const next = entry(after);
  if (index.keys.some((k) => canonical(old[k]) !== canonical(next[k])))
    return writeUnits(old) + writeUnits(next);
  return canonical(old) === canonical(next) ? 0 : writeUnits(next);
}

/** Write units for an item: per 1 KB, at least 1 (also for a missing item). */
export function writeUnits(item?: Item): number {
  return item ? Math.max(1, Math.ceil(itemSize(item) / 1024)) : 1;
}

function toTableInfo(described: Av): TableInfo {
  type Key = { KeySchema: { AttributeName: string }[] };
  type Index = Key & {
    IndexName: string;
    Projection: { ProjectionType: string; NonKeyAttributes?: string[] };
  };
  const t = described.Table as Key & { GlobalSecondaryIndexes?: Index[] };
  const keys = (k: Key) => k.KeySchema.map((a) => a.AttributeName);
  const indexes = (t.GlobalSecondaryIndexes ?? []).map((i) => ({
    name: i.IndexName,
    keys: keys(i),
    projection: i.Projection.ProjectionType,
    include: i.Projection.NonKeyAttributes ?? [],
  }));
  return { keys: keys(t), indexes };
}

function pick(item: Item, names: string[]): Item {
  return Object.fromEntries(names.filter((n) => item[n] !== undefined).map((n) => [n, item[n]!]));
}

/** JSON with sorted keys: equal values compare equal whatever order dynalite stored them in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (!value || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

function json(reply: Reply): Av {
  return JSON.parse(reply.body.toString('utf8')) as Av;
}

/** The caller gets ConsumedCapacity only if it asked for it (TOTAL callers get the INDEXES detail too). */
function asAsked(reply: Reply, asked: unknown): Reply {
  if (asked === 'INDEXES' || asked === 'TOTAL') return reply;
  const parsed = json(reply);
  delete parsed.ConsumedCapacity;
  const body = Buffer.from(JSON.stringify(parsed));
  return { ...reply, body, headers: { ...reply.headers, 'x-amz-crc32': String(crc32(body)) } };
}

function toReply(reply: LocalReply): Reply {
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  return { status: reply.status, headers: reply.headers, body };
}

function answer(reply: Reply): LocalReply {
  const {
    'transfer-encoding': _t,
    connection: _c,
    'keep-alive': _k,
    'content-length': _l,
    ...headers
  } = reply.headers;
  return { status: reply.status, headers, body: reply.body };
}
