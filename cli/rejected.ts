/**
 * `reciprocity rejected --table NAME [--days N] [--json]`: the events intake refused, with their reasons,
 * from the rejected-events table on AWS (embedded runs write the same records to rejected.jsonl).
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { documentClient } from '../functions/adapters/dynamo.js';
import { type RejectedEvent, RejectedStore } from '../functions/adapters/rejected.js';
import { CliError } from './errors.js';

const USAGE =
  'Usage: reciprocity rejected --table NAME [--days N] [--json]   (the RejectedTableName stack output)';

/** UTC days from `days - 1` days ago to today, oldest first (the table's partitions). */
export function lastDays(now: Date, days: number): string[] {
  return Array.from({ length: days }, (_, i) =>
    new Date(now.getTime() - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10),
  );
}

export function formatRejected(items: readonly RejectedEvent[]): string {
  if (!items.length) return 'No rejected events.';
  return items
    .map((r) => `${r.receivedAt}  ${r.eventId ?? '(no id)'}  ${r.detailType ?? '(no type)'}\n  ${r.error}`)
    .join('\n');
}

export async function rejectedCommand(argv: string[]): Promise<void> {
  let values: { table?: string; days?: string; json?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { table: { type: 'string' }, days: { type: 'string' }, json: { type: 'boolean' } },
    }));
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (!values.table) throw new CliError(`--table is required\n\n${USAGE}`);
  const days = values.days ? Number(values.days) : 7;
  if (!Number.isInteger(days) || days < 1 || days > 90)
    throw new CliError('--days must be 1..90 (records are kept 90 days)');
  const client = new DynamoDBClient({});
  try {
    const store = new RejectedStore(documentClient(client), values.table);
    const items: RejectedEvent[] = [];
    for (const day of lastDays(new Date(), days)) items.push(...(await store.onDay(day)));
    console.log(values.json ? items.map((i) => JSON.stringify(i)).join('\n') : formatRejected(items));
  } catch (error) {
    const e = error as { name?: string; message?: string };
    if (error instanceof CliError) throw error;
    throw new CliError(
      `Cannot read ${values.table}: ${e.name ?? 'Error'}: ${e.message ?? ''} (check AWS_REGION and credentials)`,
      { cause: error },
    );
  } finally {
    client.destroy();
  }
}
