/** Lambda entry of intake of cart.updated (functions/usecases/cart-intake.ts). */
import { lambdaHandler } from '../app/lambda.js';
import { scheduler } from '../app/sdk/scheduler.js';
import { secrets } from '../app/sdk/secrets.js';
import { carts, ledger, profiles, rejected, stats } from '../app/stores.js';
import { cartIntake } from '../usecases/cart-intake.js';

export const handler = lambdaHandler(cartIntake, {
  stores: { carts, ledger, profiles, rejected, stats },
  sdk: { scheduler, secrets },
});
