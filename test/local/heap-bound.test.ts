/**
 * The embedded mode's heap bound: a full collection between jobs only once the heap has grown by the factor
 * over what the last one kept (never below the floor), and the simulator asks between jobs, never inside one.
 */
import { describe, expect, it } from 'vitest';
import { fullCollection, HeapBound } from '../../local/heap-bound.js';
import { Simulator } from '../../local/simulator.js';

const MB = 1024 * 1024;

describe('Class: HeapBound', () => {
  it('collects once the heap passes the floor, then once it has grown by the factor over what was kept', () => {
    // Prepare
    let used = 50 * MB;
    const kept = [120 * MB, 150 * MB];
    const collected: number[] = [];
    const bound = new HeapBound(
      () => {
        collected.push(used);
        used = kept.shift() ?? used;
      },
      { factor: 1.5, floorBytes: 100 * MB, used: () => used },
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

  it('never sets a bound under the floor', () => {
    // Prepare
    let used = 200 * MB;
    let collections = 0;
    const bound = new HeapBound(
      () => {
        collections += 1;
        used = 10 * MB;
      },
      { factor: 1.5, floorBytes: 100 * MB, used: () => used },
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
});

describe('Class: Simulator (between jobs)', () => {
  it('calls betweenJobs after each job, never while one runs', async () => {
    // Prepare
    const seen: string[] = [];
    const sim = new Simulator({
      start: new Date('2026-03-01T00:00:00Z'),
      betweenJobs: () => seen.push('gap'),
    });
    sim.at(new Date('2026-03-01T01:00:00Z'), 'a', async () => {
      seen.push('a:start');
      await Promise.resolve();
      seen.push('a:end');
    });
    sim.at(new Date('2026-03-01T02:00:00Z'), 'b', () => {
      seen.push('b');
    });

    // Act
    await sim.runUntil(new Date('2026-03-02T00:00:00Z'));

    // Assess
    expect(seen).toEqual(['a:start', 'a:end', 'gap', 'b', 'gap']);
  });
});
