/**
 * Where `reciprocity templates` keeps templates: a real DynamoDB table (`--table NAME`, the standard AWS
 * credential chain and region) or a persistent local store (`--local [DIR]`: dynalite on LevelDB, in-process).
 */

import { unlinkSync } from 'node:fs';
import { mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { type Doc, documentClient } from '../functions/adapters/dynamo.js';
import { ProfileStore } from '../functions/adapters/profiles.js';
import { TemplateStore } from '../functions/adapters/templates.js';
import { TABLES } from '../functions/domain/tables.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION, tableInput } from '../local/dynamo.js';
import { listen } from '../local/net.js';
import { CliError } from './errors.js';

export const DEFAULT_LOCAL_DIR = '.reciprocity/local-db';
/** The embedded mode's names (prefix `reciprocity-`), so a local store reads like the embedded one. */
export const LOCAL_TEMPLATES_TABLE = `reciprocity-${TABLES.TEMPLATES.id}`;
export const LOCAL_PROFILES_TABLE = `reciprocity-${TABLES.PROFILES.id}`;
const LOCK_FILE = 'reciprocity.lock';
const LOCK_WAIT_MS = 5_000;

export interface TemplatesDb {
  readonly store: TemplateStore;
  readonly tableName: string;
  /** "table X in eu-west-1" or "local store DIR", for messages. */
  readonly where: string;
  readonly local: boolean;
  readonly region: string;
  profiles(tableName: string): ProfileStore;
  close(): Promise<void>;
}

export interface DbFlags {
  table?: string | undefined;
  local?: string | undefined;
}

/** Opens the store the flags name; exactly one of --table and --local. */
export async function openTemplatesDb(flags: DbFlags): Promise<TemplatesDb> {
  if (flags.table !== undefined && flags.local !== undefined)
    throw new CliError('Use either --table NAME or --local [DIR], not both');
  if (flags.table !== undefined) {
    if (!flags.table) throw new CliError('--table needs the name of the templates table');
    return openAws(flags.table);
  }
  if (flags.local !== undefined) return openLocal(flags.local || DEFAULT_LOCAL_DIR);
  throw new CliError(
    'Say where the templates live: --table NAME (DynamoDB on AWS) or --local [DIR] (a local store, default ' +
      `${DEFAULT_LOCAL_DIR})`,
  );
}

function dbOf(
  client: DynamoDBClient,
  tableName: string,
  where: { text: string; local: boolean; region: string },
  close: () => Promise<void>,
) {
  const doc: Doc = documentClient(client);
  return {
    store: new TemplateStore(doc, tableName),
    tableName,
    where: where.text,
    local: where.local,
    region: where.region,
    profiles: (name: string) => new ProfileStore(doc, name),
    close,
  } satisfies TemplatesDb;
}

async function openAws(table: string): Promise<TemplatesDb> {
  // Endpoint (AWS_ENDPOINT_URL_DYNAMODB), region and credentials come from the standard environment.
  const client = new DynamoDBClient({});
  let region: string;
  try {
    region = await client.config.region();
    await client.config.credentials();
  } catch (cause) {
    client.destroy();
    const missing = (cause as Error).message?.toLowerCase().includes('region')
      ? 'No AWS region: set AWS_REGION (or a region in the AWS_PROFILE)'
      : 'No AWS credentials found: set AWS_PROFILE (after `aws configure` or `aws sso login`) or ' +
        'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';
    throw new CliError(`${missing}; or use --local to work on a local store`, { cause });
  }
  const where = { text: `table ${table} in ${region}`, local: false, region };
  return dbOf(client, table, where, async () => client.destroy());
}

/**
 * Takes the store's lock file, so a second process waits its turn (briefly) or gets a clear message instead
 * of a LevelDB crash. A lock whose process is gone is taken over.
 */
async function lock(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      // A CliError ends the process with process.exit: the lock must not outlive it.
      const onExit = () => unlinkSync(path);
      process.once('exit', onExit);
      return async () => {
        process.off('exit', onExit);
        await unlink(path).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // An empty file is a lock being written: only a pid that no longer runs proves the lock stale.
      const pid = Number(await readFile(path, 'utf8').catch(() => ''));
      if (pid && !alive(pid)) {
        await unlink(path).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) {
        throw new CliError(
          `The local store ${dir} is in use by another reciprocity process (pid ${pid || '?'})`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function openLocal(dir: string): Promise<TemplatesDb> {
  const entries = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw new CliError(`Cannot open the local store ${dir}: ${error.code ?? error.message}`);
  });
  // Refuse a folder of other files (a template folder typed after --local): LevelDB would write into it.
  if (entries.some((name) => name !== LOCK_FILE) && !entries.includes('CURRENT')) {
    throw new CliError(
      `--local ${dir} is not a local store (it holds other files). Put the template folder before --local, ` +
        'or give --local a new or existing store folder',
    );
  }
  await mkdir(dir, { recursive: true });
  const release = await lock(dir);
  let listening: Awaited<ReturnType<typeof listen>> | undefined;
  let client: DynamoDBClient | undefined;
  try {
    listening = await listen(dynalite({ path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }));
    client = new DynamoDBClient({
      endpoint: listening.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    await ensureTable(client, LOCAL_TEMPLATES_TABLE);
  } catch (error) {
    client?.destroy();
    await listening?.close();
    await release();
    throw error;
  }
  const stop = listening.close;
  const owned = client;
  const where = { text: `local store ${dir}`, local: true, region: LOCAL_REGION };
  return dbOf(owned, LOCAL_TEMPLATES_TABLE, where, async () => {
    owned.destroy();
    await stop();
    await release();
  });
}

async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    await client.send(new CreateTableCommand(tableInput(TABLES.TEMPLATES, tableName)));
  }
}

/** Turns the AWS errors a user can fix (no table, no permission, expired session) into a CliError. */
export function explainAwsError(error: unknown, db: TemplatesDb, table = db.tableName): unknown {
  const name = (error as Error | undefined)?.name ?? '';
  const message = (error as Error | undefined)?.message ?? String(error);
  if (name === 'ResourceNotFoundException') {
    return new CliError(
      db.local
        ? `No table ${table} in the ${db.where}`
        : `Table ${table} not found in ${db.region}: check the table name and AWS_REGION`,
      { cause: error },
    );
  }
  if (['AccessDeniedException', 'UnrecognizedClientException', 'ExpiredTokenException'].includes(name)) {
    return new CliError(`AWS refused the request on ${table}: ${message}`, { cause: error });
  }
  if (name === 'CredentialsProviderError') return new CliError(`No usable AWS credentials: ${message}`);
  // The store's own refusals (an unknown version, a variant before any current version) are usage errors.
  if (name === 'TemplateStoreError') return new CliError(message, { cause: error });
  return error;
}
