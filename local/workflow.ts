/**
 * Runs a state machine's ASL in-process with aws-local-stepfunctions, each Lambda Task state served by a
 * local handler function (keyed by STATE NAME, as the library requires). The wrapper reproduces what the
 * Step Functions Lambda integration does around a handler, so the synthesized ASL runs unchanged:
 * `arn:aws:states:::lambda:invoke` gets `Parameters.Payload` and returns `{ Payload, StatusCode, ... }`;
 * results go through JSON like a real invoke; a thrown error keeps its `name` (the ErrorEquals match)
 * and its Cause is the `{ errorType, errorMessage, trace }` JSON that Lambda reports.
 *
 * Simulated time: retries and Wait states take 0 ms (the simulator, not the wall clock, moves time).
 */
import './polyfills.js';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { MissingTaskHandlerError } from './errors.js';

/** The library's JSON type, which it does not export. */
type JsonValue = Parameters<StateMachine['run']>[0];

export type TaskHandler = (input: unknown) => Promise<unknown>;

export interface WorkflowRun {
  status: 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  error?: { error: string; cause: string };
  /** State names in the order they were entered (a retry does not re-enter). */
  statesEntered: string[];
  /** States entered plus retries: what Step Functions Standard bills as transitions. */
  transitions: number;
  retries: number;
  /** Calls of local task handlers, retries included. */
  taskInvocations: number;
  /** Errors thrown by task handlers, in order, with the state that threw them. */
  taskErrors: { state: string; error: unknown }[];
}

export interface RunOptions {
  /** Context object fields ($$.Execution.Id/Name, $$.StateMachine.Id/Name). */
  executionArn?: string;
  name?: string;
  stateMachineArn?: string;
}

type AslState = {
  Type: string;
  Resource?: string;
  Retry?: unknown[];
  Branches?: AslMachine[];
  Iterator?: AslMachine;
  ItemProcessor?: AslMachine;
};
type AslMachine = { States: Record<string, AslState> };

/** Every state of a machine, nested Parallel branches and Map processors included. */
export function allStates(machine: AslMachine): [string, AslState][] {
  return Object.entries(machine.States).flatMap(([name, state]) => {
    const nested = [...(state.Branches ?? []), state.Iterator, state.ItemProcessor].filter(
      (child): child is AslMachine => child !== undefined,
    );
    return [[name, state] as [string, AslState], ...nested.flatMap(allStates)];
  });
}

export class LocalWorkflow {
  private readonly machine: StateMachine;
  private readonly states: Map<string, AslState>;
  private readonly retryOverrides: Record<string, number>;
  private readonly waitOverrides: Record<string, number>;

  /** Throws MissingTaskHandlerError if a Task state has no handler (it would call real Lambda). */
  constructor(
    readonly asl: Record<string, unknown>,
    private readonly handlers: Record<string, TaskHandler>,
  ) {
    const states = allStates(asl as AslMachine);
    this.states = new Map(states);
    const missing = states.filter(([name, s]) => s.Type === 'Task' && !handlers[name]).map(([name]) => name);
    if (missing.length > 0) throw new MissingTaskHandlerError(missing);
    const zeroFor = (pick: (s: AslState) => boolean): Record<string, number> =>
      Object.fromEntries(states.filter(([, s]) => pick(s)).map(([name]) => [name, 0]));
    this.retryOverrides = zeroFor((s) => Array.isArray(s.Retry) && s.Retry.length > 0);
    this.waitOverrides = zeroFor((s) => s.Type === 'Wait');
    this.machine = new StateMachine(asl as unknown as StateMachineDefinition);
  }

  /** Runs one execution to completion. A failed execution is returned, not thrown. */
  async run(input: unknown, options: RunOptions = {}): Promise<WorkflowRun> {
    const taskErrors: WorkflowRun['taskErrors'] = [];
    let taskInvocations = 0;
    const localHandlers = Object.fromEntries(
      [...this.states]
        .filter(([, state]) => state.Type === 'Task')
        .map(([name, state]) => {
          const handler = this.handlers[name]!;
          const invoke = async (taskInput: unknown): Promise<JsonValue> => {
            taskInvocations += 1;
            try {
              return (await invokeLikeLambda(state.Resource ?? '', handler, taskInput)) as JsonValue;
            } catch (error) {
              taskErrors.push({ state: name, error });
              throw asLambdaError(error);
            }
          };
          return [name, invoke];
        }),
    );
    const execution = this.machine.run(toJson(input) as JsonValue, {
      overrides: {
        taskResourceLocalHandlers: localHandlers,
        retryIntervalOverrides: this.retryOverrides,
        waitTimeOverrides: this.waitOverrides,
      },
      context: {
        Execution: { Id: options.executionArn, Name: options.name },
        StateMachine: { Id: options.stateMachineArn },
      },
    });
    const statesEntered: string[] = [];
    let retries = 0;
    let error: WorkflowRun['error'];
    const logged = (async () => {
      for await (const event of execution.eventLogs) {
        if (event.type === 'StateEntered') statesEntered.push(event.state.name);
        else if (event.type === 'StateRetried') retries += 1;
        else if (event.type === 'ExecutionFailed') error = { error: event.Error, cause: String(event.Cause) };
      }
    })();
    let output: unknown;
    let status: WorkflowRun['status'] = 'SUCCEEDED';
    try {
      output = await execution.result;
    } catch (thrown) {
      status = 'FAILED';
      error ??= { error: 'States.Runtime', cause: String(thrown) };
    }
    await logged;
    return {
      status,
      ...(status === 'SUCCEEDED' ? { output } : { error }),
      statesEntered,
      transitions: statesEntered.length + retries,
      retries,
      taskInvocations,
      taskErrors,
    };
  }
}

async function invokeLikeLambda(resource: string, handler: TaskHandler, input: unknown): Promise<unknown> {
  if (resource.startsWith('arn:aws:states:::lambda:invoke')) {
    const payload = (input as { Payload?: unknown } | null)?.Payload;
    const result = toJson(await handler(toJson(payload ?? {})));
    return {
      ExecutedVersion: '$LATEST',
      Payload: result,
      StatusCode: 200,
      SdkHttpMetadata: { HttpStatusCode: 200 },
    };
  }
  return toJson(await handler(toJson(input)));
}

/** A real invoke serializes through JSON: Dates become strings, undefined disappears. */
function toJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

/** The error Step Functions sees from a failed Lambda: same name, Cause is Lambda's error JSON. */
function asLambdaError(error: unknown): Error {
  const original = error instanceof Error ? error : new Error(String(error));
  const cause = JSON.stringify({
    errorType: original.name,
    errorMessage: original.message,
    trace: (original.stack ?? '').split('\n'),
  });
  const lambdaError = new Error(cause);
  lambdaError.name = original.name;
  return lambdaError;
}
