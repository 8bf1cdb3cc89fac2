/** Secrets Manager for the `linkKeys` need, when the keys are not given inline (see Sdk in ../build-deps.ts). */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Sdk } from '../build-deps.js';

export const secrets: NonNullable<Sdk['secrets']> = {
  reader: (config, client) => {
    const secretsManager = client ?? new SecretsManagerClient(config);
    return async (secretId) =>
      (await secretsManager.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
  },
};
