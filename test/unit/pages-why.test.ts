import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../functions/domain/ledger.js';
import { type WhyView, whyPage } from '../../functions/domain/pages.js';
import { ctxFor, textOf } from './page-fixtures.js';

const AUCKLAND = ctxFor({ locale: 'en-GB', timeZone: 'Pacific/Auckland' });
const BERLIN_DE = ctxFor({ locale: 'de-DE', timeZone: 'Europe/Berlin' });

const ENTRY: LedgerEntry = {
  messageId: '09fa6c2e-1d3b-5f00-9d1e-000000000001',
  customerId: 'C-1',
  journey: 'winback',
  triggerKey: 'winback:C-1:2026-11-30',
  decision: 'sent',
  templateVersion: 'v000001',
  createdAt: '2026-12-01T06:00:00.000Z',
  updatedAt: '2026-12-01T07:00:00.000Z',
  consent: { email: 'opted_in', source: 'checkout', textVersion: 'v1', updatedAt: '2026-11-01T09:00:00Z' },
  recommendations: ['TEA-2', 'POT-1', 'GONE-9'],
  reasons: ['bought_together', 'liked_category', 'new'],
  sendTime: { hour: 19, source: 'engagement' },
  tracking: true,
  locale: 'en-GB',
  history: [
    { decision: 'deferred', at: '2026-12-01T06:00:00.000Z', reason: 'quiet_hours' },
    { decision: 'sending', at: '2026-12-01T06:59:59.000Z' },
    { decision: 'sent', at: '2026-12-01T07:00:00.000Z' },
  ],
};

function whyView(entry: LedgerEntry, extra: Partial<WhyView> = {}): WhyView {
  return {
    entry,
    products: {
      'TEA-2': { name: 'Earl Grey', category: 'tea' },
      'POT-1': { name: 'Teapot', category: 'tea-ware' },
    },
    settings: {
      quietHours: { start: '21:00', end: '08:00' },
      cartDelayMinutes: 60,
      tracking: { opens: true, clicks: true },
    },
    trackingHref: '/p/PREFS?show=where#where',
    ...extra,
  };
}

