/**
 * Screenshots of the customer pages for a person to look at (phone and desktop width), with the two things a
 * screenshot cannot be trusted to show by eye checked as numbers: no horizontal scroll, and the page height.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** Where the screenshots go (gitignored with the rest of .reciprocity/). */
export const SHOTS = join('.reciprocity', 'screenshots', 'pages');
export const PHONE = 420;
export const DESKTOP = 1280;

export interface Shot {
  width: number;
  /** The document's full height in CSS pixels. */
  height: number;
  /** Whether the page scrolls sideways at this width (it must not). */
  overflows: boolean;
}

/** Takes the page at phone and desktop width as `<name>-<width>.png`; the viewport is left at phone width. */
export async function shoot(tab: Page, name: string): Promise<Shot[]> {
  await mkdir(SHOTS, { recursive: true });
  const shots: Shot[] = [];
  for (const width of [DESKTOP, PHONE]) {
    await tab.setViewportSize({ width, height: 900 });
    const [height, overflows] = (await tab.evaluate(
      '[document.documentElement.scrollHeight, document.documentElement.scrollWidth > window.innerWidth]',
    )) as [number, boolean];
    await tab.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true });
    shots.push({ width, height, overflows });
  }
  return shots;
}

/** Opens every collapsed section (as a reader would, one by one) for a screenshot of the whole page. */
export async function openAll(tab: Page): Promise<void> {
  const closed = tab.locator('details:not([open]) > summary');
  while ((await closed.count()) > 0) await closed.first().click();
}
