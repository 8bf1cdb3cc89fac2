/**
 * `reciprocity codes`: a journey's pool of the shop's own codes (import), the generated codes for the shop's
 * checkout (export), and giving back the codes of messages that ended unsent (reclaim). On AWS against the
 * codes table (`--table`, the CodesTableName stack output); in embedded mode a run imports its pools itself
 * (`reciprocity run --codes JOURNEY=FILE`).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type CodeItem, CodeStore } from '../functions/adapters/codes.js';
import { documentClient } from '../functions/adapters/dynamo.js';
import { LedgerStore } from '../functions/adapters/ledger.js';
import type { Stores } from '../functions/app/deps.js';
import { DEFAULT_CONFIG } from '../functions/domain/config.js';
import { POOL_CODE } from '../functions/domain/incentives.js';
import { JOURNEYS, type Journey } from '../functions/domain/names.js';
import { reclaimUnsent } from '../functions/usecases/incentive.js';
import { CliError } from './errors.js';

export const CODES_USAGE = `Usage: reciprocity codes import --journey J FILE --table NAME [--region R]
       reciprocity codes export [--journey J] [--out FILE] --table NAME [--region R]
       reciprocity codes reclaim --table NAME --messages-table NAME [--region R]

  import    adds the shop's codes (one per line, or a CSV with a "code" column, else its first column) to
            journey J's pool; a code already stored is left as it is and reported. Every code is checked
            first: letters, digits, ".", "_" and "-", 3 to 64 characters; one bad line and nothing is imported
  export    the generated codes issued with messages, as CSV (code, journey, messageId, issuedAt, expiresAt,
            redeemedAt), for the shop's checkout; codes of messages that ended unsent are left out
  reclaim   gives back the codes of messages that ended unsent without their workflow recording it (Send's
            own skips and failures, a cancel after a deferral): pool codes return to their pool
  --table           the codes table (stack output CodesTableName); AWS credentials and region as usual
  --messages-table  the message ledger (stack output MessagesTableName), for reclaim

In embedded mode, \`reciprocity run --codes J=FILE\` imports a pool before the run.`;

/** For tests: the DynamoDB client and the clock. */
export interface CodesDeps {
  client?: DynamoDBClient;
  now?: () => Date;
}

/** One problem per bad line of a pool file. */
export interface CodeFileProblem {
  line: number;
  error: string;
}

/**
 * The codes of a pool file: one per line, or CSV (`,` or `;`) with a header naming a `code` column (else the
 * first column). Blank lines and lines starting with `#` are skipped.
 */
export function parseCodeFile(text: string): { codes: string[]; problems: CodeFileProblem[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const codes: string[] = [];
  const problems: CodeFileProblem[] = [];
  let column = 0;
  let first = true;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const cells = csvCells(line);
    if (first) {
      first = false;
      const header = cells.findIndex((c) => c.trim().toLowerCase() === 'code');
      if (header >= 0) {
        column = header;
        return;
      }
    }
    const code = (cells[column] ?? '').trim();
    if (POOL_CODE.test(code)) codes.push(code);
    else
      problems.push({
        line: i + 1,
        error: code
          ? `"${code.slice(0, 80)}" is not a code (letters, digits, ".", "_", "-"; 3 to 64 characters)`
          : 'no code in this line',
      });
  });
  return { codes, problems };
}

function csvCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',' || c === ';') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}

/** Reads and checks a pool file: every bad line is named, and none of it is imported then (exit 2). */
export async function readCodeFile(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new CliError(`Cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? cause}`, { cause });
  }
  const { codes, problems } = parseCodeFile(text);
  if (problems.length)
    throw new CliError(
      `${path}: ${problems.length} bad line${problems.length === 1 ? '' : 's'}, nothing imported:\n  ${problems
        .slice(0, 20)
        .map((p) => `line ${p.line}: ${p.error}`)
        .join('\n  ')}`,
    );
  if (codes.length === 0) throw new CliError(`${path} has no codes`);
  return codes;
}

export function journeyFlag(value: string | undefined, flag = '--journey'): Journey {
  if (!value || !(JOURNEYS as readonly string[]).includes(value))
    throw new CliError(`${flag} must be one of ${JOURNEYS.join(', ')}${value ? `, got "${value}"` : ''}`);
  return value as Journey;
}