describe('Page: why you got this email', () => {
  it('names each suggestion with the reason the engine used, in the customer’s words', () => {
    // Prepare / Act
    const text = textOf(whyPage(AUCKLAND, whyView(ENTRY)));

    // Assess
    expect(text).toContain('We had not seen you for a while.');
    expect(text).toContain('Earl Grey : Often bought together with your items');
    expect(text).toContain('Teapot : From Tea ware, which you said you like');
    expect(text).toContain('an item no longer in the shop : New in the shop');
    expect(text).not.toMatch(/TEA-2|POT-1|GONE-9|what is popular in the categories/);
  });

  it('says when a suggestion came from shoppers like them, in their language', () => {
    // Prepare
    const entry: LedgerEntry = { ...ENTRY, reasons: ['shoppers_like_you', 'liked_category', 'new'] };
    // Act
    const en = textOf(whyPage(AUCKLAND, whyView(entry)));
    const de = textOf(whyPage(BERLIN_DE, whyView({ ...entry, locale: 'de-DE' })));
    // Assess
    expect(en).toContain('Earl Grey : Bought by shoppers whose orders look like yours');
    expect(de).toContain('Earl Grey : Gekauft von Kundinnen und Kunden, die ähnlich bestellen wie Sie');
  });

  it('says how the send time was chosen: the learned hour from open and click tracking, and quiet hours', () => {
    // Prepare / Act
    const learned = textOf(whyPage(AUCKLAND, whyView(ENTRY)));
    const usual = textOf(whyPage(AUCKLAND, whyView({ ...ENTRY, sendTime: { hour: 9, source: 'usual' } })));

    // Assess
    expect(learned).toContain(
      'At 19:00 your time: the hour you usually open or click our emails, learned from open and click tracking.',
    );
    expect(learned).toContain('We never send marketing email between 21:00 and 08:00 your time');
    expect(usual).toContain('At 09:00 your time, our usual hour for these emails.');
    expect(usual).not.toContain('learned from open and click tracking');
  });

  it('explains that cart reminders go a set time after the cart, and thank-yous right after the order', () => {
    // Prepare
    const cart = { ...ENTRY, journey: 'cart_reminder' as const, sendTime: undefined };
    const thanks = { ...ENTRY, journey: 'order_followup' as const, sendTime: undefined };

    // Act
    const hourly = textOf(whyPage(AUCKLAND, whyView(cart)));
    const minutes = textOf(
      whyPage(AUCKLAND, whyView(cart, { settings: { ...whyView(cart).settings, cartDelayMinutes: 90 } })),
    );
    const oneMinute = textOf(
      whyPage(AUCKLAND, whyView(cart, { settings: { ...whyView(cart).settings, cartDelayMinutes: 1 } })),
    );
    const thankYou = textOf(whyPage(AUCKLAND, whyView(thanks)));

    // Assess
    expect(hourly).toContain('Cart reminders go 1 hour after a cart was last changed.');
    expect(minutes).toContain('Cart reminders go 90 minutes after');
    expect(oneMinute).toContain('Cart reminders go 1 minute after');
    expect(thankYou).toContain('Thank-you notes go right after the order.');
    expect(thankYou).toContain('between 21:00 and 08:00 your time');
  });

  it('says whether this email was tracked, with a link to turn tracking off', () => {
    // Prepare / Act
    const tracked = whyPage(AUCKLAND, whyView(ENTRY));
    const untracked = whyPage(AUCKLAND, whyView({ ...ENTRY, tracking: false }));

    // Assess
    expect(textOf(tracked)).toContain(
      'We noted whether you opened this email and which of its links you clicked.',
    );
    expect(tracked).toContain('<a href="/p/PREFS?show=where#where">Turn tracking off for your emails</a>');
    expect(textOf(untracked)).toContain(
      'We did not track whether you opened this email or clicked its links.',
    );
    expect(untracked).not.toContain('/p/PREFS');
  });

  it('states the consent in plain words and the history in local times, without ids, versions or UTC', () => {
    // Prepare / Act
    const html = whyPage(AUCKLAND, whyView(ENTRY));
    const text = textOf(html);

    // Assess: 06:00 UTC is 19:00 in Auckland (UTC+13)
    expect(text).toContain('You agreed to receive our emails when you ordered, on 1 November 2026.');
    expect(text).toContain('1 December 2026 at 19:00: waiting to be sent: it was night where you are');
    expect(text).toContain('1 December 2026 at 20:00: sent');
    expect(text).not.toMatch(
      /being sent|09fa|v000001|wording|UTC|checkout|winback:|quiet_hours|\d{4}-\d\d-\d\d/,
    );
    expect(html).not.toContain('href="/why/');
  });

  it('shows the code the email carried', () => {
    // Prepare / Act
    const text = textOf(whyPage(AUCKLAND, whyView({ ...ENTRY, code: 'THANKS-7QX2' })));

    // Assess
    expect(text).toContain('This email carried a code made for you: THANKS-7QX2.');
  });

  it('still reads well for an entry written before reasons, send time and tracking were stored', () => {
    // Prepare
    const { reasons: _r, sendTime: _s, tracking: _t, locale: _l, ...old } = ENTRY;

    // Act
    const text = textOf(whyPage(AUCKLAND, whyView({ ...old, journey: 'order_followup' })));

    // Assess
    expect(text).toContain('Earl Grey');
    expect(text).toContain('We picked these from what you and other customers bought.');
    expect(text).not.toContain('Often bought together');
    expect(text).toContain('Our emails note opens and clicks unless you turn tracking off.');
    expect(text).toContain('Thank-you notes go right after the order.');
  });

  it('tells a lost answer honestly, in plain words, without the engine’s own steps or errors', () => {
    // Prepare
    const entry: LedgerEntry = {
      ...ENTRY,
      decision: 'unknown',
      history: [
        { decision: 'sending', at: '2026-12-01T12:00:00.000Z' },
        {
          decision: 'unknown',
          at: '2026-12-01T12:00:00.000Z',
          reason: 'outcome unknown: TimeoutError: read ECONNRESET',
        },
      ],
    };

    // Act
    const html = whyPage(AUCKLAND, whyView(entry));

    // Assess
    expect(html).toContain(
      'probably sent (our mail service did not confirm it, so we will not send it again)',
    );
    expect(html).not.toMatch(/ECONNRESET|TimeoutError|being sent/);
  });

  it('is in German for a German customer, with the reasons and times in German', () => {
    // Prepare / Act
    const html = whyPage(BERLIN_DE, whyView(ENTRY));
    const text = textOf(html);

    // Assess: 07:00 UTC is 08:00 in Berlin
    expect(html).toContain('<html lang="de">');
    expect(text).toContain('Warum Sie diese E-Mail bekommen haben');
    expect(text).toContain('Earl Grey : Wird oft zusammen mit Ihren Artikeln gekauft');
    expect(text).toContain('1. Dezember 2026 um 08:00: gesendet');
    expect(text).toContain('Sie haben unseren E-Mails bei einer Bestellung zugestimmt, am 1. November 2026.');
    expect(text).not.toMatch(/ sent|UTC|Often bought/);
  });
});
