/** Lambda entry of the customer endpoints behind the function URL (functions/usecases/customer-http.ts). */
import { lambdaHandler } from '../app/lambda.js';
import { secrets } from '../app/sdk/secrets.js';
import { carts, ledger, peers, products, profiles, stats } from '../app/stores.js';
import { customerHttp } from '../usecases/customer-http.js';

export const handler = lambdaHandler(customerHttp, {
  stores: { carts, ledger, peers, products, profiles, stats },
  sdk: { secrets },
});
