/**
 * Keeps an embedded run's heap near what it holds. V8 lets a busy heap grow to up to four times what survived
 * its last full collection before it collects again: a real shop's month, with some 230 MB live (its tables,
 * every stand-in's state), peaked at 1.1-1.3 GB resident, most of it garbage. Two parts:
 * - V8's own heap growing factor (`--heap-growing-percent`, HEAP_GROWING_PERCENT): its collector (incremental,
 *   marking on a helper thread) starts a full collection once the heap has grown by that much over what the
 *   last one kept. V8 reads the flag at every collection, so setting it while the process runs takes effect
 *   (test/local/heap-bound.test.ts). It is the process's setting: in embedded mode the process is the run.
 * - A budget on the heap V8 keeps committed (HeapBound): its own collections leave freed pages reserved, so
 *   resident memory follows the heap's high-water mark, not its data. Checked every CHECK_MS while the run is
 *   up (the customers' import and the outputs too, not only the simulated span: a budget set from the
 *   committed heap and checked between simulated jobs only let the peak reach 512-517 MB), once the committed heap reaches HEAP_BUDGET_FLOOR_BYTES, or
 *   HEAP_BUDGET_FACTOR times what the last such collection kept in use, a full collection compacts it and
 *   gives the pages back, at most once per MIN_COLLECTION_GAP_MS. When a collection runs changes no output.
 * V8's heap limit is left alone: a shop whose data outgrows any bound costs collections, never a crash.
 *
 * Measured on the full June replay (2026-12-03, `tsx bench/real-run.ts`, simulated month, runs one after
 * another on a 2-core machine): full collections forced whenever the heap in use grew 1.4x (before) 150 s CPU
 * and 480 MB peak resident; V8 at 30% alone 107-122 s and 502-522 MB; both parts as here (7cdbac4) 99 s and
 * 476 MB, from 2 forced collections (0.5 s). A forced collection is atomic, on the main thread,
 * and its cost is more than its pause (the run was about a third slower with 35 of them).
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8 starts a full collection once the heap has grown this much (percent) over what the last one kept. */
export const HEAP_GROWING_PERCENT = 30;
/** The committed heap at which a full collection gives pages back, at the least. */
export const HEAP_BUDGET_FLOOR_BYTES = 360 * 1024 * 1024;
/** ... or this many times what the last forced collection kept in use, if more. */
export const HEAP_BUDGET_FACTOR = 1.5;
/** How often the committed heap is checked against the budget (a read of V8's statistics: microseconds). */
export const CHECK_MS = 250;
/**
 * The least time between two forced collections. A shop whose live data is large enough that V8's own
 * growth keeps the committed heap above 1.5x its data would otherwise be collected on every check: with floors
 * under what V8 commits on its own, 46 forced collections in the June replay cost a quarter more CPU.
 */
export const MIN_COLLECTION_GAP_MS = 20_000;

/** Bounds this process's heap growth between V8's own full collections. */
export function boundHeapGrowth(percent: number = HEAP_GROWING_PERCENT): void {
  if (!Number.isInteger(percent) || percent <= 0)
    throw new RangeError(`The heap growing percent is a whole number above 0, not ${percent}`);
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}

export interface HeapBoundStats {
  collections: number;
  /** Wall time spent in the collections asked for. */
  ms: number;
}

/** The committed-heap budget: `check` collects in full once the heap has reached it. */
export class HeapBound {
  private limit: number;
  private collections = 0;
  private ms = 0;
  private notBefore = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly collect: () => void,
    private readonly options: {
      factor: number;
      floorBytes: number;
      /** The heap V8 has committed: what is checked against the budget. */
      committed: () => number;
      /** The heap in use: what a collection kept, which sets the next budget. */
      used: () => number;
      /** Wall time (ms) that must pass after a forced collection before the next one. */
      minGapMs?: number;
      now?: () => number;
    } = {
      factor: HEAP_BUDGET_FACTOR,
      floorBytes: HEAP_BUDGET_FLOOR_BYTES,
      minGapMs: MIN_COLLECTION_GAP_MS,
      committed: () => getHeapStatistics().total_heap_size,
      used: () => getHeapStatistics().used_heap_size,
    },
  ) {
    this.limit = options.floorBytes;
  }

  /** Collects in full when the heap has reached the budget, and sets the next one. */
  check(): void {
    const now = this.options.now ?? (() => performance.now());
    if (this.options.committed() < this.limit || now() < this.notBefore) return;
    const started = performance.now();
    this.collect();
    this.ms += performance.now() - started;
    this.collections += 1;
    this.limit = Math.max(this.options.floorBytes, this.options.used() * this.options.factor);
    this.notBefore = now() + (this.options.minGapMs ?? 0);
  }

  /** Checks every `everyMs` until the returned function stops it (the timer never keeps the process up). */
  watch(everyMs: number = CHECK_MS): () => void {
    const timer = setInterval(() => this.check(), everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  stats(): HeapBoundStats {
    return { collections: this.collections, ms: this.ms };
  }
}

/** Both parts for this process: V8's growing factor set now, and the budget (`watch` it). */
export function processHeapBound(): HeapBound {
  boundHeapGrowth();
  return new HeapBound(fullCollection());
}

let collector: (() => void) | undefined;
/**
 * V8's full collection of this process's heap: `gc` when node runs with --expose-gc, otherwise the same
 * function taken from a new context once the flag is set (it only adds the function; nothing else about the
 * process changes).
 */
export function fullCollection(): () => void {
  if (collector) return collector;
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') collector = exposed as () => void;
  else {
    setFlagsFromString('--expose-gc');
    collector = runInNewContext('gc') as () => void;
  }
  return collector;
}
