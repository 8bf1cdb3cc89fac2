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
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { TransientError } from '../domain/errors.js';

/** What the stores use of a document client: lib-dynamodb's commands, sent. */
export type Doc = Pick<DynamoDBDocumentClient, 'send'>;

const MARSHALL = {
  removeUndefinedValues: true,
  convertClassInstanceToMap: false,
  convertTopLevelContainer: true,
};
const UNMARSHALL = { convertWithoutMapWrapper: true };

/**
 * A document client; endpoint and credentials come from the standard AWS environment variables. On a client
 * built with `cacheMiddleware: true` (as the functions and embedded mode build theirs) it is a
 * {@link CachedDocumentClient}; on any other, lib-dynamodb's own (which refuses that setting).
 */
export function documentClient(client: DynamoDBClient = new DynamoDBClient({})): Doc {
  if (client.config.cacheMiddleware === true) return new CachedDocumentClient(client);
  return DynamoDBDocumentClient.from(client, { marshallOptions: MARSHALL, unmarshallOptions: UNMARSHALL });
}

/** What a lib-dynamodb command carries (public fields, not typed as such). */
interface DocumentCommandFields {
  input: object;
  inputKeyNodes: KeyNodes;
  outputKeyNodes: KeyNodes;
  clientCommand: { input: object };
}

/** lib-dynamodb's map of the values a command's input or output holds as DynamoDB attribute values. */
type KeyNodes = { readonly [key: string]: KeyNodes } | readonly never[] | null;

/**
 * lib-dynamodb's commands sent on a low-level client whose middleware stack is resolved once per command
 * class (`cacheMiddleware`). lib-dynamodb resolves the whole stack again for every command (its commands
 * add their marshalling as per-command middleware, so its client cannot cache them): that was over a third of a
 * request's CPU (`npx tsx bench/requests.ts`). Here the command's own input is marshalled, its low-level
 * command sent, and the output unmarshalled, with the same key-node maps and options, so the results are
 * lib-dynamodb's (test/local/document-client.test.ts sends every command the stores use both ways).
 */
export class CachedDocumentClient {
  constructor(private readonly client: DynamoDBClient) {}

  send: Doc['send'] = (async (command: unknown, options?: object) => {
    const fields = command as DocumentCommandFields;
    const low = fields.clientCommand;
    low.input = walk(fields.input, fields.inputKeyNodes, (value) => marshall(value, MARSHALL));
    // The per-call options (an abort signal, a request timeout) go on with the command, as lib-dynamodb's do.
    const output = await this.client.send(low as never, options as never);
    return walk(output, fields.outputKeyNodes, (value) => unmarshall(value as never, UNMARSHALL));
  }) as Doc['send'];
}

/**
 * lib-dynamodb's walk of a key-node map (its processKeysInObj, not exported): under each named key, `null`
 * converts the value itself, `{}` or `[]` every member of it, `{ '*': nodes }` each member by `nodes`, and
 * any other map the keys it names; every other key is copied as it is.
 */
function walk<T>(obj: T, nodes: KeyNodes, convert: (value: unknown) => unknown): T {
  if (obj === undefined || obj === null || nodes === null) return obj;
  const out = (Array.isArray(obj) ? [...obj] : { ...obj }) as Record<string, unknown>;
  for (const [key, child] of Object.entries(nodes)) {
    const value = (obj as Record<string, unknown>)[key];
    if (value === undefined) continue;
    out[key] = at(value, child, convert);
  }
  return out as T;
}

function at(value: unknown, nodes: KeyNodes, convert: (value: unknown) => unknown): unknown {
  if (nodes === null) return convert(value);
  const keys = Object.keys(nodes);
  if (keys.length === 0) return members(value, convert, true);
  if (keys.length === 1 && keys[0] === '*') {
    const next = (nodes as Record<string, KeyNodes>)['*']!;
    return members(value, (member) => at(member, next, convert));
  }
  return walk(value, nodes, convert);
}

/**
 * Each member converted (an undefined one is not: it stays undefined); `dropUndefined` leaves out a key whose
 * value is or converts to nothing, as lib-dynamodb does.
 */
function members(value: unknown, each: (member: unknown) => unknown, dropUndefined = false): unknown {
  if (Array.isArray(value)) return value.map((member) => (member === undefined ? undefined : each(member)));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    const converted = member === undefined ? undefined : each(member);
    if (converted !== undefined || !dropUndefined) out[key] = converted;
  }
  return out;
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
