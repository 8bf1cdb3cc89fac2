/**
 * `reciprocity report DIR` and `reciprocity report --table NAME`: the marketer's KPI report, from a run's
 * stats.jsonl (embedded mode) or from the stats table on AWS, as a terminal table and a self-contained
 * report.html.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { documentClient } from '../functions/adapters/dynamo.js';
import { StatsStore } from '../functions/adapters/stats.js';
import { type AttributionWindows, DEFAULT_WINDOWS, kpiReport } from '../functions/domain/kpis.js';
import { JOURNEYS } from '../functions/domain/names.js';
import type { StatsRow } from '../functions/domain/stats.js';
import { CliError } from './errors.js';
import { readJsonl } from './jsonl.js';
import { kpiTable } from './kpi-table.js';
import { reportHtml } from './report-html.js';

export const REPORT_USAGE = `Usage: reciprocity report DIR                      (a run's --out directory)
       reciprocity report --table NAME [--region R] [--out DIR]   (the StatsTableName stack output)

Prints the KPI table and writes report.html (into DIR, or --out, default the current directory).`;

const DAY_MS = 86_400_000;

const statsRowSchema = z.object({
  journey: z.enum(JOURNEYS),
  variant: z.string().min(1),
  version: z.string().min(1),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
  counts: z.record(z.string(), z.number()),
});

const windowsSchema = z.object({
  clickDays: z.number().nonnegative(),
  viewDays: z.number().nonnegative(),
  conversionDays: z.number().nonnegative(),
});

/** What the report needs of summary.json: the run's end and its windows, when the run wrote them. */
const summarySchema = z.object({
  kpis: z
    .object({ asOf: z.iso.datetime({ offset: true }).optional(), windows: windowsSchema.optional() })
    .optional(),
});

export interface ReportDeps {
  /** The instant a report from the table is as of. */
  now?: () => Date;
  /** The DynamoDB client for --table (default: the user's credentials and region). */
  client?: DynamoDBClient;
}

/** Reads a run directory's stats.jsonl: every row checked, every bad line named by its number. */
export async function readStatsRows(dir: string): Promise<StatsRow[]> {
  const path = join(dir, 'stats.jsonl');
  if (!existsSync(path))
    throw new CliError(
      `${path} not found: run \`reciprocity run ... --out ${dir}\` (or \`reciprocity demo\`) first; ` +
        'every run writes its stats there when it ends',
    );
  const rows: StatsRow[] = [];
  const problems: string[] = [];
  for (const line of await readJsonl(path)) {
    if (!line.ok) {
      problems.push(`line ${line.line}: ${line.error}`);
      continue;
    }
    const parsed = statsRowSchema.safeParse(line.value);
    if (parsed.success) rows.push(parsed.data);
    else
      problems.push(
        `line ${line.line}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; ')}`,
      );
  }
  if (problems.length)
    throw new CliError(
      `${path} has ${problems.length} bad line${problems.length === 1 ? '' : 's'}:\n  ${problems.slice(0, 20).join('\n  ')}`,
    );
  return rows;
}

/** The run's end and windows from summary.json; without them, the end of the last day with stats. */
export async function readReportClock(
  dir: string,
  rows: readonly StatsRow[],
  now: Date,
): Promise<{ asOf: Date; windows: AttributionWindows }> {
  const path = join(dir, 'summary.json');
  let kpis: z.infer<typeof summarySchema>['kpis'];
  if (existsSync(path)) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path, 'utf8'));
    } catch (cause) {
      throw new CliError(`${path} is not JSON: ${(cause as Error).message}`, { cause });
    }
    const parsed = summarySchema.safeParse(json);
    if (!parsed.success)
      throw new CliError(
        `${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    kpis = parsed.data.kpis;
  }
  const lastDay = rows.reduce<string | undefined>((max, r) => (!max || r.day > max ? r.day : max), undefined);
  const asOf = kpis?.asOf
    ? new Date(kpis.asOf)
    : lastDay
      ? new Date(Date.parse(`${lastDay}T00:00:00.000Z`) + DAY_MS)
      : now;
  return { asOf, windows: kpis?.windows ?? DEFAULT_WINDOWS };
}

/** `reciprocity report DIR | --table NAME [--region R] [--out DIR]`. Returns the report file's path. */
export async function reportCommand(argv: string[], deps: ReportDeps = {}): Promise<string> {
  let values: { table?: string; region?: string; out?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        table: { type: 'string' },
        region: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n\n${REPORT_USAGE}`);
  }
  if (values.help) {
    console.log(REPORT_USAGE);
    return '';
  }
  const now = deps.now?.() ?? new Date();
  if (values.table) {
    if (positionals.length) throw new CliError(`Give a run DIR or --table, not both\n\n${REPORT_USAGE}`);
    const rows = await scanTable(values.table, values.region, deps.client);
    return emit(kpiReport(rows, now), resolve(values.out ?? '.'), `table ${values.table}`);
  }
  if (values.region) throw new CliError(`--region goes with --table\n\n${REPORT_USAGE}`);
  const [dir, ...extra] = positionals;
  if (!dir || extra.length) throw new CliError(`Give one run directory\n\n${REPORT_USAGE}`);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new CliError(`${dir}: no such directory (the --out of \`reciprocity run\`)`);
  const rows = await readStatsRows(dir);
  const { asOf, windows } = await readReportClock(dir, rows, now);
  return emit(kpiReport(rows, asOf, windows), resolve(values.out ?? dir), join(dir, 'stats.jsonl'));
}

async function scanTable(
  table: string,
  region: string | undefined,
  given?: DynamoDBClient,
): Promise<StatsRow[]> {
  const client = given ?? new DynamoDBClient(region ? { region } : {});
  try {
    return await new StatsStore(documentClient(client), table).all();
  } catch (error) {
    const e = error as { name?: string; message?: string };
    throw new CliError(
      `Cannot read ${table}: ${e.name ?? 'Error'}: ${e.message ?? ''} (check --region or AWS_REGION, and credentials)`,
      { cause: error },
    );
  } finally {
    if (!given) client.destroy();
  }
}

async function emit(report: ReturnType<typeof kpiReport>, dir: string, source: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'report.html');
  await writeFile(path, reportHtml(report, { source }));
  console.log(kpiTable(report));
  console.log(`\nReport: ${path}`);
  return path;
}
