/**
 * What bench/links.ts and bench/parse.ts share: a module loaded from another checkout (so an older commit's
 * worktree can be measured beside this one, run after run) and the median CPU microseconds of one call.
 */
import { resolve } from 'node:path';
import { cpuUsage } from 'node:process';
import { pathToFileURL } from 'node:url';
import { median } from './stats.js';

/** The checkout named on the command line (default: this one) and its module at `path`, typed as ours. */
export async function moduleOf<T>(path: string): Promise<{ dir: string; module: T }> {
  const dir = resolve(process.argv[2] ?? '.');
  return { dir, module: (await import(pathToFileURL(resolve(dir, path)).href)) as T };
}

/** Median over `rounds` rounds of the CPU (user + system) microseconds per call of `call(i)`, `perRound` calls each. */
export function cpuMicrosPerCall(rounds: number, perRound: number, call: (i: number) => void): number {
  const perCall: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = cpuUsage();
    for (let i = 0; i < perRound; i++) call(i);
    const used = cpuUsage(start);
    perCall.push((used.user + used.system) / perRound);
  }
  return median(perCall);
}
