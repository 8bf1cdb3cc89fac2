/**
 * Each Lambda's bundle as `cdk synth` would build it: esbuild with the options of
 * lib/constructs/reciprocity-function.ts (ESM, minify, node22 target, external @aws-sdk/*, module/main fields,
 * the createRequire banner). Sizes of the JavaScript file; the source map is reported apart (it ships too).
 */

import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { HANDLERS } from '../functions/domain/names.js';

export interface BundleSize {
  handler: string;
  bytes: number;
  gzipBytes: number;
  sourceMapBytes: number;
  /** Biggest contributors (npm package or 'own code'), minified bytes. */
  top: { name: string; bytes: number }[];
}

// Same banner as lib/constructs/reciprocity-function.ts (lib is not imported for a string).
const ESM_REQUIRE_BANNER =
  "import { createRequire as __reciprocityCreateRequire } from 'node:module';" +
  'const require = __reciprocityCreateRequire(import.meta.url);';

/** Bundles every Lambda entry (HANDLERS in functions/domain/names.ts); largest first. */
export async function bundleSizes(root: string): Promise<BundleSize[]> {
  const dir = join(root, 'functions', 'handlers');
  const entries = HANDLERS.map((h) => `${h}.ts`).sort();
  const sizes = await Promise.all(
    entries.map(async (file) => {
      const out = await build({
        entryPoints: [join(dir, file)],
        bundle: true,
        write: false,
        outfile: join(root, 'cdk.out', 'bench-bundle', 'index.mjs'),
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
      });
      const js = out.outputFiles.find((f) => f.path.endsWith('.mjs'))!;
      const map = out.outputFiles.find((f) => f.path.endsWith('.map'));
      return {
        handler: file.replace(/\.ts$/, ''),
        bytes: js.contents.length,
        gzipBytes: gzipSync(js.contents).length,
        sourceMapBytes: map?.contents.length ?? 0,
        top: contributors(Object.values(out.metafile.outputs).find((o) => o.entryPoint)?.inputs ?? {}),
      };
    }),
  );
  return sizes.sort((a, b) => b.bytes - a.bytes);
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
