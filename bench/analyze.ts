/**
 * Turns the runs into figures: throughput from the timed runs, counts and DynamoDB units from the metered run
 * (the simulation is deterministic, so counts agree across runs; the meter only slows it), durations as the
 * median over timed runs, and the cost inputs per 1,000 sent messages.
 */
import type { CapacityReport } from '../local/capacity.js';
import {
  type CostInputs,
  type CostSummary,
  costPer1000,
  type LambdaUse,
  LOG_EVENT_OVERHEAD,
  platformBytesPerInvocation,
  secretFetches,
} from './cost.js';
import type { FlowResult } from './flow.js';
import type { Invocation } from './instrument.js';
import type { StackFacts } from './stack-facts.js';
import { median, type Spread, spread, sum } from './stats.js';

/** Assumed size of one Step Functions ERROR-level log event (TaskFailed/ExecutionFailed, no execution data). */
export const STATE_MACHINE_ERROR_EVENT_BYTES = 1024;

export interface HandlerFigures {
  handler: string;
  invocations: number;
  memoryMb: number;
  medianMs: number;
  p90Ms: number;
  billedMs: number;
}

export interface Analysis {
  emails: number;
  emailsAgree: boolean;
  messagesPerSecond: Spread;
  weekWallSeconds: Spread;
  executions: { count: number; medianMs: number; p90Ms: number; billedMs: number };
  handlers: HandlerFigures[];
  counts: Record<string, number>;
  logs: {
    powertoolsBytes: number;
    powertoolsLines: number;
    platformBytes: number;
    stateMachineBytes: number;
  };
  dynamo: { week: CapacityReport; feedback: CapacityReport; read: number; write: number; indexWrite: number };
  secretCalls: number;
  costInputs: CostInputs;
  cost: CostSummary;
}

export function analyze(timed: FlowResult[], metered: FlowResult, facts: StackFacts): Analysis {
  const emails = metered.emails;
  const all = (r: FlowResult): Invocation[] => [...r.invocations, ...(r.feedback?.invocations ?? [])];
  const names = [...new Set(all(metered).map((i) => i.handler))];
  const handlers = names.map((handler): HandlerFigures => {
    const per = timed.map((r) =>
      all(r)
        .filter((i) => i.handler === handler)
        .map((i) => i.ms),
    );
    return {
      handler,
      invocations: all(metered).filter((i) => i.handler === handler).length,
      memoryMb: facts.functions[handler]?.memoryMb ?? 128,
      medianMs: median(per.map(median)),
      p90Ms: median(per.map((ms) => percentile(ms, 0.9))),
      billedMs: median(per.map((ms) => sum(ms.map(Math.ceil)))),
    };
  });
  const executions = {
    count: metered.stats.executions.started,
    medianMs: median(timed.map((r) => median(r.executionMs))),
    p90Ms: median(timed.map((r) => percentile(r.executionMs, 0.9))),
    billedMs: median(timed.map((r) => sum(r.executionMs.map((ms) => Math.ceil(ms / 100) * 100)))),
  };

  const s = metered.stats;
  const sesEvents = metered.feedback?.events ?? 0;
  const counts: Record<string, number> = {
    'State transitions': s.stateTransitions,
    'Express executions': s.executions.started,
    'Lambda invocations: workflow tasks': s.taskInvocations,
    'Lambda invocations: intake': metered.ingests,
    'Lambda invocations: sweeps': metered.sweeps,
    'Lambda invocations: ses-events (Delivery)': sesEvents,
    'Scheduler API calls': sum(Object.values(s.scheduler)),
    'Scheduler invocations: message schedules fired': s.schedulesFired,
    'Scheduler invocations: sweep schedules': metered.sweeps,
    'EventBridge custom events (shop)': s.events,
  };

  const invocations = all(metered);
  const platformBytes = sum(
    invocations.map((i) => {
      const fn = facts.functions[i.handler];
      // START/REPORT are INFO-level system logs: a system log level of WARN sends none.
      return fn?.systemLogLevel === 'WARN' ? 0 : platformBytesPerInvocation(fn?.memoryMb ?? 128);
    }),
  );
  const captured = [metered.logs, metered.feedback?.logs].filter((l) => l !== undefined);
  const powertoolsLines = sum(captured.map((l) => l.logLines));
  const powertoolsBytes = sum(captured.map((l) => l.logBytes)) + powertoolsLines * LOG_EVENT_OVERHEAD;
  const errorEvents = facts.workflow.logLevel === 'OFF' ? 0 : metered.taskErrors + metered.failedExecutions;
  const logs = {
    powertoolsBytes,
    powertoolsLines,
    platformBytes,
    stateMachineBytes: errorEvents * STATE_MACHINE_ERROR_EVENT_BYTES,
  };

  const week = metered.capacity ?? emptyCapacity();
  const feedback = metered.feedback?.capacity ?? emptyCapacity();
  const units = (c: CapacityReport, pick: 'read' | 'write' | 'indexWrite') =>
    sum(Object.values(c.byTable).map((t) => t[pick]));
  const dynamo = {
    week,
    feedback,
    read: units(week, 'read') + units(feedback, 'read'),
    write: units(week, 'write') + units(feedback, 'write'),
    indexWrite: units(week, 'indexWrite') + units(feedback, 'indexWrite'),
  };
  const secretCalls = secretFetches(
    metered.invocations.filter((i) => i.handler === 'personalize').map((i) => i.simAt),
  );

  const lambda: LambdaUse[] = handlers.map((h) => ({
    handler: h.handler,
    invocations: h.invocations,
    billedMs: h.billedMs,
    memoryMb: h.memoryMb,
    arm64: facts.functions[h.handler]?.architecture === 'arm64',
  }));
  const costInputs: CostInputs = {
    emails,
    executions: executions.count,
    executionBilledMs: executions.billedMs,
    transitions: s.stateTransitions,
    lambda,
    readUnits: dynamo.read,
    writeUnits: dynamo.write,
    schedulerInvocations: s.schedulesFired + metered.sweeps,
    customEvents: s.events,
    logBytes: logs.powertoolsBytes + logs.platformBytes + logs.stateMachineBytes,
    secretCalls,
  };
  return {
    emails,
    emailsAgree: timed.every((r) => r.emails === emails),
    messagesPerSecond: spread(timed.map((r) => r.emails / (r.wallMs / 1000))),
    weekWallSeconds: spread(timed.map((r) => r.wallMs / 1000)),
    executions,
    handlers: handlers.sort((a, b) => b.invocations - a.invocations),
    counts,
    logs,
    dynamo,
    secretCalls,
    costInputs,
    cost: costPer1000(costInputs),
  };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

function emptyCapacity(): CapacityReport {
  return {
    byOperation: {},
    byTable: {},
    readByConsistency: { eventual: 0, strong: 0 },
    failedConditionalWrites: 0,
    emptyReads: 0,
    byWrite: {},
    itemBytes: {},
  };
}
