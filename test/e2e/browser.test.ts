/**
 * The customer's side in a real browser: playwright-core drives Debian's chromium through the pages the
 * emails link to, with real clicks and form fills, against the real customer-http handler on the local
 * customer server, in embedded mode. Each email is opened from the HTML the engine sent, and its links are
 * clicked there.
 *
 * "`reciprocity run` sends (or does not send) accordingly": the CLI is a separate process with its own
 * in-memory stores, so it cannot see what the browser changed. Instead, the same embedded runtime the emails
 * came from (what `reciprocity run` starts) is driven forward in time after each browser action, and its
 * ledger and outbox show what it then sends.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageIdFor, triggerKeys } from '../../functions/domain/ids.js';
import { type CustomerServer, startCustomerServer } from '../../local/customer-server.js';
import { type Embedded, startEmbedded } from '../../local/runtime.js';
import { launchChromium } from '../chromium.js';
import {
  customer,
  deliver,
  emailsTo,
  handlerOf,
  ledgerOf,
  order,
  runsOf,
  setRunning,
  shopEvent,
  stores,
} from '../flow/helpers.js';
import {
  cart,
  DAY,
  EARL_GREY,
  freePort,
  minutesAfter,
  placed,
  product,
  rotatedEndpoint,
  SENCHA,
} from './browser-shop.js';
import { openAll, PHONE, type Shot, shoot } from './page-shots.js';

const customerHttp = handlerOf('customer-http');

// Caps high enough that several orders a day all get their email, and no holdout: only the customer's choices
// may stop one.
// A brand kit with a support address and a legal name, so the pages' footer shows them.
const CONFIG = {
  caps: { perDay: 10, perWeek: 30 },
  holdout: { enabled: false },
  brand: { legalName: 'Demo Shop GmbH', supportEmail: 'help@shop.example' },
};
/** The preference center on a phone stays within about three screens. */
const MAX_CENTER_HEIGHT = 2500;

