/**
 * Embedded mode: the real handlers, through their unchanged AWS SDK v3 clients, against local servers
 * (dynalite, SES v2 emulator, our Scheduler and Step Functions endpoints) on a simulated clock.
 * process.env and the handlers' clock are process-wide, so one runtime runs per process at a time.
 */
import { resetClock, setClock } from '../functions/adapters/clock.js';
import { startDynamo } from './dynamo.js';
import { applyEnv, embeddedEnv, LOCAL_SCHEDULE_GROUP } from './env.js';
import { EmbeddedRuntimeError } from './errors.js';
import {
  type Handler,
  type HandlerName,
  LOCAL_REGION,
  loadHandler,
  scheduledEvent,
  TASK_HANDLER_MODULES,
} from './handlers.js';
import { type LocalScheduler, startScheduler } from './scheduler.js';
import { type LocalEmail, type LocalSes, startSes } from './ses.js';
import { type StartedExecution, startSfnServer } from './sfn-server.js';
import { type Progress, Simulator } from './simulator.js';
import { LOCAL_ACCOUNT, type SynthesizedWorkflow, synthWorkflow } from './synth.js';
import { seedTemplates } from './templates.js';
import { LocalWorkflow, type TaskHandler, type WorkflowRun } from './workflow.js';

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
  /** Replaces handler modules by name ('ingest', 'send', ...): for tests and experiments. */
  handlers?: Partial<Record<HandlerName, Handler>>;
  /**
   * Puts a proxy between the handlers and the local DynamoDB (e.g. local/capacity.ts's metering proxy): gets
   * dynalite's endpoint, returns the one the handlers use. Table creation and template seeding bypass it.
   */
  dynamoProxy?: (endpoint: string) => Promise<{ endpoint: string; close(): Promise<void> }>;
}

/** An EventBridge event of the shop; `time` decides when it is delivered. */
export interface ShopEvent {
  'detail-type': string;
  source: string;
  time: string;
  detail: unknown;
  id?: string;
}

export interface ExecutionRecord extends Omit<WorkflowRun, 'taskErrors'> {
  executionArn: string;
  name: string;
  input: unknown;
  startDate: string;
  taskErrors: { state: string; name: string; message: string }[];
}

/** A handler outside the workflow (ingest, a sweep) that threw; EventBridge would retry, then DLQ. */
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
}

