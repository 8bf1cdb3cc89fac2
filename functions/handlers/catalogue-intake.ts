/** Lambda entry of intake of product.upserted (functions/usecases/catalogue-intake.ts). */
import { lambdaHandler } from '../app/lambda.js';
import { products, rejected } from '../app/stores.js';
import { catalogueIntake } from '../usecases/catalogue-intake.js';

export const handler = lambdaHandler(catalogueIntake, { stores: { products, rejected } });
