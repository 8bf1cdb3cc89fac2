/**
 * The reciprocity loop in embedded mode: an email asks about each recommended item, the customer answers
 * through the signed link (a GET only asks), and the next email leaves the item out and says so.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseLinkKeys, readLinkClaims } from '../../functions/domain/links.js';
import {
  customer,
  deliver,
  emailsTo,
  handlerOf,
  line,
  placed,
  product,
  shopEvent,
  stores,
  useEmbedded,
} from './helpers.js';

const customerHttp = handlerOf('customer-http');

const request = (method: string, url: string) =>
  customerHttp({
    rawPath: new URL(url).pathname,
    requestContext: { http: { method } },
    headers: {},
  } as never);

describe('Workflow: feedback changes the next message', () => {
  const embedded = useEmbedded({
    start: new Date('2026-12-01T00:00:00Z'),
    config: { caps: { perDay: 5, perWeek: 10 } },
    templatesDir: 'templates',
  });
  beforeAll(async () => {
    const sencha = line('TEA-1', 'Sencha', 'tea');
    const earlGrey = line('TEA-2', 'Earl Grey', 'tea');
    await deliver(
      embedded,
      '2026-12-01T09:00:00Z',
      product('TEA-1', 'Sencha', 'tea'),
      product('TEA-2', 'Earl Grey', 'tea'),
      product('TEA-3', 'Assam', 'tea'),
      product('TEA-4', 'Rooibos', 'tea'),
      product('POT-1', 'Teapot', 'kitchen'),
      // Other customers' orders teach that Sencha and Earl Grey are bought together.
      placed('OTHER', 'H1', '2026-12-01T01:00:00Z', [sencha, earlGrey]),
      placed('OTHER', 'H2', '2026-12-01T02:00:00Z', [sencha, earlGrey, line('POT-1', 'Teapot', 'kitchen')]),
      shopEvent('customer.upserted', '2026-12-01T08:00:00Z', customer('LOOP')),
    );
  });

  it('recommends what is bought together, and asks about each item', async () => {
    await deliver(
      embedded,
      '2026-12-01T10:05:00Z',
      placed('LOOP', 'O-1', '2026-12-01T10:00:00Z', [line('TEA-1', 'Sencha', 'tea')]),
    );
    const [first] = await emailsTo(embedded, 'LOOP');
    expect(first!.html).toContain('Earl Grey');
    expect(first!.html).toContain('Often bought together with your items');
    expect(first!.html).toMatch(/Useful\?/);
    expect(first!.html).not.toContain('You told us');
  });

  it('records a vote only on POST, then leaves the item out of the next email and says so', async () => {
    // Prepare: the "Not for me" link next to Earl Grey in the first email
    const [first] = await emailsTo(embedded, 'LOOP');
    const block = first!.html!.slice(first!.html!.indexOf('Earl Grey'));
    const notForMe = /href="([^"]+\/f\/[^"]+)"[^>]*>Not for me/.exec(block)![1]!.replaceAll('&amp;', '&');
    // Act: a link scanner's GET, then the customer's POST
    const scanned = await request('GET', notForMe);
    const afterScan = (await stores().profiles.get('LOOP'))?.feedback ?? [];
    const voted = await request('POST', notForMe);
    await deliver(
      embedded,
      '2026-12-02T10:05:00Z',
      placed('LOOP', 'O-2', '2026-12-02T10:00:00Z', [line('TEA-1', 'Sencha', 'tea')]),
    );
    // Assess
    expect(scanned.statusCode).toBe(200);
    expect(scanned.body).toContain('<form method="post"');
    expect(afterScan).toEqual([]);
    expect(voted.statusCode).toBe(200);
    expect((await stores().profiles.get('LOOP'))?.feedback).toMatchObject([
      { target: { kind: 'sku', id: 'TEA-2', label: 'Earl Grey' }, vote: 'down', source: 'email' },
    ]);
    // The link names neither the customer nor the item; the runtime's keys open it.
    expect(notForMe).not.toMatch(/LOOP|TEA-2/);
    const opened = readLinkClaims(notForMe.split('/f/')[1]!, parseLinkKeys(embedded.env.LINK_KEYS!));
    expect(opened).toMatchObject({
      ok: true,
      claims: { customerId: 'LOOP', data: { sku: 'TEA-2', vote: 'down' } },
    });
    const ledger = await stores().ledger.get(opened.ok ? (opened.claims.messageId ?? '') : '');
    expect(Object.keys(ledger?.events ?? {})).toContain('vote_down:TEA-2');
    const [, second] = await emailsTo(embedded, 'LOOP');
    expect(second!.html).toContain('You told us Earl Grey wasn’t for you, so we left it out.');
    expect(second!.text).toContain('You told us Earl Grey wasn’t for you, so we left it out.');
    expect(second!.html).not.toMatch(/>Earl Grey</);
  });

  it('takes votes from the shop too, and says what changed only once', async () => {
    await deliver(
      embedded,
      '2026-12-03T10:05:00Z',
      shopEvent('feedback.given', '2026-12-03T09:00:00Z', {
        customerId: 'LOOP',
        category: 'kitchen',
        vote: 'down',
      }),
      placed('LOOP', 'O-3', '2026-12-03T10:00:00Z', [line('TEA-1', 'Sencha', 'tea')]),
    );
    await deliver(
      embedded,
      '2026-12-04T10:05:00Z',
      placed('LOOP', 'O-4', '2026-12-04T10:00:00Z', [line('TEA-1', 'Sencha', 'tea')]),
    );
    const [, , third, fourth] = await emailsTo(embedded, 'LOOP');
    expect(third!.text).toContain('You told us Kitchen isn’t for you, so we left it out.');
    expect(third!.text).not.toContain('Earl Grey wasn');
    expect(third!.html).not.toContain('Teapot');
    expect(fourth!.text).not.toContain('You told us');
    expect(fourth!.html).not.toContain('Teapot');
    expect(fourth!.html).not.toMatch(/>Earl Grey</);
  });
});
