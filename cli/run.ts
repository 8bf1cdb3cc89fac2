/** `reciprocity run`: your own customers and events through the real flow, in simulated time. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, parseConfig } from '../functions/domain/config.js';
import type { Journey } from '../functions/domain/names.js';
import type { ReputationGuard } from '../functions/domain/reputation.js';
import { sesEventSchema } from '../functions/domain/ses-events.js';
import type { AudienceOptions } from '../local/audience.js';
import type { AudienceStats } from '../local/audience-driver.js';
import { DYNAMO_BACKENDS, type DynamoBackend, isDynamoBackend } from '../local/dynamo.js';
import { type Faults, FaultsFileError, loadFaults } from '../local/faults.js';
import type { Embedded } from '../local/runtime.js';
import { importPool, journeyFlag, readCodeFile } from './codes.js';
import type { CounterCheck } from './counters-check.js';
import { CliError } from './errors.js';
import { openJsonl, readJsonl } from './jsonl.js';
import { kpiTable } from './kpi-table.js';
import type { PromiseCheck } from './promises.js';
import { runSession, type SessionResult } from './session.js';
import { summaryTable } from './summary.js';

export const RUN_USAGE = `Usage: reciprocity run --profiles FILE.jsonl --events FILE.jsonl --start ISO --until ISO --out DIR
                       [--config FILE.json] [--templates DIR] [--faults FILE.json] [--quiet] [--serve]
                       [--codes JOURNEY=FILE ...] [--dynamo fast|dynalite]
                       [--no-audience | --audience-seed N | --ses-events FILE.jsonl]

  --profiles   one customer per line: the customer.upserted detail, plus optional lastActiveAt and orders
  --events     one bus event per line ({ id, source, detail-type, time, detail }), in any order
  --start      simulated start (ISO 8601, e.g. 2026-12-01T00:00:00Z)
  --until      simulated end; delays, schedules and quiet hours fire in between
  --out        directory for outbox/*.eml, summary.json, ledger.jsonl, rejected.jsonl
  --config     engine configuration (JSON); see the README for every key
  --templates  template sources (default: the starter templates)
  --codes      JOURNEY=FILE: the shop's gift codes for a journey whose incentive is a pool (config incentives),
               imported before the run (one per line, or CSV with a "code" column); repeatable
  --faults     faults to inject: SES answers (throttle, reject, reset-before, reset-after, error-after) and
               crashes of the send handler (before-ses, after-ses); see the README, "Faults anyone can replay"
  --no-audience    no simulated audience (on by default, off with --faults: people and machines open, click,
               vote, unsubscribe, complain and order, through the real handlers; README, "Simulated audience")
  --audience-seed  seed of the simulated audience (default 1): the same input and seed give the same run;
               with --faults, it turns the audience on
  --ses-events     SES events to replay instead of the audience: one per line, as EventBridge delivers them,
               each handed to the ses-events handler at its own time
  --quiet      no progress line
  --dynamo     the local DynamoDB: fast (default; dynalite's own checks and actions on in-memory maps) or
               dynalite (as it ships, on LevelDB in memory); the outputs are the same
  --serve      afterwards, serve the customer pages (unsubscribe, preferences, why) the emails link to,
               on localhost, until Ctrl-C`;

function isoFlag(name: string, value: string | undefined): Date {
  if (!value) throw new CliError(`--${name} is required\n\n${RUN_USAGE}`);
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new CliError(`--${name} must be an ISO 8601 date-time, got "${value}"`);
  }
  return date;
}

async function readConfig(path: string | undefined): Promise<object> {
  if (!path) return {};
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new CliError(`Cannot read --config ${path}: ${(cause as NodeJS.ErrnoException).code ?? cause}`, {
      cause,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new CliError(`--config ${path} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  try {
    parseConfig(value);
  } catch (error) {
    if (error instanceof ConfigError)
      throw new CliError(`--config ${path}: ${error.message}`, { cause: error });
    throw error;
  }
  return value as object;
}

async function readFaults(path: string): Promise<Faults> {
  try {
    return await loadFaults(path);
  } catch (error) {
    if (error instanceof FaultsFileError) throw new CliError(`--faults ${error.message}`, { cause: error });
    throw error;
  }
}

/** A JSON-lines file of SES events as EventBridge delivers them; every line must be one (exit 2 otherwise). */
export async function readSesEvents(path: string): Promise<{ time: string }[]> {
  const events: { time: string }[] = [];
  for (const line of await readJsonl(path)) {
    if (!line.ok) throw new CliError(`--ses-events ${path}:${line.line}: ${line.error}`);
    const parsed = sesEventSchema.safeParse(line.value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      throw new CliError(
        `--ses-events ${path}:${line.line}: not an SES event as EventBridge delivers it (${where}${issue?.message ?? 'invalid'})`,
      );
    }
    events.push(line.value as { time: string });
  }
  return events;
}

