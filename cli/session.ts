/**
 * One embedded run, shared by `reciprocity run` and the demo: start the local stand-ins, publish templates,
 * import customers, deliver events at their simulated times, run the clock, and write the results.
 */
import { parseConfig } from '../functions/domain/config.js';
import { parseShopEvent } from '../functions/domain/events.js';
import { type KpiReport, kpiReport } from '../functions/domain/kpis.js';
import type { ReputationGuard } from '../functions/domain/reputation.js';
import type { AudienceOptions } from '../local/audience.js';
import type { DynamoBackend } from '../local/dynamo.js';
import type { Faults } from '../local/faults.js';
import type { Embedded, EmbeddedStats, JobFailure, ShopEvent } from '../local/runtime.js';
import { startEmbedded } from '../local/runtime.js';
import type { Progress } from '../local/simulator.js';
import type { Transport } from '../local/transport.js';
import { type CounterCheck, checkCounters } from './counters-check.js';
import { CliError } from './errors.js';
import type { JsonlLine } from './jsonl.js';
import { writeOutputs } from './outputs.js';
import { type ImportProblem, importProfiles } from './profiles-import.js';
import { checkPromises, type PromiseCheck } from './promises.js';
import { type Summary, summarize } from './summary.js';

export interface SessionInput {
  /** Read as the run imports them (cli/jsonl.ts openJsonl), or given whole. */
  profiles: Iterable<JsonlLine> | AsyncIterable<JsonlLine>;
  events: Iterable<JsonlLine> | AsyncIterable<JsonlLine>;
  start: Date;
  until: Date;
  config: object;
  templatesDir: string;
  out: string;
  onProgress?: (progress: Progress) => void;
  /** Faults to inject (`--faults FILE`). */
  faults?: Faults;
  /** The simulated audience (local/audience.ts); absent or false: off. */
  audience?: AudienceOptions | false;
  /** Recorded SES events to replay at their own times (`--ses-events FILE`). */
  sesEvents?: readonly { time: string }[];
  /** How the handlers reach the stand-ins (local/transport.ts). @default the runtime's: memory */
  transport?: Transport;
  /** The local DynamoDB backend (local/dynamo.ts). @default the runtime's */
  dynamo?: DynamoBackend;
  /** Runs once the embedded mode is up, before customers and events (the demo publishes a variant here). */
  prepare?: (embedded: Embedded) => Promise<void>;
  /**
   * After the run, keep the customer endpoints (unsubscribe, preferences, why) served at publicBaseUrl and
   * call this with their URL; the embedded mode stops when the returned promise settles.
   */
  serve?: (url: string, result: SessionResult) => Promise<void>;
}

export interface SessionResult {
  summary: Summary;
  /** Open, click, conversion and retention per journey and variant, and the holdout uplift. */
  kpis: KpiReport;
  /** The outcome counters against the ledger's recount (cli/counters-check.ts). */
  counters: CounterCheck;
  emails: number;
  rejected: number;
  imported: number;
  /** Events whose time lies after --until: never delivered. */
  eventsNotReached: number;
  stats: EmbeddedStats;
  /** Handler errors outside the workflow, and failed executions: a healthy run has none. */
  errors: JobFailure[];
  outbox: string;
  sesWebUi: string;
  wallMs: number;
  /** Wall and CPU (user + system) time of the simulated span alone (runUntil: no startup, import, outputs). */
  simulated: { wallMs: number; cpuMs: number };
  /** The exactly-once check of the run's outbox and ledger. */
  promises: PromiseCheck;
  /** The reputation guard after the run, if it paused marketing sends at any time (it starts unset). */
  reputation?: ReputationGuard;
}

