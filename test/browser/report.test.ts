/**
 * The KPI report in a real browser: `reciprocity report DIR` writes report.html, chromium (playwright-core,
 * Debian's build) opens it from file:// with every network request refused, and the page must draw its charts
 * without an error, show exactly the report's numbers, and fit a phone. Screenshots at 420 and 1280 px go
 * to .reciprocity/screens/ for a person to look at.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { reportCommand } from '../../cli/report.js';
import { formatKpi, type KpiFormat, kpiAt } from '../../cli/report-html.js';
import { type KpiReport, kpiReport } from '../../functions/domain/kpis.js';
import { launchChromium } from '../chromium.js';
import { AS_OF, fixtureRows } from '../unit/kpi-fixture.js';

const SCREENS = '.reciprocity/screens';

/** Each chart's canvas: its size on the page and how many of its pixels were painted. */
interface Canvas {
  chart: string;
  width: number;
  height: number;
  right: number;
  painted: number;
}
const CANVASES = `[...document.querySelectorAll('canvas[data-chart]')].map((canvas) => {
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
  const box = canvas.getBoundingClientRect();
  return { chart: canvas.dataset.journey + '/' + canvas.dataset.chart, width: box.width, height: box.height, right: box.right, painted };
})`;

interface Loaded {
  page: Page;
  errors: string[];
  requests: string[];
}

describe('Browser: report.html in chromium', () => {
  let browser: Browser;
  let dir: string;
  let url: string;
  const expected: KpiReport = kpiReport(fixtureRows(), AS_OF);

  async function open(width: number): Promise<Loaded> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    await context.route(
      (u) => u.protocol !== 'file:',
      (route) => {
        requests.push(route.request().url());
        return route.abort();
      },
    );
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await page.goto(url, { waitUntil: 'load' });
    return { page, errors, requests };
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reciprocity-report-'));
    const rows = fixtureRows();
    await writeFile(join(dir, 'stats.jsonl'), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    await writeFile(join(dir, 'summary.json'), JSON.stringify({ kpis: expected }));
    vi.spyOn(console, 'log').mockImplementation(() => {});
    url = pathToFileURL(await reportCommand([dir])).href;
    vi.restoreAllMocks();
    await mkdir(SCREENS, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('draws every chart from the embedded figures, with no error and no request to the network', async () => {
    // Act
    const { page, errors, requests } = await open(1280);
    // Evaluated as page source: the project's TypeScript has no DOM types.
    const canvases = (await page.evaluate(CANVASES)) as Canvas[];
    await page.screenshot({ path: join(SCREENS, 'report-1280.png'), fullPage: true });
    // Assess
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    // order_followup: funnel, rates, variant shares, uplift; cart_reminder: funnel and rates (one variant, no
    // holdout); birthday: funnel only (nothing delivered); winback: none (no messages).
    expect(canvases.map((c) => c.chart).sort()).toEqual([
      'birthday/funnel',
      'cart_reminder/funnel',
      'cart_reminder/rates',
      'order_followup/funnel',
      'order_followup/rates',
      'order_followup/shares',
      'order_followup/uplift',
    ]);
    for (const c of canvases) {
      expect(c.width, c.chart).toBeGreaterThan(100);
      expect(c.height, c.chart).toBeGreaterThan(50);
      expect(c.painted, c.chart).toBeGreaterThan(500);
    }
    expect(await page.locator('#winback').textContent()).toContain('No messages yet');
  });

  it('shows exactly the numbers of the report, each formatted as the table formats it', async () => {
    // Act
    const { page } = await open(1280);
    const embedded = JSON.parse((await page.locator('#kpis').textContent()) ?? 'null') as KpiReport;
    const tagged = await page.$$eval('[data-kpi]', (list) =>
      list.map((e) => ({
        path: e.getAttribute('data-kpi')!,
        format: e.getAttribute('data-format')!,
        text: e.textContent,
      })),
    );
    // Assess: the page carries the run's own figures, and every tagged number is the one at its path.
    expect(embedded).toEqual(expected);
    expect(tagged.length).toBeGreaterThan(100);
    for (const t of tagged) {
      const value = kpiAt(expected, t.path);
      expect(value, t.path).not.toBeUndefined();
      expect(t.text, t.path).toBe(formatKpi(t.format as KpiFormat, value));
    }
    // Spot checks against numbers written out by hand, so a broken formatter cannot pass by agreeing with itself.
    const text = (path: string) => tagged.find((t) => t.path === path)?.text;
    expect(text('journeys.order_followup.variants.B@v000001.clickRate')).toBe('12.2% (23/189)');
    expect(text('journeys.order_followup.uplift.absoluteLift.high')).toBe('+9.3 pp');
    expect(text('journeys.birthday.skipped.quiet_customer')).toBe('3');
    expect(text('total.openRate.rate')).toBe('44.8%');
  });

  it('fits a 420 px phone: nothing wider than the screen but the scrollable tables', async () => {
    // Act
    const { page, errors } = await open(420);
    const overflow = (await page.evaluate('document.documentElement.scrollWidth')) as number;
    const narrowCanvases = ((await page.evaluate(CANVASES)) as Canvas[]).map((c) => c.right);
    await page.screenshot({ path: join(SCREENS, 'report-420.png'), fullPage: true });
    // Assess
    expect(errors).toEqual([]);
    expect(overflow).toBeLessThanOrEqual(420);
    for (const right of narrowCanvases) expect(right).toBeLessThanOrEqual(420);
  });
});
