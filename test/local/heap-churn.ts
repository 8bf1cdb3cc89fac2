/**
 * A child process for test/local/heap-bound.test.ts: holds some live data, makes old-generation garbage
 * (batches that survive a few rounds, then are dropped) and prints the heap it held at the start and its peak.
 * With `--bound`, local/heap-bound.ts's bound is set first.
 */
import { boundHeapGrowth } from '../../local/heap-bound.js';

if (process.argv.includes('--bound')) boundHeapGrowth();
const live: object[][] = [];
for (let i = 0; i < 40; i++) live.push(Array.from({ length: 40_000 }, (_, j) => ({ j, s: `x${j}` })));
const start = process.memoryUsage().heapUsed;
let peak = start;
const recent: object[][] = [];
for (let round = 0; round < 200; round++) {
  recent.push(Array.from({ length: 20_000 }, (_, j) => ({ j, round })));
  if (recent.length > 8) recent.shift();
  peak = Math.max(peak, process.memoryUsage().heapUsed);
}
process.stdout.write(`${JSON.stringify({ start, peak, held: live.length })}\n`);
