/**
 * Embedded mode: the real use cases in their Lambda middleware, with Deps whose AWS SDK v3 clients point at
 * local servers (dynalite, SES v2 emulator, our Scheduler and Step Functions endpoints) and whose clock is the
 * simulator's. Nothing is process-wide: no process.env writes, no global clock, so runtimes can coexist.
 * What AWS does by itself is simulated too: the Scheduler, and DynamoDB TTL (local/ttl-sweep.ts, daily).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { type Clients, type Deps, makeDeps, SES_MAX_ATTEMPTS } from '../functions/app/deps.js';
import { type HandlerName as AnyHandler, INTAKE_OF_DETAIL_TYPE } from '../functions/domain/names.js';
import type { DynamoTarget } from './capacity.js';
import { EMBEDDED_DYNAMO_BACKEND, startDynamo } from './dynamo.js';
import { type DynamoFaultProxy, startDynamoFaults } from './dynamo-faults.js';
import { embeddedEnv, LOCAL_SCHEDULE_GROUP } from './env.js';
import { describeError, executionRecord } from './execution-record.js';
import { CrashPlan, InjectedCrashError } from './faults.js';
import { LOCAL_REGION, loadHandler, scheduledEvent, TASK_HANDLER_MODULES } from './handlers.js';
import { processHeapBound } from './heap-bound.js';
import type { Embedded, EmbeddedOptions, ExecutionRecord, JobFailure, ShopEvent } from './runtime-types.js';
import { startScheduler } from './scheduler.js';
import { type AcceptedEmail, startSes } from './ses.js';
import { startSesFeedback } from './ses-feedback.js';
import { type StartedExecution, startSfnServer } from './sfn-server.js';
import { Simulator } from './simulator.js';
import { LOCAL_ACCOUNT, synthWorkflow } from './synth.js';
import { seedTemplates } from './templates.js';
import {
  DEFAULT_TRANSPORT,
  httpService,
  type LocalService,
  type Transport,
  transportConfig,
} from './transport.js';
import { sweepExpired } from './ttl-sweep.js';
import { LocalWorkflow, type TaskHandler } from './workflow.js';

export type {
  Embedded,
  EmbeddedOptions,
  EmbeddedStats,
  ExecutionRecord,
  JobFailure,
  ShopEvent,
} from './runtime-types.js';

/** Lambda retries a failed asynchronous invocation twice before its on-failure destination. */
const ASYNC_RETRIES = 2;

