/**
 * `npx tsx bench/requests.ts [--customers N] [--rounds R]`: what one DynamoDB request costs in embedded mode,
 * layer by layer, and what that means for an email. Issue 11 asks for 150 emails/s; this measures the ceiling
 * the design puts on it.
 *
 * 1. Per request (a GetItem and a conditional UpdateItem ADD of a small item, the shapes most requests have):
 *    the fast local store alone (the request as JSON in, the answer out: what the stand-in costs), the
 *    SDK's low-level client (its middleware, serialization, endpoint and retry logic over the in-memory
 *    transport; with and without `cacheMiddleware`), lib-dynamodb's document client, and the one the
 *    adapters use (functions/adapters/dynamo.ts: lib-dynamodb's commands marshalled by hand and sent on a
 *    `cacheMiddleware` client, which lib-dynamodb's own refuses). R rounds, the variants
 *    interleaved within each round so a change in the machine's load falls on all alike; medians of CPU
 *    microseconds per request.
 * 2. One demo week (bench/dynamo.ts's run, the fast backend): requests per email and CPU ms per email.
 * 3. The ceiling: CPU per email spent in the document client's requests alone (requests per email times
 *    its per-request cost), its share of an email's CPU, and the emails per CPU second a lane could reach if
 *    everything else an email costs were free.
 *
 * It PRINTS figures and asserts nothing.
 */

import { parseArgs } from 'node:util';
import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { generateDemoShop } from '../cli/demo-data.js';
import { type Doc, documentClient } from '../functions/adapters/dynamo.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamo } from '../local/dynamo.js';
import { synthWorkflow } from '../local/synth.js';
import { transportConfig } from '../local/transport.js';
import { runOnce } from './dynamo.js';
import { fmt, spread } from './stats.js';

const PER_ROUND = 400;
const WARM_UP = 50;

