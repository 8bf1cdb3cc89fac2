/** Every use case by handler name: the embedded runtime runs them, the infra test derives grants from them. */
import type { UseCase } from '../app/lambda.js';
import type { HandlerName } from '../domain/names.js';
import { checkConsent } from './check-consent.js';
import { defer } from './defer.js';
import { personalize } from './personalize.js';
import { record } from './record.js';
import { send } from './send.js';

// biome-ignore lint/suspicious/noExplicitAny: each use case has its own input and output types
export const USE_CASES: Partial<Record<HandlerName, UseCase<any, any>>> = {
  personalize,
  'check-consent': checkConsent,
  send,
  record,
  defer,
};
