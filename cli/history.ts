/** `reciprocity history`: a shop's order history (CSV of order lines) as the inputs of `reciprocity run`. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CliError } from './errors.js';
import { type HistoryRun, historyToRun, RESTOCK_SHARE } from './history-run.js';
import { describeHistory, loadOrderHistory, OrderHistoryFormatError, PRESETS } from './order-history.js';

export const HISTORY_USAGE = `Usage: reciprocity history FILE.csv[.gz] --split ISO --until ISO --out DIR
                           [--preset ${Object.keys(PRESETS).join('|')}] [--sample SHARE] [--currency GBP]

  Converts a CSV export of order lines into a replay for \`reciprocity run\`: the orders before --split
  become DIR/profiles.jsonl (customers with their past orders, imported as state), the catalogue and the
  orders from --split to --until become DIR/events.jsonl, and DIR/config.json sets the shop's currency and
  \`reorders\` ("everything" when at least 10% of an order's items are in the customer's next order).
  Emails, birthdays, languages and categories the export lacks are derived deterministically (see
  cli/history-run.ts and the README).

  --preset    the export's columns and rules (default uci-online-retail: the UCI "Online Retail" shop)
  --sample    keep this share of the customers (0-1, by a hash of their id), for a smaller replay
  --currency  the shop's currency (default GBP)`;

export async function historyCommand(argv: string[]): Promise<void> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n\n${HISTORY_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HISTORY_USAGE);
    return;
  }
  const [file] = positionals;
  if (!file || !values.split || !values.until || !values.out)
    throw new CliError(`FILE, --split, --until and --out are required\n\n${HISTORY_USAGE}`);
  const format = PRESETS[values.preset ?? 'uci-online-retail'];
  if (!format)
    throw new CliError(`Unknown --preset "${values.preset}" (known: ${Object.keys(PRESETS).join(', ')})`);
  const split = instant('split', values.split);
  const until = instant('until', values.until);
  if (split >= until) throw new CliError('--split must be before --until');
  const sample = values.sample === undefined ? 1 : Number(values.sample);
  if (!(sample > 0 && sample <= 1))
    throw new CliError(`--sample must be a share in (0, 1], got "${values.sample}"`);
  let history: Awaited<ReturnType<typeof loadOrderHistory>>;
  try {
    history = await loadOrderHistory(file, format);
  } catch (error) {
    if (error instanceof OrderHistoryFormatError) throw new CliError(`${file}: ${error.message}`);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new CliError(`Cannot read ${file}: no such file`);
    throw error;
  }
  console.log(describeHistory(history));
  const run = historyToRun(history, {
    split,
    until,
    sample,
    ...(values.currency ? { currency: values.currency } : {}),
  });
  await writeHistoryRun(values.out, run);
  const f = run.facts;
  console.log(
    `${f.customers} customers (${f.customersWithHistory} with ${f.pastOrders} past orders), ${f.products} products, ${f.orderEvents} orders to replay` +
      (f.ordersCut ? `; ${f.ordersCut} orders longer than 200 lines cut to their first 200` : ''),
  );
  console.log(
    `Restocking: ${(f.restockShare * 100).toFixed(1)}% of an order's items are in the same customer's next order, so config.json sets reorders: "${run.config.reorders}" (thank-yous ${run.config.reorders === 'everything' ? 'offer the order just placed again, for the next one' : 'offer only items bought in another order too'}; "everything" from ${RESTOCK_SHARE * 100}%).`,
  );
  console.log(
    `Wrote ${join(values.out, 'profiles.jsonl')}, ${join(values.out, 'events.jsonl')} and ${join(values.out, 'config.json')} (the shop's currency and reorders). Replay it:`,
  );
  console.log(
    `  reciprocity run --profiles ${join(values.out, 'profiles.jsonl')} --events ${join(values.out, 'events.jsonl')} --start ${split.toISOString()} --until ${until.toISOString()} --config ${join(values.out, 'config.json')} --out ${join(values.out, 'run')}`,
  );
}

/** Writes a replay's inputs: DIR/profiles.jsonl, DIR/events.jsonl and DIR/config.json. */
export async function writeHistoryRun(dir: string, run: HistoryRun): Promise<void> {
  await mkdir(dir, { recursive: true });
  const lines = (rows: unknown[]) => rows.map((r) => `${JSON.stringify(r)}\n`).join('');
  await writeFile(join(dir, 'profiles.jsonl'), lines(run.profiles));
  await writeFile(join(dir, 'events.jsonl'), lines(run.events));
  await writeFile(join(dir, 'config.json'), `${JSON.stringify(run.config, null, 2)}\n`);
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      split: { type: 'string' },
      until: { type: 'string' },
      out: { type: 'string' },
      preset: { type: 'string' },
      sample: { type: 'string' },
      currency: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function instant(name: string, value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime()))
    throw new CliError(`--${name} must be an ISO 8601 date or date-time, got "${value}"`);
  return date;
}
