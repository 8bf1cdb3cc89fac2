/**
 * `reciprocity codes` as a user runs it, against a real local DynamoDB (dynalite) standing in for the codes
 * table on AWS: a pool file in (one per line or CSV; a bad line imports nothing), the generated codes out as
 * CSV for the shop's checkout (never one of a message that ended unsent), and reclaim; `run --codes` checks.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { codesCommand, exportCsv, parseCodeFile } from '../../cli/codes.js';
import { readPools } from '../../cli/run.js';
import { CodeStore } from '../../functions/adapters/codes.js';
import { documentClient } from '../../functions/adapters/dynamo.js';
import { LedgerStore } from '../../functions/adapters/ledger.js';
import { incentiveSchema, issuedCode } from '../../functions/domain/incentives.js';
import { type LocalDynamo, startDynamo } from '../../local/dynamo.js';

const NOW = new Date('2026-12-01T09:00:00.000Z');
const birthday = incentiveSchema.parse({ kind: 'percent', value: 15 });
let dynamo: LocalDynamo;
let dir: string;
let log: ReturnType<typeof vi.spyOn>;
const printed = () => log.mock.calls.map((c: unknown[]) => String(c[0])).join('\n');
const cli = (...argv: string[]) => codesCommand(argv, { client: dynamo.client, now: () => NOW });
const store = () => new CodeStore(documentClient(dynamo.client), dynamo.tableNames.codes!);

beforeAll(async () => {
  dynamo = await startDynamo('codes-cli-');
});
afterAll(async () => {
  await dynamo?.close();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reciprocity-codes-'));
  log = vi.spyOn(console, 'log').mockImplementation(() => {});
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe('parseCodeFile', () => {
  it('reads one code per line, or the "code" column of a CSV, skipping blanks and comments', () => {
    expect(parseCodeFile('\uFEFFWB-1\n\n# spring batch\nWB-2\r\n')).toEqual({
      codes: ['WB-1', 'WB-2'],
      problems: [],
    });
    expect(parseCodeFile('value;code;note\n10;"WB-3";first\n10;WB-4;"a, b"\n').codes).toEqual([
      'WB-3',
      'WB-4',
    ]);
    expect(parseCodeFile('WB-5,10\nWB-6,10\n').codes).toEqual(['WB-5', 'WB-6']);
  });

  it('names every line that holds no code', () => {
    expect(parseCodeFile('WB-1\nnot a code\n,10\n').problems).toEqual([
      { line: 2, error: '"not a code" is not a code (letters, digits, ".", "_", "-"; 3 to 64 characters)' },
      { line: 3, error: 'no code in this line' },
    ]);
  });
});

describe('Command: reciprocity codes', () => {
  it('imports a pool file, and a second import of it adds nothing and says so', async () => {
    const file = join(dir, 'pool.csv');
    await writeFile(file, 'code,value\nSPRING-01,10\nSPRING-02,10\nspring-01,10\n');
    await cli('import', '--journey', 'winback', file, '--table', dynamo.tableNames.codes!);
    expect(printed()).toContain(`${file}: 2 codes added to the winback pool, 1 repeated in the file`);
    await cli('import', '--journey', 'winback', file, '--table', dynamo.tableNames.codes!);
    expect(printed()).toContain('0 codes added to the winback pool, 2 already stored and left as they were');
    expect((await store().get('SPRING-02'))?.pool).toBe('winback');
  });

  it('refuses a file with a bad line, and imports none of it', async () => {
    const file = join(dir, 'bad.txt');
    await writeFile(file, 'GOOD-CODE\nbad code\n');
    await expect(
      cli('import', '--journey', 'winback', file, '--table', dynamo.tableNames.codes!),
    ).rejects.toThrow('line 2: "bad code" is not a code');
    expect(await store().get('GOOD-CODE')).toBeUndefined();
    await expect(cli('import', '--journey', 'nope', file, '--table', 'x')).rejects.toThrow(
      '--journey must be one of',
    );
    await expect(cli('import', '--journey', 'winback', file)).rejects.toThrow('--table is required');
  });

  it('exports the generated codes issued with messages, not those given back', async () => {
    const codes = store();
    const issue = (code: string) => issuedCode(birthday, code, NOW, 'EUR');
    const at = NOW.toISOString();
    await codes.issueGenerated('birthday', 'm-sent', () => 'BDAY-SENT1', issue, at);
    await codes.issueGenerated('birthday', 'm-skip', () => 'BDAY-SKIP1', issue, at);
    await codes.release('m-skip', at);
    await codes.redeem('BDAY-SENT1', 'O-1', '2026-12-05T10:00:00.000Z');
    const out = join(dir, 'codes.csv');
    await cli('export', '--journey', 'birthday', '--out', out, '--table', dynamo.tableNames.codes!);
    expect(await readFile(out, 'utf8')).toBe(
      'code,journey,messageId,issuedAt,expiresAt,redeemedAt\n' +
        'BDAY-SENT1,birthday,m-sent,2026-12-01T09:00:00.000Z,2026-12-31T23:59:59.999Z,2026-12-05T10:00:00.000Z\n',
    );
    expect(printed()).toContain(`1 codes written to ${out}`);
    // Pool codes are the shop's own: not exported.
    expect(exportCsv(await codes.codes())).not.toContain('SPRING-');
  });

  it('reclaims the code of a message that ended unsent without Record', async () => {
    const codes = store();
    await codes.importPool('cart_reminder', ['CR-RECLAIM'], NOW.toISOString());
    const issue = (code: string) => issuedCode(birthday, code, NOW, 'EUR');
    await codes.claimFromPool('cart_reminder', 'm-cancel', issue, NOW.toISOString());
    const ledger = new LedgerStore(documentClient(dynamo.client), dynamo.tableNames.messages!);
    await ledger.decide(
      {
        messageId: 'm-cancel',
        customerId: 'C1',
        journey: 'cart_reminder',
        triggerKey: 'cart_reminder:cart:K1',
      },
      'cancelled',
      NOW.toISOString(),
      { reason: 'order_placed' },
    );
    await cli(
      'reclaim',
      '--table',
      dynamo.tableNames.codes!,
      '--messages-table',
      dynamo.tableNames.messages!,
    );
    expect(printed()).toMatch(/claims looked at, [1-9]\d* codes given back/);
    expect((await codes.get('CR-RECLAIM'))?.pool).toBe('cart_reminder');
  });
});

describe('reciprocity run --codes', () => {
  it('reads a pool for a journey whose incentive is a pool, and refuses one that has none', async () => {
    const file = join(dir, 'pool.txt');
    await writeFile(file, 'WB-A1\nWB-A2\n');
    const config = { incentives: { winback: { kind: 'percent', value: 10, source: 'pool' } } };
    expect(await readPools([`winback=${file}`], config)).toEqual([
      { journey: 'winback', file, codes: ['WB-A1', 'WB-A2'] },
    ]);
    await expect(readPools([`birthday=${file}`], config)).rejects.toThrow('gives birthday no pool incentive');
    await expect(readPools([file], config)).rejects.toThrow('--codes takes JOURNEY=FILE');
  });
});
