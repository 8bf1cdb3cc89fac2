/** `reciprocity run`: your own customers and events through the real flow, in simulated time. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, parseConfig } from '../functions/domain/config.js';
import type { ReputationGuard } from '../functions/domain/reputation.js';
import { type Faults, FaultsFileError, loadFaults } from '../local/faults.js';
import { CliError } from './errors.js';
import { readJsonl } from './jsonl.js';
import type { PromiseCheck } from './promises.js';
import { runSession, type SessionResult } from './session.js';
import { summaryTable } from './summary.js';

export const RUN_USAGE = `Usage: reciprocity run --profiles FILE.jsonl --events FILE.jsonl --start ISO --until ISO --out DIR
                       [--config FILE.json] [--templates DIR] [--faults FILE.json] [--quiet] [--serve]

  --profiles   one customer per line: the customer.upserted detail, plus optional lastActiveAt and orders
  --events     one bus event per line ({ id, source, detail-type, time, detail }), in any order
  --start      simulated start (ISO 8601, e.g. 2026-12-01T00:00:00Z)
  --until      simulated end; delays, schedules and quiet hours fire in between
  --out        directory for outbox/*.eml, summary.json, ledger.jsonl, rejected.jsonl
  --config     engine configuration (JSON); see the README for every key
  --templates  template sources (default: the starter templates)
  --faults     faults to inject: SES answers (throttle, reject, reset-before, reset-after, error-after) and
               crashes of the send handler (before-ses, after-ses); see the README, "Faults anyone can replay"
  --quiet      no progress line
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

export function templatesDirDefault(): string {
  return resolve(import.meta.dirname, '..', 'templates');
}

export async function runCommand(argv: string[]): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
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
        quiet: { type: 'boolean' },
        serve: { type: 'boolean' },
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
  const faults = values.faults ? await readFaults(values.faults as string) : undefined;
  const [profiles, events] = await Promise.all([
    readJsonl(values.profiles as string),
    readJsonl(values.events as string),
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
    ...(values.quiet ? {} : { onProgress: progressPrinter(start, until) }),
    ...(values.serve ? { serve: serveUntilInterrupted(values.out as string) } : {}),
  });
  if (!values.serve) printResult(result, values.out as string);
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
  console.log(`\n${promisesLine(result.promises, result.stats)}`);
  for (const problem of result.promises.problems.slice(0, 5)) console.log(`  ${problem}`);
  if (result.reputation) console.log(`\n${reputationLine(result.reputation)}`);
  if (result.errors.length) {
    console.log(`\n${result.errors.length} errors (see summary.json):`);
    for (const e of result.errors.slice(0, 5)) console.log(`  ${e.at} ${e.label}: ${e.name}: ${e.message}`);
  }
  console.log(`\nEmails:   ${resolve(result.outbox)} (one .eml each; open with any mail client)`);
  console.log(`Results:  ${resolve(out)}/summary.json, ledger.jsonl, rejected.jsonl`);
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
