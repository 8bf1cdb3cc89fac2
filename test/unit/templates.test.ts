/**
 * The starter templates (templates/), compiled as `push` compiles them and rendered as a send renders them:
 * links, prices, languages, the one button of each journey, the gift only with a code, escaping.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTemplates, type TemplateDraft } from '../../cli/template-source.js';
import { SAMPLE_LINKS, SAMPLE_PROFILE, sampleVariables } from '../../cli/templates-sample.js';
import { resolveBrand } from '../../functions/domain/brand.js';
import { DEFAULT_CONFIG } from '../../functions/domain/config.js';
import type { Locale } from '../../functions/domain/locale.js';
import type { Profile } from '../../functions/domain/model.js';
import type { Journey } from '../../functions/domain/names.js';
import {
  type RenderedMessage,
  renderMessage,
  type TemplateVariables,
  templateVariables,
} from '../../functions/domain/render.js';

const AT = '2026-11-25T00:00:00.000Z';
const JOURNEYS: Journey[] = ['cart_reminder', 'order_followup', 'birthday', 'winback'];
const LANGUAGES: Locale[] = ['en', 'de', 'fr'];

const links = {
  unsubscribe: 'https://r.example/u/tok-u',
  preferences: 'https://r.example/p/tok-p',
  why: 'https://r.example/why/tok-w',
};
const brand = resolveBrand({
  brand: { ...DEFAULT_CONFIG.brand, shopUrl: 'https://tea.example' },
  sender: { shopName: 'Demo Shop', postalAddress: '1 Example Street' },
});

const PROFILES: Record<Locale, Profile> = {
  en: SAMPLE_PROFILE,
  de: { customerId: 'c-de', email: 'jonas@example.invalid', firstName: 'Jonas', locale: 'de-DE' },
  fr: { customerId: 'c-fr', email: 'lea@example.invalid', firstName: 'Léa', locale: 'fr-FR' },
};

/** Words only each language uses, and English a translation must not fall back to. */
const OWN: Record<Locale, RegExp> = {
  en: /\byour?\b/,
  de: /\b(Sie|Ihre?[nm]?)\b/,
  fr: /\b(vous|votre|vos)\b/,
};
const ENGLISH = /\b(you|your|the|and|thank|with|here|visit|back to|happy|order page)\b/i;
const GIFT: Record<Locale, RegExp> = {
  en: /gift|code|off your|free/i,
  de: /Geschenk|Code|Rabatt|gratis|kostenlos/i,
  fr: /cadeau|code|réduction|gratuit/i,
};

/** The href of the primary button (the mj-button with css-class "primary"). */
function primaryHref(html: string): string[] {
  return [...html.matchAll(/class="primary"[\s\S]*?<a href="([^"]+)"/g)].map((m) => m[1]!);
}

