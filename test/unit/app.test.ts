import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { KEYS_REFRESH_MIN_MS, makeDeps } from '../../functions/app/deps.js';
import { afterTransientErrors, asContractError, toHandler, useCase } from '../../functions/app/lambda.js';

describe('Function: makeDeps', () => {
  it('fails at once, naming every missing setting, when a use case needs what the function was not given', () => {
    expect(() => makeDeps({ env: {}, needs: ['ledger', 'profiles:read', 'scheduler'] })).toThrow(
      /Missing settings: MESSAGES_TABLE, PROFILES_TABLE, SCHEDULE_GROUP, STATE_MACHINE_ARN, SCHEDULER_ROLE_ARN/,
    );
  });

  it('reads its settings from the record it is given, never from process.env', () => {
    const deps = makeDeps({
      env: { RECIPROCITY_CONFIG: '{"cartDelayMinutes":5}', MESSAGES_TABLE: 't' },
      needs: ['ledger'],
      clock: () => new Date('2030-01-01T00:00:00Z'),
    });
    expect(deps.config.cartDelayMinutes).toBe(5);
    expect(deps.clock().toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(() => deps.stores.carts).toThrow(/CARTS_TABLE is not set/);
  });
});

describe('Function: makeDeps, link keys from Secrets Manager', () => {
  it('refreshes for an unknown key id at most once a minute, so made-up tokens cannot each cost a fetch', async () => {
    // Prepare: the secret holds k1; later it also holds k2 (a rotation)
    const secrets = mockClient(SecretsManagerClient);
    const k1 = { current: 'k1', keys: { k1: 'a'.repeat(32) } };
    const k2 = { current: 'k2', keys: { ...k1.keys, k2: 'b'.repeat(32) } };
    secrets
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: JSON.stringify(k1) })
      .resolves({ SecretString: JSON.stringify(k2) });
    let wall = 1_000_000;
    const deps = makeDeps({
      env: { LINK_KEYS_PARAMETER: 'arn:secret', AWS_REGION: 'us-east-1' },
      needs: ['linkKeys'],
      clients: { secrets: new SecretsManagerClient({ region: 'us-east-1' }) },
      wallClock: () => wall,
    });
    // Act and assess
    expect((await deps.linkKeys()).current).toBe('k1');
    for (const kid of ['forged-1', 'forged-2', 'k2']) await deps.linkKeys({ refreshFor: kid });
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    wall += KEYS_REFRESH_MIN_MS;
    expect((await deps.linkKeys({ refreshFor: 'k2' })).current).toBe('k2');
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    // Known now: no fetch for k2, and a forged id within the minute costs nothing either
    await deps.linkKeys({ refreshFor: 'k2' });
    await deps.linkKeys({ refreshFor: 'forged-3' });
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    secrets.restore();
  });
});

describe('Function: asContractError', () => {
  const sdkError = (name: string, status?: number, code?: string) =>
    Object.assign(new Error(name), {
      name,
      ...(code ? { code } : {}),
      $metadata: { httpStatusCode: status },
    });

  it('calls throttling, 5xx and dropped connections transient, so the state machine retries them', () => {
    for (const error of [
      sdkError('ProvisionedThroughputExceededException', 400),
      sdkError('ThrottlingException', 400),
      sdkError('InternalServerError', 500),
      sdkError('Error', undefined, 'ECONNRESET'),
    ])
      expect(asContractError(error)).toMatchObject({ name: 'TransientError' });
  });

  it('keeps the name of everything else (a bad request, a condition, our own named errors)', () => {
    const condition = sdkError('ConditionalCheckFailedException', 400);
    expect(asContractError(condition)).toBe(condition);
    const invalid = Object.assign(new Error('x'), { name: 'InvalidInputError' });
    expect(asContractError(invalid)).toBe(invalid);
  });
});

describe('Function: toHandler', () => {
  const echo = useCase({
    name: 'record',
    needs: [],
    input: z.object({ n: z.number() }),
    run: async (_deps, input, invocation) => ({ doubled: input.n * 2, requestId: invocation.requestId }),
  });
  const deps = makeDeps({ env: { POWERTOOLS_LOG_LEVEL: 'SILENT' } });

  it('parses the input at the boundary and passes the request id of the invocation', async () => {
    expect(await toHandler(echo, deps)({ n: 2 }, { awsRequestId: 'req-1' })).toEqual({
      doubled: 4,
      requestId: 'req-1',
    });
  });

  it('refuses input that does not fit with an InvalidInputError naming the field', async () => {
    await expect(toHandler(echo, deps)({ n: 'two' })).rejects.toMatchObject({
      name: 'InvalidInputError',
      message: expect.stringMatching(/record input rejected: n: /),
    });
  });
});

describe('Function: afterTransientErrors', () => {
  it('tries a transient failure again, and gives up on anything else at once', async () => {
    let calls = 0;
    const flaky = () => {
      calls++;
      if (calls < 3)
        return Promise.reject(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
      return Promise.resolve('written');
    };
    expect(await afterTransientErrors(flaky, { firstWaitMs: 1 })).toBe('written');
    expect(calls).toBe(3);
    const broken = () => Promise.reject(Object.assign(new Error('no'), { name: 'ValidationException' }));
    await expect(afterTransientErrors(broken, { firstWaitMs: 1 })).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });
});
