import {
  ConflictException,
  CreateScheduleCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageScheduler } from '../../../functions/adapters/scheduler.js';
import { messageRequest } from '../../../functions/domain/ids.js';

const scheduler = mockClient(SchedulerClient);
const target = {
  group: 'reciprocity',
  stateMachineArn: 'arn:aws:states:us-east-1:111122223333:stateMachine:wf',
  roleArn: 'arn:aws:iam::111122223333:role/sched',
  deadLetterArn: 'arn:aws:sqs:us-east-1:111122223333:dlq',
};
const request = messageRequest({
  journey: 'cart_reminder',
  customerId: 'c1',
  triggerKey: 'cart_reminder:cart:k1',
  triggeredAt: '2026-12-01T10:00:00.000Z',
});

describe('Class: MessageScheduler', () => {
  afterEach(() => scheduler.reset());

  it('creates a one-time UTC schedule that starts the workflow, deletes itself and dead-letters', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    const result = await new MessageScheduler(target, new SchedulerClient({ region: 'us-east-1' })).upsert(
      'cart-k1',
      new Date('2026-12-01T11:00:00.000Z'),
      request,
    );
    expect(result).toBe('created');
    const input = scheduler.commandCalls(CreateScheduleCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      Name: 'cart-k1',
      GroupName: 'reciprocity',
      ScheduleExpression: 'at(2026-12-01T11:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: target.stateMachineArn,
        RoleArn: target.roleArn,
        DeadLetterConfig: { Arn: target.deadLetterArn },
      },
    });
    expect(JSON.parse(input.Target!.Input!)).toEqual(request);
  });

  it('moves an existing schedule instead of failing (a cart updated again)', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    const result = await new MessageScheduler(target, new SchedulerClient({ region: 'us-east-1' })).upsert(
      'cart-k1',
      new Date('2026-12-01T12:00:00.000Z'),
      request,
    );
    expect(result).toBe('updated');
    expect(scheduler.commandCalls(UpdateScheduleCommand)[0]!.args[0].input.ScheduleExpression).toBe(
      'at(2026-12-01T12:00:00)',
    );
  });
});
