/**
 * Every use case by handler name: the embedded runtime runs them, and test/infra derives each function's
 * expected grants from their `needs`. One entry per HANDLERS name (the type says so).
 */
import type { UseCase } from '../app/lambda.js';
import type { HandlerName } from '../domain/names.js';
import { birthdaySweep } from './birthday-sweep.js';
import { cartIntake } from './cart-intake.js';
import { catalogueIntake } from './catalogue-intake.js';
import { checkConsent } from './check-consent.js';
import { customerHttp } from './customer-http.js';
import { defer } from './defer.js';
import { feedbackIntake } from './feedback-intake.js';
import { inactivitySweep } from './inactivity-sweep.js';
import { orderIntake } from './order-intake.js';
import { peerSweep } from './peer-sweep.js';
import { personalize } from './personalize.js';
import { profileIntake } from './profile-intake.js';
import { record } from './record.js';
import { send } from './send.js';
import { sesEvents } from './ses-events.js';

export const USE_CASES = {
  'profile-intake': profileIntake,
  'cart-intake': cartIntake,
  'order-intake': orderIntake,
  'catalogue-intake': catalogueIntake,
  'feedback-intake': feedbackIntake,
  personalize,
  'check-consent': checkConsent,
  send,
  record,
  defer,
  'birthday-sweep': birthdaySweep,
  'inactivity-sweep': inactivitySweep,
  'peer-sweep': peerSweep,
  'ses-events': sesEvents,
  'customer-http': customerHttp,
  // biome-ignore lint/suspicious/noExplicitAny: each use case has its own input and output types
} satisfies Record<HandlerName, UseCase<any, any>>;
