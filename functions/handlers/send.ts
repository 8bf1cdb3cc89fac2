/** Lambda entry of the Send workflow step (functions/usecases/send.ts). */
import { lambdaHandler } from '../app/lambda.js';
import { send } from '../usecases/send.js';

export const handler = lambdaHandler(send);
