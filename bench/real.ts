/**
 * The bench's real-data row: a sample of a real shop's history (the UCI "Online Retail" export, as
 * `reciprocity history --sample` cuts it) replayed for a month by `reciprocity run`'s own session, each run in
 * a process of its own (bench/real-run.ts) so its peak resident memory is its own. Beside each real run, the
 * demo shop's week (1,200 customers, the inputs `reciprocity demo` writes) goes through the same command, so
 * the two shops' emails per CPU second are compared side by side under the same load (issue 12's goal: a real
 * shop at the demo's speed). Skipped, and said so, when the export is not on this machine.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEMO_CONFIG, SETTLE_DAYS, writeDemoInput as writeDemoShop } from '../cli/demo.js';
import { generateDemoShop } from '../cli/demo-data.js';
import { writeHistoryRun } from '../cli/history.js';
import { historyToRun } from '../cli/history-run.js';
import { loadOrderHistory, UCI_ONLINE_RETAIL } from '../cli/order-history.js';
import type { RealRunFigures } from './real-run.js';
import { type Spread, spread } from './stats.js';

/** The replay: the export, its month, and the share of customers kept. */
export const REAL_SHOP = {
  export: 'online-retail-2010-12-to-2011-06.csv.gz',
  split: '2011-06-01T00:00:00.000Z',
  until: '2011-07-01T00:00:00.000Z',
  sample: 0.05,
};

export interface RealShopFigures {
  sample: number;
  month: string;
  customers: number;
  pastOrders: number;
  products: number;
  orders: number;
  emails: number;
  emailsAgree: boolean;
  /** Emails per wall / CPU second of the simulated month alone (as the demo row). */
  perWallSecond: Spread;
  perCpuSecond: Spread;
  /** The whole command, from process start to exit (startup, import, the month, the outputs). */
  commandSeconds: Spread;
  peakRssMb: Spread;
  /** Exactly-once and counters checks over every run: duplicates + silent losses + counter differences. */
  problems: number;
  /** The demo shop through the same command beside each real run: its emails and emails per CPU second. */
  demo: { emails: number; perCpuSecond: Spread; perWallSecond: Spread };
  /** Real over demo emails per CPU second, run by run (1.0: the demo's speed). */
  speedRatio: Spread;
}

/** Where the export is looked for: beside the repository, as in the README's commands. */
export function realShopExport(root: string): string {
  return join(root, '..', 'shared', 'data', 'online-retail', REAL_SHOP.export);
}

export async function benchRealShop(options: {
  root: string;
  runs: number;
  sample?: number;
  progress: (message: string) => void;
}): Promise<RealShopFigures | { skipped: string }> {
  const file = realShopExport(options.root);
  if (!existsSync(file)) return { skipped: `${file} is not on this machine` };
  const sample = options.sample ?? REAL_SHOP.sample;
  const work = join(options.root, 'bench', 'results', 'tmp', `real-${sample}`);
  const history = await loadOrderHistory(file, UCI_ONLINE_RETAIL);
  const run = historyToRun(history, {
    split: new Date(REAL_SHOP.split),
    until: new Date(REAL_SHOP.until),
    sample,
  });
  await rm(work, { recursive: true, force: true });
  await writeHistoryRun(join(work, 'input'), run);
  const demo = await writeDemoInput(join(work, 'demo-input'));
  const results: (RealRunFigures & { commandMs: number })[] = [];
  const demos: RealRunFigures[] = [];
  const realReplay = { dir: join(work, 'input'), start: REAL_SHOP.split, until: REAL_SHOP.until };
  for (let n = 1; n <= options.runs; n++) {
    const started = performance.now();
    const figures = await runChild(options.root, work, `real-${n}`, realReplay);
    results.push({ ...figures, commandMs: performance.now() - started });
    options.progress(
      `real shop run ${n}/${options.runs}: ${figures.emails} emails, month ${(figures.simulatedWallMs / 1000).toFixed(1)} s (${(figures.simulatedCpuMs / 1000).toFixed(1)} CPU s), peak RSS ${figures.peakRssMb.toFixed(0)} MB`,
    );
    const beside = await runChild(options.root, work, `demo-${n}`, demo);
    demos.push(beside);
    options.progress(
      `demo shop beside it ${n}/${options.runs}: ${beside.emails} emails, ${(beside.simulatedCpuMs / 1000).toFixed(1)} CPU s`,
    );
  }
  const perCpu = (r: RealRunFigures) => r.emails / (r.simulatedCpuMs / 1000);
  const f = run.facts;
  return {
    sample,
    month: `${REAL_SHOP.split.slice(0, 10)} to ${REAL_SHOP.until.slice(0, 10)}`,
    customers: f.customers,
    pastOrders: f.pastOrders,
    products: f.products,
    orders: f.orderEvents,
    emails: results[0]?.emails ?? 0,
    emailsAgree: results.every((r) => r.emails === results[0]?.emails),
    perWallSecond: spread(results.map((r) => r.emails / (r.simulatedWallMs / 1000))),
    perCpuSecond: spread(results.map((r) => r.emails / (r.simulatedCpuMs / 1000))),
    commandSeconds: spread(results.map((r) => r.commandMs / 1000)),
    peakRssMb: spread(results.map((r) => r.peakRssMb)),
    problems: [...results, ...demos].reduce(
      (n, r) => n + r.duplicateEmails + r.silentLosses + r.counterDifferences,
      0,
    ),
    demo: {
      emails: demos[0]?.emails ?? 0,
      perCpuSecond: spread(demos.map(perCpu)),
      perWallSecond: spread(demos.map((r) => r.emails / (r.simulatedWallMs / 1000))),
    },
    speedRatio: spread(results.map((r, i) => perCpu(r) / perCpu(demos[i]!))),
  };
}

/** The demo shop's inputs as `reciprocity demo` writes them, for `reciprocity run`: its week and settling days. */
async function writeDemoInput(dir: string): Promise<{ dir: string; start: string; until: string }> {
  const shop = generateDemoShop({ customers: 1200 });
  await writeDemoShop(dir, shop);
  await writeFile(join(dir, 'config.json'), JSON.stringify(DEMO_CONFIG));
  const until = new Date(shop.until.getTime() + SETTLE_DAYS * 86_400_000);
  return { dir, start: shop.start.toISOString(), until: until.toISOString() };
}

/** One replay in a child process; its stdout (the handlers' logs) is dropped, its stderr shown on failure. */
async function runChild(
  root: string,
  work: string,
  n: string,
  replay: { dir: string; start: string; until: string },
): Promise<RealRunFigures> {
  const result = join(work, `run-${n}.json`);
  const args = [
    '--import',
    'tsx',
    join(root, 'bench', 'real-run.ts'),
    '--dir',
    replay.dir,
    '--start',
    replay.start,
    '--until',
    replay.until,
    '--out',
    join(work, `out-${n}`),
    '--result',
    result,
  ];
  await mkdir(work, { recursive: true });
  const stderr: Buffer[] = [];
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', fail);
    child.on('close', done);
  });
  if (code !== 0)
    throw new Error(`real shop run ${n} exited with ${code}: ${Buffer.concat(stderr).toString()}`);
  return JSON.parse(await readFile(result, 'utf8')) as RealRunFigures;
}
