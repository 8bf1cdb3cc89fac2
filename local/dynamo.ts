/**
 * Local DynamoDB: dynalite in-process on a free port, with the tables of functions/domain/tables.ts.
 * TTL is not configured: dynalite has no UpdateTimeToLive, and nothing expires locally.
 */
import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { TABLES, type TableLayout } from '../functions/domain/tables.js';
import { listen } from './net.js';

export type TableId = (typeof TABLES)[keyof typeof TABLES]['id'];

export interface LocalDynamo {
  readonly endpoint: string;
  /** Layout id (e.g. 'profiles') -> table name. */
  readonly tableNames: Record<string, string>;
  readonly client: DynamoDBClient;
  close(): Promise<void>;
}

/** Dummy credentials: dynalite only checks that a signature is present. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'us-east-1';

/** Starts dynalite (in memory, tables ACTIVE at once) and creates every table with `prefix`. */
export async function startDynamo(prefix = 'reciprocity-'): Promise<LocalDynamo> {
  const { endpoint, close } = await listen(
    dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }),
  );
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    const tableNames = await createTables(client, prefix);
    return {
      endpoint,
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

/** Creates one PAY_PER_REQUEST table per layout; returns layout id -> table name. */
export async function createTables(client: DynamoDBClient, prefix: string): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  for (const layout of Object.values(TABLES)) {
    const input = tableInput(layout, `${prefix}${layout.id}`);
    await client.send(new CreateTableCommand(input));
    names[layout.id] = input.TableName!;
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
