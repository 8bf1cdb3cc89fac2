/** Lambda entry of the CheckConsent workflow step (functions/usecases/check-consent.ts). */
import { lambdaHandler } from '../app/lambda.js';
import { profiles, reputation } from '../app/stores.js';
import { checkConsent } from '../usecases/check-consent.js';

export const handler = lambdaHandler(checkConsent, { stores: { profiles, reputation } });
