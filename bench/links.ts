/**
 * What one email link costs: CPU microseconds to seal and then open one feedback link (functions/domain/links.ts),
 * median of 7 rounds of 5,000. `npx tsx bench/links.ts [DIR]` measures the links module of the checkout at DIR
 * (default: this one), so an older commit's worktree can be measured beside it, run after run.
 */
import { cpuMicrosPerCall, moduleOf } from './micro.js';

const ROUNDS = 7;
const PER_ROUND = 5000;

const { dir, module } =
  await moduleOf<typeof import('../functions/domain/links.js')>('functions/domain/links.ts');
const keys = { current: 'k1', keys: { k1: 'a-long-enough-secret-for-links-0123456789' } };
const now = new Date('2026-12-01T00:00:00Z');
const exp = Math.floor(now.getTime() / 1000) + 86_400;
const micros = cpuMicrosPerCall(ROUNDS, PER_ROUND, (i) => {
  const token = module.signLink(
    { purpose: 'feedback', customerId: `c${i}`, messageId: `m${i}`, exp, data: { s: 'SKU-1', v: 'up' } },
    keys,
  );
  if (!module.verifyLink(token, 'feedback', keys, now).ok) throw new Error('a sealed link did not open');
});
console.log(
  `${dir}: ${micros.toFixed(1)} µs CPU to seal and open one link (median of ${ROUNDS} x ${PER_ROUND})`,
);
