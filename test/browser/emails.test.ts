/**
 * The starter emails in a real browser: every journey's template, compiled from templates/ as `push` compiles
 * it and rendered as a send renders it, for customers with and without a first name, in English, German and
 * French, opened in chromium at a phone's 320 px and a desktop's 600 px. Image requests (they point at
 * example.invalid) are answered with a generated placeholder, every other request is refused. Screenshots go to
 * .reciprocity/screenshots/emails/ for a person to look at.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTemplates, type TemplateDraft } from '../../cli/template-source.js';
import { SAMPLE_LINKS, SAMPLE_PROFILE, sampleVariables } from '../../cli/templates-sample.js';
import type { Locale } from '../../functions/domain/locale.js';
import type { Profile } from '../../functions/domain/model.js';
import type { Journey } from '../../functions/domain/names.js';
import { renderMessage, type TemplateVariables } from '../../functions/domain/render.js';
import { launchChromium } from '../chromium.js';

const SCREENSHOTS = '.reciprocity/screenshots/emails';
const AT = '2026-11-25T00:00:00.000Z';
const JOURNEYS: Journey[] = ['cart_reminder', 'order_followup', 'birthday', 'winback'];
const WIDTHS = [320, 600] as const;

const PROFILES: Record<string, Profile> = {
  en: SAMPLE_PROFILE,
  'en-noname': { customerId: 'c-noname', email: 'x@example.invalid', locale: 'en-GB' },
  de: { customerId: 'c-de', email: 'jonas@example.invalid', firstName: 'Jonas', locale: 'de-DE' },
  fr: { customerId: 'c-fr', email: 'lea@example.invalid', firstName: 'Léa', locale: 'fr-FR' },
};

/** A shop with its own logo and colours, so the brand kit is seen to reach the email. */
const BRANDED = {
  logoUrl: 'https://example.invalid/brand/logo.png',
  logoWidth: 180,
  legalName: 'Demo Tea GmbH',
  supportEmail: 'hello@tea.example',
  colors: { primary: '#7a1f3d', background: '#eef2f7', text: '#222233', muted: '#4a4a5a' },
};

interface Case {
  /** File name stem of the screenshots: `<journey>-<lang>[-variant]`. */
  name: string;
  journey: Journey;
  language: Locale;
  profile: Profile;
  incentive?: boolean;
  branded?: boolean;
  dark?: boolean;
  /** What the customer's last answers changed, shown above the suggestions. */
  notes?: string[];
}

const CASES: Case[] = [
  ...JOURNEYS.flatMap((journey): Case[] =>
    Object.entries(PROFILES).map(([key, profile]) => ({
      name: `${journey}-${key}`,
      journey,
      language: key.slice(0, 2) as Locale,
      profile,
    })),
  ),
  // Birthdays without a claimed code: warm wishes, no gift.
  ...(['en', 'de', 'fr'] as const).map(
    (language): Case => ({
      name: `birthday-${language}-nogift`,
      journey: 'birthday',
      language,
      profile: PROFILES[language]!,
      incentive: false,
    }),
  ),
  // A thank-you with a code (any journey may carry one), a shop with a logo, and dark mode.
  {
    name: 'order_followup-en-gift',
    journey: 'order_followup',
    language: 'en',
    profile: SAMPLE_PROFILE,
    incentive: true,
  },
  {
    name: 'cart_reminder-en-logo',
    journey: 'cart_reminder',
    language: 'en',
    profile: SAMPLE_PROFILE,
    branded: true,
  },
  { name: 'winback-de-logo', journey: 'winback', language: 'de', profile: PROFILES.de!, branded: true },
  {
    name: 'cart_reminder-en-dark',
    journey: 'cart_reminder',
    language: 'en',
    profile: SAMPLE_PROFILE,
    dark: true,
    notes: ['You told us Earl Grey wasn’t for you, so we left it out.'],
  },
  {
    name: 'winback-fr-notes',
    journey: 'winback',
    language: 'fr',
    profile: PROFILES.fr!,
    notes: ['Vous nous avez dit aimer Thé : nous en avons choisi davantage.'],
  },
  { name: 'birthday-fr-dark', journey: 'birthday', language: 'fr', profile: PROFILES.fr!, dark: true },
];

