/**
 * The customer pages through the customer-http use case over a local DynamoDB: the language and time zone
 * of the stored profile, items named from the catalogue, undo after unsubscribe, the tracking switch, the
 * public "where your data goes" page, and the headers every page carries.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamo.js';
import type { Deps } from '../../functions/app/deps.js';
import { toHandler } from '../../functions/app/lambda.js';
import type { LedgerEntry } from '../../functions/domain/ledger.js';
import { type LinkClaims, type LinkKeys, signLink } from '../../functions/domain/links.js';
import type { Profile } from '../../functions/domain/model.js';
import { customerHttp } from '../../functions/usecases/customer-http.js';
import { type LocalDynamo, startDynamo } from '../../local/dynamo.js';
import { depsOver } from './local-deps.js';
import { textOf } from './page-fixtures.js';

const NOW = new Date('2026-12-01T12:00:00Z');
const KEYS: LinkKeys = { current: 'k1', keys: { k1: 'y'.repeat(32) } };
const EXP = Math.floor(NOW.getTime() / 1000) + 86_400;
const HOST = 'localhost:8787';

let dynamo: LocalDynamo;
let deps: Deps;
let http: (event: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
let seq = 0;
let customerId: string;

beforeAll(async () => {
  dynamo = await startDynamo('pages-');
  deps = depsOver(dynamo, {
    env: { LINK_KEYS: JSON.stringify(KEYS) },
    clock: () => NOW,
    needs: customerHttp.needs,
  });
  http = toHandler(customerHttp, deps);
  await deps.stores.products.upsert({
    sku: 'TEA-2',
    name: 'Earl Grey',
    category: 'tea',
    price: 9,
    inStock: true,
  });
});
afterAll(async () => {
  deps?.dynamodb.destroy();
  await dynamo?.close();
});

async function put(table: string, item: object): Promise<void> {
  await documentClient(deps.dynamodb).send(
    new PutCommand({ TableName: dynamo.tableNames[table], Item: item }),
  );
}

beforeEach(async () => {
  customerId = `P-${++seq}`;
  const profile: Profile = {
    customerId,
    email: `${customerId}@example.com`,
    locale: 'de-DE',
    timeZone: 'Europe/Berlin',
    consent: { email: 'opted_in', source: 'checkout', updatedAt: '2026-11-01T09:00:00Z' },
    recentPurchases: ['TEA-2'],
    createdAt: '2026-11-01T00:00:00Z',
  };
  await put('profiles', profile);
});

const token = (claims: Omit<LinkClaims, 'customerId' | 'exp'>) =>
  signLink({ customerId, exp: EXP, ...claims }, KEYS);
const call = (method: string, url: string, body = '', headers: Record<string, string> = {}) => {
  const [rawPath, rawQueryString = ''] = url.split('?');
  return http({
    rawPath,
    rawQueryString,
    headers: { host: HOST, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    requestContext: { http: { method } },
    body,
    isBase64Encoded: false,
  });
};
const profile = async () => (await deps.stores.profiles.get(customerId)) as Profile;

describe('Use case: customerHttp, unsubscribe and undo', () => {
  it('unsubscribes, offers the undo under the same token, and the undo opts in again with its evidence', async () => {
    // Prepare
    const path = `/u/${token({ purpose: 'unsubscribe', messageId: 'M-1' })}`;

    // Act
    const done = await call('POST', path, 'List-Unsubscribe=One-Click');
    const undone = await call('POST', `${path}/undo`, '', { origin: `http://${HOST}` });
    const again = await call('POST', `${path}/undo`);

    // Assess
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('<html lang="de">');
    expect(done.body).toContain(`<form method="post" action="${path}/undo">`);
    expect(done.body).toMatch(
      /<a href="\/p\/k1\.[\w-]+">Stattdessen wählen, worüber wir Ihnen schreiben<\/a>/,
    );
    expect(done.headers?.['referrer-policy']).toBe('same-origin');
    expect(undone.statusCode).toBe(200);
    expect(undone.body).toContain('<h1>Sie sind wieder angemeldet</h1>');
    expect(again.statusCode).toBe(200);
    expect((await profile()).consent).toEqual({
      email: 'opted_in',
      source: 'undo_unsubscribe',
      textVersion: 'undo-unsubscribe-v1',
      updatedAt: NOW.toISOString(),
    });
  });

  it('refuses to undo an opt-out given another way, a cross-origin post and a GET', async () => {
    // Prepare
    const path = `/u/${token({ purpose: 'unsubscribe' })}`;
    await deps.stores.profiles.patch(customerId, {
      consent: { email: 'opted_out', source: 'preference-center' },
    });

    // Act
    const otherWay = await call('POST', `${path}/undo`);
    const crossOrigin = await call('POST', `${path}/undo`, '', { origin: 'https://evil.example' });
    const get = await call('GET', `${path}/undo`);
    const wrongSub = await call('POST', `${path}/topics`);

    // Assess
    expect(otherWay.statusCode).toBe(409);
    expect(otherWay.body).toContain(
      'role="alert">Es gibt keine Abmeldung mehr, die sich rückgängig machen lässt.',
    );
    expect(crossOrigin.statusCode).toBe(403);
    expect(get.statusCode).toBe(405);
    expect(get.headers?.allow).toBe('POST');
    expect(wrongSub.statusCode).toBe(404);
    expect((await profile()).consent).toMatchObject({ email: 'opted_out', source: 'preference-center' });
  });
});

describe('Use case: customerHttp, tracking and the preference center', () => {
  it('stores tracking off and back on, keeping the frequency, and the page shows the state', async () => {
    // Prepare
    const center = `/p/${token({ purpose: 'preferences' })}`;

    // Act
    const [off, fewer] = await Promise.all([
      call('POST', `${center}/tracking`, 'tracking=off'),
      call('POST', `${center}/frequency`, 'frequency=fewer'),
    ]);
    const stored = (await profile()).preferences;
    const page = await call('GET', `${center}?saved=tracking`);
    const bad = await call('POST', `${center}/tracking`, 'tracking=maybe');
    await call('POST', `${center}/tracking`, 'tracking=on');

    // Assess
    expect([off.statusCode, off.headers?.location]).toEqual([303, `${center}?saved=tracking`]);
    expect(fewer.statusCode).toBe(303);
    expect(stored).toEqual({ frequency: 'fewer', updatedAt: NOW.toISOString(), tracking: false });
    expect(page.body).toContain('role="status">Gespeichert: Ihre Wahl zum Tracking.</p>');
    expect(page.body).toContain('<details id="where" open>');
    expect(page.body).toContain('>Tracking wieder einschalten</button>');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Bitte wählen Sie, ob wir Öffnungen und Klicks erfassen dürfen.');
    expect((await profile()).preferences).toEqual({
      frequency: 'fewer',
      updatedAt: NOW.toISOString(),
      tracking: true,
    });
  });

  it('shows the center in German with local times and items by name, and its CSP allows https images only', async () => {
    // Prepare
    const entry: LedgerEntry = {
      messageId: `M-${customerId}`,
      customerId,
      journey: 'order_followup',
      triggerKey: `order_followup:order:${customerId}`,
      decision: 'skipped',
      reason: 'capped_daily',
      createdAt: '2026-11-30T10:00:00.000Z',
      updatedAt: '2026-11-30T10:00:00.000Z',
    };
    await put('messages', entry);

    // Act
    const page = await call('GET', `/p/${token({ purpose: 'preferences' })}`);
    const text = textOf(page.body ?? '');

    // Assess: 10:00 UTC is 11:00 in Berlin
    expect(page.headers?.['content-security-policy']).toContain('img-src https:;');
    expect(page.headers?.['content-security-policy']).not.toContain('script-src');
    expect(text).toContain('Dankeschön für Ihre Bestellung , 30. November 2026 um 11:00');
    expect(text).toContain('nicht gesendet: Sie hatten an dem Tag schon eine E-Mail von uns bekommen');
    expect(text).toContain('Kürzlich gekaufte Artikel Was wir haben Earl Grey');
    expect(text).not.toMatch(/TEA-2|capped|UTC \d|M-P-/);
  });
});

describe('Use case: customerHttp, the why page and the public pages', () => {
  it('names the suggestions from the catalogue with their reasons, in the customer’s language and zone', async () => {
    // Prepare
    const entry: LedgerEntry = {
      messageId: `W-${customerId}`,
      customerId,
      journey: 'birthday',
      triggerKey: `birthday:${customerId}:2026`,
      decision: 'sent',
      createdAt: '2026-12-01T08:00:00.000Z',
      updatedAt: '2026-12-01T08:00:00.000Z',
      recommendations: ['TEA-2'],
      reasons: ['bought_category'],
      sendTime: { hour: 9, source: 'usual' },
      tracking: true,
      history: [{ decision: 'sent', at: '2026-12-01T08:00:00.000Z' }],
    };
    await put('messages', entry);

    // Act
    const page = await call('GET', `/why/${token({ purpose: 'why', messageId: entry.messageId })}`);
    const text = textOf(page.body ?? '');

    // Assess
    expect(page.statusCode).toBe(200);
    expect(text).toContain('Earl Grey : Aus Tea, wo Sie schon gekauft haben');
    expect(text).toContain('Um 09:00 Ihrer Zeit, unserer üblichen Uhrzeit für diese E-Mails.');
    expect(text).toContain('1. Dezember 2026 um 09:00: gesendet');
    expect(page.body).toMatch(
      /<a href="\/p\/k1\.[\w-]+\?show=where#where">Tracking für Ihre E-Mails ausschalten<\/a>/,
    );
    expect(text).not.toMatch(/TEA-2|W-P-|UTC/);
  });

  it('serves where the data goes without a token, in the browser’s language, and refuses a bad link in it', async () => {
    // Prepare / Act
    const privacy = await call('GET', '/privacy', '', { 'accept-language': 'fr-CH, en;q=0.5' });
    const privacyLang = await call('GET', '/privacy?lang=de');
    const post = await call('POST', '/privacy');
    const bad = await call('GET', '/p/garbage-token-xyz', '', { 'accept-language': 'de-DE' });

    // Assess
    expect(privacy.statusCode).toBe(200);
    expect(privacy.body).toContain('<html lang="fr">');
    expect(textOf(privacy.body ?? '')).toContain('Virginia, USA (région AWS us-east-1)');
    expect(privacyLang.body).toContain('<h1>Wohin Ihre Daten gehen</h1>');
    expect(post.statusCode).toBe(405);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<h1>Dieser Link funktioniert nicht</h1>');
  });
});
