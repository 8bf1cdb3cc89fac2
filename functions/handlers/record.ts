/** Lambda entry of the CaptureFeedback, RecordSkip and RecordFailure workflow steps (functions/usecases/record.ts). */
import { lambdaHandler } from '../app/lambda.js';
import { record } from '../usecases/record.js';

export const handler = lambdaHandler(record);
