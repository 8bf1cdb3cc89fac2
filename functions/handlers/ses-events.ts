/** Lambda entry of the SES event feedback (functions/usecases/ses-events.ts). */
import { lambdaHandler } from '../app/lambda.js';
import { ledger, profiles, reputation, stats } from '../app/stores.js';
import { sesEvents } from '../usecases/ses-events.js';

export const handler = lambdaHandler(sesEvents, { stores: { ledger, profiles, reputation, stats } });
