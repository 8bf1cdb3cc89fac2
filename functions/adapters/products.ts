/**
 * The catalogue, kept from `product.upserted` and `order.placed` events. Each product item carries its order
 * count (projected into the category index, for popularity) and a bounded co-purchase state (domain/
 * co-purchase.ts), written with one single-item conditional update per ordered item: no transactions.
 *
 * The state is stored packed, as one string attribute `coPacked` (domain/co-purchase.ts packCoPurchases:
 * partners grouped by inherited count). Only this adapter reads it, always whole, and every order of a product
 * rewrites it whole; as a map of 64 partners (and their errors) each write made the SDK marshal, and the
 * table parse and check, some 130 typed values. DynamoDB bills each write per 1 KB of the whole item, so the
 * item is kept under 1 KB for a real shop's popular products: the compact packed form (400-460 bytes for
 * 64 partners on the UCI shop, where its JSON form took 900-1,040) and 6-character order tags. Items written
 * before keep the JSON form of `coPacked`, a map `co`, or flat `co:<sku>` attributes, and 12-character tags:
 * they read, and their next write moves them to the compact form.
 */
import { createHash } from 'node:crypto';
import { BatchGetCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type CoPurchases,
  CoPurchaseTally,
  guaranteedCounts,
  unpackCoPurchases,
} from '../domain/co-purchase.js';
import { TransientError } from '../domain/errors.js';
import type { LineItem } from '../domain/events.js';
import { popularityOf } from '../domain/popularity.js';
import type { Product } from '../domain/recommend.js';
import { conditional, type Doc } from './dynamo.js';

const CO = 'co:';
/** Co-purchase partners counted per item and order (a very large order counts its first ones). */
const MAX_PARTNERS = 50;
/** Lost races in a row before an order's count is retried as a whole (TransientError). */
const COUNT_ATTEMPTS = 5;
/** Flat `co:<sku>` attributes of an item stored before the bounded map, moved into it per write. */
const LEGACY_REMOVED_PER_WRITE = 50;
/** Batch reads of the same leftover keys before giving up (TransientError: the whole order is retried). */
const BATCH_GET_ATTEMPTS = 5;
/** Product writes of one order (or one import batch) in flight at once. */
const WRITES_IN_FLIGHT = 25;
/**
 * The last orders counted on a product (`coOrders`, tags of their keys): an order retried after some of its
 * products were written finds its tag there and is not counted twice. A retry comes within minutes
 * (Lambda's asynchronous retries); it counts twice only if more orders than this hit the product meanwhile.
 */
export const ORDER_TAGS_KEPT = 12;
/** Attributes that are the product's counts, never part of what a recommendation shows. */
const COUNT_ATTRIBUTES = new Set(['co', 'coPacked', 'coVersion', 'coOrders', 'popularity']);

export interface CatalogueEntry {
  sku: string;
  name: string;
  category: string;
  price: number;
  url?: string;
  imageUrl?: string;
  inStock: boolean;
  consumable?: boolean;
  /** When the shop added it (ISO date or time): the key of the newly-added index. */
  addedAt?: string;
}

/**
 * A stored product as the domain sees it. Its co-purchase state is unpacked only when asked for: only the
 * items suggestions start from need their partners, and on a real shop's catalogue unpacking every product
 * read (a message's candidates, a customer page's items) was 2% of a run's CPU.
 */
function fromItem(item: Record<string, unknown>, withCoBought = false): Product {
  const product: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item))
    if (!key.startsWith(CO) && !COUNT_ATTRIBUTES.has(key)) product[key] = value;
  return {
    ...(product as unknown as Product),
    orderCount: Number(product.orderCount ?? 0),
    // Readers rank partners by what each certainly reached (count - inherited error).
    ...(withCoBought ? { coBought: guaranteedCounts(coOf(item).co) } : {}),
  };
}

/** What a read of products returns besides the product itself. */
export interface ProductReads {
  /** Each product's partners (`coBought`: what was bought with it, by the count it certainly reached). */
  withCoBought?: boolean;
}