/**
 * The audience flags: on (seed 1) unless --no-audience; off when SES events are replayed instead, and in a
 * faults run unless --audience-seed asks for it (its SES deliveries would settle every `unknown` send within
 * seconds, as SES's do on AWS, and the drill is there to show those).
 */
export function audienceFlags(values: {
  'no-audience'?: boolean;
  'audience-seed'?: string;
  'ses-events'?: string;
  faults?: string;
}): AudienceOptions | false {
  const seedFlag = values['audience-seed'];
  if (seedFlag !== undefined && (values['no-audience'] || values['ses-events']))
    throw new CliError(
      '--audience-seed goes with the simulated audience, not with --no-audience or --ses-events',
    );
  if (values['no-audience'] || values['ses-events']) return false;
  if (seedFlag === undefined) return values.faults ? false : {};
  const seed = Number(seedFlag);
  if (!/^\d+$/.test(seedFlag) || !Number.isSafeInteger(seed))
    throw new CliError(`--audience-seed must be a whole number, got "${seedFlag}"`);
  return { seed };
}

/** `--dynamo`: which local DynamoDB backs the run (local/dynamo.ts); absent, the runtime's default. */
export function dynamoFlag(value: string | undefined): DynamoBackend | undefined {
  if (value === undefined) return undefined;
  if (!isDynamoBackend(value))
    throw new CliError(`--dynamo takes ${DYNAMO_BACKENDS.join(' or ')}, got "${value}"`);
  return value;
}

export function templatesDirDefault(): string {
  return resolve(import.meta.dirname, '..', 'templates');
}

