/**
 * Local DynamoDB: dynalite in-process on a free port, with the tables of functions/domain/tables.ts; either
 * dynalite as it ships (`dynalite`: its HTTP server over LevelDB in memory) or the same dynalite code on a
 * cheaper footing (`fast`: local/dynamo-fast/service.ts, identical answers). TTL is not configured: dynalite
 * has no UpdateTimeToLive, and nothing expires by itself (local/ttl-sweep.ts does it).
 *
 * `service` calls dynalite's own request listener with a minimal request and response in memory (what the
 * memory transport uses): the same code as over its socket, minus the socket and Node's HTTP parsing.
 * dynalite checks only that an Authorization header of the SigV4 shape and a date are present, never the
 * signature, so unsigned in-memory requests get a fixed one.
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { TABLES, type TableLayout } from '../functions/domain/tables.js';
import { startFastDynamo } from './dynamo-fast/service.js';
import { listen } from './net.js';
import {
  DEFAULT_TRANSPORT,
  type LocalReply,
  type LocalService,
  serveLocal,
  type Transport,
  transportConfig,
} from './transport.js';

/**
 * `dynalite`: dynalite's own server and storage; `fast`: dynalite's validations and actions on sorted Maps,
 * with each kind of expression parsed once (the same answers, test/local/dynamo-backends.test.ts).
 */
export type DynamoBackend = 'dynalite' | 'fast';

/** Every backend, for flags that pick one. */
export const DYNAMO_BACKENDS: readonly DynamoBackend[] = ['dynalite', 'fast'];

export const isDynamoBackend = (name: string): name is DynamoBackend =>
  (DYNAMO_BACKENDS as readonly string[]).includes(name);

/** What `startDynamo` starts unless told: dynalite as it ships, the reference the adapters' tests run on. */
export const DEFAULT_DYNAMO_BACKEND: DynamoBackend = 'dynalite';

/**
 * What embedded mode (`npm start`, `reciprocity run`, startEmbedded) starts unless told: `fast`. On a real
 * shop's month (issue 12) it needs less CPU and memory than dynalite for the same outputs, counters and
 * capacity units (test/local/dynamo-backends.test.ts runs both).
 */
export const EMBEDDED_DYNAMO_BACKEND: DynamoBackend = 'fast';

export type TableId = (typeof TABLES)[keyof typeof TABLES]['id'];

export interface LocalDynamo {
  readonly endpoint: string;
  readonly backend: DynamoBackend;
  /** dynalite in memory (the memory transport's way in). */
  readonly service: LocalService;
  /** Layout id (e.g. 'profiles') -> table name. */
  readonly tableNames: Record<string, string>;
  /** A client over `transport` (default memory). */
  readonly client: DynamoDBClient;
  close(): Promise<void>;
}

/** Dummy credentials: dynalite only checks that a signature is present. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'us-east-1';

/** Starts dynalite (in memory, tables ACTIVE at once) and creates every table with `prefix`. */
export async function startDynamo(
  prefix = 'reciprocity-',
  options: { transport?: Transport; backend?: DynamoBackend } = {},
): Promise<LocalDynamo> {
  const backend = options.backend ?? DEFAULT_DYNAMO_BACKEND;
  const { service, endpoint, close } = await startBackend(backend);
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    cacheMiddleware: true,
    ...transportConfig(options.transport ?? DEFAULT_TRANSPORT, service),
  });
  try {
    const tableNames = await createTables(client, prefix);
    return {
      endpoint,
      backend,
      service,
      tableNames,
      client,
      close: async () => {
        client.destroy();
        await close();
      },
    };
  } catch (error) {
    client.destroy();
    await close();
    throw error;
  }
}

