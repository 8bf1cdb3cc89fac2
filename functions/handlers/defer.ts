/** Lambda entry of the Defer workflow step (functions/usecases/defer.ts). */
import { lambdaHandler } from '../app/lambda.js';
import { scheduler } from '../app/sdk/scheduler.js';
import { ledger, stats } from '../app/stores.js';
import { defer } from '../usecases/defer.js';

export const handler = lambdaHandler(defer, { stores: { ledger, stats }, sdk: { scheduler } });