describe('Browser: the customer pages in chromium, and what the engine sends after', () => {
  let embedded: Embedded;
  let server: CustomerServer;
  let browser: Browser;
  let context: BrowserContext;
  let origin: string;
  /** Origins the browser may reach: our customer servers only. */
  const reachable = new Set<string>();
  /** Every page's screenshots, checked together at the end. */
  const shots = new Map<string, Shot[]>();
  const extraServers: CustomerServer[] = [];

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    reachable.add(origin);
    embedded = await startEmbedded({
      start: new Date(`${DAY}T00:00:00Z`),
      templatesDir: 'templates',
      config: { ...CONFIG, publicBaseUrl: origin },
    });
    setRunning(embedded);
    server = await startCustomerServer({ handler: customerHttp, port });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: PHONE, height: 900 }, acceptDownloads: true });
    // Emails are opened as the engine rendered them; anything but our servers (fonts, images) is refused, so
    // the test needs no network and a stray request cannot stall a page load.
    await context.route(
      (url) => !reachable.has(url.origin),
      (route) => route.abort(),
    );
    // Recommendations need a catalogue and co-purchases: others bought Sencha with Earl Grey.
    await deliver(
      embedded,
      `${DAY}T09:00:00Z`,
      product('TEA-1', 'Sencha', 'tea'),
      product('TEA-2', 'Earl Grey', 'tea'),
      product('TEA-3', 'Assam', 'tea'),
      placed('OTHER', 'H1', `${DAY}T01:00:00Z`, [SENCHA, EARL_GREY]),
      placed('OTHER', 'H2', `${DAY}T02:00:00Z`, [SENCHA, EARL_GREY]),
    );
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    for (const extra of extraServers) await extra.close();
    await server?.close();
    await embedded?.stop();
  });

  /** The customer's first thank-you email, sent at `at` (Berlin daytime: outside quiet hours). */
  async function firstEmail(customerId: string, at: string, extra: object = {}): Promise<void> {
    await deliver(
      embedded,
      `${DAY}T${at}:00Z`,
      shopEvent('customer.upserted', `${DAY}T08:00:00Z`, customer(customerId, extra)),
      shopEvent('order.placed', minutesAfter(at, -1), order(customerId, `O-${customerId}-1`)),
    );
    expect(await emailsTo(embedded, customerId)).toHaveLength(1);
  }

  /** A new tab showing the customer's email as sent (`index` counts from 0; -1 is the latest). */
  async function openEmail(customerId: string, index = 0): Promise<Page> {
    const html = (await emailsTo(embedded, customerId)).at(index)?.html;
    if (!html) throw new Error(`No email ${index} to ${customerId}`);
    const tab = await context.newPage();
    await tab.setContent(html, { waitUntil: 'domcontentloaded' });
    return tab;
  }

  /** A link of the email to one of our pages, found by its path (the email's words are in its language). */
  const emailLink = (tab: Page, path: 'p' | 'u' | 'why') => tab.locator(`a[href*="/${path}/"]`).first();

  /** The preference center, reached by clicking the footer link of the customer's email. */
  async function openCenter(
    customerId: string,
    index = 0,
    heading = 'Your email preferences',
  ): Promise<Page> {
    const tab = await openEmail(customerId, index);
    await emailLink(tab, 'p').click();
    await tab.getByRole('heading', { name: heading, level: 1 }).waitFor();
    expect(tab.url().startsWith(`${origin}/p/`)).toBe(true);
    return tab;
  }

  /** Opens a collapsed section of the preference center by its summary, as a reader would. */
  const openSection = (tab: Page, id: string) => tab.locator(`#${id} > summary`).click();

  /** Screenshots of the page at both widths, kept for the checks at the end. */
  async function look(tab: Page, name: string): Promise<void> {
    shots.set(name, await shoot(tab, name));
  }

  /** Another order placed at `at` and the clock run 5 minutes on; what the ledger decided about its email. */
  async function nextOrder(customerId: string, at: string, orderId = `O-${customerId}-2`) {
    await deliver(embedded, minutesAfter(at, 5), placed(customerId, orderId, `${DAY}T${at}:00Z`, [SENCHA]));
    return (await ledgerOf(customerId)).find((e) => e.triggerKey.endsWith(orderId));
  }

  /** The suggestion cards (class `rec`, each with its "Not for me" link) that name an item. */
  const recommended = (tab: Page, name: string) =>
    tab
      .locator('.rec')
      .filter({ hasText: name })
      .filter({ has: tab.getByRole('link', { name: 'Not for me' }) });

  it('(a) unsubscribe by button: the next order gets no email', async () => {
    await firstEmail('UNSUB', '09:05');
    const tab = await openEmail('UNSUB');

    await emailLink(tab, 'u').click();
    await tab.getByRole('button', { name: 'Unsubscribe' }).waitFor();
    await look(tab, 'unsubscribe-confirm');
    await tab.getByRole('button', { name: 'Unsubscribe' }).click();
    await tab.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
    await look(tab, 'unsubscribed');
    const next = await nextOrder('UNSUB', '09:20');

    expect(await tab.getByText('This takes effect at once').count()).toBe(1);
    expect((await stores().profiles.get('UNSUB'))?.consent).toMatchObject({ email: 'opted_out' });
    expect(next).toMatchObject({ decision: 'skipped', reason: 'opted_out' });
    expect(await emailsTo(embedded, 'UNSUB')).toHaveLength(1);
  });

  it('(b) topics: without thank-you notes the next order is skipped, while a cart reminder still goes', async () => {
    await firstEmail('TOPICS', '10:05');
    const tab = await openCenter('TOPICS');

    await tab.getByLabel('Thank-you notes after an order').uncheck();
    await tab.getByRole('button', { name: 'Save topics' }).click();
    await tab.getByRole('status').filter({ hasText: 'Saved: what we email you about.' }).waitFor();
    const next = await nextOrder('TOPICS', '10:20');
    await deliver(embedded, `${DAY}T11:40:00Z`, cart('TOPICS', 'K-TOPICS', `${DAY}T10:30:00Z`));

    expect(await tab.getByLabel('Thank-you notes after an order').isChecked()).toBe(false);
    expect(await tab.getByLabel('Cart reminders').isChecked()).toBe(true);
    expect(next).toMatchObject({ decision: 'skipped', reason: 'topic_off' });
    const reminder = (await ledgerOf('TOPICS')).find((e) => e.journey === 'cart_reminder');
    expect(reminder).toMatchObject({ decision: 'sent' });
    expect(await emailsTo(embedded, 'TOPICS')).toHaveLength(2);
  });

  it('(c) frequency: paused for a month, the next message is skipped as paused', async () => {
    await firstEmail('PAUSE', '12:05');
    const tab = await openCenter('PAUSE');

    await tab.getByLabel('Pause all marketing email').check();
    await tab.getByLabel('Pause for').selectOption({ label: '1 month' });
    await tab.getByRole('button', { name: 'Save how often' }).click();
    await tab.getByText('Your emails are paused until').waitFor();
    const next = await nextOrder('PAUSE', '12:20');

    // 12:05 UTC plus a month, in Berlin (the customer's zone), in English (no locale given)
    expect(await tab.getByText('Your emails are paused until').textContent()).toContain(
      'January 1, 2027 at 1:05 PM',
    );
    expect(next).toMatchObject({ decision: 'skipped', reason: 'paused' });
    expect(await emailsTo(embedded, 'PAUSE')).toHaveLength(1);
  });

  it('(d) export: the download holds this customer’s data and nothing of another customer', async () => {
    await firstEmail('EXPORT', '13:05');
    const tab = await openCenter('EXPORT');

    await openSection(tab, 'export');
    const [download] = await Promise.all([
      tab.waitForEvent('download'),
      tab.getByRole('link', { name: 'Download all your data' }).click(),
    ]);
    const text = await readFile(await download.path(), 'utf8');

    expect(download.suggestedFilename()).toBe('your-data.json');
    const data = JSON.parse(text);
    expect(data.profile).toMatchObject({ customerId: 'EXPORT', email: 'export@customers.example' });
    expect(data.messages).toMatchObject([{ customerId: 'EXPORT', decision: 'sent' }]);
    for (const other of ['unsub', 'topics', 'pause'])
      expect(text).not.toContain(`${other}@customers.example`);
    expect(text).not.toMatch(/"(OTHER|UNSUB|TOPICS|PAUSE)"/);
  });

  it('(e) erase: confirmed in the browser, the profile is gone and a scheduled cart reminder sends nothing', async () => {
    await firstEmail('ERASE', '14:05');
    await deliver(embedded, `${DAY}T14:15:00Z`, cart('ERASE', 'K-ERASE', `${DAY}T14:10:00Z`));
    const runsBefore = runsOf(embedded, 'ERASE').length;
    const tab = await openCenter('ERASE');

    await openSection(tab, 'erase');
    await tab.getByRole('link', { name: 'Erase all my data…' }).click();
    await tab.getByLabel('I understand that this erases all my data and cannot be undone').waitFor();
    await look(tab, 'erase-confirm');
    await tab.getByLabel('I understand that this erases all my data and cannot be undone').check();
    await tab.getByRole('button', { name: 'Erase everything' }).click();
    await tab.getByRole('heading', { name: 'Your data is erased' }).waitFor();
    await look(tab, 'erased');
    await embedded.runUntil(new Date(`${DAY}T15:45:00Z`));

    expect(await stores().profiles.get('ERASE')).toBeUndefined();
    expect(await stores().carts.get('K-ERASE')).toBeUndefined();
    const laterRuns = runsOf(embedded, 'ERASE').slice(runsBefore);
    expect(laterRuns.length).toBeGreaterThanOrEqual(1);
    for (const run of laterRuns) expect(run.statesEntered).not.toContain('Send');
    expect(await emailsTo(embedded, 'ERASE')).toHaveLength(1);
    expect(await stores().ledger.get(messageIdFor(triggerKeys.cartReminder('K-ERASE')))).toMatchObject({
      decision: 'cancelled',
      reason: 'erased',
    });
  });

  it('(f) "Not for me" leaves the item out of the next email; undone in the preference center, it may return', async () => {
    await firstEmail('VOTE', '16:05');
    const mail = await openEmail('VOTE');
    expect(await recommended(mail, 'Earl Grey').count()).toBeGreaterThan(0);

    await recommended(mail, 'Earl Grey').last().getByRole('link', { name: 'Not for me' }).click();
    await mail.getByRole('button', { name: 'Yes, leave it out' }).waitFor();
    await look(mail, 'vote-confirm');
    await mail.getByRole('button', { name: 'Yes, leave it out' }).click();
    await mail.getByRole('heading', { name: 'Thank you' }).waitFor();
    await look(mail, 'voted');
    await nextOrder('VOTE', '17:00');
    const second = await openEmail('VOTE', 1);
    const center = await openCenter('VOTE', 1);
    await look(center, 'center-en');
    await openSection(center, 'votes');
    const answers = center.locator('#votes');
    const answered = await answers.textContent();
    await center.getByRole('button', { name: 'Undo your answer about Earl Grey' }).click();
    await center.getByRole('status').filter({ hasText: 'Done: we forgot that answer' }).waitFor();
    // The same undo sent again (a stale tab): refused with the reason, nothing claimed as saved.
    const again = await fetch(`${center.url().split('?')[0]}/vote`, {
      method: 'POST',
      body: new URLSearchParams({ kind: 'sku', id: 'TEA-2' }),
    });
    await nextOrder('VOTE', '18:00', 'O-VOTE-3');
    const third = await openEmail('VOTE', 2);
    await openAll(center);
    await look(center, 'center-en-open');

    expect(await second.getByText('You told us Earl Grey wasn’t for you, so we left it out.').count()).toBe(
      1,
    );
    expect(await recommended(second, 'Earl Grey').count()).toBe(0);
    expect(answered).toContain('You said Earl Grey is not for you');
    expect((await stores().profiles.get('VOTE'))?.feedback).toEqual([]);
    expect(await center.getByText('You have not told us anything about our suggestions yet.').count()).toBe(
      1,
    );
    expect(await recommended(third, 'Earl Grey').count()).toBeGreaterThan(0);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('role="alert">We have no such answer from you any more');
  });

  it('(g) a German customer reads German pages, with times in their own zone and items by name', async () => {
    await firstEmail('DE', '18:20', { locale: 'de-DE', timeZone: 'Europe/Berlin' });
    const center = await openCenter('DE', 0, 'Ihre E-Mail-Einstellungen');
    await look(center, 'center-de');
    const mail = await openEmail('DE');
    await emailLink(mail, 'why').click();
    await mail.getByRole('heading', { name: 'Warum Sie diese E-Mail bekommen haben' }).waitFor();
    await look(mail, 'why-de');
    const why = (await mail.locator('main').textContent()) ?? '';
    const sentAt = (await ledgerOf('DE'))[0]?.history?.find((h) => h.decision === 'sent')?.at ?? '';
    // Berlin is an hour ahead of UTC in December: the local time, written the German way
    const local = new Date(Date.parse(sentAt) + 3_600_000).toISOString().slice(11, 16).replace(/^0/, '');
    const utc = new Date(Date.parse(sentAt)).toISOString().slice(11, 16);
    await openSection(center, 'messages');
    const recent = (await center.locator('#messages').textContent()) ?? '';

    expect(await center.locator('html').getAttribute('lang')).toBe('de');
    expect(await mail.locator('html').getAttribute('lang')).toBe('de');
    expect(why).toContain('Sie haben bestellt, und wir wollten uns bedanken.');
    expect(why).toContain(`1. Dezember 2026 um ${local}: gesendet`);
    expect(recent).toContain('Dankeschön für Ihre Bestellung');
    expect(recent).toContain(`1. Dezember 2026 um ${local}`);
    // What the page shows: the collapsed sections (and the time zone list in one) are not on screen.
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point here
    const shown = await center.locator('body').innerText();
    for (const text of [why, recent, shown]) {
      expect(text).not.toContain('UTC');
      expect(text).not.toMatch(/TEA-\d|order_followup|customer\.upserted/);
    }
    expect(why).not.toContain(utc);
  });

  it('(h) tracking off in "Where your data goes" is stored on the profile, and can be turned back on', async () => {
    await firstEmail('TRACK', '18:40');
    const tab = await openCenter('TRACK');

    await openSection(tab, 'where');
    await tab.getByRole('button', { name: 'Turn tracking off' }).click();
    await tab.getByRole('status').filter({ hasText: 'Saved: your choice about tracking.' }).waitFor();
    const stored = (await stores().profiles.get('TRACK'))?.preferences;
    await look(tab, 'center-tracking-off');
    await tab.getByRole('link', { name: 'Where your data goes' }).last().click();
    await tab.getByRole('heading', { name: 'Where your data goes', level: 1 }).waitFor();
    await look(tab, 'privacy');

    expect(stored).toMatchObject({ frequency: 'normal', tracking: false });
    expect(await tab.getByText('Amazon Web Services (AWS) stores and processes it').count()).toBe(1);
  });

  it('(i) unsubscribe, then undo on the same page: opted in again, and the next order gets its email', async () => {
    await firstEmail('UNDO', '19:00');
    const tab = await openEmail('UNDO');

    await emailLink(tab, 'u').click();
    await tab.getByRole('button', { name: 'Unsubscribe' }).click();
    await tab.getByRole('button', { name: 'Undo: subscribe me again' }).click();
    await tab.getByRole('heading', { name: 'You are subscribed again' }).waitFor();
    await look(tab, 'resubscribed');
    const next = await nextOrder('UNDO', '19:10');

    expect((await stores().profiles.get('UNDO'))?.consent).toMatchObject({
      email: 'opted_in',
      source: 'undo_unsubscribe',
    });
    expect(next).toMatchObject({ decision: 'sent' });
    expect(await emailsTo(embedded, 'UNDO')).toHaveLength(2);
  });

  it('(j) an unsubscribe link 100 days old, signed under a key since rotated, still works; its why link has expired', async () => {
    await firstEmail('ROTATE', '19:30');
    const mail = await openEmail('ROTATE');
    const unsubscribePath = new URL((await emailLink(mail, 'u').getAttribute('href')) ?? '').pathname;
    const whyPath = new URL((await emailLink(mail, 'why').getAttribute('href')) ?? '').pathname;
    // The endpoint 100 days on (past linkTtlDays, within unsubscribeLinkDays), after a rotation: a new current
    // key, the old one kept in the set.
    const handler = rotatedEndpoint(embedded, 100);
    const rotatedServer = await startCustomerServer({ handler });
    extraServers.push(rotatedServer);
    reachable.add(rotatedServer.url);
    const tab = await context.newPage();

    await tab.goto(`${rotatedServer.url}${whyPath}`);
    const whyExpired = await tab.getByRole('heading', { name: 'This link does not work' }).count();
    await look(tab, 'invalid-link');
    await tab.goto(`${rotatedServer.url}${unsubscribePath}`);
    await tab.getByRole('button', { name: 'Unsubscribe' }).click();
    await tab.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
    const undoAction = await tab.locator('form').first().getAttribute('action');

    expect(unsubscribePath.startsWith('/u/local-1.')).toBe(true);
    expect(whyExpired).toBe(1);
    expect(undoAction).toMatch(/^\/u\/local-2\.[\w-]+\/undo$/);
    expect((await stores().profiles.get('ROTATE'))?.consent).toMatchObject({
      email: 'opted_out',
      source: 'one-click-unsubscribe',
    });
  });

  it('(k) every page fits a 420 px phone without sideways scrolling; the preference center in under 3 screens', () => {
    const expected = (
      'unsubscribe-confirm unsubscribed erase-confirm erased vote-confirm voted center-en ' +
      'center-en-open center-de why-de center-tracking-off privacy resubscribed invalid-link'
    ).split(' ');
    expect([...shots.keys()].sort()).toEqual([...expected].sort());
    for (const [name, taken] of shots)
      for (const shot of taken) expect(shot.overflows, `${name} at ${shot.width} px`).toBe(false);
    // As it opens, with every section but the chosen ones collapsed.
    for (const name of ['center-en', 'center-de']) {
      const phone = shots.get(name)?.find((s) => s.width === PHONE);
      expect(phone?.height, name).toBeLessThan(MAX_CENTER_HEIGHT);
    }
  });
});
