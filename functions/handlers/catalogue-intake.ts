/** Lambda entry of intake of product.upserted (functions/usecases/catalogue-intake.ts). */
import { lambdaHandler } from '../app/lambda.js';
import { catalogueIntake } from '../usecases/catalogue-intake.js';

export const handler = lambdaHandler(catalogueIntake);
