/**
 * The preference center end to end: links taken from emails the real workflow sent, opened over HTTP on the
 * local customer server (Lambda function-URL events into the real handler), and their effect on the next
 * messages the workflow decides.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDeps } from '../../functions/app/deps.js';
import { toHandler } from '../../functions/app/lambda.js';
import { messageIdFor, triggerKeys } from '../../functions/domain/ids.js';
import { parseLinkKeys, readLinkClaims, signLink } from '../../functions/domain/links.js';
import { customerHttp as customerHttpUseCase } from '../../functions/usecases/customer-http.js';
import { type CustomerServer, startCustomerServer } from '../../local/customer-server.js';
import { type Embedded, startEmbedded } from '../../local/runtime.js';
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
} from './helpers.js';

const customerHttp = handlerOf('customer-http');

const CONFIG = { caps: { perDay: 10, perWeek: 20 }, quietHours: { start: '21:00', end: '08:00' } };
const GARBAGE = '/p/not-a.real-token.at-all';

describe('Flow: preference center over HTTP', () => {
  let embedded: Embedded;
  let server: CustomerServer;
  beforeAll(async () => {
    const start = new Date('2026-12-01T00:00:00Z');
    embedded = await startEmbedded({ start, config: CONFIG, templatesDir: 'templates' });
    setRunning(embedded);
    server = await startCustomerServer({ handler: customerHttp });
  });
  afterAll(async () => {
    await server?.close();
    await embedded?.stop();
  });

  const get = (path: string) => fetch(`${server.url}${path}`, { redirect: 'manual' });
  /** Posts a form, given as a query string (`a=1&b=2`), URL-encoded like a browser does. */
  const post = (path: string, form: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      body: new URLSearchParams(form),
      headers,
      redirect: 'manual',
    });
  /** The preferences path (`/p/<token>`) from the first email the customer got. */
  async function preferencesPath(customerId: string): Promise<string> {
    const [email] = await emailsTo(embedded, customerId);
    const href = /href="([^"]+\/p\/[^"]+)"/.exec(email?.html ?? '')?.[1];
    if (!href) throw new Error(`No preferences link in an email to ${customerId}`);
    return new URL(href).pathname;
  }
  async function firstEmail(customerId: string, at: string, extra: object = {}): Promise<string> {
    await deliver(
      embedded,
      at,
      shopEvent('customer.upserted', '2026-12-01T09:00:00Z', customer(customerId, extra)),
      shopEvent(
        'order.placed',
        new Date(Date.parse(at) - 60_000).toISOString(),
        order(customerId, `O-${customerId}-1`),
      ),
    );
    return preferencesPath(customerId);
  }

  /** Delivers a second order five minutes before `at`, and returns what the ledger says about it. */
  async function nextOrder(customerId: string, at: string) {
    const orderId = `O-${customerId}-2`;
    const placed = new Date(Date.parse(at) - 300_000).toISOString();
    await deliver(embedded, at, shopEvent('order.placed', placed, order(customerId, orderId)));
    return (await ledgerOf(customerId)).find((e) => e.triggerKey.endsWith(orderId));
  }

  it('serves the page from the email link, and a topic switched off skips the next message of its journey', async () => {
    // Prepare
    const path = await firstEmail('TOPICS', '2026-12-01T10:05:00Z');

    // Act
    const shown = await get(path);
    const saved = await post(
      `${path}/topics`,
      'email=opted_in&topic=cart_reminders&topic=birthday&topic=winback',
    );
    const after = await (await get(saved.headers.get('location') ?? '')).text();
    const why = await get(/href="(\/why\/[^"]+)">Why\?/.exec(after)?.[1] ?? '/why/missing');
    const next = await nextOrder('TOPICS', '2026-12-01T10:20:00Z');

    // Assess
    expect(shown.status).toBe(200);
    expect(shown.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(shown.headers.get('content-security-policy')).toContain("form-action 'self'");
    expect(await shown.text()).toContain('What we know about you and how it shapes your emails');
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`${path}?saved=topics`);
    expect(after).toContain('Saved: what we email you about.');
    expect(await why.text()).toContain('You placed an order, and we wanted to say thank you.');
    expect((await stores().profiles.get('TOPICS'))?.consent).toMatchObject({
      email: 'opted_in',
      topics: { order_followups: false, cart_reminders: true },
      source: 'preference-center',
      textVersion: 'preference-center-v1',
      updatedAt: '2026-12-01T10:05:00.000Z',
    });
    expect(await emailsTo(embedded, 'TOPICS')).toHaveLength(1);
    expect(next).toMatchObject({ decision: 'skipped', reason: 'topic_off' });
  });

  it('pauses for a month: the next message is skipped as paused', async () => {
    // Prepare
    const path = await firstEmail('PAUSE', '2026-12-01T11:05:00Z');

    // Act
    const saved = await post(`${path}/frequency`, 'frequency=paused&pauseFor=1m');
    const next = await nextOrder('PAUSE', '2026-12-01T11:20:00Z');

    // Assess
    expect(saved.status).toBe(303);
    expect((await stores().profiles.get('PAUSE'))?.preferences).toEqual({
      frequency: 'paused',
      pausedUntil: '2027-01-01T11:05:00.000Z',
      updatedAt: '2026-12-01T11:05:00.000Z',
    });
    expect(await emailsTo(embedded, 'PAUSE')).toHaveLength(1);
    expect(next).toMatchObject({ decision: 'skipped', reason: 'paused' });
  });

  it('edits and deletes details, and shows a bad value back without saving it', async () => {
    // Prepare
    const extra = { birthday: '1990-03-14', attributes: { tier: 'gold', club: 'tea' } };
    const path = await firstEmail('FIELDS', '2026-12-01T12:05:00Z', extra);

    // Act
    const renamed = await post(`${path}/field`, 'field=firstName&action=save&value=Grace');
    const noBirthday = await post(`${path}/field`, 'field=birthday&action=delete');
    // A function URL may hand the form over base64-encoded.
    const body = Buffer.from('field=attributes.tier&action=delete').toString('base64');
    const event = {
      rawPath: `${path}/field`,
      requestContext: { http: { method: 'POST' } },
      isBase64Encoded: true,
      body,
    };
    const noTier = await customerHttp(event as never);
    const badZone = await post(`${path}/field`, 'field=timeZone&action=save&value=Mars/Olympus_Mons');

    // Assess
    expect([renamed.status, noBirthday.status, noTier.statusCode]).toEqual([303, 303, 303]);
    expect(badZone.status).toBe(400);
    expect(await badZone.text()).toContain('role="alert">Choose a time zone from the list.');
    const profile = await stores().profiles.get('FIELDS');
    expect(profile).toMatchObject({
      firstName: 'Grace',
      timeZone: 'Europe/Berlin',
      attributes: { club: 'tea' },
    });
    for (const gone of ['birthday', 'birthdayMd', 'attributes.tier'])
      expect(profile).not.toHaveProperty(gone);
  });

  it('exports this customer’s data only, as a JSON attachment', async () => {
    // Prepare
    const path = await firstEmail('EXPORT', '2026-12-01T13:05:00Z');
    await deliver(
      embedded,
      '2026-12-01T13:10:00Z',
      shopEvent('cart.updated', '2026-12-01T13:06:00Z', {
        customerId: 'EXPORT',
        cartId: 'K-EXPORT',
        items: [{ sku: 'TEA-2', name: 'Matcha', price: 20, quantity: 1 }],
        currency: 'EUR',
        total: 20,
      }),
    );

    // Act
    const response = await get(`${path}/export`);
    const text = await response.text();
    const data = JSON.parse(text);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="your-data.json"');
    expect(data.profile).toMatchObject({ customerId: 'EXPORT', email: 'export@customers.example' });
    expect(data.carts).toMatchObject([{ cartId: 'K-EXPORT', customerId: 'EXPORT', status: 'open' }]);
    expect(data.messages).toMatchObject([
      { customerId: 'EXPORT', decision: 'sent', consent: { email: 'opted_in', source: 'checkout' } },
    ]);
    expect(data.messages[0].history.map((h: { decision: string }) => h.decision)).toEqual([
      'sending',
      'sent',
    ]);
    for (const other of ['topics', 'pause', 'fields'])
      expect(text).not.toContain(`${other}@customers.example`);
  });

  it('refuses a token of customer A tampered to name customer B exactly like a garbage token', async () => {
    // Prepare
    const pathA = await preferencesPath('TOPICS');
    const keys = parseLinkKeys(embedded.env.LINK_KEYS!);
    const opened = readLinkClaims(pathA.slice('/p/'.length), keys);
    if (!opened.ok) throw new Error(`The preferences link does not open: ${opened.reason}`);
    // AES-GCM encrypts like a stream cipher: knowing the plaintext's layout, XOR-ing the ciphertext turns
    // `"c":"TOPICS","m"` into `"c":"PAUSE", "m"`. Only the authentication tag stands in the way.
    const [kid, sealed] = pathA.slice('/p/'.length).split('.') as [string, string];
    const bytes = Buffer.from(sealed, 'base64url');
    const at = 12 + '{"p":"p","c":"'.length;
    const from = Buffer.from('TOPICS",');
    const to = Buffer.from('PAUSE", ');
    for (let i = 0; i < from.length; i++)
      bytes[at + i] = (bytes[at + i] ?? 0) ^ (from[i] ?? 0) ^ (to[i] ?? 0);
    const tampered = `/p/${kid}.${bytes.toString('base64url')}`;
    const expired = `/p/${signLink({ ...opened.claims, exp: Math.floor(Date.parse('2026-11-01T00:00:00Z') / 1000) }, keys)}`;
    const [email] = await emailsTo(embedded, 'TOPICS');
    const unsubscribeToken = /\/u\/([\w.-]+)>/.exec(
      email!.headers.find((h) => h.name === 'List-Unsubscribe')!.value,
    )![1];
    const before = await stores().profiles.get('PAUSE');

    // Act
    const garbage = await get(GARBAGE);
    const garbageBody = await garbage.text();
    const refusals = await Promise.all([
      get(tampered),
      get(`${tampered}/export`),
      post(`${tampered}/frequency`, 'frequency=normal'),
      post(`${tampered}/erase`, 'confirm=yes'),
      get(expired),
      get(`/p/${unsubscribeToken}`),
    ]);
    const crossSite = await post(`${pathA}/topics`, 'email=opted_out', {
      origin: 'https://evil.example',
    });

    // Assess
    expect(garbage.status).toBe(400);
    for (const refusal of refusals) {
      expect(refusal.status).toBe(400);
      expect(await refusal.text()).toBe(garbageBody);
    }
    expect(garbageBody).not.toMatch(/PAUSE|TOPICS|customers\.example|Ada/);
    expect(crossSite.status).toBe(403);
    expect(await stores().profiles.get('PAUSE')).toEqual(before);
    expect((await stores().profiles.get('TOPICS'))?.consent?.email).toBe('opted_in');
  });

  it('erases everything on a confirmed POST only, and stops a deferred message and a scheduled cart reminder', async () => {
    // Prepare: a sent thank-you, then (in Berlin's quiet hours) a deferred thank-you and a pending cart reminder
    const path = await firstEmail('ERASE', '2026-12-01T14:05:00Z');
    await deliver(
      embedded,
      '2026-12-01T20:45:00Z',
      shopEvent('order.placed', '2026-12-01T20:30:00Z', order('ERASE', 'O-ERASE-2')),
      shopEvent('cart.updated', '2026-12-01T20:40:00Z', {
        customerId: 'ERASE',
        cartId: 'K-ERASE',
        items: [{ sku: 'TEA-3', name: 'Oolong', price: 15, quantity: 1 }],
        currency: 'EUR',
        total: 15,
      }),
    );
    const deferredId = messageIdFor(triggerKeys.orderFollowup('O-ERASE-2'));
    const reminderId = messageIdFor(triggerKeys.cartReminder('K-ERASE'));
    expect((await stores().ledger.get(deferredId))?.decision).toBe('deferred');
    const runsBefore = runsOf(embedded, 'ERASE').length;

    // Act
    const confirmPage = await get(`${path}/erase`);
    const afterGet = await stores().profiles.get('ERASE');
    const unconfirmed = await post(`${path}/erase`, '');
    const afterUnconfirmed = await stores().profiles.get('ERASE');
    const erased = await post(`${path}/erase`, 'confirm=yes');
    const erasedBody = await erased.text();
    const pageAfter = await get(path);
    const exportAfter = await get(`${path}/export`);
    await embedded.runUntil(new Date('2026-12-02T09:00:00Z'));

    // Assess: the GET and the unconfirmed POST changed nothing
    expect(confirmPage.status).toBe(200);
    expect(await confirmPage.text()).toContain('name="confirm" value="yes" required');
    expect(afterGet?.consent?.email).toBe('opted_in');
    expect(unconfirmed.status).toBe(400);
    expect(afterUnconfirmed).toEqual(afterGet);
    // the erasure itself
    expect(erased.status).toBe(200);
    expect(erasedBody).toContain('Your data is erased');
    expect(erasedBody).toContain('carts deleted: 1');
    expect(await stores().profiles.get('ERASE')).toBeUndefined();
    expect(await stores().carts.get('K-ERASE')).toBeUndefined();
    expect(pageAfter.status).toBe(400);
    expect(exportAfter.status).toBe(400);
    // the deferred message and the reminder fired later, found nothing, sent nothing, recorded nothing personal
    const laterRuns = runsOf(embedded, 'ERASE').slice(runsBefore);
    expect(laterRuns.length).toBeGreaterThanOrEqual(2);
    for (const run of laterRuns) expect(run.statesEntered).not.toContain('Send');
    expect(await emailsTo(embedded, 'ERASE')).toHaveLength(1);
    expect(await ledgerOf('ERASE')).toEqual([]);
    const ledgerText = JSON.stringify(await stores().ledger.all());
    expect(ledgerText).not.toContain('ERASE');
    expect(ledgerText).not.toContain('erase@customers.example');
    const deferred = await stores().ledger.get(deferredId);
    expect(deferred).toMatchObject({
      decision: 'cancelled',
      reason: 'erased',
      triggerKey: 'order_followup:erased',
    });
    expect(deferred?.history?.map((h) => h.decision)).toEqual(['deferred', 'cancelled']);
    expect(deferred?.customerId).toBeUndefined();
    expect(deferred?.consent).toBeUndefined();
    expect(await stores().ledger.get(reminderId)).toMatchObject({ decision: 'cancelled', reason: 'erased' });

    // Later events for the erased customer are kept as rejected (erased) and create nothing
    const rejectedBefore = (await stores().rejected.all()).length;
    await deliver(
      embedded,
      '2026-12-02T10:00:00Z',
      shopEvent('cart.updated', '2026-12-02T09:30:00Z', {
        customerId: 'ERASE',
        cartId: 'K-ERASE-LATE',
        items: [{ sku: 'TEA-3', name: 'Oolong', price: 15, quantity: 1 }],
        currency: 'EUR',
        total: 15,
      }),
      shopEvent('order.placed', '2026-12-02T09:35:00Z', order('ERASE', 'O-ERASE-LATE')),
      shopEvent('customer.activity', '2026-12-02T09:40:00Z', { customerId: 'ERASE', kind: 'page_view' }),
    );
    const lateRejects = (await stores().rejected.all()).slice(rejectedBefore);
    expect(lateRejects.map((r) => r.error)).toEqual(['erased', 'erased', 'erased']);
    expect(await stores().carts.get('K-ERASE-LATE')).toBeUndefined();
    expect(await stores().profiles.get('ERASE')).toBeUndefined();
    expect(await emailsTo(embedded, 'ERASE')).toHaveLength(1);
    // Kept as evidence that the events came, without what they said about the customer
    expect(JSON.stringify(lateRejects)).not.toMatch(/ERASE|Oolong/);
  });

  it('after a key rotation, still unsubscribes with a link from an email sent before it, and re-signs its pages', async () => {
    // Prepare: an email sent under the runtime's key, then the customer endpoint after a rotation (a new
    // current key, the old one kept in the set) and, later, with the old key retired
    const path = await firstEmail('ROTATE', '2026-12-02T10:05:00Z');
    const [email] = await emailsTo(embedded, 'ROTATE');
    const unsubscribeUrl = /<([^>]+\/u\/[^>]+)>/.exec(
      email!.headers.find((h) => h.name === 'List-Unsubscribe')!.value,
    )![1]!;
    const unsubscribePath = new URL(unsubscribeUrl).pathname;
    const before = parseLinkKeys(embedded.env.LINK_KEYS!);
    const newSecret = 'n'.repeat(44);
    const rotated = { current: 'local-2', keys: { ...before.keys, 'local-2': newSecret } };
    const retired = { current: 'local-2', keys: { 'local-2': newSecret } };
    const sentAt = embedded.clock().getTime();
    const endpoint = (keys: object, days: number) =>
      toHandler(
        customerHttpUseCase,
        makeDeps({
          env: { ...embedded.env, LINK_KEYS: JSON.stringify(keys) },
          clients: { dynamodb: embedded.deps.dynamodb },
          clock: () => new Date(sentAt + days * 86_400_000),
          needs: customerHttpUseCase.needs,
        }),
      );
    const call = (handler: ReturnType<typeof endpoint>, method: string, rawPath: string) =>
      handler({
        rawPath,
        rawQueryString: '',
        headers: { host: 'localhost:8787', 'content-type': 'application/x-www-form-urlencoded' },
        requestContext: { http: { method } },
        body: '',
        isBase64Encoded: false,
      });
    const after = endpoint(rotated, 30);
    const yearLater = endpoint(rotated, 364);

    // Act
    const center = await call(after, 'GET', path);
    const confirm = await call(yearLater, 'GET', unsubscribePath);
    const oldKeyRetired = await call(endpoint(retired, 30), 'GET', path);
    const ownPath = /action="(\/p\/[^"]+)\/topics"/.exec(center.body ?? '')?.[1] ?? '';
    const ownPathRetired = await call(endpoint(retired, 30), 'GET', ownPath);
    const unsubscribed = await call(yearLater, 'POST', unsubscribePath);

    // Assess: the links sent before the rotation work, the pages they open carry tokens under the new key
    expect(unsubscribeUrl).not.toContain('ROTATE');
    expect(path.startsWith('/p/local-1.')).toBe(true);
    expect(center.statusCode).toBe(200);
    expect(ownPath.startsWith('/p/local-2.')).toBe(true);
    const whyLinks = [...(center.body ?? '').matchAll(/href="\/why\/([^"]+)"/g)].map((m) => m[1]!);
    expect(whyLinks.length).toBeGreaterThan(0);
    for (const token of whyLinks) expect(token.startsWith('local-2.')).toBe(true);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toMatch(/action="\/u\/local-2\.[\w-]+"/);
    // once the old key leaves the set its links stop, but a page opened after the rotation keeps working
    expect(oldKeyRetired.statusCode).toBe(400);
    expect(ownPathRetired.statusCode).toBe(200);
    expect(unsubscribed.statusCode).toBe(200);
    expect((await stores().profiles.get('ROTATE'))?.consent).toMatchObject({
      email: 'opted_out',
      source: 'one-click-unsubscribe',
    });
  });
});