/** Visible text of an HTML body, roughly: no tags, no head, no comments. */
function words(html: string): string {
  return html
    .replace(/<head>[\s\S]*?<\/head>/, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ');
}

describe('Starter templates', () => {
  let drafts: Map<Journey, TemplateDraft>;
  let version = 0;
  const render = (journey: Journey, vars: TemplateVariables): Promise<RenderedMessage> =>
    renderMessage({ ...drafts.get(journey)!, version: `v-unit-${++version}` }, vars);
  const sample = (journey: Journey, language: Locale, incentive?: boolean) =>
    render(
      journey,
      sampleVariables(journey, PROFILES[language], undefined, {
        language,
        ...(incentive === undefined ? {} : { incentive }),
      }),
    );

  beforeAll(async () => {
    drafts = new Map((await loadTemplates('templates', AT)).map((d) => [d.journey, d]));
  });

  it('compile every journey with a German and a French translation', () => {
    // Assess
    expect([...drafts.keys()]).toEqual(JOURNEYS);
    for (const draft of drafts.values()) {
      expect(Object.keys(draft.locales ?? {}).sort(), draft.journey).toEqual(['de', 'fr']);
      expect(Object.keys(draft.partials ?? {}), draft.journey).toEqual(
        expect.arrayContaining(['_head.mjml', '_header.mjml', '_footer.mjml']),
      );
      // The templates' notes to their editors stay out of the email; only MJML's Outlook conditionals remain.
      for (const html of [draft.html, ...Object.values(draft.locales ?? {}).map((l) => l.html)])
        expect(html.match(/<!--(?!\[if|<!\[endif|>)/g) ?? [], draft.journey).toEqual([]);
    }
  });

  it('render every journey with its unsubscribe, preferences and why links, prices and the address', async () => {
    // Prepare
    const items = [
      { sku: 's1', name: 'Tea', price: 5, quantity: 2 },
      { sku: 's3', name: 'Cup', price: 7.5, quantity: 1 },
    ];
    const vars = (journey: Journey) =>
      templateVariables({
        journey,
        profile: { customerId: 'c1', email: 'a@b.example', firstName: 'Ada' },
        brand,
        currency: 'EUR',
        locale: { language: 'en', tag: 'en' },
        cart: {
          cartId: 'k1',
          customerId: 'c1',
          status: 'open',
          items,
          currency: 'EUR',
          total: 17.5,
          updatedAt: AT,
          cartUrl: 'https://tea.example/cart/k1',
        },
        order: { orderId: 'o1', items, total: 17.5, currency: 'EUR', orderUrl: 'https://tea.example/o/o1' },
        recommendations: [{ sku: 's2', name: 'Teapot', price: 30, because: 'Often bought together' }],
        links,
      });
    // Act
    const rendered = await Promise.all(JOURNEYS.map((journey) => render(journey, vars(journey))));
    // Assess
    for (const [i, message] of rendered.entries()) {
      const at = JOURNEYS[i]!;
      expect(message.subject, at).toContain('Ada');
      for (const url of Object.values(links)) {
        expect(message.html, at).toContain(url);
        expect(message.text, at).toContain(url);
      }
      // The footer once: one unsubscribe link in each part.
      expect(message.html.split(links.unsubscribe).length - 1, at).toBe(1);
      expect(message.text.split(links.unsubscribe).length - 1, at).toBe(1);
      expect(message.html, at).toContain('1 Example Street');
      expect(message.html, at).toMatch(/<html lang="en" dir="ltr"/);
    }
    const [cart, order] = rendered;
    // Each line at its quantity, and the total, in the customer's locale and the order's currency.
    for (const message of [cart!, order!]) {
      expect(words(message.html)).toMatch(/Tea Qty 2 €10\.00 .*Cup Qty 1 €7\.50 .*Total €17\.50/);
      expect(message.text).toContain('- Tea, Qty 2: €10.00');
      expect(message.text).toContain('Total: €17.50');
      expect(message.html).toContain('Teapot');
      expect(message.html).toContain('Often bought together');
    }
  });

  it('link the cart reminder to the cart, the thank-you to the order, win-back and birthday to the shop', async () => {
    // Act
    const messages = await Promise.all(JOURNEYS.map((journey) => sample(journey, 'en', true)));
    // Assess: one primary button each, to the right place, and the same link in the text part.
    const shop = sampleVariables('winback').shop.url;
    const targets = ['https://example.invalid/cart', 'https://example.invalid/orders/O-10042', shop, shop];
    for (const [i, message] of messages.entries()) {
      expect(primaryHref(message.html), JOURNEYS[i]).toEqual([targets[i]]);
      expect(message.text, JOURNEYS[i]).toContain(targets[i]);
    }
    expect(words(messages[0]!.html)).toContain('Back to your cart');
    expect(words(messages[1]!.html)).toContain('See your order');
    expect(words(messages[2]!.html)).toContain('Use your gift');
    expect(words(messages[3]!.html)).toContain('Visit the shop');
  });

  it('show the win-back its suggestions, each with its own reason, price and vote links', async () => {
    // Prepare
    const vars = sampleVariables('winback', SAMPLE_PROFILE, undefined, { language: 'en' });
    // Act
    const message = await render('winback', vars);
    // Assess
    expect(vars.recommendations.length).toBeGreaterThan(1);
    expect(new Set(vars.recommendations.map((r) => r.because)).size).toBe(vars.recommendations.length);
    for (const rec of vars.recommendations) {
      expect(message.html).toContain(rec.name);
      expect(message.html).toContain(`alt="${rec.name}"`);
      expect(message.html).toContain(rec.because!);
      expect(message.html).toContain(rec.feedback!.notForMe);
      expect(message.text).toContain(rec.because!);
      expect(message.text).toContain(rec.url!);
      expect(message.text).toContain(rec.feedback!.useful);
    }
    expect(words(message.html)).toContain('Useful? Yes · Not for me');
  });

  it('head the re-orders "For your next order" in a thank-you and "Time to restock?" in a win-back', async () => {
    // Act: the samples carry a re-order first (reason buy_again), then new items
    const thanks = await render('order_followup', sampleVariables('order_followup', SAMPLE_PROFILE));
    const winback = await render('winback', sampleVariables('winback', SAMPLE_PROFILE));

    // Assess
    expect(words(thanks.html)).toContain('For your next order');
    expect(words(thanks.html)).not.toContain('Time to restock?');
    expect(thanks.text).toContain('For your next order: Things you’ve ordered before');
    expect(words(winback.html)).toContain('Time to restock?');
    expect(words(winback.html)).not.toContain('For your next order');
    for (const m of [thanks, winback]) expect(words(m.html)).toContain('You might also like');
  });

  it.each(LANGUAGES)('render every journey in %s, with its own words, formats and lang', async (language) => {
    // Act
    const messages = await Promise.all(JOURNEYS.map((journey) => sample(journey, language)));
    // Assess
    for (const [i, message] of messages.entries()) {
      const at = `${JOURNEYS[i]} in ${language}`;
      expect(message.html, at).toMatch(new RegExp(`<html lang="${language}" dir="ltr"`));
      for (const part of [message.subject, words(message.html), message.text]) {
        if (language !== 'en') expect(part, at).not.toMatch(ENGLISH);
      }
      expect(words(message.html), at).toMatch(OWN[language]);
      expect(message.text, at).toMatch(OWN[language]);
      expect(message.text, at).toContain(SAMPLE_LINKS.unsubscribe);
    }
    const [cart, order, birthday, winback] = messages;
    const expected = {
      en: { cart: 'Back to your cart', order: 'See your order', gift: 'Use your gift', money: '€59.00' },
      de: { cart: 'Zum Warenkorb', order: 'Bestellung ansehen', gift: 'Geschenk einlösen', money: '59,00 €' },
      fr: {
        cart: 'Retrouver mon panier',
        order: 'Voir ma commande',
        gift: 'Profiter de mon cadeau',
        money: '59,00 €',
      },
    }[language];
    expect(words(cart!.html)).toContain(expected.cart);
    expect(words(order!.html)).toContain(expected.order);
    expect(words(birthday!.html)).toContain(expected.gift);
    expect(words(cart!.html).replace(/\u202f|\u00a0/g, ' ')).toContain(expected.money);
    expect(cart!.subject).toContain(PROFILES[language].firstName);
    expect(winback!.html).toContain(DEFAULT_CONFIG.brand.shopUrl);
  });

  it.each(LANGUAGES)('show the birthday code in %s only when one was claimed', async (language) => {
    // Act
    const withCode = await sample('birthday', language, true);
    const without = await sample('birthday', language, false);
    const code = sampleVariables('birthday', PROFILES[language], undefined, { language }).incentive!;
    // Assess: with a code, the code, its label and its terms in both parts, and the button.
    expect(withCode.html).toContain(code.code);
    expect(withCode.html).toContain(code.terms);
    expect(withCode.html).toContain('class="code-box"');
    expect(withCode.text).toContain(code.code);
    expect(withCode.text).toContain(code.terms);
    expect(primaryHref(withCode.html)).toHaveLength(1);
    // Without: no code, no word of a gift anywhere, and no button.
    for (const part of [without.subject, words(without.html), without.text]) {
      expect(part).not.toContain(code.code);
      expect(part).not.toMatch(GIFT[language]);
    }
    expect(without.html).not.toContain('class="code-box"');
    expect(primaryHref(without.html)).toEqual([]);
    expect(without.text).toContain(DEFAULT_CONFIG.brand.shopUrl);
  });

  it('greet a customer without a first name without a dangling comma', async () => {
    // Prepare
    const nameless = { customerId: 'c-x', email: 'x@example.invalid' };
    // Act
    const messages = await Promise.all(
      LANGUAGES.flatMap((language) =>
        JOURNEYS.map((journey) =>
          render(
            journey,
            sampleVariables(journey, { ...nameless, locale: language }, undefined, { language }),
          ),
        ),
      ),
    );
    // Assess
    for (const message of messages) {
      expect(message.subject).not.toMatch(/^[,\s]|\s,|,\s*[!?]|There,/);
      expect(words(message.html)).not.toMatch(/(Hallo|Bonjour)\s*,/);
      expect(message.text).not.toMatch(/(Hallo|Bonjour)\s*,/);
    }
  });

  it('keep subjects short and calm in every language', async () => {
    // Act
    const subjects = (
      await Promise.all(
        LANGUAGES.flatMap((language) => JOURNEYS.map((journey) => sample(journey, language, true))),
      )
    ).map((m) => m.subject);
    // Assess
    for (const subject of subjects) {
      expect(subject.length, subject).toBeLessThanOrEqual(70);
      expect(subject, subject).not.toMatch(/\b[A-ZÄÖÜ]{4,}\b/);
      expect(subject, subject).not.toMatch(/!!|\?\?|\$|€|%|\bfree\b|gratuit|kostenlos|urgent|dringend/i);
    }
  });

  it('escape customer data in HTML and strip line breaks from subjects', async () => {
    // Act
    const message = await render(
      'cart_reminder',
      templateVariables({
        journey: 'cart_reminder',
        profile: { customerId: 'c1', email: 'a@b.example', firstName: '<script>x</script>\r\nBcc: evil@x' },
        brand,
        currency: 'EUR',
        locale: { language: 'en', tag: 'en' },
        cart: {
          cartId: 'k1',
          customerId: 'c1',
          status: 'open',
          items: [{ sku: 's1', name: '<img src=x onerror=alert(1)>', price: 5, quantity: 1 }],
          currency: 'EUR',
          total: 5,
          updatedAt: AT,
        },
        recommendations: [],
        links,
      }),
    );
    // Assess
    expect(message.html).not.toContain('<script>x</script>');
    expect(message.html).toContain('&lt;script&gt;');
    expect(message.html).not.toContain('<img src=x');
    expect(message.subject).not.toMatch(/[\r\n]/);
  });
});
