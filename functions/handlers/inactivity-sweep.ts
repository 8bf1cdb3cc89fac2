/** Lambda entry of the daily win-back sweep (functions/usecases/inactivity-sweep.ts). */
import { lambdaHandler } from '../app/lambda.js';
import { scheduler } from '../app/sdk/scheduler.js';
import { sfn } from '../app/sdk/sfn.js';
import { profileIndexes, profiles } from '../app/stores.js';
import { inactivitySweep } from '../usecases/inactivity-sweep.js';

export const handler = lambdaHandler(inactivitySweep, {
  stores: { profiles, profileIndexes },
  sdk: { scheduler, sfn },
});
