import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { documentClient } from '../../../functions/adapters/dynamo.js';
import { LedgerStore } from '../../../functions/adapters/ledger.js';

const ddb = mockClient(DynamoDBDocumentClient);
const base = {
  messageId: 'm1',
  customerId: 'c1',
  journey: 'birthday' as const,
  triggerKey: 'birthday:c1:2026',
};

function conditionFailed() {
  return Object.assign(new Error('The conditional request failed'), {
    name: 'ConditionalCheckFailedException',
  });
}

describe('Class: LedgerStore', () => {
  afterEach(() => ddb.reset());
  const store = () =>
    new LedgerStore(documentClient(new DynamoDBClient({ region: 'us-east-1' })), 'messages');

  it('claims a message only if it is new, deferred or throttled', async () => {
    // Prepare
    ddb.on(UpdateCommand).resolves({});
    // Act
    const claimed = await store().decide(base, 'sending', '2026-11-25T10:00:00.000Z', {
      templateVersion: 'v000001',
    });
    // Assess
    expect(claimed).toBe(true);
    const input = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toBe('attribute_not_exists(messageId) OR #d IN (:from0, :from1)');
    expect(input.ExpressionAttributeValues).toMatchObject({
      ':d': 'sending',
      ':from0': 'deferred',
      ':from1': 'throttled',
    });
  });

  it('marks sent only over its own claim, or to settle an unknown outcome', async () => {
    ddb.on(UpdateCommand).resolves({});
    await store().decide(
      base,
      'sent',
      '2026-11-25T10:00:00.000Z',
      { sesMessageId: 'ses-1' },
      { claim: 'exec-1#req-1' },
    );
    const input = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toBe('#d IN (:from0) OR (#d IN (:own0) AND #claim = :claimToken)');
    expect(input.ExpressionAttributeValues).toMatchObject({
      ':from0': 'unknown',
      ':own0': 'sending',
      ':claimToken': 'exec-1#req-1',
      ':sesMessageId': 'ses-1',
    });
  });

  it('stores the claim token and its time with a sending claim, only over an unclaimed message', async () => {
    ddb.on(UpdateCommand).resolves({});
    await store().decide(base, 'sending', '2026-11-25T10:00:00.000Z', {}, { claim: 'exec-1#req-1' });
    const input = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toBe('attribute_not_exists(messageId) OR #d IN (:from0, :from1)');
    expect(input.ExpressionAttributeValues).toMatchObject({
      ':from0': 'deferred',
      ':from1': 'throttled',
      ':claim': 'exec-1#req-1',
      ':claimedAt': '2026-11-25T10:00:00.000Z',
    });
  });

  it('throws IllegalTransitionError when a claim holder cannot record its outcome (the claim was lost)', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    await expect(
      store().decide(base, 'sent', '2026-11-25T10:00:00.000Z', {}, { claim: 'exec#1', required: true }),
    ).rejects.toMatchObject({ name: 'IllegalTransitionError', to: 'sent' });
  });

  it('never writes a skip over a claim it does not hold', async () => {
    ddb.on(UpdateCommand).resolves({});
    await store().decide(base, 'skipped', '2026-11-25T10:00:00.000Z', { reason: 'capped_daily' });
    const input = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).not.toContain('own');
    expect(Object.values(input.ExpressionAttributeValues ?? {})).not.toContain('sending');
  });

  it('answers false when another decision already stands (a duplicate)', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    expect(await store().decide(base, 'sending', '2026-11-25T10:00:00.000Z')).toBe(false);
    expect(
      await store().decide(base, 'skipped', '2026-11-25T10:00:00.000Z', { reason: 'capped_daily' }),
    ).toBe(false);
  });

  it('never lets a skip, a cancel or a deferral overwrite a sent message', async () => {
    ddb.on(UpdateCommand).resolves({});
    for (const decision of ['skipped', 'cancelled', 'deferred', 'failed'] as const) {
      await store().decide(base, decision, '2026-11-25T10:00:00.000Z');
    }
    for (const call of ddb.commandCalls(UpdateCommand)) {
      const values = Object.entries(call.args[0].input.ExpressionAttributeValues ?? {})
        .filter(([k]) => k.startsWith(':from'))
        .map(([, v]) => v);
      expect(values).not.toContain('sent');
    }
  });
});
