/**
 * The birthday and inactivity sweeps against a real (local) DynamoDB, with the workflow and Scheduler
 * clients recorded: which messages start, when, and that the schedule's own time decides.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Deps, makeDeps } from '../../functions/app/deps.js';
import { toHandler } from '../../functions/app/lambda.js';
import { messageIdFor, triggerKeys } from '../../functions/domain/ids.js';
import type { MessageRequest } from '../../functions/domain/model.js';
import { birthdaySweep } from '../../functions/usecases/birthday-sweep.js';
import { inactivitySweep } from '../../functions/usecases/inactivity-sweep.js';
import { type LocalDynamo, startDynamo } from '../../local/dynamo.js';

let dynamo: LocalDynamo;
let now = new Date('2026-12-01T09:20:00Z');
let started: MessageRequest[] = [];
let schedules: { name: string; at: string; request: MessageRequest }[] = [];
let deps: Deps;

/** Records what the sweeps start; answers as Step Functions and Scheduler would. */
const sfn = {
  send: async (command: { input: { input: string } }) => {
    started.push(JSON.parse(command.input.input) as MessageRequest);
    return { executionArn: `arn:exec:${started.length}` };
  },
} as unknown as SFNClient;
const scheduler = {
  send: async (command: {
    input: { Name: string; ScheduleExpression: string; Target: { Input: string } };
  }) => {
    const { Name, ScheduleExpression, Target } = command.input;
    schedules.push({
      name: Name,
      at: ScheduleExpression,
      request: JSON.parse(Target.Input) as MessageRequest,
    });
    return {};
  },
} as unknown as SchedulerClient;

beforeAll(async () => {
  dynamo = await startDynamo('sweep-');
  deps = makeDeps({
    env: {
      PROFILES_TABLE: dynamo.tableNames.profiles,
      STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:messages',
      SCHEDULE_GROUP: 'reciprocity',
      SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
      AWS_REGION: 'us-east-1',
      RECIPROCITY_CONFIG: JSON.stringify({ holdout: { enabled: false } }),
    },
    clients: {
      dynamodb: new DynamoDBClient({
        endpoint: dynamo.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      }),
      sfn,
      scheduler,
    },
    clock: () => now,
    needs: [...new Set([...birthdaySweep.needs, ...inactivitySweep.needs])],
  });
});
afterAll(async () => {
  deps?.dynamodb.destroy();
  await dynamo?.close();
});
beforeEach(() => {
  started = [];
  schedules = [];
});

describe('Use case: birthdaySweep', () => {
  beforeAll(async () => {
    await deps.stores.profiles.patch('B-1', {
      email: 'b1@example.com',
      birthday: '1990-12-01',
      birthdayMd: '12-01',
      timeZone: 'UTC',
    });
  });

  it("starts the birthday message at birthdayHour on the customer's birthday", async () => {
    // Act
    const result = await toHandler(birthdaySweep, deps)({ scheduledTime: '2026-12-01T09:00:00Z' });

    // Assess
    expect(result).toEqual({ read: 1, started: 1 });
    expect(started).toMatchObject([
      {
        journey: 'birthday',
        customerId: 'B-1',
        messageId: messageIdFor(triggerKeys.birthday('B-1', 2026)),
        triggeredAt: '2026-12-01T09:00:00.000Z',
        // No history: the configured hour, and the request says so (for the "why" page).
        context: { sendTime: { hour: 9, source: 'usual' } },
      },
    ]);
  });

  it("starts it at the customer's own hour, and at the usual one once they turned tracking off", async () => {
    // Prepare: B-2 opens at 18:00 UTC; B-3 did too, then turned tracking off
    const birthday = { birthday: '1991-12-01', birthdayMd: '12-01', timeZone: 'UTC' };
    await deps.stores.profiles.patch('B-2', {
      email: 'b2@example.com',
      ...birthday,
      engagementHours: { '18': 5 },
    });
    await deps.stores.profiles.patch('B-3', {
      email: 'b3@example.com',
      ...birthday,
      engagementHours: { '18': 5 },
      preferences: { frequency: 'normal', tracking: false, updatedAt: '2026-11-01T00:00:00.000Z' },
    });

    // Act
    await birthdaySweep.run(deps, { time: '2026-12-01T09:00:00Z' }, { requestId: 'r' });
    await birthdaySweep.run(deps, { time: '2026-12-01T18:00:00Z' }, { requestId: 'r' });

    // Assess
    const byCustomer = Object.fromEntries(started.map((r) => [r.customerId, r]));
    expect(byCustomer['B-2']).toMatchObject({
      triggeredAt: '2026-12-01T18:00:00.000Z',
      context: { sendTime: { hour: 18, source: 'engagement' } },
    });
    expect(byCustomer['B-3']).toMatchObject({
      triggeredAt: '2026-12-01T09:00:00.000Z',
      context: { sendTime: { hour: 9, source: 'usual' } },
    });
    for (const id of ['B-2', 'B-3']) await deps.stores.profiles.delete(id);
  });

  it("selects by the schedule's time, not the clock: a late retry of 09:00 starts the same message", async () => {
    // Prepare: the 09:00 run retried at 10:40, and the 10:00 run on time
    now = new Date('2026-12-01T10:40:00Z');

    // Act
    const retried = await birthdaySweep.run(
      deps,
      { scheduledTime: '2026-12-01T09:00:00Z' },
      { requestId: 'r' },
    );
    const next = await birthdaySweep.run(deps, { time: '2026-12-01T10:00:00Z' }, { requestId: 'r' });

    // Assess
    expect([retried.started, next.started]).toEqual([1, 0]);
    expect(started.map((r) => r.messageId)).toEqual([messageIdFor(triggerKeys.birthday('B-1', 2026))]);
  });

  it('runs for now without an event, and refuses a time that is not a string', async () => {
    // Prepare
    now = new Date('2026-12-01T09:20:00Z');

    // Act / Assess
    expect(await toHandler(birthdaySweep, deps)(undefined)).toEqual({ read: 1, started: 1 });
    await expect(toHandler(birthdaySweep, deps)({ scheduledTime: 9 })).rejects.toMatchObject({
      name: 'InvalidInputError',
    });
  });
});

