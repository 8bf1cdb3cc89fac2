/**
 * The store dynalite's actions (node_modules/dynalite/actions/*) run on, kept in plain memory instead of
 * dynalite's own (memory-level behind a promise-to-callback wrapper, a lifecycle tracker and a setImmediate
 * per call). Same interface, same answers:
 * - each sub-database is a Map plus its keys in sorted order, iterated by the range options the actions pass
 *   (gte/gt/lte/lt, reverse, limit; gte wins over gt and lte over lt, as in memory-level). dynalite's keys are
 *   ASCII (hex digests, hex or lexicographic number strings, `/` and the `~` sentinel), so comparing JS strings
 *   orders them as memory-level's byte compare does;
 * - callbacks are called synchronously, so an action's read, check and write happen in one turn. The per-key
 *   locks of dynalite (the same `lock` package) stay: uncontended they cost a Map entry;
 * - items, index entries and tags are kept as JSON text, as memory-level kept them, and parsed when read:
 *   one string per item instead of an object per attribute value (a real shop's month held about 570,000
 *   `{ S }`/`{ N }`/`{ L }`/`{ M }` wrappers), so a run's heap and its garbage collector's marking follow the
 *   tables' bytes rather than their attribute count. The last 2,048 items decoded per table and per index
 *   are kept decoded (about 40 MB more at a real shop's peak) and shared by their readers until the key is
 *   written again: dynalite's actions never change what they read (SortedDb `read`).
 *   Table descriptions are copied on the way in and kept as objects (read on every request).
 */
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { Stream } from 'node:stream';

const dynaliteRequire = createRequire(createRequire(import.meta.url).resolve('dynalite'));
const { Lock } = dynaliteRequire('lock') as { Lock: () => LockFn };

type Callback<T = unknown> = (error: Error | null, value?: T) => void;
type LockFn = (key: string, run: (release: (done?: Callback) => Callback) => void) => void;

/** Range options of a level iterator, as dynalite's actions pass them. */
export interface RangeOptions {
  gt?: string;
  gte?: string;
  lt?: string;
  lte?: string;
  reverse?: boolean;
  limit?: number;
}

export interface StoreOptions {
  createTableMs: number;
  deleteTableMs: number;
  updateTableMs: number;
  maxItemSizeKb: number;
  maxItemSize: number;
}

/** One of dynalite's sub-databases (table list, a table's items, an index, tags). */
export class SortedDb {
  readonly lock: LockFn = Lock();
  private readonly values = new Map<string, unknown>();
  private keys: string[] = [];

  /**
   * `encode` turns a value into what is kept and `decode` back (both identity by default); items and index
   * entries are kept as JSON text, as dynalite's memory-level kept them.
   */
  constructor(
    private readonly encode: (value: unknown) => unknown = (value) => value,
    private readonly decode: (kept: unknown) => unknown = (kept) => kept,
    /** Decoded values kept for reads (0: none); see `read`. */
    private readonly decodedKept = 0,
  ) {}

  /**
   * The most recently decoded values, by key, at most `decodedKept`: a hot item (a popular product, the
   * profile every step of a message reads, a category's top entries) is parsed once, not on every read.
   * Readers share the object: dynalite's actions only read what the store gives them (UpdateItem deep-clones
   * before it applies an update; projections build new objects; answers are serialized at once), and every
   * write or delete of the key drops it (test/local/dynamo-backends.test.ts).
   */
  private readonly decoded = new Map<string, unknown>();

  /** The value under `key`, decoded (undefined when there is none). */
  private read(key: string): unknown {
    const hit = this.decoded.get(key);
    if (hit !== undefined) return hit;
    const kept = this.values.get(key);
    if (kept === undefined) return undefined;
    const value = this.decode(kept);
    if (this.decodedKept > 0) {
      // The first decoded goes first (a Map iterates in insertion order).
      if (this.decoded.size >= this.decodedKept)
        this.decoded.delete(this.decoded.keys().next().value as string);
      this.decoded.set(key, value);
    }
    return value;
  }

  get(key: string, cb: Callback): void {
    cb(null, this.read(key));
  }

  put(key: string, value: unknown, cb?: Callback): void {
    this.set(key, value);
    cb?.(null);
  }

  del(key: string, cb?: Callback): void {
    this.remove(key);
    cb?.(null);
  }

  batch(operations: { type: 'put' | 'del'; key: string; value?: unknown }[], cb?: Callback): void {
    for (const op of operations) {
      if (op.type === 'del') this.remove(op.key);
      else this.set(op.key, op.value);
    }
    cb?.(null);
  }

  createValueStream(options: RangeOptions = {}): EventEmitter {
    return arrayStream(this.range(options), (key) => this.read(key as string));
  }

  createReadStream(options: RangeOptions = {}): EventEmitter {
    return this.createValueStream(options);
  }

  createKeyStream(options: RangeOptions = {}): EventEmitter {
    return arrayStream(this.range(options));
  }

  /** The keys within `options`' bounds, in iteration order. */
  range(options: RangeOptions): string[] {
    const keys = this.keys;
    const lower = options.gte !== undefined ? options.gte : options.gt;
    const upper = options.lte !== undefined ? options.lte : options.lt;
    let from = lower === undefined ? 0 : firstAtOrAbove(keys, lower);
    if (lower !== undefined && options.gte === undefined && keys[from] === lower) from += 1;
    let to = upper === undefined ? keys.length : firstAtOrAbove(keys, upper);
    if (upper !== undefined && options.lte !== undefined && keys[to] === upper) to += 1;
    if (to <= from) return [];
    const found = keys.slice(from, to);
    if (options.reverse) found.reverse();
    const limit = options.limit ?? -1;
    return limit >= 0 && found.length > limit ? found.slice(0, limit) : found;
  }

