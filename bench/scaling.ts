/**
 * Selection scaling: the birthday and inactivity sweeps must read the customers they select, not the table.
 * Loads N profiles (the same 50 with a birthday today and the same 50 crossing the inactivity line yesterday,
 * the rest elsewhere in the year) straight into dynalite, then runs the real sweep handlers through the
 * capacity meter and reports the read units they consumed.
 */

import { type AttributeValue, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type Doc, documentClient } from '../functions/adapters/dynamo.js';
import { parseConfig } from '../functions/domain/config.js';
import { inactiveOnDay } from '../functions/domain/inactivity.js';
import { upsertPatch } from '../functions/domain/profile.js';
import { type CapacityMeter, startCapacityMeter } from '../local/capacity.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/dynamo.js';
import { startEmbedded } from '../local/runtime.js';

export interface SweepReads {
  customers: number;
  loadSeconds: number;
  /** What one full Scan of the profiles table reads: the cost the indexes avoid. */
  scanReadUnits: number;
  birthday: { readUnits: number; read: number; started: number };
  inactivity: { readUnits: number; read: number; started: number };
}

const AT = new Date('2026-06-15T09:00:00Z'); // birthday hour (09:00) in UTC+0; sweep day = 2026-06-14
const SELECTED = 50;
const STUB_ARN = 'arn:aws:states:local:000000000000:stateMachine:BenchStub';
const STUB = {
  asl: { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } },
  logicalId: 'BenchStub',
  stateMachineArn: STUB_ARN,
};
const config = parseConfig({});

/** One profile item, built by the same domain code the import uses. */
function profile(n: number, kind: 'birthday' | 'inactive' | 'other'): Record<string, unknown> {
  const customerId = `S${String(n).padStart(6, '0')}`;
  // Background birthdays avoid June; background activity is recent, so its inactivity line is in the future.
  const month = kind === 'birthday' ? 6 : 1 + ((n % 11) + (n % 11 >= 5 ? 1 : 0));
  const day = kind === 'birthday' ? 15 : 1 + (n % 28);
  const birthday = `19${70 + (n % 30)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const lastActiveAt =
    kind === 'inactive'
      ? '2026-04-15T12:00:00.000Z' // + 60 days = 2026-06-14: yesterday's partition
      : new Date(AT.getTime() - (1 + (n % 30)) * 86_400_000).toISOString();
  const detail = {
    customerId,
    email: `${customerId.toLowerCase()}@customers.example`,
    firstName: 'Ada',
    locale: 'en',
    timeZone: 'Africa/Abidjan',
    birthday,
    consent: { email: 'opted_in' as const, source: 'checkout', textVersion: 'newsletter-v2' },
  };
  const patch = upsertPatch(undefined, detail, '2026-01-01T00:00:00.000Z', config);
  return {
    customerId,
    ...patch,
    lastActiveAt,
    inactiveOn: inactiveOnDay(lastActiveAt, config.inactivityDays),
  };
}

async function load(doc: Doc, table: string, customers: number): Promise<void> {
  const items = Array.from({ length: customers }, (_, i) =>
    profile(i + 1, i < SELECTED ? 'birthday' : i < 2 * SELECTED ? 'inactive' : 'other'),
  );
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const batch = items.slice(next, next + 25);
      next += 25;
      let request: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> | undefined = {
        [table]: batch.map((Item) => ({ PutRequest: { Item } })),
      };
      while (request && Object.keys(request).length > 0) {
        const out = await doc.send(new BatchWriteCommand({ RequestItems: request }));
        request = out.UnprocessedItems as typeof request;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** Loads `customers` profiles and meters one run of each sweep. */
export async function sweepReads(customers: number): Promise<SweepReads> {
  let meter: CapacityMeter | undefined;
  const embedded = await startEmbedded({
    start: AT,
    workflow: STUB,
    dynamoProxy: async (target) => {
      meter = await startCapacityMeter(target);
      return meter;
    },
  });
  const raw = new DynamoDBClient({
    endpoint: meter!.target,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    const started = performance.now();
    await load(documentClient(raw), embedded.tableNames.profiles ?? '', customers);
    const loadSeconds = (performance.now() - started) / 1000;
    const sweep = async (name: 'birthday-sweep' | 'inactivity-sweep') => {
      meter!.reset();
      const out = (await embedded.invoke(name, {})) as { read: number; started: number };
      return {
        readUnits: meter!.snapshot().readByConsistency.eventual + meter!.snapshot().readByConsistency.strong,
        ...out,
      };
    };
    meter!.reset();
    const metered = new DynamoDBClient({
      endpoint: meter!.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = {
        TableName: embedded.tableNames.profiles,
        Select: 'COUNT' as const,
        ExclusiveStartKey: start,
      };
      start = (await metered.send(new ScanCommand(page))).LastEvaluatedKey;
    } while (start);
    metered.destroy();
    const scanReadUnits = meter!.snapshot().readByConsistency.eventual;
    return {
      customers,
      loadSeconds,
      scanReadUnits,
      birthday: await sweep('birthday-sweep'),
      inactivity: await sweep('inactivity-sweep'),
    };
  } finally {
    raw.destroy();
    await embedded.stop();
  }
}

/** Both sizes; the large one drops to 10,000 if 20,000 would take over a minute to load at the small rate. */
export async function selectionScaling(
  small = 2_000,
  large = 20_000,
): Promise<{ results: SweepReads[]; note: string }> {
  const first = await sweepReads(small);
  const projected = (first.loadSeconds / small) * large;
  const size = projected > 60 ? 10_000 : large;
  const note =
    size === large
      ? `loaded ${large} (projected ${projected.toFixed(0)} s)`
      : `${large} would take ~${projected.toFixed(0)} s to load: used ${size}`;
  return { results: [first, await sweepReads(size)], note };
}