export interface Embedded {
  readonly clock: () => Date;
  readonly env: Readonly<Record<string, string>>;
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

let active = false;

/** Starts every stand-in, points the handlers at them, and returns the running system. */
export async function startEmbedded(options: EmbeddedOptions): Promise<Embedded> {
  if (active) throw new EmbeddedRuntimeError('An embedded runtime is already running in this process');
  active = true;
  const cleanups: (() => Promise<void> | void)[] = [];
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
    active = false;
  };
  try {
    const workflow = options.workflow ?? (await synthWorkflow(options.stackProps));
    const sim = new Simulator({ start: options.start });
    const executions: ExecutionRecord[] = [];
    const failures: JobFailure[] = [];
    let events = 0;
    let jobs = 0;
    let scheduleStarts = 0;
    let run: (started: StartedExecution) => Promise<void> = async () => {};
    const enqueue = (started: StartedExecution): void =>
      sim.now(`execution ${started.name}`, () => run(started));

    const dynamo = await startDynamo();
    cleanups.push(dynamo.close);
    let dynamoEndpoint = dynamo.endpoint;
    if (options.dynamoProxy) {
      const proxy = await options.dynamoProxy(dynamo.endpoint);
      cleanups.push(proxy.close);
      dynamoEndpoint = proxy.endpoint;
    }
    const ses = await startSes({ clock: sim.clock });
    cleanups.push(ses.close);
    const scheduler = await startScheduler({ clock: sim.clock });
    cleanups.push(scheduler.close);
    const sfn = await startSfnServer({
      stateMachineArns: [workflow.stateMachineArn],
      onStart: enqueue,
      clock: sim.clock,
    });
    cleanups.push(sfn.close);

    const env = embeddedEnv({
      endpoints: {
        dynamodb: dynamoEndpoint,
        sesv2: ses.endpoint,
        scheduler: scheduler.endpoint,
        sfn: sfn.endpoint,
      },
      tableNames: dynamo.tableNames,
      stateMachineArn: workflow.stateMachineArn,
      ...(options.config ? { config: options.config } : {}),
    });
    cleanups.push(applyEnv(env));
    setClock(sim.clock);
    cleanups.push(resetClock);

    const handlers: Record<string, TaskHandler> = {};
    for (const [state, module] of Object.entries(TASK_HANDLER_MODULES))
      handlers[state] = await loadHandler(module, options.handlers);
    const local = new LocalWorkflow(workflow.asl, handlers);
    const ingest = await loadHandler('ingest', options.handlers);
    const birthdaySweep = await loadHandler('birthday-sweep', options.handlers);
    const inactivitySweep = await loadHandler('inactivity-sweep', options.handlers);

    run = async (started) => {
      const result = await local.run(started.input, {
        executionArn: started.executionArn,
        name: started.name,
        stateMachineArn: started.stateMachineArn,
      });
      executions.push({
        ...result,
        executionArn: started.executionArn,
        name: started.name,
        input: started.input,
        startDate: started.startDate.toISOString(),
        taskErrors: result.taskErrors.map(({ state, error }) => ({ state, ...describeError(error) })),
      });
    };

    // Like EventBridge's async invoke: a handler error does not stop the world; it is recorded.
    const invoke = async (label: string, handler: Handler, event: unknown): Promise<void> => {
      jobs += 1;
      try {
        await handler(event);
      } catch (error) {
        failures.push({ label, at: sim.clock().toISOString(), ...describeError(error) });
      }
    };
    sim.every('birthday-sweep', 3_600_000, 0, (now) =>
      invoke('birthday-sweep', birthdaySweep, scheduledEvent('birthday-sweep', now)),
    );
    sim.every('inactivity-sweep', 86_400_000, 300_000, (now) =>
      invoke('inactivity-sweep', inactivitySweep, scheduledEvent('inactivity-sweep', now)),
    );
    sim.addSource({
      nextTime: () => scheduler.nextDue(),
      async fire(now) {
        for (const schedule of scheduler.due(now)) {
          scheduler.complete(schedule);
          if (schedule.target.Arn !== workflow.stateMachineArn) {
            failures.push({
              label: `schedule ${schedule.name}`,
              at: now.toISOString(),
              name: 'UnknownTarget',
              message: schedule.target.Arn,
            });
            continue;
          }
          scheduleStarts += 1;
          const name = `${schedule.name}-${scheduleStarts}`.slice(0, 80);
          enqueue({
            executionArn: `${workflow.stateMachineArn.replace(':stateMachine:', ':express:')}:${name}`,
            name,
            stateMachineArn: workflow.stateMachineArn,
            input: JSON.parse(schedule.target.Input ?? '{}'),
            startDate: now,
          });
        }
      },
    });

    if (options.templatesDir) {
      await seedTemplates({
        dir: options.templatesDir,
        endpoint: dynamo.endpoint,
        tableName: dynamo.tableNames.templates ?? '',
        at: options.start,
      });
    }

    const sum = (pick: (e: ExecutionRecord) => number): number => executions.reduce((n, e) => n + pick(e), 0);
    return {
      clock: sim.clock,
      env,
      tableNames: dynamo.tableNames,
      ses,
      scheduler,
      publish(event) {
        events += 1;
        const envelope = {
          version: '0',
          id: event.id ?? `local-event-${events}`,
          ...event,
          account: LOCAL_ACCOUNT,
          region: LOCAL_REGION,
          resources: [],
        };
        sim.at(new Date(event.time), `event ${envelope.id}`, () =>
          invoke(`ingest ${envelope.id}`, ingest, envelope),
        );
      },
      runUntil: (until, onProgress) => sim.runUntil(until, onProgress),
      emails: () => ses.listEmails(),
      executions: () => [...executions],
      failedExecutions: () => executions.filter((e) => e.status === 'FAILED'),
      failures: () => [...failures],
      stats: () => ({
        events,
        executions: {
          started: sfn.started() + scheduleStarts,
          succeeded: executions.filter((e) => e.status === 'SUCCEEDED').length,
          failed: executions.filter((e) => e.status === 'FAILED').length,
        },
        stateTransitions: sum((e) => e.transitions),
        taskInvocations: sum((e) => e.taskInvocations),
        retries: sum((e) => e.retries),
        scheduler: scheduler.calls(),
        ses: ses.stats(),
        jobs,
        schedulesFired: scheduleStarts,
      }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function describeError(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Error', message: String(error) };
}

export { LOCAL_SCHEDULE_GROUP, TASK_HANDLER_MODULES };
