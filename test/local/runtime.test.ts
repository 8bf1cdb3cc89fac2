/**
 * The embedded runtime's wiring, with stand-in handlers that use real SDK clients configured only by the
 * environment the runtime sets (as the real handlers do). The real handlers are exercised in test/e2e.
 */
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { now } from '../../functions/adapters/clock.js';
import { ENV } from '../../functions/domain/names.js';
import { type Embedded, startEmbedded } from '../../local/runtime.js';

const ARN = 'arn:aws:states:local:000000000000:stateMachine:Workflow';
const ASL = {
  StartAt: 'Send',
  States: {
    Send: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'arn:aws:lambda:local:000000000000:function:Send', 'Payload.$': '$' },
      OutputPath: '$.Payload',
      End: true,
    },
  },
};

interface Order {
  to: string;
}

describe('startEmbedded', () => {
  let embedded: Embedded;
  const sweeps: string[] = [];
  const handlerTimes: string[] = [];

  beforeAll(async () => {
    embedded = await startEmbedded({
      start: new Date('2026-03-01T09:30:00Z'),
      config: { cartDelayMinutes: 60 },
      workflow: { asl: ASL, logicalId: 'Workflow', stateMachineArn: ARN },
      handlers: {
        ingest: async (event) => {
          const { detail, 'detail-type': type } = event as { detail: Order; 'detail-type': string };
          handlerTimes.push(now().toISOString());
          if (type === 'order.placed') {
            await new SFNClient({}).send(
              new StartExecutionCommand({
                stateMachineArn: process.env[ENV.stateMachineArn],
                input: JSON.stringify(detail),
              }),
            );
          } else {
            await new SchedulerClient({}).send(
              new CreateScheduleCommand({
                Name: `cart-${detail.to}`,
                GroupName: process.env[ENV.scheduleGroup],
                ScheduleExpression: `at(${new Date(now().getTime() + 3_600_000).toISOString().slice(0, 19)})`,
                FlexibleTimeWindow: { Mode: 'OFF' },
                ActionAfterCompletion: 'DELETE',
                Target: {
                  Arn: ARN,
                  RoleArn: process.env[ENV.schedulerRoleArn],
                  Input: JSON.stringify(detail),
                },
              }),
            );
          }
        },
        send: async (input) => {
          const { to } = input as Order;
          if (to.startsWith('bad'))
            throw Object.assign(new Error('no such mailbox'), { name: 'MessageRejected' });
          const out = await new SESv2Client({ maxAttempts: 1 }).send(
            new SendEmailCommand({
              FromEmailAddress: 'shop@example.com',
              Destination: { ToAddresses: [to] },
              ConfigurationSetName: process.env[ENV.configurationSet],
              Content: {
                Simple: { Subject: { Data: `at ${now().toISOString()}` }, Body: { Text: { Data: 'x' } } },
              },
            }),
          );
          return { status: 'sent', sesMessageId: out.MessageId };
        },
        'birthday-sweep': async (event) => {
          sweeps.push(`hourly ${(event as { time: string }).time}`);
        },
        'inactivity-sweep': async (event) => {
          sweeps.push(`daily ${(event as { time: string }).time}`);
        },
      },
    });
  });
  afterAll(async () => {
    await embedded?.stop();
  });

  it('delivers events at their time, runs executions at once and schedules at their time', async () => {
    // Prepare
    const event = (type: string, time: string, to: string) => ({
      'detail-type': type,
      source: 'shop',
      time,
      detail: { to },
    });
    embedded.publish(event('order.placed', '2026-03-01T10:15:00Z', 'a@example.com'));
    embedded.publish(event('cart.updated', '2026-03-01T10:20:00Z', 'b@example.com'));
    embedded.publish(event('order.placed', '2026-03-01T10:30:00Z', 'bad@example.com'));

    // Act
    await embedded.runUntil(new Date('2026-03-02T01:00:00Z'));
    const emails = await embedded.emails();

    // Assess
    expect(handlerTimes).toEqual([
      '2026-03-01T10:15:00.000Z',
      '2026-03-01T10:20:00.000Z',
      '2026-03-01T10:30:00.000Z',
    ]);
    expect(emails.map((e) => [e.to[0], e.sentAt, e.subject, e.configurationSet])).toEqual([
      ['a@example.com', '2026-03-01T10:15:00.000Z', 'at 2026-03-01T10:15:00.000Z', 'reciprocity-local'],
      ['b@example.com', '2026-03-01T11:20:00.000Z', 'at 2026-03-01T11:20:00.000Z', 'reciprocity-local'],
    ]);
    expect(embedded.failedExecutions()).toEqual([
      expect.objectContaining({
        input: { to: 'bad@example.com' },
        error: expect.objectContaining({ error: 'MessageRejected' }),
      }),
    ]);
    expect(embedded.scheduler.list()).toEqual([]);
    expect(embedded.stats()).toMatchObject({
      events: 3,
      executions: { started: 3, succeeded: 2, failed: 1 },
      stateTransitions: 3,
      taskInvocations: 3,
      scheduler: { CreateSchedule: 1 },
      ses: { requests: 2, faults: 0 },
    });
    expect(sweeps.filter((s) => s.startsWith('daily'))).toEqual(['daily 2026-03-02T00:05:00Z']);
    expect(sweeps.filter((s) => s.startsWith('hourly'))).toHaveLength(16);
    expect(sweeps[0]).toBe('hourly 2026-03-01T10:00:00Z');
  });

  it('points the handlers at the local stand-ins and refuses a second runtime', async () => {
    expect(process.env.AWS_ENDPOINT_URL_SESV2).toBe(embedded.ses.endpoint);
    expect(process.env[ENV.messagesTable]).toBe(embedded.tableNames.messages);
    expect(JSON.parse(process.env[ENV.config] ?? '')).toEqual({ cartDelayMinutes: 60 });
    expect(JSON.parse(process.env[ENV.linkKeys] ?? '')).toMatchObject({ current: 'local-1' });
    expect(now().toISOString()).toBe('2026-03-02T01:00:00.000Z');
    await expect(startEmbedded({ start: new Date() })).rejects.toMatchObject({
      name: 'EmbeddedRuntimeError',
    });
  });
});
