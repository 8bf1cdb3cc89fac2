/** Lambda entry of intake of feedback.given (functions/usecases/feedback-intake.ts). */
import { lambdaHandler } from '../app/lambda.js';
import { secrets } from '../app/sdk/secrets.js';
import { ledger, products, profiles, rejected, stats } from '../app/stores.js';
import { feedbackIntake } from '../usecases/feedback-intake.js';

export const handler = lambdaHandler(feedbackIntake, {
  stores: { ledger, products, profiles, rejected, stats },
  sdk: { secrets },
});