/** What the page shows, measured in the page (evaluated as page source: the project has no DOM types). */
interface Measured {
  lang: string;
  scrollWidth: number;
  innerWidth: number;
  images: Array<{ alt: string | null; src: string; loaded: boolean; width: number }>;
  primary: Array<{ href: string; height: number; width: number; background: string; text: string }>;
  unsubscribeLinks: number;
  footers: number;
  codeBoxes: number;
  text: string;
  /** Visible text whose size is under 14 px, or whose contrast with what is behind it is under AA. */
  small: string[];
  lowContrast: string[];
  contentWidth: number;
}

const MEASURE = `(() => {
  const parse = (c) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(c);
    if (!m) return null;
    const p = m[1].split(',').map((s) => parseFloat(s));
    return { r: p[0], g: p[1], b: p[2], a: p[3] === undefined ? 1 : p[3] };
  };
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const behind = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) return c;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const small = [], lowContrast = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const words = n.textContent.replace(/\\s+/g, ' ').trim();
    const el = n.parentElement;
    if (!words || !el || el.getClientRects().length === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    const size = parseFloat(style.fontSize);
    if (size < 14) small.push(size + 'px: ' + words);
    const fg = parse(style.color), bg = behind(el);
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) lowContrast.push(ratio.toFixed(2) + ': ' + words);
  }
  const card = document.querySelector('.card');
  return {
    lang: document.documentElement.lang,
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    images: [...document.images].map((i) => ({ alt: i.getAttribute('alt'), src: i.src, loaded: i.complete && i.naturalWidth > 0, width: i.getBoundingClientRect().width })),
    primary: [...document.querySelectorAll('.primary a')].map((a) => {
      const box = a.getBoundingClientRect();
      return { href: a.getAttribute('href'), height: box.height, width: box.width, background: getComputedStyle(a).backgroundColor, text: a.textContent.trim() };
    }),
    unsubscribeLinks: document.querySelectorAll('a[href="${SAMPLE_LINKS.unsubscribe}"]').length,
    footers: document.querySelectorAll('.footer').length,
    codeBoxes: document.querySelectorAll('.code-box').length,
    text: document.body.innerText,
    small,
    lowContrast,
    contentWidth: card ? card.getBoundingClientRect().width : 0,
  };
})()`;

