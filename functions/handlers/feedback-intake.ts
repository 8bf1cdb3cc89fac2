/** Lambda entry of intake of feedback.given (functions/usecases/feedback-intake.ts). */
import { lambdaHandler } from '../app/lambda.js';
import { secrets } from '../app/sdk/secrets.js';
import { feedbackIntake } from '../usecases/feedback-intake.js';

export const handler = lambdaHandler(feedbackIntake, { secrets });
