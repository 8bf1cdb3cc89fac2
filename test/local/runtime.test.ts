/**
 * The embedded runtime's wiring, with stand-in handlers that use the Deps the runtime builds (its clock and
 * its clients). The real handlers are exercised in test/flow and test/e2e.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageRequest } from '../../functions/domain/model.js';
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
        // Overrides get the runtime's Deps: its clock and its clients, pointed at the local stand-ins.
        'order-intake': async (event, deps) => {
          const { detail } = event as { detail: Order };
          handlerTimes.push(deps.clock().toISOString());
          await deps.workflow.start(detail as unknown as MessageRequest);
        },
        'cart-intake': async (event, deps) => {
          const { detail } = event as { detail: Order };
          handlerTimes.push(deps.clock().toISOString());
          await deps.scheduler.upsert(
            `cart-${detail.to.replace(/[^a-z]/g, '')}`,
            new Date(deps.clock().getTime() + 3_600_000),
            detail as unknown as MessageRequest,
          );
        },
        send: async (input, deps) => {
          const { to } = input as Order;
          if (to.startsWith('bad'))
            throw Object.assign(new Error('no such mailbox'), { name: 'MessageRejected' });
          const out = await deps.sender.send({
            from: 'shop@example.com',
            to,
            subject: `at ${deps.clock().toISOString()}`,
            html: 'x',
            text: 'x',
            headers: [],
            tags: {},
            configurationSet: deps.configurationSet,
          });
          return { status: 'sent', sesMessageId: out.ok ? out.sesMessageId : undefined };
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

  it('keeps its settings in its own Deps: process.env is untouched and a second runtime can run beside it', async () => {
    // Prepare
    const before = { ...process.env };

    // Act
    const second = await startEmbedded({
      start: new Date('2030-01-01T00:00:00Z'),
      config: { cartDelayMinutes: 90 },
      workflow: { asl: ASL, logicalId: 'Workflow', stateMachineArn: ARN },
      handlers: { send: async () => ({}) },
    });
    try {
      // Assess
      expect(process.env).toEqual(before);
      expect(embedded.env.AWS_ENDPOINT_URL_SESV2).toBe(embedded.ses.endpoint);
      expect(embedded.env[ENV.messagesTable]).toBe(embedded.tableNames.messages);
      expect(embedded.deps.config.cartDelayMinutes).toBe(60);
      expect(embedded.clock().toISOString()).toBe('2026-03-02T01:00:00.000Z');
      expect(second.clock().toISOString()).toBe('2030-01-01T00:00:00.000Z');
      expect(second.deps.config.cartDelayMinutes).toBe(90);
      expect(second.ses.endpoint).not.toBe(embedded.ses.endpoint);
    } finally {
      await second.stop();
    }
  });
});
