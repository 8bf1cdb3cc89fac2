/**
 * Local EventBridge Scheduler: the REST-JSON subset that @aws-sdk/client-scheduler uses for
 * CreateSchedule (POST /schedules/{Name}), UpdateSchedule (PUT), DeleteSchedule (DELETE ?groupName=)
 * and GetSchedule (GET ?groupName=). Written here because no library emulates Scheduler in-process and
 * offline (LocalStack needs Docker, and its Scheduler does not fire anyway).
 *
 * It never fires on its own: the simulator asks `nextDue()` / `due(until)` and fires on simulated time.
 * Only one-time `at(yyyy-mm-ddThh:mm:ss)` expressions are evaluated; FlexibleTimeWindow is ignored
 * (a schedule fires at the start of its window, which keeps runs deterministic).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { UnsupportedScheduleError } from './errors.js';
import { readJson, sendJson, serve } from './net.js';
import { zonedToUtc } from './zoned-time.js';

export interface ScheduleTarget {
  Arn: string;
  RoleArn: string;
  Input?: string;
  [other: string]: unknown;
}

export interface LocalSchedule {
  group: string;
  name: string;
  arn: string;
  expression: string;
  timezone: string;
  /** When the schedule fires (UTC). */
  time: Date;
  target: ScheduleTarget;
  state: 'ENABLED' | 'DISABLED';
  actionAfterCompletion: 'NONE' | 'DELETE';
  description?: string;
  flexibleTimeWindow: { Mode: string; MaximumWindowInMinutes?: number };
  createdAt: Date;
  updatedAt: Date;
  /** Set once fired with ActionAfterCompletion NONE: kept, but never due again. */
  completed: boolean;
  /** Creation order, the tie-break for schedules due at the same instant. */
  seq: number;
}

export type SchedulerApi = 'CreateSchedule' | 'UpdateSchedule' | 'DeleteSchedule' | 'GetSchedule';

export interface LocalScheduler {
  readonly endpoint: string;
  /** Enabled, not completed schedules with time <= until, earliest first (ties: creation order). */
  due(until: Date): LocalSchedule[];
  /** Time of the earliest schedule that will fire, if any. */
  nextDue(): Date | undefined;
  /** After firing: deletes it (ActionAfterCompletion DELETE) or marks it completed. */
  complete(schedule: LocalSchedule): void;
  remove(group: string, name: string): boolean;
  get(group: string, name: string): LocalSchedule | undefined;
  list(): LocalSchedule[];
  calls(): Record<SchedulerApi, number>;
  close(): Promise<void>;
}

const AT = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/;

