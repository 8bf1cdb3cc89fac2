/**
 * A product's popularity as the category index sorts it: its order count rounded down to a step of a ladder
 * with ten steps per decade (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 12, ...). Items about 25% apart in orders
 * are ranked apart; the key changes about ten times per tenfold growth of a product's orders instead of on
 * every order, and each change is two index writes.
 */
const STEPS = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8] as const;

export function popularityOf(orderCount: number): number {
  if (!(orderCount >= 1)) return 0;
  const decade = 10 ** Math.floor(Math.log10(orderCount));
  let step = decade;
  for (const s of STEPS) {
    const value = Math.round(s * decade * 100) / 100;
    if (value <= orderCount) step = value;
  }
  // Counts are whole numbers: 1.2 and 1.5 of the first decade round down to 1.
  return Math.floor(step);
}
