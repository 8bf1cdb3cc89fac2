/**
 * The catalogue, kept from `product.upserted` and `order.placed` events. Each product item carries its order
 * count (projected into the category index, for popularity) and a bounded map `co` of co-purchase counts
 * (domain/co-purchase.ts), written with one single-item conditional update per ordered item: no
 * transactions.
 */
import { BatchGetCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { countCoPurchases } from '../domain/co-purchase.js';
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

function fromItem(item: Record<string, unknown>): Product {
  const product: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item))
    if (!key.startsWith(CO) && key !== 'co' && key !== 'coVersion' && key !== 'popularity')
      product[key] = value;
  return {
    ...(product as unknown as Product),
    orderCount: Number(product.orderCount ?? 0),
    coBought: coOf(item).co,
  };
}

/** The item's co-purchase map, with counts still kept as flat `co:<sku>` attributes (before the map) merged in. */
function coOf(item: Record<string, unknown> | undefined): { co: Record<string, number>; legacy: string[] } {
  const co: Record<string, number> = {};
  const legacy: string[] = [];
  if (!item) return { co, legacy };
  for (const [sku, n] of Object.entries((item.co as Record<string, unknown> | undefined) ?? {}))
    co[sku] = Number(n);
  for (const [key, value] of Object.entries(item))
    if (key.startsWith(CO)) {
      legacy.push(key);
      const sku = key.slice(CO.length);
      co[sku] = (co[sku] ?? 0) + Number(value);
    }
  return { co, legacy };
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

  /** Counts an order: per item its quantity and one co-purchase with each other item of the order. */
  async recordOrder(items: readonly LineItem[]): Promise<void> {
    await this.recordOrders([items]);
  }

  /**
   * Counts orders (a live one, or a customer's whole history at import): each product is read once and
   * written once, whatever the number of orders, with its quantities added and its bounded co-purchase map
   * (domain/co-purchase.ts) counted in order. The map is a read-modify-write under the item's `coVersion`:
   * a concurrent order for the same product makes the write fail, and it is read again and redone.
   */
  async recordOrders(orders: readonly (readonly LineItem[])[]): Promise<void> {
    const tallies = new Map<string, { quantity: number; partners: string[][]; item: LineItem }>();
    for (const items of orders) {
      const skus = [...new Set(items.map((i) => i.sku))];
      for (const item of items) {
        const tally = tallies.get(item.sku) ?? { quantity: 0, partners: [], item };
        tally.quantity += item.quantity;
        tally.item = item;
        const partners = skus.filter((s) => s !== item.sku).slice(0, MAX_PARTNERS);
        if (partners.length) tally.partners.push(partners);
        tallies.set(item.sku, tally);
      }
    }
    const current = new Map((await this.rawMany([...tallies.keys()])).map((i) => [String(i.sku), i]));
    for (const [sku, tally] of tallies) {
      let item = current.get(sku);
      for (let attempt = 0; ; attempt++) {
        if (await this.writeTally(sku, tally, item)) break;
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
  }

  /** One product's counts, written if the item is still as read (false: it changed, read it again). */
  private writeTally(
    sku: string,
    tally: { quantity: number; partners: string[][]; item: LineItem },
    before: Record<string, unknown> | undefined,
  ): Promise<boolean> {
    const { co, legacy } = coOf(before);
    const counted = tally.partners.reduce((map, partners) => countCoPurchases(map, partners), co);
    const version = Number(before?.coVersion ?? 0);
    const popularity = popularityOf(Number(before?.orderCount ?? 0) + tally.quantity);
    const { item } = tally;
    const names: Record<string, string> = { '#n': 'name', '#co': 'co', '#cv': 'coVersion' };
    const values: Record<string, unknown> = {
      ':q': tally.quantity,
      ':name': item.name,
      ':price': item.price,
      ':co': counted,
      ':next': version + 1,
    };
    if (popularity !== Number(before?.popularity ?? -1)) values[':pop'] = popularity;
    const sets = [
      '#co = :co',
      '#cv = :next',
      // The index's sort key moves only when the count reaches the next step (two index writes).
      ...(popularity === Number(before?.popularity ?? -1) ? [] : ['popularity = :pop']),
      '#n = if_not_exists(#n, :name)',
      'price = if_not_exists(price, :price)',
    ];
    if (item.category) {
      sets.push('category = if_not_exists(category, :cat)');
      values[':cat'] = item.category;
    }
    if (item.url) {
      names['#u'] = 'url';
      values[':url'] = item.url;
      sets.push('#u = if_not_exists(#u, :url)');
    }
    if (item.imageUrl) {
      values[':img'] = item.imageUrl;
      sets.push('imageUrl = if_not_exists(imageUrl, :img)');
    }
    // Counts stored before the bounded map (flat `co:<sku>` attributes) move into it, a bounded few per write.
    const removes = legacy.slice(0, LEGACY_REMOVED_PER_WRITE).map((key, i) => {
      names[`#l${i}`] = key;
      return `#l${i}`;
    });
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

  /** Products by sku (missing ones are left out). */
  async getMany(skus: readonly string[]): Promise<Product[]> {
    return (await this.rawMany(skus)).map(fromItem);
  }

  private async rawMany(skus: readonly string[]): Promise<Record<string, unknown>[]> {
    const unique = [...new Set(skus)];
    const out: Record<string, unknown>[] = [];
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = unique.slice(i, i + 100).map((sku) => ({ sku }));
      // BatchGet may return unprocessed keys under load: ask again for those.
      for (let attempt = 0; keys?.length && attempt < 5; attempt++) {
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
