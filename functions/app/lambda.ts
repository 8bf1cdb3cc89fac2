/**
 * Use cases and the Lambda handlers around them. A use case is a plain function `(deps, input) => result`
 * with the list of what it needs and the schema of its input; `toHandler` wraps it in middy with the
 * Powertools logger, Standard Schema parsing at the boundary and the error contract; `lambdaHandler` does the
 * same with Deps built from the function's environment at module load (fail fast).
 */
import { randomUUID } from 'node:crypto';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Context } from 'aws-lambda';
import { InvalidInputError, RETRYABLE_ERRORS, TransientError } from '../domain/errors.js';
import type { HandlerName } from '../domain/names.js';
import { buildDeps, type Deps, type Modules, type Need } from './build-deps.js';

export interface UseCase<I, O> {
  /** The handler file (functions/handlers/<name>.ts) and function that run it. */
  readonly name: HandlerName;
  /** What it uses: checked when Deps are built, and the source of the function's grants. */
  readonly needs: readonly Need[];
  /** Validates the input at the boundary; a failure is an InvalidInputError (never retried). */
  readonly input?: StandardSchemaV1<unknown, I>;
  run(deps: Deps, input: I, invocation: Invocation): Promise<O>;
}

/** About the invocation running the use case. */
export interface Invocation {
  /** Lambda's request id: different for every attempt, a retry included. */
  readonly requestId: string;
}

/** Declares a use case (types flow from the schema into `run`). */
export function useCase<I, O>(definition: UseCase<I, O>): UseCase<I, O> {
  return definition;
}

export type LambdaLike<O> = (event: unknown, context?: Partial<Context>) => Promise<O>;

/** The use case as a middy handler over the given Deps: what Lambda runs, and what embedded mode calls. */
export function toHandler<I, O>(uc: UseCase<I, O>, deps: Deps): LambdaLike<O> {
  const handler = middy<unknown, O>()
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .use(errorContract(deps))
    .use(flushMetrics(deps))
    .handler(async (event: unknown, context: Context) =>
      uc.run(deps, await parseInput(uc, event), { requestId: context.awsRequestId ?? randomUUID() }),
    );
  return (event, context) => handler(event, (context ?? {}) as Context);
}

/**
 * The Lambda entry: Deps from this function's environment, built once per container and checked now. `modules`
 * holds the SDK modules (functions/app/sdk/) and store factories (functions/app/stores.ts) the use case's
 * needs use, and only those: the entry file imports them, so the function loads and bundles no other client
 * or store adapter. One missing for a need fails here, at module load.
 */
export function lambdaHandler<I, O>(uc: UseCase<I, O>, modules: Modules): LambdaLike<O> {
  const deps = buildDeps({ env: process.env, needs: uc.needs, service: `reciprocity-${uc.name}` }, modules);
  return toHandler(uc, deps);
}

async function parseInput<I, O>(uc: UseCase<I, O>, event: unknown): Promise<I> {
  if (!uc.input) return event as I;
  const result = await uc.input['~standard'].validate(event);
  if (result.issues) {
    const detail = result.issues
      .slice(0, 5)
      .map(
        (issue) =>
          `${issue.path?.map((p) => (typeof p === 'object' ? p.key : p)).join('.') || '(input)'}: ${issue.message}`,
      )
      .join('; ');
    throw new InvalidInputError(`${uc.name} input rejected: ${detail}`);
  }
  return result.value;
}

/**
 * The contract with the state machine and with EventBridge: retryable errors are thrown under a name the
 * Retry lists (TransientError, SesThrottledError); everything else keeps its name and is caught and recorded
 * (permanent outcomes are returned as data by the use cases themselves, never thrown).
 */
function errorContract(deps: Deps): middy.MiddlewareObj<unknown, unknown> {
  return {
    onError: (request) => {
      const error = request.error;
      const mapped = asContractError(error);
      if (mapped !== error) request.error = mapped as Error;
      deps.logger.error('Handler failed', { error: mapped });
    },
  };
}

/** Journey metrics counted during the invocation are published once at its end, whether it failed or not. */
function flushMetrics(deps: Deps): middy.MiddlewareObj<unknown, unknown> {
  const flush = () => deps.metrics.flush();
  return { after: flush, onError: flush };
}

const AWS_RETRYABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'InternalServerError',
  'InternalServerErrorException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TransactionConflictException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

/**
 * Maps an AWS SDK error that the SDK's own retries did not cure (throttling, 5xx, a dropped connection) to
 * TransientError, so the state machine retries it instead of recording a permanent failure.
 */
export function asContractError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  if ((RETRYABLE_ERRORS as readonly string[]).includes(error.name)) return error;
  const e = error as Error & { code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  const status = e.$metadata?.httpStatusCode;
  const retryable =
    AWS_RETRYABLE.has(e.name) ||
    (status !== undefined && status >= 500) ||
    status === 429 ||
    (e.code !== undefined && NETWORK_CODES.has(e.code)) ||
    e.$retryable !== undefined;
  return retryable ? new TransientError(`${e.name}: ${e.message}`, { cause: error }) : error;
}

/**
 * Runs `write` again after errors the error contract calls transient (throttling, 5xx, a dropped connection),
 * up to `attempts` times with doubling waits: for the one write that must not be lost once SES accepted an
 * email. Other errors, and the last transient one, are thrown.
 */
export async function afterTransientErrors<T>(
  write: () => Promise<T>,
  { attempts = 4, firstWaitMs = 100 }: { attempts?: number; firstWaitMs?: number } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts || !(asContractError(error) instanceof TransientError)) throw error;
      await new Promise((resolve) => setTimeout(resolve, firstWaitMs * 2 ** (attempt - 1)));
    }
  }
}
