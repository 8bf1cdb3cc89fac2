/** The DynamoDB document client and small helpers shared by the stores. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DeleteCommand,
  DynamoDBDocumentClient,
  type PutCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { TransientError } from '../domain/errors.js';

export type Doc = DynamoDBDocumentClient;

/** A document client; endpoint and credentials come from the standard AWS environment variables. */
export function documentClient(client: DynamoDBClient = new DynamoDBClient({})): Doc {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export function isConditionFailed(error: unknown): boolean {
  return (error as { name?: string })?.name === 'ConditionalCheckFailedException';
}

/**
 * The one conditional-write helper: sends a write whose ConditionExpression decides, and answers whether it
 * was made (false: the condition did not hold). Every other error is thrown.
 */
export async function conditional(
  doc: Doc,
  command: PutCommand | UpdateCommand | DeleteCommand,
): Promise<boolean> {
  try {
    // One call for the three write commands: send's overloads do not accept their union.
    await doc.send(command as PutCommand);
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}

/**
 * Writes one key of a map attribute in place (so concurrent writes of other keys are never lost), creating the
 * map first when the item has none yet. `update` must address the map as `#map` and carry its own names and
 * values. False when the item does not exist (a deleted item is never re-created).
 */
export async function writeMapKey(
  doc: Doc,
  input: {
    tableName: string;
    key: Record<string, string>;
    map: string;
    update: { expression: string; names: Record<string, string>; values: Record<string, unknown> };
  },
): Promise<boolean> {
  const [keyName] = Object.keys(input.key);
  const write = () =>
    conditional(
      doc,
      new UpdateCommand({
        TableName: input.tableName,
        Key: input.key,
        UpdateExpression: input.update.expression,
        ConditionExpression: 'attribute_exists(#map)',
        ExpressionAttributeNames: { '#map': input.map, ...input.update.names },
        ExpressionAttributeValues: input.update.values,
      }),
    );
  if (await write()) return true;
  // No map yet: create it empty (keeping one a concurrent first write just made), then write the key.
  const created = await conditional(
    doc,
    new UpdateCommand({
      TableName: input.tableName,
      Key: input.key,
      UpdateExpression: 'SET #map = if_not_exists(#map, :empty)',
      ConditionExpression: 'attribute_exists(#key)',
      ExpressionAttributeNames: { '#map': input.map, '#key': keyName ?? '' },
      ExpressionAttributeValues: { ':empty': {} },
    }),
  );
  return created && (await write());
}

/** Builds `SET a = :a, b = :b REMOVE c` from a patch; `null` removes, `undefined` is ignored. */
export function updateFromPatch(patch: Record<string, unknown>): {
  UpdateExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
} {
  const sets: string[] = [];
  const removes: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    names[`#${key}`] = key;
    if (value === null) removes.push(`#${key}`);
    else {
      sets.push(`#${key} = :${key}`);
      values[`:${key}`] = value;
    }
  }
  const parts = [
    sets.length ? `SET ${sets.join(', ')}` : '',
    removes.length ? `REMOVE ${removes.join(', ')}` : '',
  ];
  return {
    UpdateExpression: parts.filter(Boolean).join(' '),
    ExpressionAttributeNames: names,
    ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
  };
}

/** Every item a Query returns, following LastEvaluatedKey through all pages. */
export async function queryAll<T = Record<string, unknown>>(
  doc: Doc,
  input: QueryCommandInput,
): Promise<T[]> {
  const items: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...((out.Items ?? []) as T[]));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** BatchGetItem's limit of keys per request. */
const BATCH_GET_MAX = 100;
const BATCH_GET_ATTEMPTS = 5;

/**
 * The items of `keys` (eventually consistent), in no particular order; missing items are left out. Keys
 * DynamoDB leaves unprocessed are asked for again, and a TransientError says so if some still are (never a
 * silently shorter answer).
 */
export async function batchGetAll<T = Record<string, unknown>>(
  doc: Doc,
  tableName: string,
  keys: readonly Record<string, unknown>[],
): Promise<T[]> {
  const items: T[] = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_MAX) {
    let pending: Record<string, unknown>[] | undefined = keys.slice(i, i + BATCH_GET_MAX);
    for (let attempt = 0; pending?.length && attempt < BATCH_GET_ATTEMPTS; attempt++) {
      const out = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending } } }));
      items.push(...((out.Responses?.[tableName] ?? []) as T[]));
      pending = out.UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined;
    }
    if (pending?.length) {
      throw new TransientError(
        `${pending.length} keys of ${tableName} still unprocessed after ${BATCH_GET_ATTEMPTS} reads`,
      );
    }
  }
  return items;
}

/** Every item of a table (exports and reports only: it reads the whole table). */
export async function scanAll<T = Record<string, unknown>>(doc: Doc, tableName: string): Promise<T[]> {
  const items: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    items.push(...((out.Items ?? []) as T[]));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}