  close(cb?: Callback): void {
    if (cb) setImmediate(cb, null);
  }

  private set(key: string, value: unknown): void {
    if (!this.values.has(key)) this.keys.splice(firstAtOrAbove(this.keys, key), 0, key);
    this.values.set(key, this.encode(value));
    this.decoded.delete(key);
  }

  private remove(key: string): void {
    this.decoded.delete(key);
    if (!this.values.delete(key)) return;
    this.keys.splice(firstAtOrAbove(this.keys, key), 1);
  }
}

/** The first index whose key is >= `key` (binary search). */
function firstAtOrAbove(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keys[mid]! < key) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * What dynalite's `lazyStream` needs of a level stream: `data` events, then `end`, starting after the caller has
 * attached its listeners; `destroy` (which Lazy calls once it has taken enough) stops the rest. A Stream, so
 * that Lazy listens for `readable` (which lazyStream takes off again) rather than for `data` a second time.
 */
function arrayStream(
  values: readonly unknown[],
  decode: (kept: unknown) => unknown = (v) => v,
): EventEmitter {
  const stream = new Stream() as Stream & { destroy(): void };
  let destroyed = false;
  stream.destroy = () => {
    destroyed = true;
  };
  queueMicrotask(() => {
    for (const value of values) {
      if (destroyed) return;
      stream.emit('data', decode(value));
    }
    if (!destroyed) stream.emit('end');
  });
  return stream;
}

/**
 * Decoded items kept per table and per index for reads (SortedDb `read`). The UCI shop's June replay reads
 * 877,754 items and index entries (479 per email: products, the customer's profile, its messages, categories'
 * top entries), most of them read moments before: with 2,048 kept 62% are shared (512: 55%), and the month's
 * JSON parsing took 1.5 s of CPU instead of 5.9 s (measured around the decode, one run each), for about 40 MB
 * more at its peak (406 against 368 MB).
 */
const DECODED_KEPT = 2048;

const jsonCopy = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
const toJson = (value: unknown): unknown => JSON.stringify(value);
const fromJson = (kept: unknown): unknown => JSON.parse(kept as string);

/** `ResourceNotFoundException`, as dynalite's getTable answers it. */
function tableNotFound(name: string, checkStatus: boolean): Error {
  const error = Object.assign(new Error('NotFoundError'), {
    name: 'NotFoundError',
    statusCode: 400,
    body: {
      __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
      message: `Requested resource not found${checkStatus ? '' : `: Table: ${name} not found`}`,
    },
  });
  return error;
}

/** A store with dynalite's interface (db/index.js `create`), in memory. */
export function createStore(options: Partial<StoreOptions> = {}) {
  const maxItemSizeKb = options.maxItemSizeKb ?? 400;
  const storeOptions: StoreOptions = {
    createTableMs: options.createTableMs ?? 500,
    deleteTableMs: options.deleteTableMs ?? 500,
    updateTableMs: options.updateTableMs ?? 500,
    maxItemSizeKb,
    maxItemSize: maxItemSizeKb * 1024,
  };
  const subDbs = new Map<string, SortedDb>();
  const subDb = (name: string, encode = toJson, decode = fromJson, decodedKept = DECODED_KEPT): SortedDb => {
    let db = subDbs.get(name);
    if (!db) {
      db = new SortedDb(encode, decode, decodedKept);
      subDbs.set(name, db);
    }
    return db;
  };
  const deleteSubDb = (name: string, cb: Callback): void => {
    subDbs.delete(name);
    cb(null);
  };
  const tableDb = Object.assign(
    subDb('table', jsonCopy, (kept) => kept, 0),
    {
      // As dynalite reads them (for the ARNs it writes into table descriptions).
      awsAccountId: (process.env.AWS_ACCOUNT_ID || '0000-0000-0000').replace(/[^\d]/g, ''),
      awsRegion: process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1',
    },
  );
  const indexName = (type: string, table: string, index: string) =>
    `index-${type.toLowerCase()}~${table}~${index}`;
  return {
    options: storeOptions,
    tableDb,
    getItemDb: (name: string) => subDb(`item-${name}`),
    deleteItemDb: (name: string, cb: Callback) => deleteSubDb(`item-${name}`, cb),
    getIndexDb: (type: string, table: string, index: string) => subDb(indexName(type, table, index)),
    deleteIndexDb: (type: string, table: string, index: string, cb: Callback) =>
      deleteSubDb(indexName(type, table, index), cb),
    getTagDb: (name: string) => subDb(`tag-${name}`),
    deleteTagDb: (name: string, cb: Callback) => deleteSubDb(`tag-${name}`, cb),
    getTable(name: string, checkStatus: boolean | Callback, cb?: Callback): void {
      const done = (typeof checkStatus === 'function' ? checkStatus : cb)!;
      const check = typeof checkStatus === 'function' ? true : checkStatus;
      tableDb.get(name, (_, found) => {
        const table = found as { TableStatus?: string } | undefined;
        if (!table?.TableStatus || (check && ['CREATING', 'DELETING'].includes(table.TableStatus)))
          return done(tableNotFound(name, check));
        done(null, table);
      });
    },
  };
}

export type FastStore = ReturnType<typeof createStore>;
