/**
 * DynamoDB TTL for embedded mode: dynalite has no UpdateTimeToLive and never expires anything, so the runtime
 * runs this sweep once per simulated day (local/runtime.ts). It deletes, in every table whose layout names a
 * ttlAttribute (functions/domain/tables.ts), the items whose expiry (epoch seconds) is at or before the
 * simulated now, as AWS would (AWS deletes them within a few days of expiry; readers that must not see an
 * expired item check the time themselves, as tombstones and locks do).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { conditional, documentClient } from '../functions/adapters/dynamo.js';
import { TABLES, type TableLayout } from '../functions/domain/tables.js';

/** Items deleted per layout id (only tables with a TTL attribute appear). */
export type TtlSweepResult = Record<string, number>;

/**
 * Deletes every expired item of the TTL tables named in `tableNames` (layout id -> table name). Each delete
 * is conditional on the item still being expired, so an item renewed since the scan (a new expiry) stays.
 */
export async function sweepExpired(
  client: DynamoDBClient,
  tableNames: Readonly<Record<string, string>>,
  now: Date,
): Promise<TtlSweepResult> {
  const doc = documentClient(client);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const result: TtlSweepResult = {};
  for (const layout of Object.values(TABLES) as TableLayout[]) {
    const tableName = tableNames[layout.id];
    if (!layout.ttlAttribute || !tableName) continue;
    let deleted = 0;
    for (const key of await expiredKeys(doc, tableName, layout, nowSeconds)) {
      const removed = await conditional(
        doc,
        new DeleteCommand({
          TableName: tableName,
          Key: key,
          ConditionExpression: '#ttl <= :now',
          ExpressionAttributeNames: { '#ttl': layout.ttlAttribute },
          ExpressionAttributeValues: { ':now': nowSeconds },
        }),
      );
      if (removed) deleted++;
    }
    result[layout.id] = deleted;
  }
  return result;
}

/** The keys of the items whose TTL attribute is a number at or before `nowSeconds` (as TTL reads it). */
async function expiredKeys(
  doc: ReturnType<typeof documentClient>,
  tableName: string,
  layout: TableLayout,
  nowSeconds: number,
): Promise<Record<string, unknown>[]> {
  const keyNames = [layout.partitionKey, ...(layout.sortKey ? [layout.sortKey] : [])];
  const names: Record<string, string> = { '#ttl': layout.ttlAttribute ?? '' };
  keyNames.forEach((name, i) => {
    names[`#k${i}`] = name;
  });
  const keys: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new ScanCommand({
        TableName: tableName,
        // TTL ignores an attribute that is not a number; so does this filter (a string compares as no match).
        FilterExpression: 'attribute_type(#ttl, :n) AND #ttl <= :now',
        ProjectionExpression: keyNames.map((_, i) => `#k${i}`).join(', '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':n': 'N', ':now': nowSeconds },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) keys.push(Object.fromEntries(keyNames.map((k) => [k, item[k]])));
    start = out.LastEvaluatedKey;
  } while (start);
  return keys;
}
