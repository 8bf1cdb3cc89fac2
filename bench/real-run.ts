/**
 * One `reciprocity run` of a real shop's replay in a process of its own, for bench/real.ts: the same session
 * the command runs (inputs read line by line, the default audience, every output file written), measured
 * from inside so the process's peak resident memory is this run's alone. Writes its figures as JSON to
 * --result (stdout is the handlers' logs).
 *
 *   tsx bench/real-run.ts --dir DIR --start ISO --until ISO --out DIR --result FILE [--dynamo dynalite|fast]
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openJsonl } from '../cli/jsonl.js';
import { templatesDirDefault } from '../cli/run.js';
import { runSession } from '../cli/session.js';
import { DYNAMO_BACKENDS, isDynamoBackend } from '../local/dynamo.js';

/** What one run measured. */
export interface RealRunFigures {
  emails: number;
  /** The whole command: startup, import, the simulated month, the outputs. */
  wallMs: number;
  cpuMs: number;
  /** The simulated span alone (as the demo row measures it). */
  simulatedWallMs: number;
  simulatedCpuMs: number;
  /** Peak resident set size of the process, in MB. */
  peakRssMb: number;
  duplicateEmails: number;
  silentLosses: number;
  counterDifferences: number;
}

async function main(): Promise<void> {
  const started = { wall: performance.now(), cpu: process.cpuUsage() };
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      start: { type: 'string' },
      until: { type: 'string' },
      out: { type: 'string' },
      result: { type: 'string' },
      dynamo: { type: 'string' },
    },
  });
  const { dir, start, until, out, result: resultFile, dynamo } = values;
  if (!dir || !start || !until || !out || !resultFile)
    throw new Error('--dir, --start, --until, --out and --result are required');
  if (dynamo !== undefined && !isDynamoBackend(dynamo))
    throw new Error(`--dynamo takes: ${DYNAMO_BACKENDS.join(', ')}`);
  const result = await runSession({
    profiles: await openJsonl(join(dir, 'profiles.jsonl')),
    events: await openJsonl(join(dir, 'events.jsonl')),
    start: new Date(start),
    until: new Date(until),
    config: JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as object,
    templatesDir: templatesDirDefault(),
    out,
    audience: {},
    ...(dynamo ? { dynamo } : {}),
  });
  const cpu = process.cpuUsage(started.cpu);
  const figures: RealRunFigures = {
    emails: result.emails,
    wallMs: performance.now() - started.wall,
    cpuMs: (cpu.user + cpu.system) / 1000,
    simulatedWallMs: result.simulated.wallMs,
    simulatedCpuMs: result.simulated.cpuMs,
    // maxRSS is in kilobytes.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    duplicateEmails: result.promises.duplicateEmails,
    silentLosses: result.promises.silentLosses,
    counterDifferences: result.counters.differences.length,
  };
  await writeFile(resultFile, `${JSON.stringify(figures)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
