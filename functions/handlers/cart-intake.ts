/** Lambda entry of intake of cart.updated (functions/usecases/cart-intake.ts). */
import { lambdaHandler } from '../app/lambda.js';
import { cartIntake } from '../usecases/cart-intake.js';

export const handler = lambdaHandler(cartIntake);
