/** The catalogue with order counts, kept from order.placed events; feeds recommendations. */
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { LineItem } from '../domain/events.js';
import type { Product } from '../domain/recommend.js';
import type { Doc } from './dynamo.js';

export class ProductStore {
  constructor(
    private readonly doc: Doc,
    private readonly tableName: string,
  ) {}

  /** Counts an order's items (one write per item). Items without a category are counted but not indexed. */
  async recordOrder(items: readonly LineItem[]): Promise<void> {
    for (const item of items) {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { sku: item.sku },
          UpdateExpression: `ADD orderCount :q SET #n = :name, price = :price${item.category ? ', category = :cat' : ''}${
            item.url ? ', #u = :url' : ''
          }${item.imageUrl ? ', imageUrl = :img' : ''}`,
          ExpressionAttributeNames: { '#n': 'name', ...(item.url ? { '#u': 'url' } : {}) },
          ExpressionAttributeValues: {
            ':q': item.quantity,
            ':name': item.name,
            ':price': item.price,
            ...(item.category ? { ':cat': item.category } : {}),
            ...(item.url ? { ':url': item.url } : {}),
            ...(item.imageUrl ? { ':img': item.imageUrl } : {}),
          },
        }),
      );
    }
  }

  /** The most ordered products of each category (index query, newest counts first). */
  async popularIn(categories: readonly string[], perCategory = 10): Promise<Product[]> {
    const results = await Promise.all(
      [...new Set(categories)].map((category) =>
        this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'byCategory',
            KeyConditionExpression: 'category = :c',
            ExpressionAttributeValues: { ':c': category },
            ScanIndexForward: false,
            Limit: perCategory,
          }),
        ),
      ),
    );
    return results.flatMap((out) => (out.Items ?? []) as Product[]);
  }
}