/** The backend's service, and an HTTP endpoint for it (for the http transport and direct HTTP callers). */
async function startBackend(
  backend: DynamoBackend,
): Promise<{ service: LocalService; endpoint: string; close(): Promise<void> }> {
  const timings = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 };
  if (backend === 'fast') {
    const { service } = startFastDynamo(timings);
    return { service, ...(await serveLocal(service)) };
  }
  const server = dynalite(timings);
  const listener = server.listeners('request')[0] as RequestListener;
  return { service: inMemory(listener), ...(await listen(server)) };
}

/** Creates one PAY_PER_REQUEST table per layout; returns layout id -> table name. */
export async function createTables(client: DynamoDBClient, prefix: string): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  for (const layout of Object.values(TABLES)) {
    const input = tableInput(layout, `${prefix}${layout.id}`);
    await client.send(new CreateTableCommand(input));
    names[layout.id] = input.TableName!;
  }
  // dynalite makes a table ACTIVE on a timer even with createTableMs 0: in memory (no socket in between) the
  // next request can come first and find no table. Wait until every table answers ACTIVE.
  for (const TableName of Object.values(names))
    for (let attempt = 0; ; attempt++) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName }));
      if (Table?.TableStatus === 'ACTIVE') break;
      if (attempt >= 100) throw new Error(`Local table ${TableName} did not become ACTIVE`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  return names;
}

/** The CreateTable request for a layout (exported for tests of the mapping). */
export function tableInput(layout: TableLayout, tableName: string): CreateTableCommandInput {
  const attributes = new Map<string, 'S' | 'N'>();
  const key = (partition: string, sort?: string, sortType: 'S' | 'N' = 'S'): KeySchemaElement[] => {
    attributes.set(partition, attributes.get(partition) ?? 'S');
    const schema: KeySchemaElement[] = [{ AttributeName: partition, KeyType: 'HASH' }];
    if (sort) {
      attributes.set(sort, sortType);
      schema.push({ AttributeName: sort, KeyType: 'RANGE' });
    }
    return schema;
  };
  const keySchema = key(layout.partitionKey, layout.sortKey);
  const indexes: GlobalSecondaryIndex[] = layout.indexes.map((index) => ({
    IndexName: index.name,
    KeySchema: key(index.partitionKey, index.sortKey, index.sortKeyType),
    Projection:
      index.include === undefined
        ? { ProjectionType: 'ALL' }
        : index.include.length === 0
          ? { ProjectionType: 'KEYS_ONLY' }
          : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.include] },
  }));
  const definitions: AttributeDefinition[] = [...attributes].map(([AttributeName, AttributeType]) => ({
    AttributeName,
    AttributeType,
  }));
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: keySchema,
    AttributeDefinitions: definitions,
    ...(indexes.length > 0 ? { GlobalSecondaryIndexes: indexes } : {}),
  };
}

/** A stand-in for the SigV4 headers dynalite requires to be present (it never checks the signature). */
const UNSIGNED_AUTH = {
  authorization:
    'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
  'x-amz-date': '20260101T000000Z',
};

/**
 * dynalite's request listener called in memory. It uses only `method`, `url`, `headers` and the
 * data/end events of the request, and `statusCode`, `setHeader` and `end` of the response (its index.js).
 */
function inMemory(listener: RequestListener): LocalService {
  return (request) =>
    new Promise<LocalReply>((resolve, reject) => {
      const req = Object.assign(new EventEmitter(), {
        method: request.method,
        url: request.query.size ? `${request.path}?${request.query}` : request.path,
        headers: request.headers.authorization ? request.headers : { ...request.headers, ...UNSIGNED_AUTH },
      });
      const headers: Record<string, string> = {};
      const res = {
        statusCode: 200,
        setHeader(name: string, value: unknown) {
          headers[name.toLowerCase()] = String(value);
        },
        end(body?: string | Buffer) {
          resolve({ status: res.statusCode, headers, body: body ?? '' });
        },
      };
      try {
        listener(req as unknown as IncomingMessage, res as unknown as ServerResponse);
        if (request.body.length > 0) req.emit('data', request.body);
        req.emit('end');
      } catch (error) {
        reject(error);
      }
    });
}
