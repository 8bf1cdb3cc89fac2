/**
 * `npm run bench [-- --customers N --runs R]`: measures the embedded system on the demo shop and PRINTS the
 * figures (never asserts timing), then writes bench/results/latest.json and latest.md. Phases: stack facts,
 * one metered run (DynamoDB through the capacity proxy; also the warm-up), R timed runs, R runs of a real
 * shop's month (bench/real.ts), Liquid renders, bundle sizes, selection scaling. Progress goes to stderr; the
 * report to stdout. `--only real` measures the real shop alone and prints it (no results written); `--sample S`
 * replays that share of its customers (default 0.05; 1: the whole shop, as the README's commands do).
 * `--only cost` makes the metered run alone and prints sections 2 to 5 (DynamoDB units, work, cost; durations
 * from the metered run itself, which the proxy slows: an upper bound), no results written.
 * `--only bundles` bundles the Lambda handlers and times their module load alone, prints section 7.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateDemoShop } from '../cli/demo-data.js';
import { synthWorkflow } from '../local/synth.js';
import { analyze } from './analyze.js';
import { bundleSizes } from './bundles.js';
import { type FlowResult, runFlow } from './flow.js';
import { benchRealShop } from './real.js';
import { meterRealShop, productItemSizes, realCostSection } from './real-cost.js';
import { benchRender } from './render.js';
import {
  bundleSection,
  costSections,
  realShopRows,
  sections,
  type TransportFigures,
  toMarkdown,
  topWrites,
  toText,
} from './report.js';
import { selectionScaling } from './scaling.js';
import { stackFacts } from './stack-facts.js';
import { spread } from './stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS = join(ROOT, 'bench', 'results');

type Only = 'real' | 'cost' | 'bundles';
const ONLY: readonly Only[] = ['real', 'cost', 'bundles'];

function options(): { customers: number; runs: number; only?: Only; sample?: number } {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      customers: { type: 'string' },
      runs: { type: 'string' },
      only: { type: 'string' },
      sample: { type: 'string' },
    },
  });
  if (values.only !== undefined && !(ONLY as readonly string[]).includes(values.only)) {
    throw new Error(`--only takes: ${ONLY.join(', ')}`);
  }
  const customers = Number(values.customers ?? 1200);
  const runs = Number(values.runs ?? 3);
  if (!Number.isInteger(customers) || customers < 10 || customers > 100_000) {
    throw new Error('--customers must be an integer from 10 to 100000');
  }
  if (!Number.isInteger(runs) || runs < 1 || runs > 20)
    throw new Error('--runs must be an integer from 1 to 20');
  const sample = values.sample === undefined ? undefined : Number(values.sample);
  if (sample !== undefined && !(sample > 0 && sample <= 1))
    throw new Error('--sample must be a share of the customers, over 0 and at most 1 (1: the whole shop)');
  return {
    customers,
    runs,
    ...(values.only !== undefined ? { only: values.only as Only } : {}),
    ...(sample === undefined ? {} : { sample }),
  };
}

/** The commit measured, `+dirty` when the working tree has uncommitted changes (BENCH_REVISION overrides). */
function revision(): string {
  if (process.env.BENCH_REVISION) return process.env.BENCH_REVISION;
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain') ? '+dirty' : ''}`;
  } catch {
    return 'unknown';
  }
}

const progress = (message: string): void => {
  process.stderr.write(`[bench] ${message}\n`);
};

