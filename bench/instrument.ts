/**
 * Instruments an embedded run without touching the handlers: each real handler wrapped to time its calls
 * (wall clock) and note the simulated instant, and everything written to stdout/stderr counted (the
 * handlers' Powertools logger writes there) instead of printed.
 */

import { now } from '../functions/adapters/clock.js';
import { HANDLERS } from '../functions/domain/names.js';
import type { Handler, HandlerName } from '../local/handlers.js';

export type BenchHandler = HandlerName | 'ses-events';

export interface Invocation {
  handler: BenchHandler;
  ms: number;
  /** Simulated time of the call (ms since epoch). */
  simAt: number;
}

// Imported on first call, after startEmbedded has pointed process.env at the local servers.
const MODULES: Record<BenchHandler, () => Promise<{ handler: Handler }>> = {
  ingest: () => import('../functions/handlers/ingest.js') as Promise<{ handler: Handler }>,
  personalize: () => import('../functions/handlers/personalize.js') as Promise<{ handler: Handler }>,
  'check-consent': () => import('../functions/handlers/check-consent.js') as Promise<{ handler: Handler }>,
  send: () => import('../functions/handlers/send.js') as Promise<{ handler: Handler }>,
  record: () => import('../functions/handlers/record.js') as Promise<{ handler: Handler }>,
  defer: () => import('../functions/handlers/defer.js') as Promise<{ handler: Handler }>,
  'birthday-sweep': () => import('../functions/handlers/birthday-sweep.js') as Promise<{ handler: Handler }>,
  'inactivity-sweep': () =>
    import('../functions/handlers/inactivity-sweep.js') as Promise<{ handler: Handler }>,
  'ses-events': () => import('../functions/handlers/ses-events.js') as Promise<{ handler: Handler }>,
};

/** The real handler `name`, timed into `sink` (module loading excluded: that is a cold start). */
export function timed(name: BenchHandler, sink: Invocation[]): Handler {
  let loaded: Handler | undefined;
  return async (event) => {
    loaded ??= (await MODULES[name]()).handler;
    const simAt = now().getTime();
    const started = performance.now();
    try {
      return await loaded(event);
    } finally {
      sink.push({ handler: name, ms: performance.now() - started, simAt });
    }
  };
}

/** Imports every handler module (after startEmbedded set the environment), so no timing includes a load. */
export async function preloadHandlers(): Promise<void> {
  await Promise.all(Object.values(MODULES).map((load) => load()));
}

/** Every handler the embedded runtime calls, timed. */
export function timedHandlers(sink: Invocation[]): Partial<Record<HandlerName, Handler>> {
  // Every Lambda except the two the embedded runtime does not drive itself (tests call them directly).
  const names = HANDLERS.filter((h): h is HandlerName => h !== 'ses-events' && h !== 'customer-http');
  return Object.fromEntries(names.map((name) => [name, timed(name, sink)]));
}

export interface OutputCapture {
  /** Lines that are Powertools JSON log records (they have `level` and `message`). */
  logLines: number;
  logBytes: number;
  /** Anything else written meanwhile (e.g. Node warnings): not a handler log, reported apart. */
  otherBytes: number;
  /** A few of the log lines, for the report. */
  samples: string[];
}

/** Swallows and counts process output until the returned function is called. */
export function captureOutput(): () => OutputCapture {
  const capture: OutputCapture = { logLines: 0, logBytes: 0, otherBytes: 0, samples: [] };
  const record = (chunk: unknown): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    for (const line of text.split('\n').filter(Boolean)) {
      const bytes = Buffer.byteLength(line);
      if (isLogRecord(line)) {
        capture.logLines += 1;
        capture.logBytes += bytes;
        if (capture.samples.length < 3) capture.samples.push(line.slice(0, 300));
      } else capture.otherBytes += bytes;
    }
    return true;
  };
  const { stdout, stderr } = process;
  const original = { out: stdout.write, err: stderr.write };
  stdout.write = record as typeof stdout.write;
  stderr.write = record as typeof stderr.write;
  return () => {
    stdout.write = original.out;
    stderr.write = original.err;
    return capture;
  };
}

function isLogRecord(line: string): boolean {
  try {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    return typeof parsed.level === 'string' && 'message' in parsed;
  } catch {
    return false;
  }
}