export async function runSession(input: SessionInput): Promise<SessionResult> {
  const started = performance.now();
  const config = parseConfig(input.config);
  const embedded = await startEmbedded({
    start: input.start,
    config: input.config,
    templatesDir: input.templatesDir,
    ...(input.faults ? { faults: input.faults } : {}),
    ...(input.audience ? { audience: input.audience } : {}),
    ...(input.sesEvents?.length ? { sesEvents: input.sesEvents } : {}),
    ...(input.transport ? { transport: input.transport } : {}),
    ...(input.dynamo ? { dynamo: input.dynamo } : {}),
    // Injected faults make handlers log errors by design; the exactly-once check reports them instead.
    ...(input.faults && !process.env.POWERTOOLS_LOG_LEVEL ? { logLevel: 'SILENT' as const } : {}),
  });
  try {
    await input.prepare?.(embedded);
    const { imported, problems } = await importProfiles(input.profiles, {
      at: input.start,
      config,
      source: 'profiles',
      stores: embedded.stores,
    });
    const eventProblems: ImportProblem[] = [];
    let eventsNotReached = 0;
    for await (const line of input.events) {
      if (!line.ok) {
        eventProblems.push({ source: 'events', line: line.line, error: line.error, raw: line.raw });
        continue;
      }
      const event = (line.value ?? {}) as { time?: unknown };
      const time = typeof event.time === 'string' ? new Date(event.time) : new Date(Number.NaN);
      if (Number.isNaN(time.getTime())) {
        // Without a time it cannot be placed on the clock: reject it here, with the contract's own message.
        const parsed = parseShopEvent(line.value);
        const error = parsed.ok ? 'time: not a date' : parsed.error;
        eventProblems.push({
          source: 'events',
          line: line.line,
          error,
          raw: JSON.stringify(line.value).slice(0, 2000),
        });
        continue;
      }
      if (time > input.until) {
        eventsNotReached++;
        continue;
      }
      // Events before the start are delivered at the start, with their own time (intake uses it).
      embedded.publish(line.value as ShopEvent);
    }
    const simulatedFrom = { wall: performance.now(), cpu: process.cpuUsage() };
    await embedded.runUntil(input.until, input.onProgress);
    const simulatedCpu = process.cpuUsage(simulatedFrom.cpu);
    const simulated = {
      wallMs: performance.now() - simulatedFrom.wall,
      cpuMs: (simulatedCpu.user + simulatedCpu.system) / 1000,
    };
    const [ledger, rejected, reputation, statsRows] = await Promise.all([
      embedded.stores.ledger.all(),
      embedded.stores.rejected.all(),
      embedded.stores.reputation.readGuard(),
      embedded.stores.stats.all(),
    ]);
    // Without bodies: each email's body is read back from the SES outbox only to write its file.
    const emails = embedded.ses.sentEmails();
    const summary = summarize(ledger);
    // The marketer's figures, from the counters the handlers kept (never from a scan of the ledger).
    const kpis = kpiReport(statsRows, input.until, config.attribution);
    const counters = checkCounters(ledger, statsRows);
    const promises = checkPromises(emails, ledger);
    const stats = embedded.stats();
    const errors = [
      ...embedded.failures(),
      ...embedded.failedExecutions().map((e) => ({
        label: `execution ${e.name}`,
        at: e.startDate,
        name: e.error?.error ?? 'ExecutionFailed',
        message: e.error?.cause ?? 'failed',
      })),
    ];
    const { outbox } = await writeOutputs(input.out, {
      emails,
      loadEmail: embedded.ses.loadEmail,
      summary: {
        ...summary,
        window: { start: input.start.toISOString(), until: input.until.toISOString() },
        totals: {
          customers: imported,
          emails: emails.length,
          rejected: rejected.length + problems.length + eventProblems.length,
          eventsNotReached,
        },
        errors,
        promises,
        counters,
        kpis,
      } as Summary & Record<string, unknown>,
      stats: statsRows,
      ledger,
      rejected,
      inputProblems: [...problems, ...eventProblems],
    });
    const result: SessionResult = {
      summary,
      kpis,
      counters,
      promises,
      emails: emails.length,
      rejected: rejected.length + problems.length + eventProblems.length,
      imported,
      eventsNotReached,
      stats,
      errors,
      outbox,
      sesWebUi: embedded.ses.emulatorEndpoint,
      wallMs: performance.now() - started,
      simulated,
      ...(reputation ? { reputation } : {}),
    };
    const serve = input.serve;
    if (serve) await serveCustomerPages(embedded, config.publicBaseUrl, (url) => serve(url, result));
    return result;
  } finally {
    await embedded.stop();
  }
}

/** Serves the real customer-http handler on the port of publicBaseUrl, on loopback, until `until` settles. */
async function serveCustomerPages(
  embedded: Embedded,
  publicBaseUrl: string,
  until: (url: string) => Promise<void>,
): Promise<void> {
  const base = new URL(publicBaseUrl);
  if (!['localhost', '127.0.0.1'].includes(base.hostname)) {
    throw new CliError(`--serve needs publicBaseUrl on localhost (it is ${publicBaseUrl})`);
  }
  const [{ loadHandler }, { startCustomerServer }] = await Promise.all([
    import('../local/handlers.js'),
    import('../local/customer-server.js'),
  ]);
  const customerHttp = await loadHandler('customer-http', embedded.depsFor('customer-http'));
  const handler = customerHttp as Parameters<typeof startCustomerServer>[0]['handler'];
  const server = await startCustomerServer({ handler, port: Number(base.port || 80) });
  try {
    await until(server.url);
  } finally {
    await server.close();
  }
}
