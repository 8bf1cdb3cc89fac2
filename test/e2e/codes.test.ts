/**
 * Gift codes as a shop uses them from the command line: `reciprocity run --codes JOURNEY=FILE` with a pool for
 * the thank-you, then the outbox (each code in exactly one email, the rest without one) and the run's checks.
 * Redemption is shown through the handlers in test/flow/incentives.test.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, type Eml, jsonl, outbox, scenarioDir } from './cli.js';

const consent = { email: 'opted_in', source: 'signup', textVersion: 'v1' };
const item = { sku: 'TEA-1', name: 'Sencha', price: 12, quantity: 1, category: 'tea' };
const CUSTOMERS = ['c1', 'c2', 'c3', 'c4'];
const POOL = ['TY-2MQ7', 'TY-8KD4'];

/** The text of an .eml's quoted-printable parts, decoded (soft line breaks joined, =XX bytes as UTF-8). */
function quotedPrintable(raw: string): string {
  const joined = raw.replace(/=\r?\n/g, '');
  const bytes = joined.replace(/=([0-9A-F]{2})/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

describe('CLI: reciprocity run --codes', () => {
  let dir: string;
  let status: number | null;
  let stdout: string;
  let emails: Eml[];

  beforeAll(() => {
    dir = scenarioDir({
      'profiles.jsonl': CUSTOMERS.map((id) => ({
        customerId: id,
        email: `${id}@e2e.example`,
        timeZone: 'Europe/Berlin',
        consent,
      })),
      'events.jsonl': [
        ...CUSTOMERS.map((id, i) => ({
          id: `order-${id}`,
          source: 'e2e',
          'detail-type': 'order.placed',
          time: `2026-12-01T10:0${i}:00Z`,
          detail: { customerId: id, orderId: `O-${id}`, items: [item], currency: 'EUR', total: 12 },
        })),
      ],
      'config.json': {
        holdout: { enabled: false },
        incentives: { order_followup: { kind: 'amount', value: 5, minOrder: 20, source: 'pool' } },
      },
    });
    writeFileSync(join(dir, 'pool.csv'), `code,note\n${POOL.map((c) => `${c},winter`).join('\n')}\n`);
    const run = cli([
      'run',
      '--profiles',
      join(dir, 'profiles.jsonl'),
      '--events',
      join(dir, 'events.jsonl'),
      '--config',
      join(dir, 'config.json'),
      '--codes',
      `order_followup=${join(dir, 'pool.csv')}`,
      '--start',
      '2026-12-01T00:00:00Z',
      '--until',
      '2026-12-02T00:00:00Z',
      '--out',
      join(dir, 'out'),
      '--no-audience',
      '--quiet',
    ]);
    status = run.status;
    stdout = run.stdout;
    emails = outbox(join(dir, 'out'));
  }, 180_000);

  it('imports the pool before the run and says so', () => {
    expect(status, stdout).toBe(0);
    expect(stdout).toContain('2 codes added to the order_followup pool');
  });

  it('puts each code in exactly one email and sends the others without one', () => {
    expect(emails).toHaveLength(CUSTOMERS.length);
    for (const code of POOL)
      expect(
        emails.filter((e) => e.raw.includes(code)),
        code,
      ).toHaveLength(1);
    const withCode = emails.filter((e) => POOL.some((code) => e.raw.includes(code)));
    expect(withCode).toHaveLength(2);
    expect(quotedPrintable(withCode[0]!.raw)).toMatch(/€5\.00 off orders of €20\.00 or more, valid until/);
  });

  it('refuses --codes for a journey whose incentive is not a pool, before running anything', () => {
    const bad = cli([
      'run',
      '--profiles',
      join(dir, 'profiles.jsonl'),
      '--events',
      join(dir, 'events.jsonl'),
      '--codes',
      `birthday=${join(dir, 'pool.csv')}`,
      '--start',
      '2026-12-01T00:00:00Z',
      '--until',
      '2026-12-02T00:00:00Z',
      '--out',
      join(dir, 'bad'),
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('gives birthday no pool incentive');
  });

  it('prints the codes usage', () => {
    const help = cli(['codes', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('reciprocity codes import --journey J FILE --table NAME');
    expect(cli(['--help']).stdout).toContain('codes ');
  });

  it('keeps the ledger and the counters in agreement', () => {
    const summary = jsonl(join(dir, 'out', 'stats.jsonl'));
    expect(summary.length).toBeGreaterThan(0);
    expect(stdout).toMatch(/Counters check: the outcome counters equal the ledger's recount/);
  });
});
