import { describe, expect, it } from 'vitest';
import { formatKpi, kpiAt, reportHtml } from '../../cli/report-html.js';
import { kpiReport } from '../../functions/domain/kpis.js';
import { AS_OF, fixtureRows } from './kpi-fixture.js';

const report = kpiReport(fixtureRows(), AS_OF);

/** The text of the first element tagged with this path. */
function tagged(html: string, path: string): string | undefined {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return html.match(new RegExp(`data-kpi="${escaped}"[^>]*>([^<]*)<`))?.[1];
}

describe('Function: reportHtml', () => {
  it('is one file: no script, style, image or link fetched from anywhere', () => {
    // Act
    const html = reportHtml(report, { title: 'Shop results', source: 'results/stats.jsonl' });
    // Assess
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).not.toMatch(/<(script|img|iframe|link)\b[^>]*\b(src|href)=/i);
    expect(html).not.toMatch(/@import|url\(\s*['"]?(https?:)?\/\//i);
    // Chart.js itself is inline, once.
    expect(html.match(/Chart\.js v4\.6\.1/g)).toHaveLength(1);
    expect(html).toContain('<title>Shop results</title>');
    expect(html).toContain('<code>results/stats.jsonl</code>');
  });

  it('embeds the report as JSON that cannot close its script element', () => {
    // Prepare: a hostile variant name would not pass VARIANT_NAME, but the page must hold whatever it gets.
    const odd = structuredClone(report);
    odd.journeys[1]!.variants[0]!.variant = '</script><b>x';
    // Act
    const html = reportHtml(odd);
    const json = html.match(/<script type="application\/json" id="kpis">([^<]*)<\/script>/)?.[1];
    // Assess
    expect(json).toBeDefined();
    expect(JSON.parse(json!)).toEqual(odd);
    expect(html).not.toContain('</script><b>x');
    expect(html).toContain('&#60;/script&#62;&#60;b&#62;x');
  });

  it('tags the key numbers with their path in the report, formatted as the table formats them', () => {
    // Act
    const html = reportHtml(report);
    // Assess: written out by hand from the fixture, so the formatter cannot pass by agreeing with itself.
    expect(tagged(html, 'journeys.order_followup.openRate')).toBe('45.1% (161/357)');
    expect(tagged(html, 'journeys.order_followup.variants.B@v000001.clickRate')).toBe('12.2% (23/189)');
    expect(tagged(html, 'journeys.order_followup.variants.A@v000001.clickRate')).toBe('4.8% (8/168)');
    expect(tagged(html, 'journeys.order_followup.uplift.absoluteLift.low')).toBe('-6.8 pp');
    expect(tagged(html, 'journeys.order_followup.retention.30.treated')).toBe('30.5% (113/371)');
    expect(tagged(html, 'journeys.birthday.skipped.quiet_customer')).toBe('3');
    expect(tagged(html, 'total.openRate.rate')).toBe('44.8%');
    expect(tagged(html, 'classified.machineOpens')).toBe('46');
    expect(tagged(html, 'asOf')).toBe('2026-12-18 00:00 UTC');
    expect(html).toContain('Not enough data yet: about 1,400 more customers needed');
    // Every tag names a path that exists and shows its value.
    const tags = [...html.matchAll(/data-kpi="([^"]+)" data-format="([^"]+)">([^<]*)</g)];
    expect(tags.length).toBeGreaterThan(100);
    for (const [, path, format, text] of tags) {
      const value = kpiAt(report, path!);
      expect(value, path).not.toBeUndefined();
      expect(text, path).toBe(formatKpi(format as Parameters<typeof formatKpi>[0], value));
    }
  });

  it('says "no messages yet" for a journey without traffic and draws no chart for it', () => {
    // Act
    const html = reportHtml(report);
    const winback = html.slice(
      html.indexOf('<section id="winback"'),
      html.indexOf('</section>', html.indexOf('<section id="winback"')),
    );
    const empty = reportHtml(kpiReport([], AS_OF));
    // Assess
    expect(winback).toContain('No messages yet.');
    expect(winback).not.toContain('<canvas');
    expect(html).not.toContain('data-journey="winback"');
    expect(empty).not.toContain('<canvas');
    expect(empty.match(/No messages yet\./g)).toHaveLength(5);
  });

  it('shows a dash, with its counts, for a rate over nothing delivered', () => {
    // Prepare: sent, and SES has not reported a delivery yet.
    const html = reportHtml(
      kpiReport(
        [
          {
            journey: 'birthday',
            variant: 'A',
            version: 'v000001',
            day: '2026-12-01',
            counts: { triggered: 2, sent: 2 },
          },
        ],
        AS_OF,
      ),
    );
    // Assess
    expect(tagged(html, 'journeys.birthday.openRate')).toBe('– (0/0)');
    expect(tagged(html, 'total.openRate.rate')).toBe('–');
    expect(html).toContain('Nothing delivered yet, so no rates.');
    expect(html).not.toContain('data-chart="rates"');
  });

  it('finds array items by journey, variant@version, retention days and funnel stage', () => {
    expect(kpiAt(report, 'journeys.order_followup.variants.B@v000001.sent')).toBe(196);
    expect(kpiAt(report, 'journeys.order_followup.retention.60.matured')).toBe(false);
    expect(kpiAt(report, 'journeys.cart_reminder.funnel.delivered.count')).toBe(20);
    expect(kpiAt(report, 'journeys.0.journey')).toBe('cart_reminder');
    expect(kpiAt(report, 'journeys.nope.sent')).toBeUndefined();
  });
});
