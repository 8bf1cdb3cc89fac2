/** JSON Lines input: one value per line, blank lines skipped, every bad line reported with its number. */
import { createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { CliError } from './errors.js';

export type JsonlLine =
  | { line: number; ok: true; value: unknown }
  | { line: number; ok: false; error: string; raw: string };

/** The whole file's lines at once (for small inputs). */
export async function readJsonl(path: string): Promise<JsonlLine[]> {
  const lines: JsonlLine[] = [];
  for await (const line of await openJsonl(path)) lines.push(line);
  return lines;
}

/**
 * Opens the file now (an unreadable one fails here, with a clear message) and reads it as it is iterated, one
 * line at a time: a shop's history need not be in memory whole. Iterable once.
 */
export async function openJsonl(path: string): Promise<AsyncIterable<JsonlLine>> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (cause) {
    throw unreadable(path, cause);
  }
  if ((await handle.stat()).isDirectory()) {
    await handle.close();
    throw unreadable(path, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
  }
  return {
    async *[Symbol.asyncIterator]() {
      let number = 0;
      try {
        for await (const raw of rawLines(createReadStream('', { fd: handle, encoding: 'utf8' }))) {
          number += 1;
          if (raw.trim()) yield parseLine(raw, number);
        }
      } catch (cause) {
        throw unreadable(path, cause);
      } finally {
        await handle.close().catch(() => {});
      }
    },
  };
}

/** The file's lines as `text.split(/\r?\n/)` would give them, read chunk by chunk. */
async function* rawLines(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of chunks) {
    const pieces = (rest + chunk).split('\n');
    rest = pieces.pop() ?? '';
    for (const piece of pieces) yield piece.endsWith('\r') ? piece.slice(0, -1) : piece;
  }
  yield rest;
}

function parseLine(raw: string, line: number): JsonlLine {
  try {
    return { line, ok: true, value: JSON.parse(raw) };
  } catch (error) {
    return { line, ok: false, error: `not JSON: ${(error as Error).message}`, raw: raw.slice(0, 2000) };
  }
}

function unreadable(path: string, cause: unknown): CliError {
  return new CliError(
    `Cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`,
    { cause },
  );
}
