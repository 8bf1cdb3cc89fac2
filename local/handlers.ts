/** The Lambda handlers the embedded runtime runs, and the EventBridge envelopes it hands them. */
import { type HandlerName as AnyHandler, STATES } from '../functions/domain/names.js';
import { LOCAL_ACCOUNT } from './synth.js';

export type Handler = (event: unknown) => Promise<unknown>;

/** The handlers the embedded runtime runs (the customer endpoint and SES feedback are driven by tests). */
export type HandlerName = Exclude<AnyHandler, 'ses-events' | 'customer-http'>;

/** Which handler module serves which Task state of the workflow. */
export const TASK_HANDLER_MODULES: Record<string, HandlerName> = {
  [STATES.personalize]: 'personalize',
  [STATES.checkConsent]: 'check-consent',
  [STATES.send]: 'send',
  [STATES.captureFeedback]: 'record',
  [STATES.recordSkip]: 'record',
  [STATES.recordFailure]: 'record',
  [STATES.defer]: 'defer',
};

// Imported only after process.env points at the local servers: handlers read it at module load.
const HANDLER_IMPORTS: Record<HandlerName, () => Promise<unknown>> = {
  ingest: () => import('../functions/handlers/ingest.js'),
  personalize: () => import('../functions/handlers/personalize.js'),
  'check-consent': () => import('../functions/handlers/check-consent.js'),
  send: () => import('../functions/handlers/send.js'),
  record: () => import('../functions/handlers/record.js'),
  defer: () => import('../functions/handlers/defer.js'),
  'birthday-sweep': () => import('../functions/handlers/birthday-sweep.js'),
  'inactivity-sweep': () => import('../functions/handlers/inactivity-sweep.js'),
};

/** The override if one is given, else the real module's `handler`. */
export async function loadHandler(
  name: HandlerName,
  overrides?: Partial<Record<HandlerName, Handler>>,
): Promise<Handler> {
  const override = overrides?.[name];
  if (override) return override;
  return ((await HANDLER_IMPORTS[name]()) as { handler: Handler }).handler;
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
