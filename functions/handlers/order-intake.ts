/** Lambda entry of intake of order.placed (functions/usecases/order-intake.ts). */
import { lambdaHandler } from '../app/lambda.js';
import { orderIntake } from '../usecases/order-intake.js';

export const handler = lambdaHandler(orderIntake);
