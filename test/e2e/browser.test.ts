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
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

const customerHttp = handlerOf('customer-http');

// Caps high enough that several orders a day all get their email: only the customer's choices may stop one.
const CONFIG = { caps: { perDay: 10, perWeek: 30 } };
const DAY = '2026-12-01';
/** The screenshot of the preference center on a phone, for a person to look at. */
const SCREENSHOT = join(tmpdir(), 'reciprocity-preference-center.png');

const line = (sku: string, name: string, category: string) => ({
  sku,
  name,
  price: 10,
  quantity: 1,
  category,
});
const SENCHA = line('TEA-1', 'Sencha', 'tea');
const EARL_GREY = line('TEA-2', 'Earl Grey', 'tea');
const placed = (customerId: string, orderId: string, time: string, items: object[]) =>
  shopEvent('order.placed', time, { customerId, orderId, items, currency: 'EUR', total: 10 * items.length });
const product = (sku: string, name: string, category: string) =>
  shopEvent('product.upserted', `${DAY}T00:10:00Z`, { sku, name, category, price: 10, inStock: true });
const cart = (customerId: string, cartId: string, time: string) =>
  shopEvent('cart.updated', time, {
    customerId,
    cartId,
    items: [{ sku: 'TEA-3', name: 'Assam', price: 10, quantity: 1, category: 'tea' }],
    currency: 'EUR',
    total: 10,
  });

/** `HH:MM` on the test day, moved by some minutes, as an ISO time. */
const minutesAfter = (hhmm: string, minutes: number) =>
  new Date(Date.parse(`${DAY}T${hhmm}:00Z`) + minutes * 60_000).toISOString();

/** A port nobody listens on, so the engine's links (publicBaseUrl) can name the server before it starts. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('Browser: the preference center in chromium, and what the engine sends after', () => {
  let embedded: Embedded;
  let server: CustomerServer;
  let browser: Browser;
  let context: BrowserContext;
  let origin: string;

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    embedded = await startEmbedded({
      start: new Date(`${DAY}T00:00:00Z`),
      templatesDir: 'templates',
      config: { ...CONFIG, publicBaseUrl: origin },
    });
    setRunning(embedded);
    server = await startCustomerServer({ handler: customerHttp, port });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, acceptDownloads: true });
    // Emails are opened as the engine rendered them; anything but our server (fonts, images) is refused, so
    // the test needs no network and a stray request cannot stall a page load.
    await context.route(
      (url) => !url.href.startsWith(origin),
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
    await server?.close();
    await embedded?.stop();
  });

  /** The customer's first thank-you email, sent at `at` (Berlin daytime: outside quiet hours). */
  async function firstEmail(customerId: string, at: string): Promise<void> {
    await deliver(
      embedded,
      `${DAY}T${at}:00Z`,
      shopEvent('customer.upserted', `${DAY}T08:00:00Z`, customer(customerId)),
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

  /** The preference center, reached by clicking the footer link of the customer's email. */
  async function openCenter(customerId: string, index = 0): Promise<Page> {
    const tab = await openEmail(customerId, index);
    await tab.getByRole('link', { name: 'Your preferences and data' }).click();
    await tab.getByRole('heading', { name: 'Your email preferences' }).waitFor();
    expect(tab.url().startsWith(`${origin}/p/`)).toBe(true);
    return tab;
  }

  /** Another order placed at `at` and the clock run 5 minutes on; what the ledger decided about its email. */
  async function nextOrder(customerId: string, at: string, orderId = `O-${customerId}-2`) {
    await deliver(embedded, minutesAfter(at, 5), placed(customerId, orderId, `${DAY}T${at}:00Z`, [SENCHA]));
    return (await ledgerOf(customerId)).find((e) => e.triggerKey.endsWith(orderId));
  }

  /** The recommendation blocks (the nearest div around each "Not for me" link) that name an item. */
  const recommended = (tab: Page, name: string) =>
    tab.getByRole('link', { name: 'Not for me' }).locator('xpath=ancestor::div[1]').filter({ hasText: name });

  it('(a) unsubscribe by button: the next order gets no email', async () => {
    await firstEmail('UNSUB', '09:05');
    const tab = await openEmail('UNSUB');

    await tab.getByRole('link', { name: 'Unsubscribe' }).click();
    await tab.getByRole('button', { name: 'Unsubscribe' }).click();
    await tab.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
    const next = await nextOrder('UNSUB', '09:20');

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

    expect(await tab.getByText('Your emails are paused until').textContent()).toContain('1 Jan 2027');
    expect(next).toMatchObject({ decision: 'skipped', reason: 'paused' });
    expect(await emailsTo(embedded, 'PAUSE')).toHaveLength(1);
  });

  it('(d) export: the download holds this customer’s data and nothing of another customer', async () => {
    await firstEmail('EXPORT', '13:05');
    const tab = await openCenter('EXPORT');

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

    await tab.getByRole('link', { name: 'Erase all my data…' }).click();
    await tab.getByLabel('I understand that this erases all my data and cannot be undone').check();
    await tab.getByRole('button', { name: 'Erase everything' }).click();
    await tab.getByRole('heading', { name: 'Your data is erased' }).waitFor();
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
    await mail.getByRole('button', { name: 'Yes, leave it out' }).click();
    await mail.getByRole('heading', { name: 'Thank you' }).waitFor();
    await nextOrder('VOTE', '17:00');
    const second = await openEmail('VOTE', 1);
    const center = await openCenter('VOTE', 1);
    const answers = center.locator('#votes');
    await center.screenshot({ path: SCREENSHOT, fullPage: true });
    await answers.screenshot({ path: SCREENSHOT.replace('.png', '-answers.png') });
    const answered = await answers.textContent();
    const overflow = await center.evaluate('document.documentElement.scrollWidth > window.innerWidth');
    await center.getByRole('button', { name: 'Undo your answer about Earl Grey' }).click();
    await center.getByRole('status').filter({ hasText: 'Done: we forgot that answer' }).waitFor();
    // The same undo sent again (a stale tab): refused with the reason, nothing claimed as saved.
    const again = await fetch(`${center.url().split('?')[0]}/vote`, {
      method: 'POST',
      body: new URLSearchParams({ kind: 'sku', id: 'TEA-2' }),
    });
    await nextOrder('VOTE', '18:00', 'O-VOTE-3');
    const third = await openEmail('VOTE', 2);

    expect(await second.getByText("You told us Earl Grey wasn't for you, so we left it out.").count()).toBe(
      1,
    );
    expect(await recommended(second, 'Earl Grey').count()).toBe(0);
    expect(overflow).toBe(false);
    expect(answered).toContain('You said Earl Grey is not for you');
    expect((await stores().profiles.get('VOTE'))?.feedback).toEqual([]);
    expect(await center.getByText('You have not told us anything about our suggestions yet.').count()).toBe(
      1,
    );
    expect(await recommended(third, 'Earl Grey').count()).toBeGreaterThan(0);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('role="alert">We have no such answer from you any more');
  });
});
