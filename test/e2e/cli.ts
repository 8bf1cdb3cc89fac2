/** Runs the `reciprocity` command as a user would (a child process) and reads what it wrote. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  dir: string;
}

export function cli(args: string[], cwd = process.cwd()): CliRun {
  const result = spawnSync(process.execPath, [join(cwd, 'bin/reciprocity.js'), ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, dir: cwd };
}

export function scenarioDir(files: Record<string, unknown[] | object>): string {
  const dir = mkdtempSync(join(tmpdir(), 'reciprocity-e2e-'));
  for (const [name, content] of Object.entries(files)) {
    const text = Array.isArray(content)
      ? content.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n')
      : JSON.stringify(content);
    writeFileSync(join(dir, name), `${text}\n`);
  }
  return dir;
}

export interface Eml {
  file: string;
  raw: string;
  header(name: string): string | undefined;
}

export function outbox(out: string): Eml[] {
  const dir = join(out, 'outbox');
  return readdirSync(dir)
    .sort()
    .map((file) => {
      const raw = readFileSync(join(dir, file), 'utf8');
      const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
      return {
        file,
        raw,
        header(name: string) {
          const match = new RegExp(`^${name}: (.*)$`, 'im').exec(head);
          return match?.[1];
        },
      };
    });
}

export function jsonl<T = Record<string, unknown>>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}