/** A picture for each image URL: an SVG with the file's name on it, so a screenshot shows where images go. */
function placeholder(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? 'image').replace(/\.\w+$/, '');
  const label = name.replace(/[<&>"]/g, '');
  if (name === 'logo') {
    // A logo is wide and short, like most shops' wordmarks.
    return `<svg xmlns="http://www.w3.org/2000/svg" width="360" height="90" viewBox="0 0 360 90"><rect width="360" height="90" rx="8" fill="#7a1f3d"/><text x="180" y="58" font-family="serif" font-size="40" text-anchor="middle" fill="#ffffff">Logo</text></svg>`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="320" viewBox="0 0 320 320"><rect width="320" height="320" fill="#cfd8d3"/><circle cx="160" cy="130" r="54" fill="#a9b9b0"/><text x="160" y="250" font-family="sans-serif" font-size="26" text-anchor="middle" fill="#26332c">${label}</text></svg>`;
}

/** Gift words per language: a birthday without a code must say none of them. */
const GIFT: Record<Locale, RegExp> = {
  en: /gift|code|off your/i,
  de: /Geschenk|Code|Rabatt/i,
  fr: /cadeau|code|réduction/i,
};
/** English a translation must not fall back to (product names of the sample catalogue contain none). */
const ENGLISH = /\b(you|your|the|and|thank|with|here|visit|back to|happy)\b/i;
/** A word each translation must show. */
const OWN_WORD: Record<Locale, RegExp> = {
  en: /\byour?\b/i,
  de: /\b(Sie|Ihre?n?)\b/,
  fr: /\b(vous|votre|vos)\b/i,
};

describe('Browser: the starter emails in chromium', () => {
  let browser: Browser;
  let drafts: Map<Journey, TemplateDraft>;

  beforeAll(async () => {
    drafts = new Map((await loadTemplates('templates', AT)).map((d) => [d.journey, d]));
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  function variables(c: Case): TemplateVariables {
    const vars = sampleVariables(c.journey, c.profile, undefined, {
      language: c.language,
      ...(c.incentive === undefined ? {} : { incentive: c.incentive }),
    });
    if (c.branded) vars.shop = { ...vars.shop, ...BRANDED };
    if (c.notes) vars.feedback = { notes: c.notes };
    return vars;
  }

  async function open(
    html: string,
    width: number,
    dark: boolean,
  ): Promise<{ page: Page; refused: string[] }> {
    const context = await browser.newContext({
      viewport: { width, height: 900 },
      colorScheme: dark ? 'dark' : 'light',
    });
    const refused: string[] = [];
    await context.route('**/*', (route) => {
      const request = route.request();
      if (request.resourceType() === 'image') {
        return route.fulfill({ status: 200, contentType: 'image/svg+xml', body: placeholder(request.url()) });
      }
      refused.push(request.url());
      return route.abort();
    });
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    return { page, refused };
  }

  it.each(CASES)('$name reads well at 320 and 600 px', async (c) => {
    // Prepare
    const vars = variables(c);
    const message = await renderMessage({ ...drafts.get(c.journey)!, version: 'v-browser' }, vars);
    const gift = Boolean(vars.incentive);
    const target = vars.cart?.url ?? vars.order?.url ?? vars.shop.url;
    for (const width of WIDTHS) {
      // Act
      const { page, refused } = await open(message.html, width, Boolean(c.dark));
      const seen = (await page.evaluate(MEASURE)) as Measured;
      await page.screenshot({ path: join(SCREENSHOTS, `${c.name}-${width}.png`), fullPage: true });
      await page.context().close();
      const at = `${c.name} at ${width} px`;
      // Assess: the page fits, speaks the customer's language, and every picture has words.
      expect(refused, at).toEqual([]);
      expect(seen.lang, at).toBe(c.language);
      expect(seen.scrollWidth, at).toBeLessThanOrEqual(seen.innerWidth);
      // Pictures: the products of a cart, an order or the suggestions, and the logo when the shop has one.
      const pictures =
        (vars.cart?.items.length ?? 0) + (vars.order?.items.length ?? 0) + vars.recommendations.length;
      expect(seen.images.length, at).toBe(pictures + (c.branded ? 1 : 0));
      for (const image of seen.images) {
        expect(image.alt?.trim(), `${at}: alt of ${image.src}`).toBeTruthy();
        expect(image.loaded, `${at}: ${image.src} loaded`).toBe(true);
        expect(image.width, `${at}: ${image.src} within the page`).toBeLessThanOrEqual(width);
      }
      expect(seen.small, at).toEqual([]);
      expect(seen.lowContrast, at).toEqual([]);
      // One footer with one unsubscribe link.
      expect(seen.footers, at).toBe(1);
      expect(seen.unsubscribeLinks, at).toBe(1);
      // One primary button, at least 44 px tall, across the phone's screen; a birthday without a gift has none.
      const withButton = c.journey !== 'birthday' || gift;
      expect(seen.primary.length, at).toBe(withButton ? 1 : 0);
      for (const button of seen.primary) {
        expect(button.href, at).toBe(target);
        expect(button.height, at).toBeGreaterThanOrEqual(44);
        if (width === 320) expect(button.width, at).toBeGreaterThanOrEqual(seen.contentWidth - 60);
        if (c.branded) expect(button.background, at).toBe('rgb(122, 31, 61)');
      }
      // The gift: the code only when one was claimed; without it, no word of a gift.
      expect(seen.codeBoxes, at).toBe(gift ? 1 : 0);
      if (gift) expect(seen.text, at).toContain(vars.incentive!.code);
      else if (c.journey === 'birthday') expect(seen.text, at).not.toMatch(GIFT[c.language]);
      // No English left in a translation; the customer's own words are there.
      if (c.language !== 'en') expect(seen.text, at).not.toMatch(ENGLISH);
      expect(seen.text, at).toMatch(OWN_WORD[c.language]);
      // The brand: the logo, with the shop's name as its alt text, at the brand's width.
      const logo = seen.images.find((i) => i.src === BRANDED.logoUrl);
      if (c.branded) {
        expect(logo?.alt, at).toBe(vars.shop.name);
        expect(logo?.width, at).toBe(BRANDED.logoWidth);
        // The footer names the company behind the shop and where to write to a person.
        expect(seen.text, at).toContain(`${BRANDED.legalName} · `);
        expect(seen.text, at).toContain(BRANDED.supportEmail);
      } else {
        expect(logo, at).toBeUndefined();
        expect(seen.text, at).toContain(vars.shop.name);
      }
      // Suggestions, each with its own reason, where the journey has them.
      for (const rec of vars.recommendations) expect(seen.text, at).toContain(rec.because ?? '');
      for (const note of vars.feedback.notes) expect(seen.text, at).toContain(note);
    }
  });
});
