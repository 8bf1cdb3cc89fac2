/**
 * Each Lambda's bundle as `cdk synth` would build it: esbuild with the options of
 * lib/constructs/reciprocity-function.ts (ESM, minify, node22 target, external @aws-sdk/*, module/main fields,
 * the createRequire banner). Sizes of the JavaScript file; the source map is reported apart (it ships too).
 *
 * Module load: each bundle is written under cdk.out/bench-bundle/<handler>/ (inside the repo, so the external
 * @aws-sdk/* packages resolve from node_modules as the Lambda runtime provides them) and imported by a fresh
 * `node` process, which times `await import(bundle)` (the handler's top-level await included) in wall and CPU
 * time and lists the @aws-sdk clients it loaded.
 */

import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build } from 'esbuild';
import { ENV, HANDLERS } from '../functions/domain/names.js';

export interface BundleSize {
  handler: string;
  bytes: number;
  gzipBytes: number;
  sourceMapBytes: number;
  /** Biggest contributors (npm package or 'own code'), minified bytes. */
  top: { name: string; bytes: number }[];
  /** Module load of the bundle in a fresh process (absent when not measured). */
  load?: LoadTime;
}

export interface LoadTime {
  runs: number;
  /** Wall time of `await import(bundle)`, median of the runs, ms. */
  medianMs: number;
  /** CPU time (user + system, process.cpuUsage) of the same import, median, ms. */
  cpuMedianMs: number;
  /** The @aws-sdk packages the import loaded (clients and lib-*; their shared dependencies not listed). */
  sdk: string[];
}

/** The goals of issue 11: every bundle at most 150 KB minified, every handler loaded in 150 ms at most. */
export const BUNDLE_GOAL_BYTES = 150 * 1024;
export const LOAD_GOAL_MS = 150;

// Same banner as lib/constructs/reciprocity-function.ts (lib is not imported for a string).
const ESM_REQUIRE_BANNER =
  "import { createRequire as __reciprocityCreateRequire } from 'node:module';" +
  'const require = __reciprocityCreateRequire(import.meta.url);';

export interface BundleOptions {
  /** Fresh-process imports per handler for the load time; 0 skips it. @default 5 */
  loadRuns?: number;
}

/** Bundles every Lambda entry (HANDLERS in functions/domain/names.ts); largest first. */
export async function bundleSizes(root: string, { loadRuns = 5 }: BundleOptions = {}): Promise<BundleSize[]> {
  const dir = join(root, 'functions', 'handlers');
  const entries = HANDLERS.map((h) => `${h}.ts`).sort();
  const built = await Promise.all(
    entries.map(async (file) => {
      const handler = file.replace(/\.ts$/, '');
      const out = await build({
        ...BUILD_OPTIONS,
        entryPoints: [join(dir, file)],
        outfile: join(root, 'cdk.out', 'bench-bundle', handler, 'index.mjs'),
      });
      const js = out.outputFiles.find((f) => f.path.endsWith('.mjs'))!;
      const map = out.outputFiles.find((f) => f.path.endsWith('.map'));
      const size: BundleSize = {
        handler,
        bytes: js.contents.length,
        gzipBytes: gzipSync(js.contents).length,
        sourceMapBytes: map?.contents.length ?? 0,
        top: contributors(Object.values(out.metafile.outputs).find((o) => o.entryPoint)?.inputs ?? {}),
      };
      return { size, js };
    }),
  );
  // One handler at a time: parallel imports on a 2-core machine would measure each other.
  for (const { size, js } of built) {
    if (loadRuns <= 0) break;
    await mkdir(join(js.path, '..'), { recursive: true });
    await writeFile(js.path, js.contents);
    size.load = await loadTime(js.path, loadRuns);
  }
  return built.map((b) => b.size).sort((a, b) => b.bytes - a.bytes);
}

const BUILD_OPTIONS = {
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_BANNER },
  external: ['@aws-sdk/*'],
  logLevel: 'silent',
  metafile: true,
} as const satisfies BuildOptions;

/**
 * What a function's environment holds at module load on AWS (dummy values): every table and setting a
 * handler may check when its Deps are built (functions/app/deps.ts fails fast without them).
 */
const LAMBDA_ENV: Record<string, string> = {
  AWS_REGION: 'eu-west-1',
  AWS_LAMBDA_FUNCTION_NAME: 'bench',
  ...Object.fromEntries(
    Object.entries(ENV)
      .filter(([key]) => key.endsWith('Table') || key === 'scheduleGroup' || key === 'configurationSet')
      .map(([, name]) => [name, `bench-${name.toLowerCase()}`]),
  ),
  [ENV.stateMachineArn]: 'arn:aws:states:eu-west-1:123456789012:stateMachine:bench',
  [ENV.schedulerRoleArn]: 'arn:aws:iam::123456789012:role/bench',
  [ENV.linkKeysParameter]: 'bench-link-keys',
};

// The child's own script: times the import, then lists the CommonJS @aws-sdk packages it loaded (the SDK
// packages have no `exports`, so an ESM import loads their CommonJS `main`, which require.cache records).
const CHILD = `
import { createRequire } from 'node:module';
const url = process.argv[1];
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await import(url);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const sdk = new Set();
for (const path of Object.keys(createRequire(import.meta.url).cache)) {
  const m = /node_modules\\/@aws-sdk\\/((?:client|lib)-[^/]+)\\//.exec(path);
  if (m) sdk.add('@aws-sdk/' + m[1]);
}
process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, sdk: [...sdk].sort() }));
`;

/** Imports the bundle in `runs` fresh processes; medians of wall and CPU time. */
export async function loadTime(bundle: string, runs: number): Promise<LoadTime> {
  const samples: { ms: number; cpuMs: number; sdk: string[] }[] = [];
  for (let run = 0; run < runs; run++) {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', CHILD, pathToFileURL(bundle).href],
      { env: { PATH: process.env.PATH ?? '', ...LAMBDA_ENV }, cwd: join(bundle, '..') },
    );
    samples.push(JSON.parse(stdout));
  }
  return {
    runs,
    medianMs: median(samples.map((s) => s.ms)),
    cpuMedianMs: median(samples.map((s) => s.cpuMs)),
    sdk: samples[0]?.sdk ?? [],
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function contributors(inputs: Record<string, { bytesInOutput: number }>): { name: string; bytes: number }[] {
  const byName = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? 'own code';
    byName.set(pkg, (byName.get(pkg) ?? 0) + bytesInOutput);
  }
  return [...byName]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3);
}