export async function runCommand(argv: string[]): Promise<void> {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        profiles: { type: 'string' },
        events: { type: 'string' },
        start: { type: 'string' },
        until: { type: 'string' },
        out: { type: 'string' },
        config: { type: 'string' },
        templates: { type: 'string' },
        faults: { type: 'string' },
        'no-audience': { type: 'boolean' },
        'audience-seed': { type: 'string' },
        'ses-events': { type: 'string' },
        quiet: { type: 'boolean' },
        serve: { type: 'boolean' },
        codes: { type: 'string', multiple: true },
        dynamo: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n\n${RUN_USAGE}`);
  }
  if (values.help) {
    console.log(RUN_USAGE);
    return;
  }
  for (const flag of ['profiles', 'events', 'out'] as const) {
    if (!values[flag]) throw new CliError(`--${flag} is required\n\n${RUN_USAGE}`);
  }
  const start = isoFlag('start', values.start as string | undefined);
  const until = isoFlag('until', values.until as string | undefined);
  if (until <= start) throw new CliError('--until must be after --start');
  const config = await readConfig(values.config as string | undefined);
  const pools = await readPools((values.codes as string[] | undefined) ?? [], config);
  const faults = values.faults ? await readFaults(values.faults as string) : undefined;
  const audience = audienceFlags(values as Parameters<typeof audienceFlags>[0]);
  const dynamo = dynamoFlag(values.dynamo as string | undefined);
  const sesEvents = values['ses-events'] ? await readSesEvents(values['ses-events'] as string) : undefined;
  // Opened now (an unreadable file stops here), read line by line as the run imports them.
  const [profiles, events] = await Promise.all([
    openJsonl(values.profiles as string),
    openJsonl(values.events as string),
  ]);
  const result = await runSession({
    profiles,
    events,
    start,
    until,
    config,
    templatesDir: (values.templates as string | undefined) ?? templatesDirDefault(),
    out: values.out as string,
    ...(faults ? { faults } : {}),
    ...(dynamo ? { dynamo } : {}),
    audience,
    ...(sesEvents ? { sesEvents } : {}),
    ...(pools.length ? { prepare: importPools(pools, start) } : {}),
    ...(values.quiet ? {} : { onProgress: progressPrinter(start, until) }),
    ...(values.serve ? { serve: serveUntilInterrupted(values.out as string) } : {}),
  });
  if (!values.serve) printResult(result, values.out as string);
}

/**
 * The --codes flags: each JOURNEY=FILE names a journey whose incentive draws from a pool, and a file of codes,
 * read and checked before the run starts (a bad line stops it, exit 2).
 */
export async function readPools(
  flags: readonly string[],
  config: object,
): Promise<{ journey: Journey; file: string; codes: string[] }[]> {
  const incentives = parseConfig(config).incentives;
  const pools = [];
  for (const flag of flags) {
    const at = flag.indexOf('=');
    if (at <= 0) throw new CliError(`--codes takes JOURNEY=FILE, got "${flag}"`);
    const journey = journeyFlag(flag.slice(0, at), '--codes JOURNEY');
    if (incentives[journey]?.source !== 'pool')
      throw new CliError(
        `--codes ${journey}=...: the configuration gives ${journey} no pool incentive (set incentives.${journey} with "source": "pool" in --config)`,
      );
    const file = flag.slice(at + 1);
    pools.push({ journey, file, codes: await readCodeFile(file) });
  }
  return pools;
}

/** Imports the pools once embedded mode is up, before customers and events. */
function importPools(pools: Awaited<ReturnType<typeof readPools>>, start: Date) {
  return async (embedded: Embedded): Promise<void> => {
    for (const pool of pools)
      console.log(await importPool(embedded.stores.codes, pool.journey, pool.codes, start, pool.file));
  };
}

/** A single updating line on a terminal; occasional lines otherwise (CI logs). */
export function progressPrinter(start: Date, until: Date): (p: { now: Date; jobsRun: number }) => void {
  const span = until.getTime() - start.getTime();
  let lastShown = -1;
  return (p) => {
    const pct = Math.min(100, Math.floor(((p.now.getTime() - start.getTime()) / span) * 100));
    if (pct === lastShown || (!process.stderr.isTTY && pct % 10 !== 0)) return;
    lastShown = pct;
    const line = `  simulated ${p.now.toISOString().slice(0, 16).replace('T', ' ')} UTC  ${String(pct).padStart(3)}%  ${p.jobsRun} jobs`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
    else process.stderr.write(`${line}\n`);
  };
}

export function printResult(result: SessionResult, out: string): void {
  if (process.stderr.isTTY) process.stderr.write('\n');
  console.log('');
  console.log(summaryTable(result.summary));
  console.log('');
  console.log(
    `${result.imported} customers, ${result.stats.events} events (${result.rejected} rejected${
      result.eventsNotReached ? `, ${result.eventsNotReached} after --until not delivered` : ''
    }), ${result.emails} emails, ${result.stats.executions.started} workflow runs, in ${(result.wallMs / 1000).toFixed(1)} s.`,
  );
  if (result.stats.audience) console.log(`\n${audienceLine(result.stats.audience)}`);
  if (result.stats.sesEventsReplayed)
    console.log(`\nReplayed ${result.stats.sesEventsReplayed} SES events through the ses-events handler.`);
  console.log(`\n${promisesLine(result.promises, result.stats)}`);
  for (const problem of result.promises.problems.slice(0, 5)) console.log(`  ${problem}`);
  console.log(countersLine(result.counters));
  console.log(`\n${kpiTable(result.kpis)}`);
  if (result.reputation) console.log(`\n${reputationLine(result.reputation)}`);
  if (result.errors.length) {
    console.log(`\n${result.errors.length} errors (see summary.json):`);
    for (const e of result.errors.slice(0, 5)) console.log(`  ${e.at} ${e.label}: ${e.name}: ${e.message}`);
  }
  console.log(`\nEmails:   ${resolve(result.outbox)} (one .eml each; open with any mail client)`);
  console.log(`Results:  ${resolve(out)}/summary.json, ledger.jsonl, rejected.jsonl, stats.jsonl`);
  console.log(`Report:   npx reciprocity report ${out}  (writes report.html: charts, uplift, variants)`);
}

/** Whether the counters the handlers kept agree with the ledger they were counted from. */
export function countersLine(check: CounterCheck): string {
  if (check.differences.length === 0)
    return `Counters check: the outcome counters equal the ledger's recount (${check.compared} figures compared).`;
  const first = check.differences
    .slice(0, 3)
    .map((d) => `${d.row} ${d.counter}: counted ${d.counted}, ledger ${d.recounted}`)
    .join('; ');
  return `Counters check: ${check.differences.length} figures differ from the ledger's recount (see summary.json): ${first}.`;
}