/**
 * The item's co-purchase state: the packed string as stored (read straight into a tally or its counts), or a
 * map `co` stored before it (errors 0), with counts still kept as flat `co:<sku>` attributes (before the map)
 * merged in.
 */
function coOf(item: Record<string, unknown> | undefined): { co: CoPurchases | string; legacy: string[] } {
  const legacy: string[] = [];
  if (!item) return { co: '', legacy };
  for (const key in item) if (key.startsWith(CO)) legacy.push(key);
  if (typeof item.coPacked === 'string' && !legacy.length) return { co: item.coPacked, legacy };
  const co =
    typeof item.coPacked === 'string'
      ? unpackCoPurchases(item.coPacked)
      : { counts: numbersOf(item.co), errors: {} };
  for (const key of legacy) {
    const sku = key.slice(CO.length);
    co.counts[sku] = (co.counts[sku] ?? 0) + Number(item[key]);
  }
  return { co, legacy };
}

function numbersOf(map: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (map && typeof map === 'object')
    for (const [sku, n] of Object.entries(map as Record<string, unknown>)) out[sku] = Number(n);
  return out;
}

/**
 * Characters of an order's tag (base64url of its key's SHA-256: 36 bits). A retried order always finds its
 * own tag; another order's tag matches one of the ORDER_TAGS_KEPT on a product about once in 5.7 billion
 * product writes, and then that product misses one count (never counts one twice). Tags stored before were
 * 12 characters of the same digest: their first 6 are the tag now, so an order counted then is still found.
 */
const TAG_LENGTH = 6;

/** A short tag of an order's key for `coOrders`. */
function tagOf(orderKey: string): string {
  return createHash('sha256').update(orderKey).digest('base64url').slice(0, TAG_LENGTH);
}

/** The tags of the last orders counted on the item (`coOrders`: space-separated, oldest first), cut to TAG_LENGTH. */
function tagsOf(item: Record<string, unknown> | undefined): string[] {
  const tags = item?.coOrders;
  return typeof tags === 'string' && tags ? tags.split(' ').map((tag) => tag.slice(0, TAG_LENGTH)) : [];
}

/** One product's share of the orders being counted. */
interface Tally {
  /** Orders holding the product (once per order, however many lines or units). */
  orders: number;
  /** Each order's partners, in order. */
  partners: string[][];
  item: LineItem;
}

export class ProductStore {
  constructor(
    private readonly doc: Doc,
    private readonly tableName: string,
  ) {}

