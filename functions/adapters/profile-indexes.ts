/**
 * The profiles table's sweep indexes: customers by birthday (the hourly birthday sweep) and by the day their
 * inactivity line falls on (the daily win-back sweep). Its own store (need `profileIndexes`, over the profiles
 * table) so the functions that never sweep (intake, the message steps, the customer pages) do not bundle it.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Profile } from '../domain/model.js';
import type { Doc } from './dynamo.js';

export class ProfileIndexStore {
  constructor(
    private readonly doc: Doc,
    private readonly tableName: string,
  ) {}

  /** Customers whose birthday index key is `monthDay` (reads only them, never the table). */
  async byBirthday(monthDay: string): Promise<Pick<Profile, 'customerId' | 'birthday' | 'timeZone'>[]> {
    return this.queryIndex('byBirthday', 'birthdayMd', monthDay);
  }

  /** Customers whose inactivity line falls on `day` (UTC "YYYY-MM-DD"). */
  async byInactiveOn(day: string): Promise<Pick<Profile, 'customerId' | 'inactiveOn'>[]> {
    return this.queryIndex('byInactiveOn', 'inactiveOn', day);
  }

  /** Every entry of the index under one key, page by page (the indexes are domain/tables.ts PROFILES'). */
  private async queryIndex<T>(index: string, key: string, value: string): Promise<T[]> {
    const items: T[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index,
          KeyConditionExpression: '#k = :v',
          ExpressionAttributeNames: { '#k': key },
          ExpressionAttributeValues: { ':v': value },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...((out.Items ?? []) as T[]));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
