/**
 * What one email link costs: CPU microseconds to seal and then open one feedback link (functions/domain/links.ts),
 * median of 7 rounds of 5,000. `npx tsx bench/links.ts [DIR]` measures the links module of the checkout at DIR
 * (default: this one), so an older commit's worktree can be measured beside it, run after run.
 */
import { resolve } from 'node:path';
import { cpuUsage } from 'node:process';
import { pathToFileURL } from 'node:url';

const ROUNDS = 7;
const PER_ROUND = 5000;

async function main(): Promise<void> {
  const dir = resolve(process.argv[2] ?? '.');
  const module = (await import(
    pathToFileURL(resolve(dir, 'functions/domain/links.ts')).href
  )) as typeof import('../functions/domain/links.js');
  const keys = { current: 'k1', keys: { k1: 'a-long-enough-secret-for-links-0123456789' } };
  const now = new Date('2026-12-01T00:00:00Z');
  const exp = Math.floor(now.getTime() / 1000) + 86_400;
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = cpuUsage();
    for (let i = 0; i < PER_ROUND; i++) {
      const token = module.signLink(
        { purpose: 'feedback', customerId: `c${i}`, messageId: `m${i}`, exp, data: { s: 'SKU-1', v: 'up' } },
        keys,
      );
      if (!module.verifyLink(token, 'feedback', keys, now).ok) throw new Error('a sealed link did not open');
    }
    const used = cpuUsage(start);
    rounds.push((used.user + used.system) / PER_ROUND);
  }
  rounds.sort((a, b) => a - b);
  const median = rounds[Math.floor(ROUNDS / 2)]!;
  console.log(
    `${dir}: ${median.toFixed(1)} µs CPU to seal and open one link (median of ${ROUNDS} x ${PER_ROUND})`,
  );
}

await main();
