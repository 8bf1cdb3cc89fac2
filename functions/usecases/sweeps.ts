/** What the birthday and inactivity sweeps share: their input, the time they run for, their result. */
import * as z from '../domain/zod.js';

/**
 * A sweep's trigger: a Scheduler schedule (`scheduledTime`) or an EventBridge-style scheduled event (`time`);
 * anything else in it is ignored, and no event at all runs for now.
 */
const sweepEvent = z.union([
  z.looseObject({ scheduledTime: z.optional(z.string()), time: z.optional(z.string()) }),
  z.undefined(),
  z.null(),
]);
export const sweepInput = z.pipe(
  sweepEvent,
  z.transform((event: z.output<typeof sweepEvent>) => event ?? {}),
);
export type SweepInput = z.infer<typeof sweepInput>;

/**
 * The time a sweep runs for: the schedule's own time (`scheduledTime`, else `time`), so a late or retried run
 * selects the same customers; `fallback` (now) when the event names no readable time.
 */
export function sweepTime(event: Pick<SweepInput, 'scheduledTime' | 'time'>, fallback: Date): Date {
  const value = event.scheduledTime ?? event.time;
  const at = value === undefined ? undefined : new Date(value);
  return at && !Number.isNaN(at.getTime()) ? at : fallback;
}

export interface SweepResult {
  /** Customers read from the index. */
  read: number;
  /** Workflow executions started. */
  started: number;
}