/** What the simulated audience did, in one paragraph (the engine's own figures, judged, are in the ledger). */
export function audienceLine(a: AudienceStats): string {
  const bounces = a.bounces.hard + a.bounces.soft;
  return [
    `Simulated audience (seed ${a.seed}; --no-audience turns it off): ${a.emails} emails, ${a.delivered} delivered, ${bounces} bounced (${a.bounces.hard} hard), ${a.complaints} complaints;`,
    `  opens: ${a.opens.person} by people, ${a.opens.proxy} by privacy proxies, ${a.opens.scanner} by link scanners; clicks: ${a.clicks.person} by people (votes and unsubscribe links included), ${a.clicks.scanner} by link scanners;`,
    `  ${a.votes.up + a.votes.down} votes (${a.votes.up} useful, ${a.votes.down} not for me), ${a.unsubscribes} unsubscribes, ${a.orders} orders worth ${a.revenue.toFixed(2)}.`,
  ].join('\n');
}

/** The exactly-once check in one line (with the faults injected, if any). */
export function promisesLine(check: PromiseCheck, stats: SessionResult['stats']): string {
  const injected = stats.ses.faults + stats.crashes + stats.dynamodbFaults;
  const faults = injected ? ` under ${injected} injected faults` : '';
  const unknown = check.unknown.recorded
    ? `, ${check.unknown.recorded} unknown (SES may have accepted them; never resent; ${check.unknown.delivered} are in the outbox)`
    : '';
  return `Exactly-once check${faults}: ${check.duplicateEmails} duplicate emails, ${check.silentLosses} silent losses${unknown}.`;
}

/** The reputation guard in one line: paused now, or paused and resumed during the run. */
export function reputationLine(guard: ReputationGuard): string {
  const rate =
    guard.reason === 'bounce_rate'
      ? `bounce rate ${percent(guard.bounceRate)}`
      : `complaint rate ${percent(guard.complaintRate)}`;
  const figures = `(${rate} over ${guard.outcomes} outcomes)`;
  const at = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  return guard.paused
    ? `Reputation guard: marketing paused since ${at(guard.since)} ${figures}; messages are deferred until the rates recover.`
    : `Reputation guard: marketing was paused from ${at(guard.since)} to ${at(guard.resumedAt ?? guard.since)} ${figures}.`;
}

function percent(rate: number): string {
  // Complaint rates live around 0.1%: two decimals there, one for bounce rates.
  return `${(rate * 100).toFixed(rate < 0.01 ? 2 : 1)}%`;
}

/** Prints the summary, then keeps the customer pages up until Ctrl-C (for --serve). */
export function serveUntilInterrupted(out: string) {
  return async (url: string, result: SessionResult): Promise<void> => {
    printResult(result, out);
    console.log(`\nCustomer pages: ${url} (open the links in any email of the outbox). Ctrl-C to stop.`);
    await new Promise<void>((done) => process.once('SIGINT', () => done()));
  };
}
