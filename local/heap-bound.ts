/**
 * Keeps an embedded run's heap near what it holds. V8 lets a busy heap grow to up to four times what survived
 * its last full collection before it collects again: a real shop's month, with some 250 MB live (its tables,
 * every stand-in's state, the code), peaked at 1.1-1.3 GB resident, most of it garbage. Between two jobs of the
 * simulated clock (never inside one) this collects in full once the heap has grown by `factor` over what the
 * last collection kept, so the resident size follows the live data, not V8's appetite. V8's own heap limit is
 * left alone: a shop whose data outgrows any bound costs collections, never a crash.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full collection is asked for once the heap has grown this much over what the last one kept. Measured on
 * the full June replay (2026-12-02, two replays side by side): 1.5 peaked at 503 MB resident, 1.3 at 469 MB
 * for about 17% more CPU; about 250 MB of the resident size is not the heap at all (code, the modules).
 */
export const HEAP_GROWTH_FACTOR = 1.4;
/** Below this much heap in use, nothing is collected on purpose (a small run never pays for it). */
export const HEAP_FLOOR_BYTES = 160 * 1024 * 1024;

export interface HeapBoundStats {
  collections: number;
  /** Wall time spent in the collections asked for. */
  ms: number;
}

export class HeapBound {
  private limit: number;
  private collections = 0;
  private ms = 0;

  constructor(
    private readonly collect: () => void,
    private readonly options: {
      factor: number;
      floorBytes: number;
      used: () => number;
    } = { factor: HEAP_GROWTH_FACTOR, floorBytes: HEAP_FLOOR_BYTES, used: heapUsed },
  ) {
    this.limit = options.floorBytes;
  }

  /** Between jobs: collects in full when the heap has outgrown the bound, and sets the next bound. */
  check(): void {
    if (this.options.used() < this.limit) return;
    const started = performance.now();
    this.collect();
    this.ms += performance.now() - started;
    this.collections += 1;
    this.limit = Math.max(this.options.floorBytes, this.options.used() * this.options.factor);
  }

  stats(): HeapBoundStats {
    return { collections: this.collections, ms: this.ms };
  }
}

function heapUsed(): number {
  return getHeapStatistics().used_heap_size;
}

/**
 * A bound on this process's heap. The collector is V8's own full collection: `gc` when node runs with
 * --expose-gc, otherwise the same function taken from a new context once the flag is set (it only adds the
 * function; nothing else about the process changes).
 */
export function processHeapBound(): HeapBound {
  return new HeapBound(fullCollection());
}

let collector: (() => void) | undefined;
/** V8's full collection of this process's heap. */
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
