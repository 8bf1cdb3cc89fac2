/**
 * Local Step Functions endpoint: only StartExecution (awsJson1_0), which is all the handlers call.
 * It enqueues the execution through `onStart` and answers at once, as the asynchronous Express API
 * does; the simulator then runs it at the current simulated instant. Written here because no library
 * offers an in-process, offline Step Functions API (Step Functions Local is a Java/Docker image).
 */
import { LOCAL_ACCOUNT, LOCAL_ARN_REGION } from './synth.js';
import { jsonBody, jsonReply, type LocalReply, type LocalService, serveLocal } from './transport.js';

export interface StartedExecution {
  executionArn: string;
  name: string;
  stateMachineArn: string;
  /** Parsed `input` (Step Functions receives it as a JSON string). */
  input: unknown;
  startDate: Date;
}

export interface SfnServerOptions {
  /** State machines this endpoint knows; others answer StateMachineDoesNotExist. */
  stateMachineArns: readonly string[];
  /** Called for each accepted StartExecution; must only enqueue, never run the execution inline. */
  onStart: (execution: StartedExecution) => void;
  clock?: () => Date;
}

export interface LocalSfnServer {
  readonly endpoint: string;
  /** The endpoint's logic, for the memory transport. */
  readonly service: LocalService;
  /** StartExecution requests accepted. */
  started(): number;
  close(): Promise<void>;
}

const TARGET_PREFIX = 'AWSStepFunctions.';

/** Starts the endpoint on a free port. */
export async function startSfnServer(options: SfnServerOptions): Promise<LocalSfnServer> {
  const clock = options.clock ?? (() => new Date());
  let count = 0;
  const fail = (type: string, message: string): LocalReply =>
    // awsJson1_0 clients read the error name from __type (and from x-amzn-ErrorType).
    jsonReply(400, { __type: `com.amazonaws.sfn#${type}`, message }, type);

  const service: LocalService = async (request) => {
    const target = request.headers['x-amz-target'] ?? '';
    if (request.method !== 'POST' || target !== `${TARGET_PREFIX}StartExecution`) {
      return fail(
        'UnknownOperationException',
        `Operation ${target || request.method} is not emulated locally`,
      );
    }
    const body = jsonBody(request);
    const stateMachineArn = String(body.stateMachineArn ?? '');
    if (!options.stateMachineArns.includes(stateMachineArn)) {
      return fail('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    }
    let input: unknown = {};
    try {
      input = typeof body.input === 'string' ? JSON.parse(body.input) : {};
    } catch {
      return fail('InvalidExecutionInput', 'Invalid State Machine Execution Input');
    }
    count += 1;
    // Express executions need no unique name; a counter keeps generated names deterministic.
    const name = typeof body.name === 'string' ? body.name : `local-${String(count).padStart(6, '0')}`;
    const machineName = stateMachineArn.split(':').pop() ?? 'machine';
    const executionArn = `arn:aws:states:${LOCAL_ARN_REGION}:${LOCAL_ACCOUNT}:express:${machineName}:${name}:${count}`;
    const startDate = clock();
    options.onStart({ executionArn, name, stateMachineArn, input, startDate });
    return jsonReply(200, { executionArn, startDate: startDate.getTime() / 1000 });
  };

  const server = await serveLocal(service);
  return { endpoint: server.endpoint, service, started: () => count, close: server.close };
}
