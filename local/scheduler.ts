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
import { UnsupportedScheduleError } from './errors.js';
import { MinHeap } from './queue.js';
import { jsonBody, jsonReply, type LocalService, serveLocal } from './transport.js';
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
  /** The emulator's logic, for the memory transport. */
  readonly service: LocalService;
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

  // Pending schedules in firing order (time, then creation), as a binary heap with lazy deletion: an entry
  // counts only while it is still the map's object for its key, enabled and not completed (an update puts a
  // new object in, so the replaced one drops out by itself). Sorting every schedule on each step did not scale.
  const heap = new MinHeap<LocalSchedule>(
    (a, b) => a.time.getTime() < b.time.getTime() || (a.time.getTime() === b.time.getTime() && a.seq < b.seq),
  );
  const live = (schedule: LocalSchedule): boolean =>
    schedule.state === 'ENABLED' &&
    !schedule.completed &&
    schedules.get(keyOf(schedule.group, schedule.name)) === schedule;
  const push = (schedule: LocalSchedule): void => heap.push(schedule);
  const pop = (): LocalSchedule | undefined => heap.pop();
  const earliest = (): LocalSchedule | undefined => {
    for (let top = heap.peek(); top && !live(top); top = heap.peek()) heap.pop();
    return heap.peek();
  };
  const store = (key: string, schedule: LocalSchedule): void => {
    schedules.set(key, schedule);
    if (live(schedule)) push(schedule);
  };

  const handle: LocalService = async (request) => {
    const match = /^\/schedules\/([^/]+)$/.exec(request.path);
    if (!match?.[1])
      throw new ApiError(404, 'UnknownOperationException', `${request.method} ${request.path}`);
    const name = decodeURIComponent(match[1]);
    if (request.method === 'POST') {
      counts.CreateSchedule += 1;
      const schedule = upsert(name, jsonBody(request));
      const key = keyOf(schedule.group, name);
      if (schedules.has(key))
        throw new ApiError(409, 'ConflictException', `Schedule ${name} already exists.`);
      store(key, schedule);
      return jsonReply(200, { ScheduleArn: schedule.arn });
    }
    if (request.method === 'PUT') {
      counts.UpdateSchedule += 1;
      const body = jsonBody(request);
      const key = keyOf(typeof body.GroupName === 'string' ? body.GroupName : 'default', name);
      const existing = schedules.get(key);
      if (!existing) throw notFound(name);
      const schedule = upsert(name, body, existing);
      store(key, schedule);
      return jsonReply(200, { ScheduleArn: schedule.arn });
    }
    const key = keyOf(request.query.get('groupName') ?? 'default', name);
    const existing = schedules.get(key);
    if (request.method === 'DELETE') {
      counts.DeleteSchedule += 1;
      if (!existing) throw notFound(name);
      schedules.delete(key);
      return jsonReply(200, {});
    }
    if (request.method === 'GET') {
      counts.GetSchedule += 1;
      if (!existing) throw notFound(name);
      return jsonReply(200, describe(existing));
    }
    throw new ApiError(404, 'UnknownOperationException', `${request.method} ${request.path}`);
  };

  const service: LocalService = async (request) => {
    try {
      return await handle(request);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return jsonReply(error.status, { Message: error.message }, error.type);
    }
  };
  const server = await serveLocal(service);

  /** Live pending schedules due by `until`, in firing order; the heap is left as it was. */
  const due = (until: Date): LocalSchedule[] => {
    const out: LocalSchedule[] = [];
    for (let next = earliest(); next && next.time.getTime() <= until.getTime(); next = earliest()) {
      out.push(pop()!);
    }
    for (const schedule of out) push(schedule);
    return out;
  };

  return {
    endpoint: server.endpoint,
    service,
    due,
    nextDue: () => earliest()?.time,
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
