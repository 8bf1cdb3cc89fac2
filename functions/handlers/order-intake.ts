/** Lambda entry of intake of order.placed (functions/usecases/order-intake.ts). */
import { lambdaHandler } from '../app/lambda.js';
import { scheduler } from '../app/sdk/scheduler.js';
import { secrets } from '../app/sdk/secrets.js';
import { sfn } from '../app/sdk/sfn.js';
import { orderIntake } from '../usecases/order-intake.js';

export const handler = lambdaHandler(orderIntake, { scheduler, secrets, sfn });
