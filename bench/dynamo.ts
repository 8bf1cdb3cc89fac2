/**
 * `npx tsx bench/dynamo.ts [--customers N --runs R --only dynalite|fast]`: the two local DynamoDB backends
 * (local/dynamo.ts) side by side in one process, on the demo shop: R runs of each, interleaved (so a change in
 * the machine's load falls on both alike) after one untimed warm-up run of each. It times only the simulated
 * week (as bench/flow.ts does: no startup, import or teardown) and PRINTS emails per CPU second and per wall
 * second, CPU ms per email (medians, min-max), and the DynamoDB requests of a run; it asserts nothing.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generateDemoShop } from '../cli/demo-data.js';
import { importProfiles } from '../cli/profiles-import.js';
import { parseConfig } from '../functions/domain/config.js';
import type { DynamoBackend } from '../local/dynamo.js';
import { type ShopEvent, startEmbedded } from '../local/runtime.js';
import { synthWorkflow } from '../local/synth.js';
import type { LocalService } from '../local/transport.js';
import { preloadHandlers } from './instrument.js';
import { fmt, spread } from './stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BACKENDS: readonly DynamoBackend[] = ['dynalite', 'fast'];

export interface Run {
  emails: number;
  wallMs: number;
  cpuMs: number;
  requests: number;
}

function options(): { customers: number; runs: number; backends: readonly DynamoBackend[] } {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { customers: { type: 'string' }, runs: { type: 'string' }, only: { type: 'string' } },
  });
  const customers = Number(values.customers ?? 600);
  const runs = Number(values.runs ?? 3);
  if (!Number.isInteger(customers) || customers < 10) throw new Error('--customers must be an integer >= 10');
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be an integer >= 1');
  const only = values.only as DynamoBackend | undefined;
  if (only && !BACKENDS.includes(only)) throw new Error(`--only must be one of ${BACKENDS.join(', ')}`);
  return { customers, runs, backends: only ? [only] : BACKENDS };
}

/** One demo week on `backend`, its simulated span timed, its DynamoDB requests counted (bench/requests.ts uses it too). */
export async function runOnce(
  backend: DynamoBackend,
  shop: ReturnType<typeof generateDemoShop>,
  workflow: Awaited<ReturnType<typeof synthWorkflow>>,
): Promise<Run> {
  let requests = 0;
  const counting = async (target: { endpoint: string; service: LocalService }) => ({
    endpoint: target.endpoint,
    service: ((request) => {
      requests += 1;
      return target.service(request);
    }) satisfies LocalService,
    close: async () => {},
  });
  const embedded = await startEmbedded({
    start: shop.start,
    config: {},
    templatesDir: join(ROOT, 'templates'),
    workflow,
    dynamo: backend,
    dynamoProxy: counting,
  });
  try {
    const lines = shop.profiles.map((value, i) => ({ line: i + 1, ok: true as const, value }));
    await importProfiles(lines, {
      at: shop.start,
      config: parseConfig({}),
      source: 'profiles',
      stores: embedded.stores,
    });
    for (const event of shop.events as ShopEvent[]) {
      if (new Date(event.time) <= shop.until) embedded.publish(event);
    }
    await preloadHandlers();
    requests = 0;
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    await embedded.runUntil(shop.until);
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuStart);
    return {
      emails: (await embedded.emails()).length,
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      requests,
    };
  } finally {
    await embedded.stop();
  }
}

async function main(): Promise<void> {
  const { customers, runs, backends } = options();
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const workflow = await synthWorkflow();
  const shop = generateDemoShop({ customers });
  const log = (line: string) => process.stderr.write(`[bench:dynamo] ${line}\n`);
  const results = new Map<DynamoBackend, Run[]>(backends.map((b) => [b, []]));
  for (const backend of backends) {
    const warm = await runOnce(backend, shop, workflow);
    log(`warm-up ${backend}: ${warm.emails} emails, ${(warm.cpuMs / 1000).toFixed(1)} CPU s`);
  }
  for (let run = 1; run <= runs; run++) {
    for (const backend of backends) {
      const result = await runOnce(backend, shop, workflow);
      results.get(backend)!.push(result);
      log(
        `run ${run}/${runs} ${backend}: ${result.emails} emails, ${(result.wallMs / 1000).toFixed(1)} s wall, ${(result.cpuMs / 1000).toFixed(1)} CPU s`,
      );
    }
  }
  const lines = [
    `Local DynamoDB backends: demo shop, ${customers} customers, ${runs} timed runs each (median, min-max)`,
    'backend    emails  requests/email  CPU ms/email         emails/CPU s         emails/wall s',
  ];
  const range = (values: number[], digits = 1) => {
    const s = spread(values);
    return `${fmt(s.median, digits)} (${fmt(s.min, digits)}-${fmt(s.max, digits)})`;
  };
  for (const [backend, list] of results) {
    const emails = list[0]?.emails ?? 0;
    const same = list.every((r) => r.emails === emails) ? '' : ' (runs differ!)';
    lines.push(
      [
        backend.padEnd(9),
        `${emails}${same}`.padStart(7),
        fmt(list[0]!.requests / Math.max(1, emails), 1).padStart(15),
        range(list.map((r) => r.cpuMs / r.emails)).padStart(20),
        range(list.map((r) => r.emails / (r.cpuMs / 1000))).padStart(20),
        range(list.map((r) => r.emails / (r.wallMs / 1000))).padStart(20),
      ].join('  '),
    );
  }
  const [first, second] = backends.map((b) => spread(results.get(b)!.map((r) => r.cpuMs / r.emails)).median);
  if (first !== undefined && second !== undefined) {
    lines.push(`CPU per email: fast / dynalite = ${fmt(second / first, 2)}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

// Run as a script (not when bench/requests.ts imports runOnce).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`[bench:dynamo] failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}
