/**
 * `ReciprocityStack` synthesized in a process of its own for local/synth.ts (synthInChild): the props as JSON in
 * argv[2], the resolved workflow as JSON on stdout, a failure on stderr with exit code 1.
 */
import { synthHere } from './synth.js';

try {
  const props = JSON.parse(process.argv[2] ?? 'null') as object | null;
  process.stdout.write(JSON.stringify(await synthHere(props ?? undefined)));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
