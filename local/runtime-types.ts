/**
 * What embedded mode offers its callers (the CLI, the bench, tests): its options, the running system, and the
 * records it keeps of a run. local/runtime.ts builds it.
 */
import type { Deps } from '../functions/app/deps.js';
import type { HandlerName as AnyHandler } from '../functions/domain/names.js';
import type { AudienceOptions } from './audience.js';
import type { AudienceStats } from './audience-driver.js';
import type { DynamoTarget } from './capacity.js';
import type { DynamoBackend } from './dynamo.js';
import type { Faults } from './faults.js';
import type { Handler } from './handlers.js';
import type { LocalScheduler } from './scheduler.js';
import type { LocalEmail, LocalSes } from './ses.js';
import type { Progress } from './simulator.js';
import type { SynthesizedWorkflow } from './synth.js';
import type { LocalService, Transport } from './transport.js';
import type { WorkflowRun } from './workflow.js';

export interface EmbeddedOptions {
  start: Date;
  /** Engine configuration (RECIPROCITY_CONFIG); absent keys take the defaults. */
  config?: object;
  /** Template sources to compile and publish before the run (e.g. the starter set in templates/). */
  templatesDir?: string;
  /** The workflow to run; default: synthesized from lib/reciprocity-stack.ts. */
  workflow?: SynthesizedWorkflow;
  /** Props for ReciprocityStack when synthesizing. */
  stackProps?: object;
  /** Replaces handlers by name ('cart-intake', 'send', ...): for tests and experiments. */
  handlers?: Partial<Record<AnyHandler, Handler>>;
  /** Faults to inject (`reciprocity run --faults FILE`): SES answers and handler crashes. */
  faults?: Faults;
  /** The handlers' log level. @default POWERTOOLS_LOG_LEVEL, else WARN */
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /**
   * How the handlers' SDK clients reach the stand-ins: `memory` hands each request to the stand-in in-process,
   * unsigned (no sockets); `http` goes over local sockets with SigV4, as against AWS. Outputs are the same
   * (test/local/transport-identity.test.ts). @default 'memory'
   */
  transport?: Transport;
  /**
   * The local DynamoDB: `dynalite` as it ships, or `fast`, dynalite's own validations and actions on sorted
   * Maps with each kind of expression parsed once (the same outputs, test/local/dynamo-backends.test.ts).
   * @default EMBEDDED_DYNAMO_BACKEND (local/dynamo.ts): fast
   */
  dynamo?: DynamoBackend;
  /**
   * Have V8 collect the heap in full once it has grown by HEAP_GROWING_PERCENT over what the last collection
   * kept (a setting of the process), and between jobs give committed pages back once they reach a budget
   * (local/heap-bound.ts), so a long run's resident memory follows its data. Changes no output.
   * @default true
   */
  boundHeap?: boolean;
  /**
   * Puts a proxy between the handlers and the local DynamoDB (e.g. local/capacity.ts's metering proxy): gets
   * dynalite (its endpoint, and its service reached on the run's transport), returns the proxy's endpoint and
   * service, which the handlers then use. Table creation and template seeding bypass it.
   */
  dynamoProxy?: (
    target: DynamoTarget,
  ) => Promise<{ endpoint: string; service: LocalService; close(): Promise<void> }>;
  /**
   * A simulated audience answers every email SES accepts: deliveries, bounces, opens, clicks, votes,
   * unsubscribes, complaints and later orders, through the real handlers (local/audience.ts).
   * @default false (off: tests keep their exact outputs)
   */
  audience?: AudienceOptions | false;
  /**
   * Recorded SES events (as EventBridge delivers them: `{ time, detail: { eventType, mail, ... } }`), handed to
   * the ses-events handler at their own `time` (`reciprocity run --ses-events FILE`). Each needs a valid time.
   */
  sesEvents?: readonly { time: string }[];
}

/** An EventBridge event of the shop; `time` decides when it is delivered. */
export interface ShopEvent {
  'detail-type': string;
  source: string;
  time: string;
  detail: unknown;
  id?: string;
}

/**
 * One finished execution as a run keeps it (local/execution-record.ts): its states and counts, the request it
 * was started with, and its final state without Personalize's HTML and text (those are in the outbox).
 */
export interface ExecutionRecord extends Omit<WorkflowRun, 'taskErrors'> {
  executionArn: string;
  name: string;
  input: unknown;
  startDate: string;
  taskErrors: { state: string; name: string; message: string }[];
}

/** A handler outside the workflow (intake, a sweep) that still threw after Lambda's two retries: its DLQ. */
export interface JobFailure {
  label: string;
  at: string;
  name: string;
  message: string;
}

export interface EmbeddedStats {
  events: number;
  executions: { started: number; succeeded: number; failed: number };
  stateTransitions: number;
  taskInvocations: number;
  retries: number;
  scheduler: Record<string, number>;
  ses: { requests: number; faults: number };
  jobs: number;
  /** Per-message schedules that fired and started an execution (what Scheduler bills). */
  schedulesFired: number;
  /** Handler crashes injected by `faults.crash`. */
  crashes: number;
  /** Asynchronous invocations (intake, sweeps) retried after an error, as Lambda retries them. */
  asyncRetries: number;
  /** DynamoDB calls answered with an injected fault (`faults.dynamodb`). */
  dynamodbFaults: number;
  /** What the simulated audience did, when it is on. */
  audience?: AudienceStats;
  /** Recorded SES events (`sesEvents`) handed to the ses-events handler so far. */
  sesEventsReplayed: number;
}

export interface Embedded {
  readonly clock: () => Date;
  readonly env: Readonly<Record<string, string>>;
  /** Deps over every table, on the simulated clock: for callers that read or seed state (CLI, tests). */
  readonly deps: Deps;
  readonly stores: Deps['stores'];
  /** The Deps a given handler runs with (its own logger service name; the same clients). */
  depsFor(name: AnyHandler): Deps;
  /** Invokes a handler as Lambda would (e.g. customer-http for a page, ses-events for a delivery event). */
  invoke(name: AnyHandler, event: unknown): Promise<unknown>;
  readonly tableNames: Readonly<Record<string, string>>;
  /** The SES stand-in, e.g. for `ses.failNext(3, 'throttle')`. */
  readonly ses: LocalSes;
  readonly scheduler: LocalScheduler;
  publish(event: ShopEvent): void;
  runUntil(until: Date, onProgress?: (progress: Progress) => void): Promise<void>;
  emails(): Promise<LocalEmail[]>;
  executions(): ExecutionRecord[];
  /** Executions that ended FAILED, with their error. */
  failedExecutions(): ExecutionRecord[];
  /** Ingest and sweep invocations that threw. */
  failures(): JobFailure[];
  stats(): EmbeddedStats;
  stop(): Promise<void>;
}
