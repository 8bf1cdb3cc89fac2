/** `reciprocity run`'s inputs read line by line (cli/jsonl.ts): the same lines as reading the file whole. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../cli/errors.js';
import { openJsonl, readJsonl } from '../../cli/jsonl.js';

const file = (text: string): string => {
  const path = join(mkdtempSync(join(tmpdir(), 'reciprocity-jsonl-')), 'in.jsonl');
  writeFileSync(path, text);
  return path;
};

describe('openJsonl', () => {
  it('numbers lines as the file has them across CRLF, blank lines and bad JSON, and keeps a last line without newline', async () => {
    // Prepare
    const path = file('{"a":1}\r\n\r\n  \nnot json\n{"b":"é"}\r\n{"c":3}');

    // Act
    const lines = await readJsonl(path);

    // Assess
    expect(lines).toEqual([
      { line: 1, ok: true, value: { a: 1 } },
      { line: 4, ok: false, error: expect.stringMatching(/^not JSON: /), raw: 'not json' },
      { line: 5, ok: true, value: { b: 'é' } },
      { line: 6, ok: true, value: { c: 3 } },
    ]);
  });

  it('reads a file larger than its read chunks line by line, multi-byte characters split across chunks intact', async () => {
    // Prepare: lines of 3-byte characters, so chunk boundaries (64 KiB) fall inside characters and lines.
    const values = Array.from({ length: 400 }, (_, i) => ({ i, name: '€'.repeat(300 + (i % 7)) }));
    const path = file(values.map((v) => JSON.stringify(v)).join('\n'));

    // Act
    const seen: unknown[] = [];
    for await (const line of await openJsonl(path)) seen.push(line.ok ? line.value : line);

    // Assess
    expect(seen).toEqual(values);
  });

  it('fails when opened, before any line is read, on a missing file or a directory', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'reciprocity-jsonl-'));

    // Act
    const missing = await openJsonl(join(dir, 'nope.jsonl')).catch((error: unknown) => error);
    const directory = await openJsonl(dir).catch((error: unknown) => error);

    // Assess
    expect(missing).toBeInstanceOf(CliError);
    expect((missing as Error).message).toMatch(/Cannot read .*nope\.jsonl: ENOENT/);
    expect(directory).toBeInstanceOf(CliError);
    expect((directory as Error).message).toMatch(/: EISDIR$/);
  });
});
