/** Lambda entry of intake of customer.upserted and customer.activity (functions/usecases/profile-intake.ts). */
import { lambdaHandler } from '../app/lambda.js';
import { secrets } from '../app/sdk/secrets.js';
import { profiles, rejected } from '../app/stores.js';
import { profileIntake } from '../usecases/profile-intake.js';

export const handler = lambdaHandler(profileIntake, { stores: { profiles, rejected }, sdk: { secrets } });
