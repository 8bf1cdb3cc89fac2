/** JSON Lines input: one value per line, blank lines skipped, every bad line reported with its number. */
import { readFile } from 'node:fs/promises';
import { CliError } from './errors.js';

export type JsonlLine =
  | { line: number; ok: true; value: unknown }
  | { line: number; ok: false; error: string; raw: string };

export async function readJsonl(path: string): Promise<JsonlLine[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new CliError(
      `Cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`,
      { cause },
    );
  }
  const lines: JsonlLine[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    if (!raw.trim()) return;
    try {
      lines.push({ line: index + 1, ok: true, value: JSON.parse(raw) });
    } catch (error) {
      lines.push({
        line: index + 1,
        ok: false,
        error: `not JSON: ${(error as Error).message}`,
        raw: raw.slice(0, 2000),
      });
    }
  });
  return lines;
}
