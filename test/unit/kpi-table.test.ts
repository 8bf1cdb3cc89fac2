import { describe, expect, it } from 'vitest';
import {
  formatCount,
  formatMoney,
  formatPercent,
  formatPoints,
  formatRate,
  formatRelative,
  formatSigned,
  kpiTable,
} from '../../cli/kpi-table.js';
import { kpiReport } from '../../functions/domain/kpis.js';
import { NO_VARIANT, type StatsRow } from '../../functions/domain/stats.js';
import { AS_OF, fixtureRows } from './kpi-fixture.js';

const linesOf = (text: string) => text.split('\n');
const lineWith = (text: string, start: string) => linesOf(text).find((l) => l.trimStart().startsWith(start));

describe('Function: kpiTable', () => {
  it('writes each rate with its counts, and a dash over zero', () => {
    expect(formatRate({ count: 120, of: 291, rate: 120 / 291 })).toBe('41.2% (120/291)');
    expect(formatRate({ count: 0, of: 0, rate: null })).toBe('– (0/0)');
    expect(formatRate({ count: 1234, of: 5678, rate: 1234 / 5678 })).toBe('21.7% (1,234/5,678)');
    expect(formatPercent(null)).toBe('–');
    expect(formatCount(12345)).toBe('12,345');
    expect(formatMoney(1234.5)).toBe('1,234.50');
    expect(formatMoney(undefined)).toBe('–');
    expect(formatPoints(0.0312)).toBe('+3.1 pp');
    expect(formatPoints(-0.0004)).toBe('0.0 pp');
    expect(formatPoints(-0.068)).toBe('-6.8 pp');
    expect(formatRelative(undefined)).toBe('–');
    expect(formatRelative(0.2857)).toBe('+29%');
    expect(formatSigned(-25.24)).toBe('-25.2');
  });

  it('shows a block per triggered journey, a row per variant, the uplift with its interval and verdict', () => {
    // Act
    const table = kpiTable(kpiReport(fixtureRows(), AS_OF));
    // Assess
    expect(lineWith(table, 'order_followup:')).toBe(
      'order_followup: 455 triggered, 371 sent; not sent: 70 holdout, 14 no_consent',
    );
    expect(lineWith(table, 'B@v000001')).toBe(
      '  B@v000001   196        189   45.0% (85/189)  12.2% (23/189)  7.4% (14/189)   595.00       1     1',
    );
    expect(lineWith(table, 'A@v000001')).toBe(
      '  A@v000001   175        168   45.2% (76/168)    4.8% (8/168)   3.6% (6/168)   255.00       1     1',
    );
    expect(table).toContain(
      '  uplift (ordered within 5 days): sent 12.9% (48/371) vs held out 10.0% (7/70)\n' +
        '    lift +2.9 pp (95%: -6.8 pp to +9.3 pp), relative +29%\n' +
        '    incremental orders +10.9 (95%: -25.2 to +34.4), incremental revenue 621.50\n' +
        '    Not enough data yet: about 1,400 more customers needed\n' +
        '  ordered again within 30 days: sent 30.5% (113/371) vs held out 20.0% (14/70)\n' +
        '  ordered again within 60 days: not yet (needs 60 days)\n',
    );
    // Birthday was triggered and never sent: every rate is over zero.
    expect(table).toContain(
      'birthday: 3 triggered, 0 sent; not sent: 3 quiet_customer\n' +
        '       sent  delivered  open rate      CTR  conversion  revenue  unsubs  spam\n' +
        '  all     0          0    – (0/0)  – (0/0)     – (0/0)     0.00       0     0\n',
    );
    expect(lineWith(table, 'No messages yet')).toBe('No messages yet: winback');
    expect(table).not.toMatch(/^winback/m);
    expect(lineWith(table, 'cart_reminder:')).toBe(
      'cart_reminder: 24 triggered, 20 sent; not sent: 4 no_consent',
    );
    expect(table).toContain('  uplift and retention: no customers held out, so nothing to compare with');
    expect(lineWith(table, 'opens')).toBe(
      '  opens   169 by people, 46 by machines (mail privacy proxies, scanners)',
    );
    expect(lineWith(table, 'clicks')).toBe('  clicks  34 by people, 6 by bots');
    expect(lineWith(table, 'Attribution:')).toBe(
      "Attribution: an order counts for a message within 5 days of a person's click;",
    );
    expect(table).toContain('view-through (within 1 day of delivery, no click) is shown apart');
    for (const line of linesOf(table)) expect(line.length, line).toBeLessThanOrEqual(100);
  });

  it('says the uplift is not measurable yet while no send has had its window, and names a clear result', () => {
    // Prepare: sends on the day before asOf (window open), then on a day long closed with a clear lift.
    const asOf = new Date('2026-12-10T00:00:00Z');
    const held = (day: string, customers: number, converted: number): StatsRow => ({
      journey: 'winback',
      variant: NO_VARIANT,
      version: NO_VARIANT,
      day,
      counts: {
        triggered: customers,
        skipped: customers,
        skipped_holdout: customers,
        exposed_converted_holdout: converted,
      },
    });
    const sent = (day: string, n: number, converted: number): StatsRow => ({
      journey: 'winback',
      variant: 'A',
      version: 'v000001',
      day,
      counts: { triggered: n, sent: n, delivered: n, exposed_converted_treated: converted },
    });
    // Act
    const early = kpiTable(kpiReport([sent('2026-12-09', 50, 5), held('2026-12-09', 50, 1)], asOf));
    const clear = kpiTable(kpiReport([sent('2026-11-01', 1000, 200), held('2026-11-01', 1000, 100)], asOf));
    // Assess
    expect(early).toContain('  uplift: not yet (no send has had its 5 days to order yet)');
    // Newcombe by hand: Wilson 20% of 1,000 is [17.64%, 22.59%], 10% of 1,000 is [8.29%, 12.03%]; the low end
    // is 10 - sqrt(2.36^2 + 2.03^2) = 6.9 points, the high end 10 + sqrt(2.59^2 + 1.71^2) = 13.1.
    expect(lineWith(clear, 'lift')).toBe('    lift +10.0 pp (95%: +6.9 pp to +13.1 pp), relative +100%');
    expect(clear).toContain('    The journey brings extra orders: the 95% interval is above zero\n');
  });
});
