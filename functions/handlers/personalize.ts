/** Lambda entry of the Personalize workflow step (functions/usecases/personalize.ts). */
import { lambdaHandler } from '../app/lambda.js';
import { secrets } from '../app/sdk/secrets.js';
import { carts, codes, peers, products, profiles, reputation, templates } from '../app/stores.js';
import { personalize } from '../usecases/personalize.js';

export const handler = lambdaHandler(personalize, {
  stores: { carts, codes, peers, products, profiles, reputation, templates },
  sdk: { secrets },
});