/** When an `at(...)` expression fires. Throws UnsupportedScheduleError for rate()/cron(). */
export function scheduleTime(expression: string, timezone = 'UTC'): Date {
  const match = AT.exec(expression);
  if (!match?.[1]) throw new UnsupportedScheduleError(expression);
  return zonedToUtc(match[1], timezone);
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

/** Starts the emulator on a free port. `clock` stamps CreationDate/LastModificationDate. */
export async function startScheduler(options: { clock?: () => Date } = {}): Promise<LocalScheduler> {
  const clock = options.clock ?? (() => new Date());
  const schedules = new Map<string, LocalSchedule>();
  const counts: Record<SchedulerApi, number> = {
    CreateSchedule: 0,
    UpdateSchedule: 0,
    DeleteSchedule: 0,
    GetSchedule: 0,
  };
  let seq = 0;
  const keyOf = (group: string, name: string): string => `${group}\u0000${name}`;

  const upsert = (name: string, body: Record<string, unknown>, existing?: LocalSchedule): LocalSchedule => {
    const expression = requireString(body, 'ScheduleExpression');
    const timezone =
      typeof body.ScheduleExpressionTimezone === 'string' ? body.ScheduleExpressionTimezone : 'UTC';
    const target = body.Target as ScheduleTarget | undefined;
    if (!target?.Arn || !target.RoleArn) throw validation('Target with Arn and RoleArn is required');
    const group = typeof body.GroupName === 'string' ? body.GroupName : 'default';
    let time: Date;
    try {
      time = scheduleTime(expression, timezone);
    } catch (error) {
      throw validation(error instanceof Error ? error.message : String(error));
    }
    const now = clock();
    return {
      group,
      name,
      arn: `arn:aws:scheduler:local:000000000000:schedule/${group}/${name}`,
      expression,
      timezone,
      time,
      target,
      state: body.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
      actionAfterCompletion: body.ActionAfterCompletion === 'DELETE' ? 'DELETE' : 'NONE',
      ...(typeof body.Description === 'string' ? { description: body.Description } : {}),
      flexibleTimeWindow: (body.FlexibleTimeWindow as LocalSchedule['flexibleTimeWindow']) ?? { Mode: 'OFF' },
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      completed: false,
      seq: existing?.seq ?? ++seq,
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://local');
    const match = /^\/schedules\/([^/]+)$/.exec(url.pathname);
    if (!match?.[1]) throw new ApiError(404, 'UnknownOperationException', `${req.method} ${url.pathname}`);
    const name = decodeURIComponent(match[1]);
    if (req.method === 'POST') {
      counts.CreateSchedule += 1;
      const schedule = upsert(name, await readJson(req));
      const key = keyOf(schedule.group, name);
      if (schedules.has(key))
        throw new ApiError(409, 'ConflictException', `Schedule ${name} already exists.`);
      schedules.set(key, schedule);
      sendJson(res, 200, { ScheduleArn: schedule.arn });
      return;
    }
    if (req.method === 'PUT') {
      counts.UpdateSchedule += 1;
      const body = await readJson(req);
      const key = keyOf(typeof body.GroupName === 'string' ? body.GroupName : 'default', name);
      const existing = schedules.get(key);
      if (!existing) throw notFound(name);
      const schedule = upsert(name, body, existing);
      schedules.set(key, schedule);
      sendJson(res, 200, { ScheduleArn: schedule.arn });
      return;
    }
    const key = keyOf(url.searchParams.get('groupName') ?? 'default', name);
    const existing = schedules.get(key);
    if (req.method === 'DELETE') {
      counts.DeleteSchedule += 1;
      if (!existing) throw notFound(name);
      schedules.delete(key);
      sendJson(res, 200, {});
      return;
    }
    if (req.method === 'GET') {
      counts.GetSchedule += 1;
      if (!existing) throw notFound(name);
      sendJson(res, 200, describe(existing));
      return;
    }
    throw new ApiError(404, 'UnknownOperationException', `${req.method} ${url.pathname}`);
  };

  const server = await serve(async (req, res) => {
    try {
      await handle(req, res);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      sendJson(res, error.status, { Message: error.message }, error.type);
    }
  });

  const pending = (): LocalSchedule[] =>
    [...schedules.values()]
      .filter((schedule) => schedule.state === 'ENABLED' && !schedule.completed)
      .sort((a, b) => a.time.getTime() - b.time.getTime() || a.seq - b.seq);

  return {
    endpoint: server.endpoint,
    due: (until) => pending().filter((schedule) => schedule.time.getTime() <= until.getTime()),
    nextDue: () => pending()[0]?.time,
    complete(schedule) {
      const key = keyOf(schedule.group, schedule.name);
      // An update between due() and complete() replaced the object: that newer schedule stays pending.
      if (schedules.get(key) !== schedule) return;
      if (schedule.actionAfterCompletion === 'DELETE') schedules.delete(key);
      else schedule.completed = true;
    },
    remove: (group, name) => schedules.delete(keyOf(group, name)),
    get: (group, name) => schedules.get(keyOf(group, name)),
    list: () => [...schedules.values()].sort((a, b) => a.seq - b.seq),
    calls: () => ({ ...counts }),
    close: server.close,
  };
}

/** GetSchedule output; timestamps are epoch seconds in REST-JSON. */
function describe(schedule: LocalSchedule): Record<string, unknown> {
  const seconds = (date: Date): number => date.getTime() / 1000;
  return {
    Arn: schedule.arn,
    GroupName: schedule.group,
    Name: schedule.name,
    ScheduleExpression: schedule.expression,
    ScheduleExpressionTimezone: schedule.timezone,
    State: schedule.state,
    ActionAfterCompletion: schedule.actionAfterCompletion,
    Description: schedule.description,
    Target: schedule.target,
    FlexibleTimeWindow: schedule.flexibleTimeWindow,
    CreationDate: seconds(schedule.createdAt),
    LastModificationDate: seconds(schedule.updatedAt),
  };
}

function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') throw validation(`${field} is required`);
  return value;
}

function validation(message: string): ApiError {
  return new ApiError(400, 'ValidationException', message);
}

function notFound(name: string): ApiError {
  return new ApiError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
}
