/**
 * The embedded mode's heap bound (local/heap-bound.ts). V8's growing factor: with it, V8 collects once the
 * heap has grown by the percent over what it kept, so the heap stays near the live data; without it, the same
 * garbage lets the heap grow far past it (each in a process of its own: the setting is the process's). The
 * committed-heap budget: a full collection only once the committed heap reaches the budget (never below the
 * floor), checked on a timer that stops when asked.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { boundHeapGrowth, fullCollection, HEAP_GROWING_PERCENT, HeapBound } from '../../local/heap-bound.js';

const CHURN = fileURLToPath(new URL('./heap-churn.ts', import.meta.url));

async function churn(bound: boolean): Promise<{ start: number; peak: number }> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', CHURN, ...(bound ? ['--bound'] : [])],
    { env: { ...process.env, NODE_OPTIONS: '' } },
  );
  return JSON.parse(stdout) as { start: number; peak: number };
}

describe('Function: boundHeapGrowth', () => {
  it('keeps the heap near what it holds, where V8 alone lets it grow to twice that and more', async () => {
    // Act
    const [bounded, unbounded] = await Promise.all([churn(true), churn(false)]);

    // Assess: about 1.3x plus the young generation and the garbage in flight when it was measured.
    expect(bounded.peak / bounded.start).toBeLessThan(1 + HEAP_GROWING_PERCENT / 100 + 0.45);
    expect(unbounded.peak / unbounded.start).toBeGreaterThan(2);
    expect(unbounded.peak).toBeGreaterThan(bounded.peak * 1.3);
  }, 60_000);

  it('takes a whole percent above 0', () => {
    expect(() => boundHeapGrowth(0)).toThrow(RangeError);
    expect(() => boundHeapGrowth(12.5)).toThrow(/whole number above 0/);
  });
});

const MB = 1024 * 1024;

describe('Class: HeapBound', () => {
  it('collects once the committed heap passes the floor, then once it has grown by the factor over what was kept', () => {
    // Prepare
    let used = 50 * MB;
    const kept = [120 * MB, 150 * MB];
    const collected: number[] = [];
    const bound = new HeapBound(
      () => {
        collected.push(used);
        used = kept.shift() ?? used;
      },
      { factor: 1.5, floorBytes: 100 * MB, committed: () => used, used: () => used },
    );

    // Act and Assess: below the floor nothing happens.
    bound.check();
    expect(collected).toEqual([]);
    used = 101 * MB;
    bound.check();
    // 120 MB kept: the next bound is 180 MB.
    expect(collected).toEqual([101 * MB]);
    used = 179 * MB;
    bound.check();
    expect(collected).toHaveLength(1);
    used = 181 * MB;
    bound.check();
    expect(collected).toEqual([101 * MB, 181 * MB]);
    expect(bound.stats().collections).toBe(2);
  });

  it('sets the next budget from the heap the collection kept in use, not from what V8 still has committed', () => {
    // Prepare: after each collection 200 MB stays committed but only 100 MB is in use.
    let committed = 400 * MB;
    let collections = 0;
    const bound = new HeapBound(
      () => {
        collections += 1;
        committed = 200 * MB;
      },
      { factor: 1.5, floorBytes: 100 * MB, committed: () => committed, used: () => 100 * MB },
    );

    // Act: the budget is 150 MB (1.5 x 100), so 200 MB committed collects again.
    bound.check();
    bound.check();

    // Assess
    expect(collections).toBe(2);
  });

  it('forces no second collection within the least gap, however far over the budget', () => {
    // Prepare
    let clock = 0;
    let collections = 0;
    const bound = new HeapBound(() => (collections += 1), {
      factor: 1,
      floorBytes: 0,
      committed: () => 500 * MB,
      used: () => 100 * MB,
      minGapMs: 20_000,
      now: () => clock,
    });

    // Act and Assess
    bound.check();
    clock = 19_999;
    bound.check();
    expect(collections).toBe(1);
    clock = 20_000;
    bound.check();
    expect(collections).toBe(2);
  });

  it('never sets a bound under the floor', () => {
    // Prepare
    let used = 200 * MB;
    let collections = 0;
    const bound = new HeapBound(
      () => {
        collections += 1;
        used = 10 * MB;
      },
      { factor: 1.5, floorBytes: 100 * MB, committed: () => used, used: () => used },
    );

    // Act
    bound.check();
    used = 90 * MB;
    bound.check();

    // Assess
    expect(collections).toBe(1);
  });

  it("uses V8's own full collection: what nothing holds any more is freed", () => {
    // Prepare
    let garbage: object[] | undefined = Array.from({ length: 200_000 }, (_, i) => ({ i }));
    const bound = new HeapBound(fullCollection(), {
      factor: 1.5,
      floorBytes: 0,
      committed: () => process.memoryUsage().heapUsed,
      used: () => process.memoryUsage().heapUsed,
    });
    const before = process.memoryUsage().heapUsed;
    garbage = undefined;

    // Act
    bound.check();

    // Assess
    expect(garbage).toBeUndefined();
    expect(process.memoryUsage().heapUsed).toBeLessThan(before - 5 * MB);
  });

  it('checks on a timer while it is watched, and not after it is stopped', async () => {
    // Prepare: always over the budget, so every check collects.
    let collections = 0;
    const bound = new HeapBound(() => (collections += 1), {
      factor: 1,
      floorBytes: 0,
      committed: () => 1,
      used: () => 1,
    });

    // Act
    const stop = bound.watch(5);
    await new Promise((resolve) => setTimeout(resolve, 60));
    stop();
    const seen = collections;
    await new Promise((resolve) => setTimeout(resolve, 40));

    // Assess
    expect(seen).toBeGreaterThan(1);
    expect(collections).toBe(seen);
  });
});