/** Starts every stand-in, builds the handlers' Deps against them, and returns the running system. */
export async function startEmbedded(options: EmbeddedOptions): Promise<Embedded> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  };
  try {
    const workflow = options.workflow ?? (await synthWorkflow(options.stackProps));
    // From here to close: the customers' import, the simulated span and the outputs alike.
    if (options.boundHeap !== false) cleanups.push(processHeapBound().watch());
    const sim = new Simulator({ start: options.start });
    const executions: ExecutionRecord[] = [];
    const failures: JobFailure[] = [];
    let events = 0;
    let jobs = 0;
    let asyncRetries = 0;
    let scheduleStarts = 0;
    let run: (started: StartedExecution) => Promise<void> = async () => {};
    const enqueue = (started: StartedExecution): void =>
      sim.now(`execution ${started.name}`, () => run(started));

    const transport = options.transport ?? DEFAULT_TRANSPORT;
    const dynamo = await startDynamo('reciprocity-', {
      transport,
      backend: options.dynamo ?? EMBEDDED_DYNAMO_BACKEND,
    });
    cleanups.push(dynamo.close);
    // Each proxy in front of dynalite reaches the next one the way the handlers reach the first: in memory,
    // or over HTTP.
    const reach = (endpoint: string, service: LocalService): DynamoTarget => ({
      endpoint,
      service: transport === 'memory' ? service : httpService(endpoint),
    });
    let dynamoTarget = reach(dynamo.endpoint, dynamo.service);
    if (options.dynamoProxy) {
      const proxy = await options.dynamoProxy(dynamoTarget);
      cleanups.push(proxy.close);
      dynamoTarget = reach(proxy.endpoint, proxy.service);
    }
    let dynamoFaults: DynamoFaultProxy | undefined;
    if (options.faults?.dynamodb.length) {
      dynamoFaults = await startDynamoFaults(dynamoTarget, options.faults.dynamodb);
      cleanups.push(dynamoFaults.close);
      dynamoTarget = reach(dynamoFaults.endpoint, dynamoFaults.service);
    }
    let accepted: ((email: AcceptedEmail) => void) | undefined;
    const ses = await startSes({
      clock: sim.clock,
      faults: options.faults?.ses ?? [],
      onAccepted: (email) => accepted?.(email),
      transport,
    });
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
        dynamodb: dynamoTarget.endpoint,
        sesv2: ses.endpoint,
        scheduler: scheduler.endpoint,
        sfn: sfn.endpoint,
      },
      tableNames: dynamo.tableNames,
      stateMachineArn: workflow.stateMachineArn,
      ...(options.config ? { config: options.config } : {}),
    });
    if (options.logLevel) env.POWERTOOLS_LOG_LEVEL = options.logLevel;
    const clients = localClients(env, transport, {
      dynamodb: dynamoTarget.service,
      sesv2: ses.service,
      scheduler: scheduler.service,
      sfn: sfn.service,
    });
    cleanups.push(() => {
      for (const client of Object.values(clients)) client.destroy();
    });
    const crashes = new CrashPlan(options.faults?.crash ?? []);
    let crashed = 0;
    const probe = (handler: string, point: string): void => {
      const crash = crashes.check(handler, point);
      if (!crash) return;
      crashed += 1;
      // What Step Functions sees: a crashed runtime (Lambda.Unknown) or the task's timeout (States.Timeout).
      const error = new InjectedCrashError(crash);
      error.name = crash.retry === 'timeout' ? 'States.Timeout' : 'Lambda.Unknown';
      throw error;
    };
    const depsByName = new Map<string, Deps>();
    const depsFor = (name: string): Deps => {
      let deps = depsByName.get(name);
      if (!deps) {
        deps = makeDeps({ env, clock: sim.clock, clients, service: `reciprocity-${name}`, probe });
        depsByName.set(name, deps);
      }
      return deps;
    };
    const deps = depsFor('embedded');
    const load = (name: AnyHandler) => loadHandler(name, depsFor(name), options.handlers);

    const handlers: Record<string, TaskHandler> = {};
    for (const [state, module] of Object.entries(TASK_HANDLER_MODULES)) handlers[state] = await load(module);
    const local = new LocalWorkflow(workflow.asl, handlers);
    const intake = new Map<string, (event: unknown) => Promise<unknown>>();
    for (const [detailType, name] of Object.entries(INTAKE_OF_DETAIL_TYPE))
      intake.set(detailType, await load(name));
    const birthdaySweep = await load('birthday-sweep');
    const inactivitySweep = await load('inactivity-sweep');
    const peerSweep = await load('peer-sweep');
    // An event no rule matches: on AWS it lands in the unrecognized-events queue; here it is kept as rejected.
    const unrouted = async (event: unknown): Promise<void> => {
      const type = (event as { 'detail-type'?: unknown })['detail-type'];
      await deps.stores.rejected.put({
        receivedAt: sim.clock(),
        event,
        error: `detail-type: ${JSON.stringify(type ?? null)} is not an event type Reciprocity handles (expected one of ${Object.keys(INTAKE_OF_DETAIL_TYPE).join(', ')})`,
      });
    };

    run = async (started) => {
      const result = await local.run(started.input, {
        executionArn: started.executionArn,
        name: started.name,
        stateMachineArn: started.stateMachineArn,
      });
      executions.push(executionRecord(result, started));
    };

    // Like EventBridge's async invoke: a handler error does not stop the world; it is recorded.
    // Like Lambda's asynchronous invocation (EventBridge, Scheduler): an error is retried twice, a minute and
    // then two minutes later; after that the event goes to the function's failure queue (here: failures()).
    const invoke = async (
      label: string,
      handler: (event: unknown) => Promise<unknown>,
      event: unknown,
      attempt = 1,
    ): Promise<void> => {
      jobs += 1;
      try {
        await handler(event);
      } catch (error) {
        if (attempt <= ASYNC_RETRIES) {
          asyncRetries += 1;
          const at = new Date(sim.clock().getTime() + attempt * 60_000);
          sim.at(at, `${label} (retry ${attempt})`, () => invoke(label, handler, event, attempt + 1));
          return;
        }
        failures.push({ label, at: sim.clock().toISOString(), ...describeError(error) });
      }
    };
    sim.every('birthday-sweep', 3_600_000, 0, (now) =>
      invoke('birthday-sweep', birthdaySweep, scheduledEvent('birthday-sweep', now)),
    );
    sim.every('inactivity-sweep', 86_400_000, 300_000, (now) =>
      invoke('inactivity-sweep', inactivitySweep, scheduledEvent('inactivity-sweep', now)),
    );
    // Mondays 02:00 UTC (the epoch was a Thursday: four days and two hours into each week).
    sim.every('peer-sweep', 7 * 86_400_000, 4 * 86_400_000 + 7_200_000, (now) =>
      invoke('peer-sweep', peerSweep, scheduledEvent('peer-sweep', now)),
    );
    // DynamoDB TTL, which dynalite lacks: once a simulated day, straight to the tables (TTL deletes are AWS's
    // own, free, and not seen by a metering or fault proxy).
    sim.every('ttl-sweep', 86_400_000, 1_800_000, async (now) => {
      try {
        await sweepExpired(dynamo.client, dynamo.tableNames, now);
      } catch (error) {
        failures.push({ label: 'ttl-sweep', at: now.toISOString(), ...describeError(error) });
      }
    });
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

    const publish = (event: ShopEvent): void => {
      events += 1;
      const envelope = {
        version: '0',
        id: event.id ?? `local-event-${events}`,
        ...event,
        account: LOCAL_ACCOUNT,
        region: LOCAL_REGION,
        resources: [],
      };
      const target = intake.get(String(event['detail-type'])) ?? unrouted;
      sim.at(new Date(event.time), `event ${envelope.id}`, () =>
        invoke(`intake ${envelope.id}`, target, envelope),
      );
    };

    // SES events reach the ses-events function from EventBridge: asynchronously, retried like intake.
    const feedback = await startSesFeedback({
      ...(options.audience ? { audience: options.audience } : {}),
      ...(options.sesEvents ? { sesEvents: options.sesEvents } : {}),
      deps,
      account: LOCAL_ACCOUNT,
      region: LOCAL_REGION,
      load,
      invoke: (label, handler, event) => invoke(label, handler, event),
      at: (time, label, job) => sim.at(time, label, job),
      publish,
      failed: (label, error) =>
        failures.push({ label, at: sim.clock().toISOString(), ...describeError(error) }),
    });
    accepted = (email) => feedback.accepted(email);

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
      deps,
      stores: deps.stores,
      depsFor,
      async invoke(name, event) {
        return (await load(name))(event);
      },
      tableNames: dynamo.tableNames,
      ses,
      scheduler,
      publish,
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
        crashes: crashed,
        asyncRetries,
        dynamodbFaults: dynamoFaults ? dynamoFaults.injected().throttle + dynamoFaults.injected().error : 0,
        ...feedback.stats(),
      }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

