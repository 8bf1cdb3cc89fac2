/** Lambda entry of the hourly birthday sweep (functions/usecases/birthday-sweep.ts). */
import { lambdaHandler } from '../app/lambda.js';
import { sfn } from '../app/sdk/sfn.js';
import { profileIndexes, profiles } from '../app/stores.js';
import { birthdaySweep } from '../usecases/birthday-sweep.js';

export const handler = lambdaHandler(birthdaySweep, { stores: { profiles, profileIndexes }, sdk: { sfn } });
