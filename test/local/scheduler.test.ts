import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalScheduler, scheduleTime, startScheduler } from '../../local/scheduler.js';

const target = (input: object) => ({
  Arn: 'arn:aws:states:local:000000000000:stateMachine:M',
  RoleArn: 'arn:aws:iam::000000000000:role/R',
  Input: JSON.stringify(input),
});

describe('Local scheduler', () => {
  let scheduler: LocalScheduler;
  let client: SchedulerClient;
  const now = new Date('2026-03-01T10:00:00Z');

  beforeAll(async () => {
    scheduler = await startScheduler({ clock: () => now });
    client = new SchedulerClient({
      endpoint: scheduler.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client.destroy();
    await scheduler.close();
  });

  it('creates, reads, updates and deletes a schedule through the SDK', async () => {
    // Act
    const created = await client.send(
      new CreateScheduleCommand({
        Name: 'cart-1',
        GroupName: 'g',
        ScheduleExpression: 'at(2026-03-01T12:00:00)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        Target: target({ n: 1 }),
      }),
    );
    const read = await client.send(new GetScheduleCommand({ Name: 'cart-1', GroupName: 'g' }));
    await client.send(
      new UpdateScheduleCommand({
        Name: 'cart-1',
        GroupName: 'g',
        ScheduleExpression: 'at(2026-03-01T13:00:00)',
        ScheduleExpressionTimezone: 'Europe/Berlin',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: target({ n: 2 }),
      }),
    );
    const updated = scheduler.get('g', 'cart-1');
    await client.send(new DeleteScheduleCommand({ Name: 'cart-1', GroupName: 'g' }));

    // Assess
    expect(created.ScheduleArn).toBe('arn:aws:scheduler:local:000000000000:schedule/g/cart-1');
    expect(read.ScheduleExpression).toBe('at(2026-03-01T12:00:00)');
    expect(read.ActionAfterCompletion).toBe('DELETE');
    expect(read.CreationDate).toEqual(now);
    expect(read.Target?.Input).toBe('{"n":1}');
    expect(updated?.time.toISOString()).toBe('2026-03-01T12:00:00.000Z');
    expect(updated?.target.Input).toBe('{"n":2}');
    expect(scheduler.get('g', 'cart-1')).toBeUndefined();
    expect(scheduler.calls()).toMatchObject({
      CreateSchedule: 1,
      GetSchedule: 1,
      UpdateSchedule: 1,
      DeleteSchedule: 1,
    });
  });

  it('answers ConflictException for an existing name and ResourceNotFoundException for a missing one', async () => {
    // Prepare
    const input = {
      Name: 'dup',
      ScheduleExpression: 'at(2026-03-02T00:00:00)',
      FlexibleTimeWindow: { Mode: 'OFF' as const },
      Target: target({}),
    };
    await client.send(new CreateScheduleCommand(input));

    // Act + Assess
    await expect(client.send(new CreateScheduleCommand(input))).rejects.toBeInstanceOf(ConflictException);
    // The same name in another group is another schedule.
    await expect(
      client.send(new CreateScheduleCommand({ ...input, GroupName: 'other' })),
    ).resolves.toBeDefined();
    await expect(client.send(new GetScheduleCommand({ Name: 'nope' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(client.send(new DeleteScheduleCommand({ Name: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(client.send(new UpdateScheduleCommand({ ...input, Name: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    await expect(
      client.send(
        new CreateScheduleCommand({ ...input, Name: 'rate', ScheduleExpression: 'rate(5 minutes)' }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('reports due schedules in time order and deletes or completes them after firing', async () => {
    // Prepare
    const make = (Name: string, at: string, ActionAfterCompletion: 'DELETE' | 'NONE') =>
      client.send(
        new CreateScheduleCommand({
          Name,
          GroupName: 'due',
          ScheduleExpression: `at(${at})`,
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion,
          Target: target({ Name }),
        }),
      );
    await make('late', '2026-03-05T09:00:00', 'DELETE');
    await make('early', '2026-03-04T09:00:00', 'NONE');
    await make('tie', '2026-03-05T09:00:00', 'DELETE');
    const until = new Date('2026-03-05T09:00:00Z');

    // Act
    const due = scheduler.due(until).filter((s) => s.group === 'due');
    for (const schedule of due) scheduler.complete(schedule);

    // Assess
    expect(due.map((s) => s.name)).toEqual(['early', 'late', 'tie']);
    expect(scheduler.get('due', 'late')).toBeUndefined();
    expect(scheduler.get('due', 'early')?.completed).toBe(true);
    expect(scheduler.due(until).filter((s) => s.group === 'due')).toEqual([]);
  });

  it('reads at() in the schedule time zone, across DST changes', () => {
    expect(scheduleTime('at(2026-06-01T09:00:00)', 'America/New_York').toISOString()).toBe(
      '2026-06-01T13:00:00.000Z',
    );
    expect(scheduleTime('at(2026-01-15T09:00:00)', 'America/New_York').toISOString()).toBe(
      '2026-01-15T14:00:00.000Z',
    );
    // 02:30 does not exist in Berlin on 29 March 2026: it fires at 03:30 CEST.
    expect(scheduleTime('at(2026-03-29T02:30:00)', 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    expect(scheduleTime('at(2026-03-29T02:30:00)').toISOString()).toBe('2026-03-29T02:30:00.000Z');
  });
});