type LocalClients = Required<Pick<Clients, 'dynamodb' | 'sesv2' | 'scheduler' | 'sfn'>>;

/**
 * SDK clients pointed at the local stand-ins, with local credentials: built once per runtime. On the memory
 * transport each hands its requests to the stand-in's service in-process, unsigned; the endpoints stay set
 * (the SDK builds its request URL from them) and the clients are otherwise configured as on http.
 */
function localClients(
  env: Readonly<Record<string, string>>,
  transport: Transport,
  services: Record<keyof LocalClients, LocalService>,
): LocalClients {
  const common = {
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const via = (name: keyof LocalClients) => transportConfig(transport, services[name]);
  return {
    // As the functions build theirs (functions/app/build-deps.ts): the middleware resolved once per command.
    dynamodb: new DynamoDBClient({
      ...common,
      endpoint: env.AWS_ENDPOINT_URL_DYNAMODB,
      cacheMiddleware: true,
      ...via('dynamodb'),
    }),
    sesv2: new SESv2Client({
      ...common,
      endpoint: env.AWS_ENDPOINT_URL_SESV2,
      maxAttempts: SES_MAX_ATTEMPTS,
      ...via('sesv2'),
    }),
    scheduler: new SchedulerClient({
      ...common,
      endpoint: env.AWS_ENDPOINT_URL_SCHEDULER,
      ...via('scheduler'),
    }),
    sfn: new SFNClient({ ...common, endpoint: env.AWS_ENDPOINT_URL_SFN, ...via('sfn') }),
  };
}

export { LOCAL_SCHEDULE_GROUP, TASK_HANDLER_MODULES };
