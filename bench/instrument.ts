/**
 * Instruments an embedded run without touching the handlers: each real handler wrapped to time its calls
 * (wall clock) and note the simulated instant, and everything written to stdout/stderr counted (the
 * handlers' Powertools logger writes there) instead of printed.
 */

import type { Deps } from '../functions/app/deps.js';
import { toHandler } from '../functions/app/lambda.js';
import { HANDLERS } from '../functions/domain/names.js';
import { type Handler, type HandlerName, useCaseOf } from '../local/handlers.js';

export type BenchHandler = HandlerName | 'ses-events';

export interface Invocation {
  handler: BenchHandler;
  ms: number;
  /** Simulated time of the call (ms since epoch). */
  simAt: number;
}

/** The real use case `name` in its middleware, timed into `sink` (built on first call: not a cold start). */
export function timed(name: BenchHandler, sink: Invocation[]): Handler {
  let loaded: ((event: unknown) => Promise<unknown>) | undefined;
  let forDeps: Deps | undefined;
  return async (event, deps) => {
    if (!loaded || forDeps !== deps) {
      const handler = toHandler(await useCaseOf(name), deps);
      loaded = (e) => handler(e, { awsRequestId: crypto.randomUUID() });
      forDeps = deps;
    }
    const simAt = deps.clock().getTime();
    const started = performance.now();
    try {
      return await loaded(event);
    } finally {
      sink.push({ handler: name, ms: performance.now() - started, simAt });
    }
  };
}

/** Loads every use case module, so no timing includes a module load. */
export async function preloadHandlers(): Promise<void> {
  await import('../functions/usecases/index.js');
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
