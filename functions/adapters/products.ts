/**
 * The catalogue, kept from `product.upserted` and `order.placed` events. Each product item carries its order
 * count (the popularity index's sort key) and co-purchase counts as flat `co:<sku>` attributes, added with
 * one single-item ADD per ordered item: no transactions, no read-modify-write.
 */
import { BatchGetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LineItem } from '../domain/events.js';
import type { Product } from '../domain/recommend.js';
import { type Doc, queryAll } from './dynamo.js';

const CO = 'co:';
/** Co-purchase partners counted per item and order; bounds the item size for very large orders. */
const MAX_PARTNERS = 50;

export interface CatalogueEntry {
  sku: string;
  name: string;
  category: string;
  price: number;
  url?: string;
  imageUrl?: string;
  inStock: boolean;
  consumable?: boolean;
}

function fromItem(item: Record<string, unknown>): Product {
  const coBought: Record<string, number> = {};
  const product: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (key.startsWith(CO)) coBought[key.slice(CO.length)] = Number(value);
    else product[key] = value;
  }
  return { ...(product as unknown as Product), orderCount: Number(product.orderCount ?? 0), coBought };
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
    const sets = ['orderCount = if_not_exists(orderCount, :zero)'];
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
    const skus = [...new Set(items.map((i) => i.sku))];
    for (const item of items) {
      const partners = skus.filter((s) => s !== item.sku).slice(0, MAX_PARTNERS);
      const names: Record<string, string> = { '#n': 'name' };
      const values: Record<string, unknown> = {
        ':q': item.quantity,
        ':name': item.name,
        ':price': item.price,
      };
      if (partners.length) values[':one'] = 1;
      const adds = ['orderCount :q', ...partners.map((_, i) => `#co${i} :one`)];
      partners.forEach((sku, i) => {
        names[`#co${i}`] = `${CO}${sku}`;
      });
      const sets = ['#n = if_not_exists(#n, :name)', 'price = if_not_exists(price, :price)'];
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
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { sku: item.sku },
          UpdateExpression: `ADD ${adds.join(', ')} SET ${sets.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    }
  }

  /** Products by sku (missing ones are left out). */
  async getMany(skus: readonly string[]): Promise<Product[]> {
    const unique = [...new Set(skus)];
    const out: Product[] = [];
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] | undefined = unique.slice(i, i + 100).map((sku) => ({ sku }));
      // BatchGet may return unprocessed keys under load: ask again for those.
      for (let attempt = 0; keys?.length && attempt < 5; attempt++) {
        const res = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys } } }),
        );
        out.push(...(res.Responses?.[this.tableName] ?? []).map(fromItem));
        keys = res.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    return out;
  }

  /** The most ordered products of each category (its index partition, sorted here, most ordered first). */
  async popularIn(categories: readonly string[], perCategory = 10): Promise<Product[]> {
    const perCat = await Promise.all([...new Set(categories)].map((category) => this.inCategory(category)));
    return perCat.flatMap((items) => items.sort((a, b) => b.orderCount - a.orderCount).slice(0, perCategory));
  }

  private async inCategory(category: string): Promise<Product[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      IndexName: 'byCategory',
      KeyConditionExpression: 'category = :c',
      ExpressionAttributeValues: { ':c': category },
    });
    return items.map(fromItem);
  }
}
