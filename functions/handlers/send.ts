/** Lambda entry of the Send workflow step (functions/usecases/send.ts). */
import { lambdaHandler } from '../app/lambda.js';
import { sesv2 } from '../app/sdk/sesv2.js';
import { codes, ledger, profiles, stats } from '../app/stores.js';
import { send } from '../usecases/send.js';

export const handler = lambdaHandler(send, { stores: { codes, ledger, profiles, stats }, sdk: { sesv2 } });
