/**
 * `reciprocity run` as a black box: hand-written customers and events in, emails and records out.
 * Each scenario is a customer of its own, so one run shows many behaviours.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, type Eml, jsonl, outbox, scenarioDir } from './cli.js';

const consent = { email: 'opted_in', source: 'signup', textVersion: 'v1' };
const item = { sku: 'TEA-1', name: 'Sencha', price: 12, quantity: 1, category: 'tea' };
const ev = (id: string, type: string, time: string, detail: object) => ({
  id,
  source: 'e2e',
  'detail-type': type,
  time,
  detail,
});
const to = (emails: Eml[], customer: string) =>
  emails.filter((e) => e.header('To') === `${customer}@e2e.example`);

describe('CLI: reciprocity run (March 2026: DST in New York on the 8th)', () => {
  let dir: string;
  let status: number | null;
  let stdout: string;
  let emails: Eml[];
  let ledger: Record<string, unknown>[];

  beforeAll(() => {
    dir = scenarioDir({
      'profiles.jsonl': [
        {
          customerId: 'cart',
          email: 'cart@e2e.example',
          timeZone: 'Europe/Berlin',
          consent,
          lastActiveAt: '2026-03-06T00:00:00Z',
        },
        {
          customerId: 'bday',
          email: 'bday@e2e.example',
          firstName: 'Bea',
          timeZone: 'America/New_York',
          birthday: '1990-03-08',
          consent,
          lastActiveAt: '2026-03-06T00:00:00Z',
        },
        {
          customerId: 'night',
          email: 'night@e2e.example',
          timeZone: 'Asia/Tokyo',
          consent,
          lastActiveAt: '2026-03-06T00:00:00Z',
        },
        {
          customerId: 'away',
          email: 'away@e2e.example',
          timeZone: 'Europe/London',
          consent,
          lastActiveAt: '2026-01-06T12:00:00Z',
        },
        {
          customerId: 'dup',
          email: 'dup@e2e.example',
          timeZone: 'Europe/Berlin',
          consent,
          lastActiveAt: '2026-03-06T00:00:00Z',
        },
        {
          customerId: 'out',
          email: 'out@e2e.example',
          timeZone: 'Europe/Berlin',
          birthday: '--03-08',
          consent: { email: 'opted_out', source: 'settings' },
        },
        'this line is not JSON',
        { customerId: 'bad', email: 'not-an-email' },
      ],
      'events.jsonl': [
        // Cart abandoned at 10:00 UTC, bought 20 minutes later: the 60-minute reminder is cancelled.
        ev('e1', 'cart.updated', '2026-03-07T10:00:00Z', {
          customerId: 'cart',
          cartId: 'K1',
          items: [item],
          currency: 'EUR',
          total: 12,
        }),
        ev('e2', 'order.placed', '2026-03-07T10:20:00Z', {
          customerId: 'cart',
          orderId: 'O1',
          cartId: 'K1',
          items: [item],
          currency: 'EUR',
          total: 12,
        }),
        // 23:30 in Tokyo (14:30 UTC): quiet hours run over midnight to 08:00 Tokyo = 23:00 UTC.
        ev('e3', 'order.placed', '2026-03-07T14:30:00Z', {
          customerId: 'night',
          orderId: 'O2',
          items: [item],
          currency: 'EUR',
          total: 12,
        }),
        // The same event delivered three times.
        ev('e4', 'order.placed', '2026-03-07T12:00:00Z', {
          customerId: 'dup',
          orderId: 'O3',
          items: [item],
          currency: 'EUR',
          total: 12,
        }),
        ev('e4', 'order.placed', '2026-03-07T12:00:00Z', {
          customerId: 'dup',
          orderId: 'O3',
          items: [item],
          currency: 'EUR',
          total: 12,
        }),
        ev('e4', 'order.placed', '2026-03-07T12:00:00Z', {
          customerId: 'dup',
          orderId: 'O3',
          items: [item],
          currency: 'EUR',
          total: 12,
        }),
        ev('e5', 'order.placed', '2026-03-07T12:00:00Z', {
          customerId: 'out',
          orderId: 'O4',
          items: [item],
          currency: 'EUR',
          total: 12,
        }),
        ev('bad1', 'cart.updated', '2026-03-07T09:00:00Z', {
          customerId: 'cart',
          items: [],
          currency: 'EUR',
          total: 0,
        }),
        ev('bad2', 'order.exploded', '2026-03-07T09:00:00Z', {}),
        {
          id: 'bad3',
          source: 'e2e',
          'detail-type': 'customer.activity',
          detail: { customerId: 'cart', kind: 'x' },
        },
      ],
    });
    const run = cli([
      'run',
      '--profiles',
      join(dir, 'profiles.jsonl'),
      '--events',
      join(dir, 'events.jsonl'),
      '--start',
      '2026-03-07T00:00:00Z',
      '--until',
      '2026-03-11T00:00:00Z',
      '--out',
      join(dir, 'out'),
      '--quiet',
    ]);
    ({ status, stdout } = run);
    if (status !== 0) throw new Error(`run failed (${status}): ${run.stderr}\n${run.stdout}`);
    emails = outbox(join(dir, 'out'));
    ledger = jsonl(join(dir, 'out', 'ledger.jsonl'));
  });

  it('finishes with a summary table and the files it names', () => {
    expect(status).toBe(0);
    expect(stdout).toMatch(/journey\s+triggered\s+sent\s+skipped\s+deferred\s+pending\s+cancelled\s+failed/);
    const summary = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8'));
    expect(summary.cart_reminder).toMatchObject({ triggered: 1, sent: 0, cancelled: 1 });
    expect(summary.errors).toEqual([]);
  });

  it('prints the KPI table and the counters check; the figures land in summary.json and stats.jsonl, which report reads', () => {
    expect(stdout).toMatch(
      /Counters check: the outcome counters equal the ledger's recount \(\d+ figures compared\)\./,
    );
    expect(stdout).toMatch(/Results as of 2026-03-11 00:00 UTC/);
    expect(stdout).toMatch(/sent\s+delivered\s+open rate\s+CTR\s+conversion/);
    const summary = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8'));
    expect(summary.counters.differences).toEqual([]);
    expect(summary.kpis.asOf).toBe('2026-03-11T00:00:00.000Z');
    const sent = (summary.kpis.journeys as { sent: number }[]).reduce((n, j) => n + j.sent, 0);
    expect(sent).toBe(emails.length);
    const rows = jsonl(join(dir, 'out', 'stats.jsonl')) as { counts: Record<string, number> }[];
    expect(rows.reduce((n, r) => n + (r.counts.sent ?? 0), 0)).toBe(emails.length);
    // The report of the run's folder: the same figures, as a page
    const report = cli(['report', join(dir, 'out')]);
    expect(report.status).toBe(0);
    expect(report.stdout).toContain('report.html');
    expect(readFileSync(join(dir, 'out', 'report.html'), 'utf8')).toContain(
      JSON.stringify(summary.kpis.asOf),
    );
  });

  it('cancels a cart reminder when the customer buys during the delay', () => {
    expect(to(emails, 'cart').map((e) => e.header('Subject'))).toEqual(['Thank you for your order']);
    expect(ledger.filter((l) => l.customerId === 'cart' && l.journey === 'cart_reminder')).toMatchObject([
      { decision: 'cancelled', reason: 'order_placed', at: '2026-03-07T10:20:00.000Z' },
    ]);
  });

  it('sends the birthday message at 09:00 New York time on the day the clocks change', () => {
    const [birthday, ...more] = to(emails, 'bday').filter((e) =>
      e.header('Subject')?.startsWith('Happy birthday'),
    );
    expect(more).toHaveLength(0);
    // 09:00 EDT (UTC-4, after the 02:00 change) is 13:00 UTC, not 14:00.
    expect(birthday!.header('Date')).toBe('Sun, 08 Mar 2026 13:00:00 +0000');
  });

  it('defers a message in quiet hours past midnight to 08:00 local, then sends it once', () => {
    const [thanks, ...more] = to(emails, 'night');
    expect(more).toHaveLength(0);
    expect(thanks!.header('Date')).toBe('Sat, 07 Mar 2026 23:00:00 +0000');
    expect(ledger.filter((l) => l.customerId === 'night').map((l) => [l.decision, l.reason])).toEqual([
      ['deferred', 'quiet_hours'],
      ['sent', null],
    ]);
  });

  it('sends an inactive customer exactly one win-back message', () => {
    const winbacks = ledger.filter((l) => l.customerId === 'away' && l.journey === 'winback');
    expect(winbacks.filter((l) => l.decision === 'sent')).toHaveLength(1);
    expect(to(emails, 'away')).toHaveLength(1);
    expect(to(emails, 'away')[0]!.header('Subject')).toMatch(/anything we could do better/);
  });

  it('sends one email for an event delivered three times', () => {
    expect(to(emails, 'dup')).toHaveLength(1);
    expect(new Set(ledger.filter((l) => l.customerId === 'dup').map((l) => l.messageId)).size).toBe(1);
  });

  it('sends nothing to an opted-out customer, and says why', () => {
    expect(to(emails, 'out')).toHaveLength(0);
    expect(ledger.filter((l) => l.customerId === 'out').map((l) => l.reason)).toEqual(
      expect.arrayContaining(['opted_out']),
    );
  });

  it('puts every invalid line and event in rejected.jsonl with its reason, and keeps going', () => {
    const rejected = jsonl(join(dir, 'out', 'rejected.jsonl'));
    const errors = rejected.map((r) => `${r.source}:${r.line ?? r.eventId}: ${r.error}`);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^profiles:7: not JSON/),
        expect.stringMatching(/^profiles:8: email: Invalid email/),
        expect.stringMatching(/^events:bad1: detail\.cartId/),
        expect.stringMatching(/^events:bad2: detail-type/),
        expect.stringMatching(/^events:10: time/),
      ]),
    );
    expect(rejected).toHaveLength(5);
  });

  it('writes each email as RFC 5322 with the one-click unsubscribe headers and both parts', () => {
    for (const email of emails) {
      expect(email.header('List-Unsubscribe')).toMatch(/^<http:\/\/localhost:8787\/u\/.+>$/);
      expect(email.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      expect(email.header('X-SES-CONFIGURATION-SET')).toBeTruthy();
      expect(email.raw).toContain('Content-Type: text/plain');
      expect(email.raw).toContain('Content-Type: text/html');
    }
  });
});

describe('CLI: reciprocity run (February 2027, not a leap year)', () => {
  it('sends a Feb 29 birthday on Feb 28, once', () => {
    const dir = scenarioDir({
      'profiles.jsonl': [
        {
          customerId: 'leap',
          email: 'leap@e2e.example',
          timeZone: 'Europe/Berlin',
          birthday: '2000-02-29',
          consent,
          lastActiveAt: '2027-02-20T00:00:00Z',
        },
      ],
      'events.jsonl': [],
    });
    const run = cli([
      'run',
      '--profiles',
      join(dir, 'profiles.jsonl'),
      '--events',
      join(dir, 'events.jsonl'),
      '--start',
      '2027-02-26T00:00:00Z',
      '--until',
      '2027-03-03T00:00:00Z',
      '--out',
      join(dir, 'out'),
      '--quiet',
    ]);
    expect(run.status, run.stderr).toBe(0);
    const emails = outbox(join(dir, 'out'));
    expect(emails).toHaveLength(1);
    // 09:00 in Berlin (UTC+1) on Feb 28.
    expect(emails[0]!.header('Date')).toBe('Sun, 28 Feb 2027 08:00:00 +0000');
  });
});

describe('CLI: bad input', () => {
  it('explains a missing flag, an unreadable file and a bad date, with exit code 2', () => {
    const dir = scenarioDir({ 'p.jsonl': [], 'e.jsonl': [] });
    const missing = cli(['run', '--events', join(dir, 'e.jsonl')]);
    const unreadable = cli([
      'run',
      '--profiles',
      join(dir, 'nope.jsonl'),
      '--events',
      join(dir, 'e.jsonl'),
      '--start',
      '2026-01-01T00:00:00Z',
      '--until',
      '2026-01-02T00:00:00Z',
      '--out',
      join(dir, 'o'),
    ]);
    const badDate = cli([
      'run',
      '--profiles',
      join(dir, 'p.jsonl'),
      '--events',
      join(dir, 'e.jsonl'),
      '--start',
      'yesterday',
      '--until',
      '2026-01-02T00:00:00Z',
      '--out',
      join(dir, 'o'),
    ]);
    expect([missing.status, unreadable.status, badDate.status]).toEqual([2, 2, 2]);
    expect(missing.stderr).toContain('--profiles is required');
    expect(unreadable.stderr).toMatch(/Cannot read .*nope\.jsonl: ENOENT/);
    expect(badDate.stderr).toContain('--start must be an ISO 8601 date-time');
  });
});

describe('CLI: reciprocity run --faults', () => {
  const customers = ['f1', 'f2', 'f3', 'f4'];
  const files = (faults: object) => ({
    'profiles.jsonl': customers.map((c) => ({ customerId: c, email: `${c}@e2e.example`, consent })),
    'events.jsonl': customers.map((c) =>
      ev(`o-${c}`, 'order.placed', '2026-03-02T12:00:00Z', {
        customerId: c,
        orderId: `O-${c}`,
        items: [item],
        currency: 'EUR',
        total: 12,
      }),
    ),
    'faults.json': faults,
    'config.json': { holdout: { enabled: false } },
  });
  const args = (dir: string) => [
    'run',
    ...['--profiles', join(dir, 'profiles.jsonl'), '--events', join(dir, 'events.jsonl')],
    ...['--start', '2026-03-02T00:00:00Z', '--until', '2026-03-03T00:00:00Z', '--quiet'],
    ...[
      '--config',
      join(dir, 'config.json'),
      '--faults',
      join(dir, 'faults.json'),
      '--out',
      join(dir, 'out'),
    ],
  ];

  it('injects SES faults and ends with the exactly-once check, also in summary.json', () => {
    const dir = scenarioDir(files({ ses: [{ mode: 'reset-after', every: 2 }] }));
    const run = cli(args(dir));
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      'Exactly-once check under 2 injected faults: 0 duplicate emails, 0 silent losses, 2 unknown',
    );
    expect(outbox(join(dir, 'out'))).toHaveLength(4);
    const summary = JSON.parse(readFileSync(join(dir, 'out', 'summary.json'), 'utf8'));
    expect(summary.promises).toMatchObject({
      duplicateEmails: 0,
      silentLosses: 0,
      unknown: { recorded: 2, delivered: 2 },
    });
    expect(summary.order_followup).toMatchObject({ sent: 2, unknown: 2 });
    const lines = jsonl(join(dir, 'out', 'ledger.jsonl'));
    expect(lines.filter((l) => l.decision === 'unknown')).toHaveLength(2);
  });

  it('refuses a faults file that is not the contract, naming the field, with exit code 2', () => {
    const dir = scenarioDir(files({ ses: [{ mode: 'slow' }] }));
    const run = cli(args(dir));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--faults .*faults\.ses\[0\]\.mode: must be one of/);
  });
});
