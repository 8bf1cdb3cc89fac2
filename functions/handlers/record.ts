/** Lambda entry of the CaptureFeedback, RecordSkip and RecordFailure workflow steps (functions/usecases/record.ts). */
import { lambdaHandler } from '../app/lambda.js';
import { codes, ledger, rejected, reputation, stats } from '../app/stores.js';
import { record } from '../usecases/record.js';

export const handler = lambdaHandler(record, { stores: { codes, ledger, rejected, reputation, stats } });
