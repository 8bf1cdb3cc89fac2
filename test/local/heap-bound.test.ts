/**
 * The embedded mode's heap bound (local/heap-bound.ts): with it, V8 collects once the heap has grown by the
 * percent over what it kept, so the heap stays near the live data; without it, the same garbage lets the heap
 * grow far past it. Each in a process of its own (the setting is the process's).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { boundHeapGrowth, HEAP_GROWING_PERCENT } from '../../local/heap-bound.js';

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