describe('Use case: inactivitySweep', () => {
  beforeAll(async () => {
    // Lines at 60 days: 2026-10-01 + 60 d = 2026-11-30, the day the sweep of 2026-12-01 reads.
    const base = { inactiveOn: '2026-11-30', timeZone: 'UTC', lastActiveAt: '2026-10-01T12:00:00.000Z' };
    await deps.stores.profiles.patch('I-NOW', { email: 'now@example.com', ...base });
    await deps.stores.profiles.patch('I-HOUR', {
      email: 'hour@example.com',
      ...base,
      engagementHours: { '18': 5 },
    });
    // Active since: their real line is later, so the sweep moves their key instead.
    await deps.stores.profiles.patch('I-BACK', {
      email: 'back@example.com',
      ...base,
      lastActiveAt: '2026-11-01T12:00:00.000Z',
    });
  });

  it("starts a win-back now, plans one for the customer's best hour, and moves a returned customer", async () => {
    // Prepare
    now = new Date('2026-12-01T00:05:00Z');

    // Act
    const result = await toHandler(inactivitySweep, deps)({ time: '2026-12-01T00:05:00Z' });

    // Assess
    expect(result).toEqual({ read: 3, started: 1, moved: 1, scheduled: 1 });
    expect(started.map((r) => [r.customerId, r.journey, r.context.inactiveOn])).toEqual([
      ['I-NOW', 'winback', '2026-11-30'],
    ]);
    // Found at 00:05 UTC, inside quiet hours: the usual timing is when they end, 08:00.
    expect(started[0]?.context.sendTime).toEqual({ hour: 8, source: 'usual' });
    expect(schedules).toMatchObject([
      {
        at: 'at(2026-12-01T18:00:00)',
        request: {
          customerId: 'I-HOUR',
          context: {
            inactiveOn: '2026-11-30',
            sendAt: '2026-12-01T18:00:00.000Z',
            sendTime: { hour: 18, source: 'engagement' },
          },
        },
      },
    ]);
    expect(schedules[0]?.name).toContain(schedules[0]?.request.messageId);
    expect((await deps.stores.profiles.get('I-BACK'))?.inactiveOn).toBe('2026-12-31');
  });

  it('starts the win-back at the usual time for a customer who turned tracking off', async () => {
    // Prepare: a history that would pick 18:00, but tracking is off now
    now = new Date('2026-12-02T00:05:00Z');
    await deps.stores.profiles.patch('I-OFF', {
      email: 'off@example.com',
      inactiveOn: '2026-12-01',
      timeZone: 'UTC',
      lastActiveAt: '2026-10-02T12:00:00.000Z',
      engagementHours: { '18': 5 },
      preferences: { frequency: 'normal', tracking: false, updatedAt: '2026-11-01T00:00:00.000Z' },
    });

    // Act
    const result = await toHandler(inactivitySweep, deps)({ time: '2026-12-02T00:05:00Z' });

    // Assess
    expect(result).toMatchObject({ started: 1, scheduled: 0 });
    expect(started).toMatchObject([
      { customerId: 'I-OFF', context: { sendTime: { hour: 8, source: 'usual' } } },
    ]);
    expect(started[0]?.context.sendAt).toBeUndefined();
  });
});