/** Imports a pool into a codes store and says what happened, in one line. */
export async function importPool(
  codes: Pick<Stores['codes'], 'importPool'>,
  journey: Journey,
  list: readonly string[],
  at: Date,
  source: string,
): Promise<string> {
  const { added, duplicates } = await codes.importPool(journey, list, at.toISOString());
  const repeated = list.length - added - duplicates.length;
  return (
    `${source}: ${added} codes added to the ${journey} pool` +
    (duplicates.length
      ? `, ${duplicates.length} already stored and left as they were (${duplicates.slice(0, 5).join(', ')}${duplicates.length > 5 ? ', ...' : ''})`
      : '') +
    (repeated > 0 ? `, ${repeated} repeated in the file` : '')
  );
}

/** The export's CSV: the generated codes issued with messages (not those of messages that ended unsent). */
export function exportCsv(items: readonly CodeItem[], journey?: Journey): string {
  const rows = items
    .filter((i) => i.source === 'generated' && i.messageId && !i.releasedAt && i.issued)
    .filter((i) => !journey || i.journey === journey)
    .sort((a, b) => (a.claimedAt ?? '').localeCompare(b.claimedAt ?? '') || a.code.localeCompare(b.code))
    .map((i) => [i.code, i.journey, i.messageId, i.claimedAt, i.issued?.expiresAt, i.redeemedAt]);
  const header = ['code', 'journey', 'messageId', 'issuedAt', 'expiresAt', 'redeemedAt'];
  return `${[header, ...rows].map((r) => r.map((c) => csvCell(c ?? '')).join(',')).join('\n')}\n`;
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export async function codesCommand(argv: string[], deps: CodesDeps = {}): Promise<void> {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
    console.log(CODES_USAGE);
    return;
  }
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        journey: { type: 'string' },
        table: { type: 'string' },
        'messages-table': { type: 'string' },
        region: { type: 'string' },
        out: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n\n${CODES_USAGE}`);
  }
  const table = values.table as string | undefined;
  if (!table)
    throw new CliError(
      `--table is required (the CodesTableName stack output; embedded runs take --codes on reciprocity run)\n\n${CODES_USAGE}`,
    );
  const region = values.region as string | undefined;
  const client = deps.client ?? new DynamoDBClient(region ? { region } : {});
  const doc = documentClient(client);
  const codes = new CodeStore(doc, table);
  const now = deps.now?.() ?? new Date();
  try {
    switch (sub) {
      case 'import': {
        const journey = journeyFlag(values.journey as string | undefined);
        const [file, ...extra] = positionals;
        if (!file || extra.length) throw new CliError(`Give one FILE of codes\n\n${CODES_USAGE}`);
        console.log(await importPool(codes, journey, await readCodeFile(file), now, file));
        return;
      }
      case 'export': {
        const journey = values.journey ? journeyFlag(values.journey as string) : undefined;
        const csv = exportCsv(await codes.codes(), journey);
        const count = csv.split('\n').length - 2;
        if (values.out) {
          await writeFile(values.out as string, csv);
          console.log(`${count} codes written to ${values.out}`);
        } else process.stdout.write(csv);
        return;
      }
      case 'reclaim': {
        const messages = values['messages-table'] as string | undefined;
        if (!messages) throw new CliError(`reclaim needs --messages-table\n\n${CODES_USAGE}`);
        const ledger = new LedgerStore(doc, messages);
        const result = await reclaimUnsent({
          stores: { codes, ledger },
          clock: () => now,
          config: DEFAULT_CONFIG,
        });
        console.log(`${result.claims} claims looked at, ${result.released} codes given back.`);
        return;
      }
      default:
        throw new CliError(`Unknown codes command "${sub}"\n\n${CODES_USAGE}`);
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    const e = error as { name?: string; message?: string };
    if (e.name === 'ResourceNotFoundException' || e.name === 'UnrecognizedClientException')
      throw new CliError(
        `Cannot use ${table}: ${e.name}: ${e.message ?? ''} (check --region and credentials)`,
        {
          cause: error,
        },
      );
    throw error;
  } finally {
    if (!deps.client) client.destroy();
  }
}
