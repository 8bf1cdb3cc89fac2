import { describe, expect, it } from 'vitest';
import { popularityOf } from '../../functions/domain/popularity.js';

describe('popularityOf', () => {
  it('rounds the order count down to a ladder step', () => {
    expect(
      [0, 1, 2, 3, 4, 5, 7, 9, 10, 11, 12, 14, 15, 19, 20, 24, 25, 99, 100, 130, 1234].map(popularityOf),
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 8, 10, 10, 12, 12, 15, 15, 20, 20, 25, 80, 100, 120, 1200]);
  });

  it('never ranks a product with more orders below one with fewer, and changes rarely', () => {
    let changes = 0;
    for (let n = 1; n <= 10_000; n++) {
      expect(popularityOf(n)).toBeGreaterThanOrEqual(popularityOf(n - 1));
      if (popularityOf(n) !== popularityOf(n - 1)) changes++;
    }
    // About ten steps per decade: 41 changes over 10,000 orders (against 10,000 for the exact count).
    expect(changes).toBeLessThanOrEqual(45);
  });
});
