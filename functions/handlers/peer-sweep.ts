/** Lambda entry of the weekly "shoppers like you" sweep (functions/usecases/peer-sweep.ts). */
import { lambdaHandler } from '../app/lambda.js';
import { peers } from '../app/stores.js';
import { peerSweep } from '../usecases/peer-sweep.js';

export const handler = lambdaHandler(peerSweep, { stores: { peers } });
