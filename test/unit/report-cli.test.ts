/** `reciprocity report` as a black box: files or a table in, report.html and the printed table out. */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reportCommand } from '../../cli/report.js';
import { DEFAULT_WINDOWS, type KpiReport, kpiReport } from '../../functions/domain/kpis.js';
import { statsId } from '../../functions/domain/stats.js';
import { AS_OF, fixtureRows } from './kpi-fixture.js';

const ddb = mockClient(DynamoDBDocumentClient);

/** The report embedded in a written report.html. */
async function embedded(path: string): Promise<KpiReport> {
  const html = await readFile(path, 'utf8');
  return JSON.parse(html.match(/<script type="application\/json" id="kpis">([^<]*)<\/script>/)![1]!);
}

describe('Command: reciprocity report', () => {
  let dir: string;
  let log: ReturnType<typeof vi.spyOn>;
  const printed = () => log.mock.calls.map((c: unknown[]) => String(c[0])).join('\n');

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reciprocity-report-'));
    log = vi.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterEach(async () => {
    ddb.reset();
    vi.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  const writeRun = async (summary: object) => {
    const rows = fixtureRows();
    await writeFile(join(dir, 'stats.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    await writeFile(join(dir, 'summary.json'), JSON.stringify(summary));
  };

  it("recomputes the run's KPIs as of its end, writes report.html and prints the table", async () => {
    // Prepare
    const windows = { clickDays: 3, viewDays: 1, conversionDays: 4 };
    await writeRun({ journeys: {}, kpis: kpiReport(fixtureRows(), AS_OF, windows) });
    // Act
    const path = await reportCommand([dir]);
    // Assess
    expect(path).toBe(join(dir, 'report.html'));
    expect(await embedded(path)).toEqual(kpiReport(fixtureRows(), AS_OF, windows));
    expect(printed()).toContain('Results as of 2026-12-18 00:00 UTC');
    expect(printed()).toContain('  B@v000001   196        189   45.0% (85/189)  12.2% (23/189)');
    expect(printed()).toContain('within 3 days of a person');
    expect(printed()).toContain(`Report: ${path}`);
  });

  it('without kpis in summary.json, counts as of the end of the last day with stats', async () => {
    // Prepare
    await writeRun({ journeys: {} });
    // Act
    const report = await embedded(await reportCommand([dir]));
    // Assess: the last send day is 2026-11-08.
    expect(report.asOf).toBe('2026-11-09T00:00:00.000Z');
    expect(report.windows).toEqual(DEFAULT_WINDOWS);
  });

  it('explains a missing directory, a run without stats and the bad lines by number', async () => {
    await expect(reportCommand([join(dir, 'nope')])).rejects.toThrow(/no such directory/);
    await expect(reportCommand([dir])).rejects.toThrow(/stats\.jsonl not found: run `reciprocity run/);
    await writeFile(
      join(dir, 'stats.jsonl'),
      `${JSON.stringify(fixtureRows()[0])}\n\n{"journey":"order_followup"\n${JSON.stringify({ ...fixtureRows()[0], day: 'Monday' })}\n`,
    );
    const error = await reportCommand([dir]).catch((e: Error) => e);
    expect((error as Error).name).toBe('CliError');
    expect((error as Error).message).toMatch(
      /has 2 bad lines:\n {2}line 3: not JSON.*\n {2}line 4: day: expected YYYY-MM-DD/,
    );
    await expect(reportCommand([])).rejects.toThrow(/Give one run directory/);
    await expect(reportCommand([dir, '--table', 't'])).rejects.toThrow(/not both/);
  });

  it('--table scans every page of the stats table and takes each number attribute as a counter', async () => {
    // Prepare: the table's items are flat, one number attribute per counter; two pages.
    const items = fixtureRows().map((r) => ({
      id: statsId(r),
      journey: r.journey,
      variant: r.variant,
      version: r.version,
      day: r.day,
      ...r.counts,
    }));
    const half = Math.ceil(items.length / 2);
    ddb
      .on(ScanCommand)
      .resolvesOnce({ Items: items.slice(0, half), LastEvaluatedKey: { id: items[half - 1]!.id } })
      .resolvesOnce({ Items: items.slice(half) });
    // Act
    const path = await reportCommand(['--table', 'stats-table', '--out', dir], {
      now: () => AS_OF,
      client: new DynamoDBClient({ region: 'eu-west-1' }),
    });
    // Assess
    const scans = ddb.commandCalls(ScanCommand);
    expect(scans).toHaveLength(2);
    expect(scans[0]!.args[0].input).toMatchObject({ TableName: 'stats-table' });
    expect(scans[1]!.args[0].input.ExclusiveStartKey).toEqual({ id: items[half - 1]!.id });
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
    expect(await embedded(path)).toEqual(kpiReport(fixtureRows(), AS_OF));
    expect(printed()).toContain('order_followup: 455 triggered, 371 sent');
  });

  it('--table names the table and the likely cause when AWS refuses', async () => {
    ddb
      .on(ScanCommand)
      .rejects(
        Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' }),
      );
    await expect(
      reportCommand(['--table', 'missing', '--out', dir], {
        client: new DynamoDBClient({ region: 'eu-west-1' }),
      }),
    ).rejects.toThrow(
      /Cannot read missing: ResourceNotFoundException: Requested resource not found \(check --region/,
    );
  });
});