async function main(): Promise<void> {
  const { customers, runs, only, sample } = options();
  const started = performance.now();
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  if (only === 'real') {
    const real = await benchRealShop({ root: ROOT, runs, progress, ...(sample ? { sample } : {}) });
    const { rows, note } = realShopRows(real);
    const title = `Reciprocity bench: a real shop's month alone, ${runs} runs (${revision()}, Node ${process.version})`;
    const table = rows.length ? [['figure', 'median', 'min', 'max'], ...rows] : undefined;
    process.stdout.write(
      `${toText(title, [{ title: '1. Real shop', ...(table ? { table } : {}), notes: [note] }])}\n`,
    );
    return;
  }

  if (only === 'cost') {
    await costOnly(customers, started);
    return;
  }
  if (only === 'bundles') {
    const bundles = await bundleSizes(ROOT);
    const title = `Reciprocity bench: Lambda bundles alone (${revision()}, Node ${process.version})`;
    process.stdout.write(`${toText(title, [bundleSection(bundles)])}\n`);
    return;
  }
  progress('reading the stack (memory, log levels) and the synthesized workflow');
  const facts = stackFacts();
  // The handlers' logger is created once, at first import: give it the level the stack deploys with.
  process.env.POWERTOOLS_LOG_LEVEL = Object.values(facts.functions)[0]?.logLevel ?? 'INFO';
  const workflow = await synthWorkflow();
  const shop = generateDemoShop({ customers });
  const templatesDir = join(ROOT, 'templates');
  const days = Math.round((shop.until.getTime() - shop.start.getTime()) / 86_400_000);

  // The metered run goes first: it is not timed, so it doubles as the JIT warm-up of the timed runs.
  const metered = await runFlow({ shop, workflow, templatesDir, meter: true });
  progress(`metered run: ${metered.emails} emails (DynamoDB through the capacity proxy: not timed)`);
  // The default transport (memory) and the HTTP one, interleaved so that a change in the machine's load
  // falls on both alike; every figure but section 1's comparison comes from the default's runs.
  const timed: FlowResult[] = [];
  const overHttp: FlowResult[] = [];
  for (let run = 1; run <= runs; run++) {
    for (const transport of ['memory', 'http'] as const) {
      const result = await runFlow({ shop, workflow, templatesDir, meter: false, transport });
      progress(
        `timed run ${run}/${runs} (${transport}): ${result.emails} emails in ${(result.wallMs / 1000).toFixed(1)} s (${(result.cpuMs / 1000).toFixed(1)} CPU s)`,
      );
      (transport === 'memory' ? timed : overHttp).push(result);
    }
  }
  const transports = { memory: transportFigures(timed), http: transportFigures(overHttp) };
  const realShop = await benchRealShop({ root: ROOT, runs, progress, ...(sample ? { sample } : {}) });
  const realCost = await meterRealShop({
    root: ROOT,
    workflow,
    templatesDir,
    facts,
    ...(sample ? { sample } : {}),
  });
  progress(
    `metered real shop: ${'skipped' in realCost ? realCost.skipped : `${realCost.analysis.emails} emails`}`,
  );

  const render = await benchRender({ dir: templatesDir });
  progress(`liquid: ${render.rendersPerSecond.median.toFixed(0)} renders/s`);
  const bundles = await bundleSizes(ROOT);
  progress(`bundles: ${bundles.length} handlers`);
  const scaling = await selectionScaling();
  progress(`selection scaling: ${scaling.note}`);

  const analysis = analyze(timed, metered, facts);
  const meta = {
    date: new Date().toISOString(),
    revision: revision(),
    node: process.version,
    cpus: availableParallelism(),
    customers,
    days,
    runs,
    seconds: Math.round((performance.now() - started) / 1000),
  };
  const title = `Reciprocity bench: demo shop, ${customers} customers, ${days} simulated days, ${runs} timed runs + 1 metered (${meta.revision}, Node ${meta.node}, ${meta.cpus} cores, ${meta.seconds} s)`;
  const list = sections({ meta, facts, analysis, render, bundles, scaling, transports, realShop });
  const costAt = list.findIndex((section) => section.title.startsWith('5.')) + 1;
  const demoProducts = productItemSizes(metered.capacity?.itemBytes ?? {});
  list.splice(costAt, 0, realCostSection(realCost, analysis, demoProducts));
  process.stdout.write(`${toText(title, list)}\n`);

  await mkdir(RESULTS, { recursive: true });
  const json = {
    meta,
    facts,
    throughput: {
      messagesPerSecond: analysis.messagesPerSecond,
      weekWallSeconds: analysis.weekWallSeconds,
      runs: timed.map((r) => ({ emails: r.emails, wallMs: r.wallMs, cpuMs: r.cpuMs })),
      transports,
      realShop,
      realShopCost:
        'skipped' in realCost
          ? realCost
          : { ...realCost.productItems, cost: realCost.analysis.cost, inputs: realCost.analysis.costInputs },
      httpRuns: overHttp.map((r) => ({ emails: r.emails, wallMs: r.wallMs, cpuMs: r.cpuMs })),
    },
    perSentMessage: Object.fromEntries(
      Object.entries(analysis.counts).map(([k, v]) => [k, v / analysis.emails]),
    ),
    analysis,
    render,
    bundles,
    scaling,
  };
  await writeFile(join(RESULTS, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`);
  await writeFile(join(RESULTS, 'latest.md'), toMarkdown(title, list));
  progress(`wrote ${join('bench', 'results', 'latest.json')} and latest.md`);
}

/** `--only cost`: the metered run alone, its DynamoDB units, work and cost (its own durations). */
async function costOnly(customers: number, started: number): Promise<void> {
  const facts = stackFacts();
  process.env.POWERTOOLS_LOG_LEVEL = Object.values(facts.functions)[0]?.logLevel ?? 'INFO';
  const workflow = await synthWorkflow();
  const shop = generateDemoShop({ customers });
  const metered = await runFlow({ shop, workflow, templatesDir: join(ROOT, 'templates'), meter: true });
  progress(`metered run: ${metered.emails} emails`);
  const analysis = analyze([metered], metered, facts);
  const real = await meterRealShop({ root: ROOT, workflow, templatesDir: join(ROOT, 'templates'), facts });
  if (!('skipped' in real)) progress(`metered real shop: ${real.analysis.emails} emails`);
  const seconds = Math.round((performance.now() - started) / 1000);
  const demoProducts = productItemSizes(metered.capacity?.itemBytes ?? {});
  const title = `Reciprocity bench: cost alone (metered runs), demo shop, ${customers} customers, and a real shop's month (${revision()}, Node ${process.version}, ${seconds} s)`;
  const list = [...costSections(analysis, facts), realCostSection(real, analysis, demoProducts)];
  process.stdout.write(`${toText(title, list)}\n`);
  // Every write shape in full, for finding where the units go.
  const per = (n: number) => (n / analysis.emails).toFixed(3);
  const all = topWrites(analysis, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
  const lines = all.map(([shape, u]) => `${per(u.write)} WRU/msg  ${per(u.requests)} req/msg  ${shape}`);
  process.stdout.write(`\nEvery write (week + SES feedback), largest first:\n${lines.join('\n')}\n`);
}

/** Emails per wall second and per CPU second of a transport's timed runs. */
function transportFigures(results: readonly FlowResult[]): TransportFigures {
  return {
    emails: results[0]?.emails ?? 0,
    emailsAgree: results.every((r) => r.emails === results[0]?.emails),
    perWallSecond: spread(results.map((r) => r.emails / (r.wallMs / 1000))),
    perCpuSecond: spread(results.map((r) => r.emails / (r.cpuMs / 1000))),
  };
}

main().catch((error: unknown) => {
  process.stderr.write(
    `[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
