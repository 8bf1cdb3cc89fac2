/**
 * One instrumented embedded run of the demo shop, like `reciprocity demo` (cli/session.ts) minus writing the
 * outbox: start, publish templates, import customers, queue the week's events, then time only the simulated
 * week (runUntil). Then every sent message gets the SES events it would get on AWS (Delivery) through
 * the real ses-events handler. With `meter`, DynamoDB goes through local/capacity.ts (slower: not timed).
 */

import type { DemoShop } from '../cli/demo-data.js';
import { importProfiles } from '../cli/profiles-import.js';
import { parseConfig } from '../functions/domain/config.js';
import { SES_TAGS } from '../functions/domain/names.js';
import { type CapacityMeter, type CapacityReport, startCapacityMeter } from '../local/capacity.js';
import { type Embedded, type EmbeddedStats, type ShopEvent, startEmbedded } from '../local/runtime.js';
import type { SynthesizedWorkflow } from '../local/synth.js';
import { DEFAULT_TRANSPORT, type Transport } from '../local/transport.js';
import {
  captureOutput,
  type Invocation,
  type OutputCapture,
  preloadHandlers,
  timed,
  timedHandlers,
} from './instrument.js';

/** What a run replays: customers to import (with their past orders), then events over [start, until]. */
export type FlowShop = Pick<DemoShop, 'start' | 'until' | 'profiles' | 'events'>;

export interface FlowOptions {
  shop: FlowShop;
  /** The engine configuration (a real shop's replay brings its own: cli/history-run.ts). @default {} */
  config?: object;
  workflow: SynthesizedWorkflow;
  templatesDir: string;
  meter: boolean;
  /** How the handlers reach the stand-ins. @default the runtime's default (memory) */
  transport?: Transport;
}

/** SES events for the sent messages (one Delivery each), through the ses-events handler. */
export interface Feedback {
  events: number;
  invocations: Invocation[];
  capacity?: CapacityReport;
  logs: OutputCapture;
}

export interface FlowResult {
  emails: number;
  /** Wall time of the simulated week only (no startup, import or teardown). */
  wallMs: number;
  /** CPU time of this process (user + system) over the same span: steadier than wall time on a shared machine. */
  cpuMs: number;
  /** The transport the run used. */
  transport: Transport;
  stats: EmbeddedStats;
  invocations: Invocation[];
  /** Wall time of each workflow execution (the simulator job that ran it). */
  executionMs: number[];
  ingests: number;
  sweeps: number;
  /** Task handler errors (Step Functions logs those at ERROR) and failed executions. */
  taskErrors: number;
  failedExecutions: number;
  jobFailures: number;
  logs: OutputCapture;
  capacity?: CapacityReport;
  feedback?: Feedback;
}

export async function runFlow(options: FlowOptions): Promise<FlowResult> {
  const { shop } = options;
  const invocations: Invocation[] = [];
  let meter: CapacityMeter | undefined;
  const embedded = await startEmbedded({
    start: shop.start,
    config: options.config ?? {},
    templatesDir: options.templatesDir,
    workflow: options.workflow,
    handlers: timedHandlers(invocations),
    ...(options.transport && { transport: options.transport }),
    ...(options.meter && {
      dynamoProxy: async (target) => {
        meter = await startCapacityMeter(target);
        return meter;
      },
    }),
  });
  try {
    const lines = shop.profiles.map((value, i) => ({ line: i + 1, ok: true as const, value }));
    meter?.setEnabled(false); // the import is setup, not the steady state being measured
    await importProfiles(lines, {
      at: shop.start,
      config: parseConfig(options.config ?? {}),
      source: 'profiles',
      stores: embedded.stores,
    });
    meter?.setEnabled(true);
    for (const event of shop.events as ShopEvent[]) {
      if (new Date(event.time) <= shop.until) embedded.publish(event);
    }

    const executionMs: number[] = [];
    let ingests = 0;
    let sweeps = 0;
    await preloadHandlers(); // a cold start is not part of the steady state
    meter?.reset();
    const stopCapture = captureOutput();
    let logs: OutputCapture;
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    let last = started;
    try {
      await embedded.runUntil(shop.until, ({ label }) => {
        // Jobs run one at a time, so the gap between two progress calls is the job that just ended.
        const at = performance.now();
        if (label.startsWith('execution ')) executionMs.push(at - last);
        else if (label.startsWith('event ')) ingests += 1;
        else if (label.endsWith('-sweep')) sweeps += 1;
        last = at;
      });
    } finally {
      logs = stopCapture();
    }
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuStart);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const capacity = meter?.snapshot();
    const executions = embedded.executions();
    const result: FlowResult = {
      emails: (await embedded.emails()).length,
      wallMs,
      cpuMs,
      transport: options.transport ?? DEFAULT_TRANSPORT,
      stats: embedded.stats(),
      invocations,
      executionMs,
      ingests,
      sweeps,
      taskErrors: executions.reduce((n, e) => n + e.taskErrors.length, 0),
      failedExecutions: embedded.failedExecutions().length,
      jobFailures: embedded.failures().length,
      logs,
      ...(capacity && { capacity }),
    };
    result.feedback = await sesFeedback(embedded, meter);
    return result;
  } finally {
    await embedded.stop();
  }
}

/** SES's Send and Delivery events for every sent message, through the real ses-events handler. */
async function sesFeedback(embedded: Embedded, meter: CapacityMeter | undefined): Promise<Feedback> {
  const deps = embedded.depsFor('ses-events');
  const sent = (await embedded.stores.ledger.all()).filter((e) => e.decision === 'sent');
  const invocations: Invocation[] = [];
  const handler = timed('ses-events', invocations);
  meter?.reset();
  const stopCapture = captureOutput();
  let logs: OutputCapture;
  let events = 0;
  try {
    for (const entry of sent) {
      // The configuration set publishes no SEND events (lib/constructs/delivery.ts): Delivery is the one per message.
      for (const eventType of ['Delivery']) {
        events += 1;
        await handler(
          {
            version: '0',
            id: `bench-ses-${events}`,
            'detail-type': eventType === 'Send' ? 'Email Sent' : 'Email Delivered',
            source: 'aws.ses',
            time: entry.updatedAt,
            detail: {
              eventType,
              mail: {
                messageId: entry.sesMessageId ?? 'unknown',
                timestamp: entry.updatedAt,
                tags: { [SES_TAGS.messageId]: [entry.messageId], [SES_TAGS.journey]: [entry.journey] },
              },
            },
          },
          deps,
        );
      }
    }
  } finally {
    logs = stopCapture();
  }
  return { events, invocations, logs, ...(meter && { capacity: meter.snapshot() }) };
}
