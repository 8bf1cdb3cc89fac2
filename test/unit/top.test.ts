/** firstBy: the first k of a stable sort, without sorting everything. */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../functions/domain/bandit.js';
import { firstBy } from '../../functions/domain/top.js';

describe('Function: firstBy', () => {
  it('gives what a stable sort and a slice give, ties in input order', () => {
    const rand = seededRandom('top.test.ts 3');
    // Entries as candidatePlan ranks them: count descending, then sku; many ties and repeated entries.
    const compare = (a: [string, number, number], b: [string, number, number]) =>
      b[1] - a[1] || a[0].localeCompare(b[0]);
    for (let round = 0; round < 200; round++) {
      const items = Array.from(
        { length: Math.floor(rand() * 120) },
        (_, i) => [`S${Math.floor(rand() * 30)}`, Math.floor(rand() * 5), i] as [string, number, number],
      );
      for (const k of [0, 1, 3, 8, 200])
        expect(firstBy(items, k, compare)).toEqual([...items].sort(compare).slice(0, k));
    }
  });
});
