/**
 * The use cases the embedded runtime runs, by handler name, and the EventBridge envelopes it hands them.
 * They run as on Lambda: the same middy stack (logger, input schema, error contract) over Deps the runtime
 * builds (local clients, the simulated clock), never through process.env.
 */
import { randomUUID } from 'node:crypto';
import type { Deps } from '../functions/app/deps.js';
import { type LambdaLike, toHandler, type UseCase } from '../functions/app/lambda.js';
import { type HandlerName as AnyHandler, STATES } from '../functions/domain/names.js';
import { LOCAL_ACCOUNT } from './synth.js';

/** A handler as the runtime calls it; an override gets the runtime's Deps (tests, instrumentation). */
export type Handler = (event: unknown, deps: Deps) => Promise<unknown>;

/** The handlers the embedded runtime runs (the customer endpoint and SES feedback are driven by callers). */
export type HandlerName = Exclude<AnyHandler, 'ses-events' | 'customer-http'>;

/** Which handler serves which Task state of the workflow. */
export const TASK_HANDLER_MODULES: Record<string, HandlerName> = {
  [STATES.personalize]: 'personalize',
  [STATES.checkConsent]: 'check-consent',
  [STATES.send]: 'send',
  [STATES.captureFeedback]: 'record',
  [STATES.recordSkip]: 'record',
  [STATES.recordFailure]: 'record',
  [STATES.defer]: 'defer',
  [STATES.rescheduleThrottled]: 'defer',
};

/** The use case behind each handler (loaded on demand: the registry pulls in every handler's code). */
export async function useCaseOf(name: AnyHandler): Promise<UseCase<unknown, unknown>> {
  const { USE_CASES } = await import('../functions/usecases/index.js');
  const found = (USE_CASES as Partial<Record<AnyHandler, UseCase<unknown, unknown>>>)[name];
  if (!found) throw new Error(`No use case is registered for handler ${name} (functions/usecases/index.ts)`);
  return found;
}

/** What Lambda hands a handler besides the event; a fresh request id per invocation, as on AWS. */
function lambdaContext(name: string) {
  return {
    functionName: `reciprocity-${name}`,
    functionVersion: '$LATEST',
    awsRequestId: randomUUID(),
    invokedFunctionArn: `arn:aws:lambda:us-east-1:${LOCAL_ACCOUNT}:function:reciprocity-${name}`,
    memoryLimitInMB: '256',
  };
}

/** The handler the runtime calls: the override if one is given, else the use case in its middy stack. */
export async function loadHandler(
  name: AnyHandler,
  deps: Deps,
  overrides?: Partial<Record<AnyHandler, Handler>>,
): Promise<(event: unknown) => Promise<unknown>> {
  const override = overrides?.[name];
  if (override) return (event) => override(event, deps);
  const handler: LambdaLike<unknown> = toHandler(await useCaseOf(name), deps);
  return (event) => handler(event, lambdaContext(name));
}

export const LOCAL_REGION = 'us-east-1';

/** EventBridge's time format: seconds precision. */
export const eventTime = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The event an EventBridge schedule rule delivers. */
export function scheduledEvent(rule: string, now: Date): Record<string, unknown> {
  return {
    version: '0',
    id: `local-${rule}-${eventTime(now)}`,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: LOCAL_ACCOUNT,
    time: eventTime(now),
    region: LOCAL_REGION,
    resources: [`arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:rule/${rule}`],
    detail: {},
  };
}
