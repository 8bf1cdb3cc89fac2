/** `npm start` / `reciprocity demo`: the demo shop through the whole flow in embedded mode, in under a minute. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateDemoShop } from './demo-data.js';
import { CliError } from './errors.js';
import { readJsonl } from './jsonl.js';
import { printResult, progressPrinter, serveUntilInterrupted, templatesDirDefault } from './run.js';
import { runSession } from './session.js';

export async function demoCommand(argv: string[]): Promise<void> {
  let values: { customers?: string; out?: string; serve?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { customers: { type: 'string' }, out: { type: 'string' }, serve: { type: 'boolean' } },
    }));
  } catch (error) {
    throw new CliError(
      `${(error as Error).message}\n\nUsage: reciprocity demo [--customers N] [--out DIR] [--serve]`,
    );
  }
  const customers = values.customers ? Number(values.customers) : 1200;
  if (!Number.isInteger(customers) || customers < 1 || customers > 100_000)
    throw new CliError('--customers must be 1..100000');
  const dir = resolve(values.out ?? '.reciprocity/demo');
  const shop = generateDemoShop({ customers });
  await mkdir(dir, { recursive: true });
  const jsonl = (rows: object[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
  await writeFile(join(dir, 'profiles.jsonl'), jsonl(shop.profiles));
  await writeFile(join(dir, 'events.jsonl'), jsonl(shop.events));

  console.log(
    'Reciprocity demo: embedded mode (local DynamoDB, SES v2 emulator, the synthesized state machine).',
  );
  console.log(
    `  ${shop.profiles.length} customers, ${shop.catalogue.length} products, ${shop.events.length} events`,
  );
  console.log(`  simulated ${shop.start.toISOString()} .. ${shop.until.toISOString()}`);
  console.log(`  input: ${join(dir, 'profiles.jsonl')}, ${join(dir, 'events.jsonl')}\n`);

  const out = join(dir, 'out');
  const result = await runSession({
    profiles: await readJsonl(join(dir, 'profiles.jsonl')),
    events: await readJsonl(join(dir, 'events.jsonl')),
    start: shop.start,
    until: shop.until,
    config: {},
    templatesDir: templatesDirDefault(),
    out,
    onProgress: progressPrinter(shop.start, shop.until),
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
