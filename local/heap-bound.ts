/**
 * Keeps an embedded run's heap near what it holds. V8 lets a busy heap grow to up to four times what survived
 * its last full collection before it collects again: a real shop's month, with some 250 MB live (its tables,
 * every stand-in's state, the code), peaked at 1.1-1.3 GB resident, most of it garbage. This sets V8's own
 * heap growing factor (`--heap-growing-percent`), so that its collector (incremental, marking on a helper
 * thread) starts a full collection once the heap has grown by HEAP_GROWING_PERCENT over what the last one
 * kept. V8 reads the flag at every collection, so setting it while the process runs takes effect (measured
 * below, and test/local/heap-bound.test.ts). It is the process's setting: embedded mode is the process.
 * V8's heap limit is left alone: a shop whose data outgrows any bound costs collections, never a crash.
 *
 * Before, the runtime forced full collections itself between simulated jobs (`gc()` once the heap had grown
 * 1.4x): about the same bound for a third more CPU. Measured on the full June replay (2026-12-03, runs one
 * after another on a 2-core machine, `tsx bench/real-run.ts`, simulated month): forced at 1.4x 150 s CPU and
 * 480 MB peak resident; V8 at 40% 120 s and 506 MB; at 30% 113 s and 483 MB.
 */
import { setFlagsFromString } from 'node:v8';

/** A full collection starts once the heap has grown this much (percent) over what the last one kept. */
export const HEAP_GROWING_PERCENT = 30;

/** Bounds this process's heap growth between full collections (embedded mode calls it as a run starts). */
export function boundHeapGrowth(percent: number = HEAP_GROWING_PERCENT): void {
  if (!Number.isInteger(percent) || percent <= 0)
    throw new RangeError(`The heap growing percent is a whole number above 0, not ${percent}`);
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
