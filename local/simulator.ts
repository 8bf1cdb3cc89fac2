/**
 * A discrete-event simulator on a simulated clock. Jobs run one at a time in (time, insertion) order;
 * the clock is set to a job's time before it runs, and a job that starts work "now" (an execution
 * started by a handler) lands at the same instant and runs right after it. Nothing reads the wall
 * clock, so the same inputs give the same order and the same output.
 */
import { SimulationJobError } from './errors.js';
import { JobQueue } from './queue.js';

/** Something with its own notion of what is due, e.g. the local scheduler. */
export interface TimedSource {
  /** Earliest time something is due, if anything. */
  nextTime(): Date | undefined;
  /** Fires everything due at or before `now`. */
  fire(now: Date): Promise<void>;
}

export interface SimulatorOptions {
  start: Date;
  /** Runs at minute 0 of every UTC hour after start. */
  hourly?: (now: Date) => Promise<void> | void;
  /** Runs every day at 00:05 UTC after start. */
  daily?: (now: Date) => Promise<void> | void;
  /** Fired at their own times (ties with queued jobs: the source fires first). */
  sources?: TimedSource[];
}

export interface Progress {
  now: Date;
  label: string;
  jobsRun: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The first instant after `after` that is `offsetMs` past a multiple of `periodMs` (UTC). */
export function nextBoundary(after: Date, periodMs: number, offsetMs = 0): Date {
  const t = after.getTime() - offsetMs;
  return new Date((Math.floor(t / periodMs) + 1) * periodMs + offsetMs);
}

export class Simulator {
  private nowMs: number;
  private seq = 0;
  private jobsRun = 0;
  private readonly queue = new JobQueue();
  private readonly sources: TimedSource[];

  constructor(options: SimulatorOptions) {
    this.nowMs = options.start.getTime();
    this.sources = [...(options.sources ?? [])];
    if (options.hourly) this.every('hourly-sweep', HOUR_MS, 0, options.hourly);
    if (options.daily) this.every('daily-sweep', DAY_MS, 5 * 60_000, options.daily);
  }

  /** The simulated now; an arrow so it can be handed out as a Clock. */
  readonly clock = (): Date => new Date(this.nowMs);

  /** Schedules `fn` at `time`; a time in the past runs at the current instant (the clock never goes back). */
  at(time: Date, label: string, fn: () => Promise<void> | void): void {
    this.queue.push({ time: Math.max(time.getTime(), this.nowMs), seq: this.seq++, label, run: fn });
  }

  /** Schedules `fn` at the current simulated instant, after what is already queued for it. */
  now(label: string, fn: () => Promise<void> | void): void {
    this.at(this.clock(), label, fn);
  }

  /** Recurring job at every `offsetMs + k * periodMs` (UTC) strictly after the current time. */
  every(label: string, periodMs: number, offsetMs: number, fn: (now: Date) => Promise<void> | void): void {
    const schedule = (after: Date): void => {
      this.at(nextBoundary(after, periodMs, offsetMs), label, async () => {
        // Re-arm first, so the next occurrence keeps its place even if this one throws.
        schedule(this.clock());
        await fn(this.clock());
      });
    };
    schedule(this.clock());
  }

  addSource(source: TimedSource): void {
    this.sources.push(source);
  }

  /** Jobs waiting in the queue (recurring jobs count once). */
  pending(): number {
    return this.queue.size;
  }

  /** Runs every job and source item due up to `until` (inclusive), then leaves the clock at `until`. */
  async runUntil(until: Date, onProgress?: (progress: Progress) => void): Promise<void> {
    const end = until.getTime();
    for (;;) {
      const job = this.queue.peek();
      const source = this.nextSource();
      const jobTime = job?.time ?? Number.POSITIVE_INFINITY;
      const sourceTime = source ? Math.max(source.time, this.nowMs) : Number.POSITIVE_INFINITY;
      if (Math.min(jobTime, sourceTime) > end) break;
      if (source && sourceTime <= jobTime) {
        this.nowMs = sourceTime;
        await this.runJob('source', () => source.source.fire(this.clock()), onProgress);
        continue;
      }
      this.queue.pop();
      this.nowMs = jobTime;
      await this.runJob(job!.label, job!.run, onProgress);
    }
    this.nowMs = Math.max(this.nowMs, end);
  }

  private nextSource(): { source: TimedSource; time: number } | undefined {
    let best: { source: TimedSource; time: number } | undefined;
    for (const source of this.sources) {
      const time = source.nextTime()?.getTime();
      if (time !== undefined && (!best || time < best.time)) best = { source, time };
    }
    return best;
  }

  private async runJob(
    label: string,
    run: () => Promise<void> | void,
    onProgress?: (progress: Progress) => void,
  ): Promise<void> {
    try {
      await run();
    } catch (error) {
      throw new SimulationJobError(label, this.clock(), { cause: error });
    }
    this.jobsRun += 1;
    onProgress?.({ now: this.clock(), label, jobsRun: this.jobsRun });
  }
}
