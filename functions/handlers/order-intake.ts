/** Lambda entry of intake of order.placed (functions/usecases/order-intake.ts). */
import { lambdaHandler } from '../app/lambda.js';
import { scheduler } from '../app/sdk/scheduler.js';
import { secrets } from '../app/sdk/secrets.js';
import { sfn } from '../app/sdk/sfn.js';
import { carts, codes, ledger, products, profiles, rejected, reputation, stats } from '../app/stores.js';
import { orderIntake } from '../usecases/order-intake.js';

export const handler = lambdaHandler(orderIntake, {
  stores: { carts, codes, ledger, products, profiles, rejected, reputation, stats },
  sdk: { scheduler, secrets, sfn },
});
