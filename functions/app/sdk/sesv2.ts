/** SES v2 for the `sender` need (see Sdk in ../build-deps.ts). */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SesSender } from '../../adapters/sender.js';
import { type ClientConfig, type Sdk, SES_MAX_ATTEMPTS } from '../build-deps.js';

export const sesv2: NonNullable<Sdk['sesv2']> = {
  sender: (config: ClientConfig, client?: SESv2Client) =>
    new SesSender(client ?? new SESv2Client({ ...config, maxAttempts: SES_MAX_ATTEMPTS })),
};
