/**
 * What a customer receives, end to end in embedded mode: the email in their language with local formats,
 * each suggestion's own reason recorded with the message, the shop's links, and open and click tracking
 * as they chose it (SES's pixel and redirects only when tracking is on).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { EMAIL_STRINGS } from '../../functions/domain/i18n/email.js';
import { mailboxHtml } from '../../local/ses-tracking.js';
import { customer, deliver, emailsTo, ledgerOf, shopEvent, stores, useEmbedded } from './helpers.js';

const line = (sku: string, name: string, category: string) => ({
  sku,
  name,
  price: 12.5,
  quantity: 1,
  category,
});
const product = (sku: string, name: string, category: string) =>
  shopEvent('product.upserted', '2026-12-01T00:10:00Z', { sku, name, category, price: 12.5, inStock: true });
const placed = (customerId: string, orderId: string, time: string, items: object[]) =>
  shopEvent('order.placed', time, {
    customerId,
    orderId,
    items,
    currency: 'EUR',
    total: 12.5 * items.length,
    orderUrl: `https://shop.example/orders/${orderId}`,
  });

describe('Workflow: the email a customer gets', () => {
  const embedded = useEmbedded({
    start: new Date('2026-12-01T00:00:00Z'),
    config: { caps: { perDay: 5, perWeek: 10 }, holdout: { enabled: false } },
    templatesDir: 'templates',
    // Everyone reads their thank-you and clicks: only tracking decides what SES reports of it.
    audience: {
      seed: 7,
      rates: {
        read: { order_followup: 1 },
        clickBase: 1,
        deadAddressShare: 0,
        softBounce: 0,
        complaint: 0,
        vote: 0,
        unsubscribe: 0,
        orderAfterClick: 0,
      },
    },
  });
  const sencha = line('TEA-1', 'Sencha', 'green-tea');
  const pot = line('POT-1', 'Teapot', 'teaware');
  beforeAll(async () => {
    await deliver(
      embedded,
      '2026-12-01T09:00:00Z',
      product('TEA-1', 'Sencha', 'green-tea'),
      product('TEA-2', 'Genmaicha', 'green-tea'),
      product('POT-1', 'Teapot', 'teaware'),
      placed('OTHER', 'H1', '2026-12-01T01:00:00Z', [sencha, pot]),
      shopEvent('customer.upserted', '2026-12-01T08:00:00Z', customer('DE1', { locale: 'de-DE' })),
      shopEvent(
        'customer.upserted',
        '2026-12-01T08:00:00Z',
        customer('FR1', { locale: 'fr-FR', timeZone: 'Europe/Paris' }),
      ),
      shopEvent('customer.upserted', '2026-12-01T08:00:00Z', customer('PRIV', { locale: 'en-GB' })),
    );
    // PRIV turned tracking off in the preference center.
    await stores().profiles.patch('PRIV', {
      preferences: { frequency: 'normal', tracking: false, updatedAt: '2026-12-01T08:30:00Z' },
    });
    await deliver(
      embedded,
      '2026-12-01T12:00:00Z',
      placed('DE1', 'O-DE1', '2026-12-01T10:00:00Z', [sencha]),
      placed('FR1', 'O-FR1', '2026-12-01T10:00:00Z', [sencha]),
      placed('PRIV', 'O-PRIV', '2026-12-01T10:00:00Z', [sencha]),
    );
  });

  it('writes to a German customer in German with German money, and links their order', async () => {
    const [email] = await emailsTo(embedded, 'DE1');
    expect(email?.html).toContain(EMAIL_STRINGS.de.why);
    expect(email?.html).toContain('12,50');
    expect(email?.html).toContain('https://shop.example/orders/O-DE1');
    expect(email?.text).toContain(EMAIL_STRINGS.de.unsubscribe);
    const [entry] = await ledgerOf('DE1');
    expect(entry).toMatchObject({ decision: 'sent', locale: 'de-DE', tracking: true });
  });

  it('writes to a French customer in French', async () => {
    const [email] = await emailsTo(embedded, 'FR1');
    expect(email?.html).toContain(EMAIL_STRINGS.fr.why);
    expect(email?.html).not.toContain(EMAIL_STRINGS.en.why);
  });

  it('records each suggestion with the reason it was picked, and says it in the email', async () => {
    const [entry] = await ledgerOf('DE1');
    expect(entry?.recommendations?.[0]).toBe('POT-1');
    expect(entry?.reasons?.[0]).toBe('bought_together');
    const [email] = await emailsTo(embedded, 'DE1');
    expect(email?.html).toContain('Wird oft zusammen mit Ihren Artikeln gekauft');
  });

  it('tracks opens and clicks only for customers who did not turn tracking off', async () => {
    const [tracked] = await emailsTo(embedded, 'DE1');
    const [untracked] = await emailsTo(embedded, 'PRIV');
    expect(tracked?.tracking).toEqual({ opens: true, clicks: true });
    expect(mailboxHtml(tracked!)).toContain('awstrack.me/I0/');
    expect(untracked?.tracking).toEqual({ opens: false, clicks: false });
    const delivered = mailboxHtml(untracked!);
    expect(delivered).not.toContain('awstrack.me');
    expect(delivered).toContain('https://shop.example/orders/O-PRIV');
    const [entry] = await ledgerOf('PRIV');
    expect(entry).toMatchObject({ decision: 'sent', tracking: false, locale: 'en-GB' });
    // They read it and clicked, as everyone did here; with tracking off SES reported only the delivery.
    expect(Object.keys(entry?.events ?? {})).toEqual(['delivered']);
    const trackedEvents = [...(await ledgerOf('DE1')), ...(await ledgerOf('FR1'))].flatMap((e) =>
      Object.keys(e.events ?? {}),
    );
    expect(trackedEvents.some((kind) => kind.startsWith('open'))).toBe(true);
  });
});
