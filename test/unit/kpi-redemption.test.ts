/**
 * Redeemed incentive codes in the results: per journey and variant, the count over delivered emails, the
 * revenue of the orders that used them and those redeemed after expiry; in the KPI report, the terminal table
 * and report.html (tagged with their paths, like every other figure).
 */
import { describe, expect, it } from 'vitest';
import { kpiTable } from '../../cli/kpi-table.js';
import { formatKpi, kpiAt, reportHtml } from '../../cli/report-html.js';
import { kpiReport } from '../../functions/domain/kpis.js';
import type { StatsRow } from '../../functions/domain/stats.js';

const AS_OF = new Date('2026-12-20T00:00:00.000Z');
const rows: StatsRow[] = [
  {
    journey: 'birthday',
    variant: '-',
    version: 'v000001',
    day: '2026-12-01',
    counts: {
      triggered: 40,
      sent: 40,
      delivered: 38,
      redeemed: 6,
      revenue_redeemed: 311.4,
      redeemed_expired: 1,
    },
  },
  {
    journey: 'birthday',
    variant: '-',
    version: 'v000002',
    day: '2026-12-02',
    counts: { triggered: 10, sent: 10, delivered: 10, redeemed: 1, revenue_redeemed: 20 },
  },
  {
    journey: 'order_followup',
    variant: '-',
    version: 'v000001',
    day: '2026-12-01',
    counts: { triggered: 20, sent: 20, delivered: 20 },
  },
];
const report = kpiReport(rows, AS_OF);
const birthday = report.journeys.find((j) => j.journey === 'birthday')!;

describe('Redemption figures', () => {
  it('counts redeemed codes per journey and version, over delivered, with their revenue', () => {
    expect(birthday.redemption).toEqual({
      rate: { count: 7, of: 48, rate: 7 / 48 },
      revenue: 331.4,
      expired: 1,
    });
    const byVersion = Object.fromEntries(birthday.variants.map((v) => [v.version, v.redemption.rate.count]));
    expect(byVersion).toEqual({ v000001: 6, v000002: 1 });
    expect(report.total.redemption.rate).toEqual({ count: 7, of: 68, rate: 7 / 68 });
    // A journey without codes shows no redemption rate over nothing pretending to be 0%.
    expect(report.journeys.find((j) => j.journey === 'winback')!.redemption.rate.rate).toBeNull();
  });

  it('shows a line in the terminal table only where codes were redeemed', () => {
    const table = kpiTable(report);
    expect(table).toContain(
      'codes redeemed (apart): 14.6% (7/48) of delivered, 331.40 revenue; 1 after their expiry',
    );
    expect(table.match(/codes redeemed/g)).toHaveLength(1);
  });

  it('tags the figures in report.html with their paths', () => {
    const html = reportHtml(report);
    const tags = [...html.matchAll(/data-kpi="([^"]*redemption[^"]*)" data-format="([^"]+)">([^<]*)</g)];
    const paths = tags.map((t) => t[1]);
    expect(paths).toContain('journeys.birthday.redemption.rate.count');
    expect(paths).toContain('journeys.birthday.variants.-@v000001.redemption.rate');
    expect(paths).toContain('journeys.birthday.redemption.revenue');
    expect(paths.some((p) => p?.startsWith('journeys.order_followup'))).toBe(false);
    for (const [, path, format, text] of tags)
      expect(text, path).toBe(formatKpi(format as Parameters<typeof formatKpi>[0], kpiAt(report, path!)));
    expect(html).toContain('331.40');
  });
});
