/** `npm start` / `reciprocity demo`: the demo shop through the whole flow in embedded mode, in under a minute. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Embedded } from '../local/runtime.js';
import { generateDemoShop } from './demo-data.js';
import { CliError } from './errors.js';
import { readJsonl } from './jsonl.js';
import {
  audienceFlags,
  dynamoFlag,
  printResult,
  progressPrinter,
  serveUntilInterrupted,
  templatesDirDefault,
} from './run.js';
import { runSession } from './session.js';

const DEMO_USAGE =
  'Usage: reciprocity demo [--customers N] [--out DIR] [--serve] [--no-audience | --audience-seed N] [--dynamo fast|dynalite]';

/**
 * A second thank-you subject, published as variant B beside the starter one, so the bandit has a choice to
 * learn; the simulated audience clicks B 1.5x as often (local/audience.ts, DEFAULT_VARIANT_LIFT).
 */
async function publishVariantB(embedded: Embedded, at: Date): Promise<void> {
  await embedded.stores.templates.publishVariantOf(
    'order_followup',
    'B',
    { subject: '{{ customer.firstName }}, a small thank-you and a few ideas for you', author: 'demo' },
    at.toISOString(),
  );
}

/**
 * The demo holds out 20% of customers from each journey (a shop's default is 5%): a week of 1,200 customers is
 * too small for a 5% holdout to show anything, and the point of the demo is to see the comparison. Its
 * birthday wish is a real gift: 15% off for 30 days, a code generated per message (reciprocity codes export
 * would hand them to the shop's checkout), which the audience's orders redeem.
 */
export const DEMO_CONFIG = {
  holdout: { share: 0.2 },
  incentives: {
    birthday: { kind: 'percent', value: 15, validDays: 30, source: 'generated', prefix: 'BDAY-' },
  },
};
/** Days after the week's last event: the conversion window (attribution.conversionDays) of its last messages. */
export const SETTLE_DAYS = 5;

/** The demo shop's inputs for `reciprocity run`: profiles.jsonl and events.jsonl in `dir` (bench/real.ts too). */
export async function writeDemoInput(dir: string, shop: ReturnType<typeof generateDemoShop>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const jsonl = (rows: object[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
  await writeFile(join(dir, 'profiles.jsonl'), jsonl(shop.profiles));
  await writeFile(join(dir, 'events.jsonl'), jsonl(shop.events));
}

export async function demoCommand(argv: string[]): Promise<void> {
  let values: {
    customers?: string;
    out?: string;
    serve?: boolean;
    'no-audience'?: boolean;
    'audience-seed'?: string;
    dynamo?: string;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        customers: { type: 'string' },
        out: { type: 'string' },
        serve: { type: 'boolean' },
        'no-audience': { type: 'boolean' },
        'audience-seed': { type: 'string' },
        dynamo: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n\n${DEMO_USAGE}`);
  }
  const audience = audienceFlags(values);
  const dynamo = dynamoFlag(values.dynamo);
  const customers = values.customers ? Number(values.customers) : 1200;
  if (!Number.isInteger(customers) || customers < 1 || customers > 100_000)
    throw new CliError('--customers must be 1..100000');
  const dir = resolve(values.out ?? '.reciprocity/demo');
  const shop = generateDemoShop({ customers });
  await writeDemoInput(dir, shop);

  console.log(
    'Reciprocity demo: embedded mode (local DynamoDB, SES v2 emulator, the synthesized state machine).',
  );
  console.log(
    `  ${shop.profiles.length} customers, ${shop.catalogue.length} products, ${shop.events.length} events`,
  );
  console.log(
    `  simulated ${shop.start.toISOString()} .. ${shop.until.toISOString()}, then ${SETTLE_DAYS} days for the results to settle`,
  );
  console.log(`  input: ${join(dir, 'profiles.jsonl')}, ${join(dir, 'events.jsonl')}\n`);

  const out = join(dir, 'out');
  // The week's events, then quiet days until every message's conversion window has closed, so the uplift
  // compares whole windows (a shop's own run ends when its data ends).
  const until = new Date(shop.until.getTime() + SETTLE_DAYS * 86_400_000);
  const result = await runSession({
    profiles: await readJsonl(join(dir, 'profiles.jsonl')),
    events: await readJsonl(join(dir, 'events.jsonl')),
    start: shop.start,
    until,
    config: DEMO_CONFIG,
    templatesDir: templatesDirDefault(),
    out,
    // The audience's tastes are the ones the generator gave each customer's order history.
    audience: audience && { ...audience, tastes: shop.tastes },
    // Variant B is there for the audience to answer; without it, the demo stays the one-template shop it was.
    ...(audience ? { prepare: (embedded: Embedded) => publishVariantB(embedded, shop.start) } : {}),
    onProgress: progressPrinter(shop.start, until),
    ...(dynamo ? { dynamo } : {}),
    ...(values.serve ? { serve: serveUntilInterrupted(out) } : {}),
  });
  if (!values.serve) {
    printResult(result, out);
    console.log('\nTo click the links in these emails (unsubscribe, preferences, why): npm start -- --serve');
  }
  console.log(
    `\nRun it on your own data: npx reciprocity run --profiles FILE --events FILE --start ISO --until ISO --out DIR`,
  );
}