/** CPU microseconds per call of each variant: R rounds, the variants interleaved, the median per variant. */
async function perRequest(rounds: number): Promise<Map<string, number>> {
  const dynamo = await startDynamo('bench-', { backend: 'fast' });
  try {
    const table = dynamo.tableNames.profiles!;
    // What the stores send through (the cached client, adapters/dynamo.ts), and lib-dynamodb's own before it.
    const doc = documentClient(dynamo.client);
    const low = (cacheMiddleware: boolean) =>
      new DynamoDBClient({
        endpoint: dynamo.endpoint,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
        // As embedded mode builds its clients: the in-memory handler, unsigned.
        ...transportConfig('memory', dynamo.service),
        ...(cacheMiddleware ? { cacheMiddleware: true } : {}),
      });
    const [plain, cached] = [low(false), low(true)];
    const libDoc = documentClient(plain);
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { customerId: 'c1' },
        UpdateExpression: 'SET email = :e, locale = :l',
        ExpressionAttributeValues: { ':e': 'customer@example.com', ':l': 'en-GB' },
      }),
    );
    const getBody = Buffer.from(JSON.stringify({ TableName: table, Key: { customerId: { S: 'c1' } } }));
    const getLow = (client: DynamoDBClient) => () =>
      client.send(new GetItemCommand({ TableName: table, Key: { customerId: { S: 'c1' } } }));
    const addLow = (client: DynamoDBClient) => () =>
      client.send(
        new UpdateItemCommand({
          TableName: table,
          Key: { customerId: { S: 'c1' } },
          UpdateExpression: 'ADD n :one',
          ConditionExpression: 'attribute_exists(customerId)',
          ExpressionAttributeValues: { ':one': { N: '1' } },
        }),
      );
    const variants: Record<string, () => Promise<unknown>> = {
      'GetItem: local store alone': () =>
        dynamo.service({
          method: 'POST',
          path: '/',
          query: new URLSearchParams(),
          headers: {
            'x-amz-target': 'DynamoDB_20120810.GetItem',
            'content-type': 'application/x-amz-json-1.0',
          },
          body: getBody,
        }),
      'GetItem: low-level client': getLow(plain),
      'GetItem: low-level, cacheMiddleware': getLow(cached),
      'GetItem: lib-dynamodb document client': () =>
        libDoc.send(new GetCommand({ TableName: table, Key: { customerId: 'c1' } })),
      'GetItem: document client (adapters)': () =>
        doc.send(new GetCommand({ TableName: table, Key: { customerId: 'c1' } })),
      'UpdateItem: low-level client': addLow(plain),
      'UpdateItem: lib-dynamodb document client': () => addDoc(libDoc),
      'UpdateItem: document client (adapters)': () => addDoc(doc),
    };
    function addDoc(client: Doc) {
      return client.send(
        new UpdateCommand({
          TableName: table,
          Key: { customerId: 'c1' },
          UpdateExpression: 'ADD n :one',
          ConditionExpression: 'attribute_exists(customerId)',
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
    }
    const samples = new Map<string, number[]>(Object.keys(variants).map((k) => [k, []]));
    for (let round = 0; round < rounds; round++) {
      for (const [name, call] of Object.entries(variants)) {
        for (let i = 0; i < WARM_UP; i++) await call();
        const from = process.cpuUsage();
        for (let i = 0; i < PER_ROUND; i++) await call();
        const cpu = process.cpuUsage(from);
        samples.get(name)!.push((cpu.user + cpu.system) / PER_ROUND);
      }
    }
    plain.destroy();
    cached.destroy();
    return new Map([...samples].map(([name, values]) => [name, spread(values).median]));
  } finally {
    await dynamo.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { customers: { type: 'string' }, rounds: { type: 'string' } },
  });
  const customers = Number(values.customers ?? 600);
  const rounds = Number(values.rounds ?? 9);
  if (!Number.isInteger(customers) || customers < 10) throw new Error('--customers must be an integer >= 10');
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be an integer >= 1');
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  // The demo's deliberately bad events would log their rejections: not what this measures.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';

  const costs = await perRequest(rounds);
  const workflow = await synthWorkflow();
  const shop = generateDemoShop({ customers });
  await runOnce('fast', shop, workflow); // warm-up
  const week = await runOnce('fast', shop, workflow);

  const lines = [
    `1. One DynamoDB request in embedded mode (fast local store, in-memory transport), CPU µs, median of ${rounds} interleaved rounds of ${PER_ROUND}`,
    ...[...costs].map(([name, us]) => `  ${name.padEnd(42)} ${fmt(us, 0).padStart(6)}`),
  ];
  const requestsPerEmail = week.requests / Math.max(1, week.emails);
  const cpuPerEmail = week.cpuMs / Math.max(1, week.emails);
  const docUs =
    ((costs.get('GetItem: document client (adapters)') ?? 0) +
      (costs.get('UpdateItem: document client (adapters)') ?? 0)) /
    2;
  const storeUs = costs.get('GetItem: local store alone') ?? 0;
  const requestMs = (requestsPerEmail * docUs) / 1000;
  lines.push(
    '',
    `2. A demo week (${customers} customers, fast backend): ${week.emails} emails, ${fmt(requestsPerEmail, 1)} DynamoDB requests and ${fmt(cpuPerEmail, 1)} CPU ms per email (${fmt(week.emails / (week.cpuMs / 1000), 1)} emails per CPU second)`,
    '',
    '3. The ceiling',
    `  DynamoDB requests alone: ${fmt(requestMs, 1)} CPU ms per email (${fmt((100 * requestMs) / cpuPerEmail, 0)}% of an email's CPU; the store's own share of a request: ${fmt((100 * storeUs) / Math.max(1, docUs), 0)}%)`,
    `  one lane with everything else free: ${fmt(1000 / Math.max(0.001, requestMs), 0)} emails per CPU second; 150 emails/s needs ${fmt(1000 / 150, 1)} CPU ms per email on one core, ${fmt(2000 / 150, 1)} spread over two`,
  );
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