  /** Creates or updates a catalogue entry (keeps its counts). */
  async upsert(entry: CatalogueEntry): Promise<void> {
    const fields: Record<string, unknown> = { ...entry };
    delete fields.sku;
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':zero': 0 };
    const sets = [
      'orderCount = if_not_exists(orderCount, :zero)',
      'popularity = if_not_exists(popularity, :zero)',
    ];
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined) continue;
      names[`#${k}`] = k;
      values[`:${k}`] = v;
      sets.push(`#${k} = :${k}`);
    }
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { sku: entry.sku },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  /**
   * Counts a live order: per item one order (not its units: a wholesale line of 120 is one order, and
   * popularity is how many orders hold an item) and one co-purchase with each other item of the order.
   * `orderKey` (the order's idempotency key) makes it once per product: a retry after some products were
   * written skips those.
   */
  async recordOrder(items: readonly LineItem[], orderKey?: string): Promise<void> {
    await this.recordOrders([items], orderKey === undefined ? undefined : tagOf(orderKey));
  }

  /**
   * Counts orders (a live one, or a customer's whole history at import): all their products read with one
   * batch read, each product's new state computed in memory for every order at once, and each written once
   * (up to WRITES_IN_FLIGHT side by side), with its order count added and its bounded co-purchase state
   * (domain/co-purchase.ts) counted in order. Each write is conditional on the item's `coVersion` as read: a
   * concurrent order for the same product makes it fail, and that product alone is read again and redone,
   * so no count is lost. With `orderTag` (the types allow it with one order only), a product whose
   * `coOrders` already holds the tag was counted by an earlier attempt and is left alone, so no count is
   * made twice.
   */
  async recordOrders(orders: readonly (readonly LineItem[])[]): Promise<void>;
  async recordOrders(orders: readonly [readonly LineItem[]], orderTag?: string): Promise<void>;
  async recordOrders(orders: readonly (readonly LineItem[])[], orderTag?: string): Promise<void> {
    const tallies = new Map<string, Tally>();
    for (const items of orders) {
      const skus = [...new Set(items.map((i) => i.sku))];
      // Its last line describes the product; a sku on two lines of one order is still one order.
      const lineOf = new Map(items.map((item) => [item.sku, item]));
      for (const [sku, item] of lineOf) {
        const tally = tallies.get(sku) ?? { orders: 0, partners: [], item };
        tally.orders += 1;
        tally.item = item;
        const partners = skus.filter((s) => s !== sku).slice(0, MAX_PARTNERS);
        if (partners.length) tally.partners.push(partners);
        tallies.set(sku, tally);
      }
    }
    const current = new Map((await this.rawMany([...tallies.keys()])).map((i) => [String(i.sku), i]));
    const pending = [...tallies];
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let entry = pending[next++]; entry; entry = pending[next++])
        await this.countProduct(entry[0], entry[1], current.get(entry[0]), orderTag);
    };
    // Settled, not raced: no write is still in flight when a failure is reported.
    const results = await Promise.allSettled(
      Array.from({ length: Math.min(WRITES_IN_FLIGHT, pending.length) }, worker),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** One product's counts, read again and redone while a concurrent order wins the version race. */
  private async countProduct(
    sku: string,
    tally: Tally,
    read: Record<string, unknown> | undefined,
    orderTag: string | undefined,
  ): Promise<void> {
    let item = read;
    for (let attempt = 0; ; attempt++) {
      if (orderTag && tagsOf(item).includes(orderTag)) return;
      if (await this.writeTally(sku, tally, item, orderTag)) return;
      if (attempt >= COUNT_ATTEMPTS - 1)
        throw new TransientError(
          `Product ${sku} kept changing: ${COUNT_ATTEMPTS} count writes lost the race`,
        );
      const out = await this.doc.send(
        new GetCommand({ TableName: this.tableName, Key: { sku }, ConsistentRead: true }),
      );
      item = out.Item;
    }
  }

  /**
   * One product's counts, written if the item is still as read (false: it changed, read it again). The
   * condition on the version makes what was read authoritative: fields the item already has are not
   * written again.
   */
  private writeTally(
    sku: string,
    tally: Tally,
    before: Record<string, unknown> | undefined,
    orderTag: string | undefined,
  ): Promise<boolean> {
    const { co, legacy } = coOf(before);
    const counter = new CoPurchaseTally(co);
    for (const partners of tally.partners) counter.add(partners);
    const version = Number(before?.coVersion ?? 0);
    const oldPopularity = before?.popularity === undefined ? undefined : Number(before.popularity);
    const popularity = popularityOf(Number(before?.orderCount ?? 0) + tally.orders);
    const { item } = tally;
    const names: Record<string, string> = { '#cp': 'coPacked', '#cv': 'coVersion' };
    const values: Record<string, unknown> = {
      ':q': tally.orders,
      ':cp': counter.packed(),
      ':next': version + 1,
    };
    const sets = ['#cp = :cp', '#cv = :next'];
    // The index's sort key moves only when the count reaches the next step (two index writes).
    if (popularity !== oldPopularity) {
      values[':pop'] = popularity;
      sets.push('popularity = :pop');
    }
    if (orderTag) {
      names['#co2'] = 'coOrders';
      values[':tags'] = [...tagsOf(before), orderTag].slice(-ORDER_TAGS_KEPT).join(' ');
      sets.push('#co2 = :tags');
    }
    // What the catalogue has not said yet, from the order's line (a product.upserted keeps its own).
    // if_not_exists still: a product.upserted does not move the version, and may have said it meanwhile.
    const missing = (field: string, value: unknown) => {
      if (value === undefined || value === '' || before?.[field] !== undefined) return;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = if_not_exists(#${field}, :${field})`);
    };
    missing('name', item.name);
    missing('price', item.price);
    missing('category', item.category);
    missing('url', item.url);
    missing('imageUrl', item.imageUrl);
    // Counts stored before the bounded map (flat `co:<sku>` attributes) move into it, a bounded few per write;
    // a map stored before the packed form is replaced by it.
    const removes = legacy.slice(0, LEGACY_REMOVED_PER_WRITE).map((key, i) => {
      names[`#l${i}`] = key;
      return `#l${i}`;
    });
    if (before?.co !== undefined) {
      names['#com'] = 'co';
      removes.push('#com');
    }
    let condition = 'attribute_not_exists(sku)';
    if (before) {
      condition = version ? '#cv = :v' : 'attribute_not_exists(#cv)';
      if (version) values[':v'] = version;
    }
    return conditional(
      this.doc,
      new UpdateCommand({
        TableName: this.tableName,
        Key: { sku },
        UpdateExpression: `ADD orderCount :q SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  /** Products by sku (missing ones are left out); their partners only `withCoBought`. */
  async getMany(skus: readonly string[], reads: ProductReads = {}): Promise<Product[]> {
    return (await this.rawMany(skus)).map((item) => fromItem(item, reads.withCoBought));
  }

  private async rawMany(skus: readonly string[]): Promise<Record<string, unknown>[]> {
    const unique = [...new Set(skus)];
    const out: Record<string, unknown>[] = [];
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = unique.slice(i, i + 100).map((sku) => ({ sku }));
      // BatchGet may return unprocessed keys under load: ask again for those.
      for (let attempt = 0; keys?.length; attempt++) {
        if (attempt >= BATCH_GET_ATTEMPTS)
          throw new TransientError(
            `${keys.length} products were still unprocessed after ${attempt} batch reads`,
          );
        const res = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }),
        );
        out.push(...(res.Responses?.[this.tableName] ?? []));
        keys = res.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    return out;
  }

  /**
   * The most ordered products of each category, most ordered first: the top of its popularity index, so
   * the read is bounded however large the category. `orderCount` is the index's popularity (the count
   * rounded down to a step, domain/popularity.ts), which is what ranking needs. A few more than asked are
   * read, as recommendations leave out what is out of stock.
   */
  async popularIn(categories: readonly string[], perCategory = 10): Promise<Product[]> {
    const perCat = await Promise.all(
      [...new Set(categories)].map((category) =>
        this.top('byPopularity', 'category = :c', { ':c': category }, perCategory),
      ),
    );
    return perCat.flat();
  }

  /** Each category's products added since `since` (ISO), newest first: the candidates labelled new. */
  async newIn(categories: readonly string[], since: string, perCategory = 5): Promise<Product[]> {
    const perCat = await Promise.all(
      [...new Set(categories)].map((category) =>
        this.top(
          'byAddedAt',
          'category = :c AND addedAt >= :since',
          { ':c': category, ':since': since },
          perCategory,
        ),
      ),
    );
    return perCat.flat();
  }

  private async top(
    index: string,
    condition: string,
    values: Record<string, unknown>,
    wanted: number,
  ): Promise<Product[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index,
        KeyConditionExpression: condition,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: wanted * 2,
      }),
    );
    return (out.Items ?? [])
      .map((item) => ({ ...fromItem(item), orderCount: Number(item.orderCount ?? item.popularity ?? 0) }))
      .sort((a, b) => Number(b.inStock !== false) - Number(a.inStock !== false))
      .slice(0, wanted);
  }
}
