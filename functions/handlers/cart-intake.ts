/** Lambda entry of intake of cart.updated (functions/usecases/cart-intake.ts). */
import { lambdaHandler } from '../app/lambda.js';
import { scheduler } from '../app/sdk/scheduler.js';
import { secrets } from '../app/sdk/secrets.js';
import { cartIntake } from '../usecases/cart-intake.js';

export const handler = lambdaHandler(cartIntake, { scheduler, secrets });
