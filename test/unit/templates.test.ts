import { resolveBrand } from '../../functions/domain/brand.js';
import { DEFAULT_CONFIG } from '../../functions/domain/config.js';
import { describe, expect, it } from 'vitest';
import { loadTemplates } from '../../cli/template-source.js';
import { renderMessage, templateVariables } from '../../functions/domain/render.js';

const links = {
  unsubscribe: 'https://r.example/u/tok-u',
  preferences: 'https://r.example/p/tok-p',
  why: 'https://r.example/why/tok-w',
};

describe('Starter templates', () => {
  it('compile from MJML and render every journey with its unsubscribe, preferences and why links', async () => {
    // Prepare
    const drafts = await loadTemplates('templates', '2026-11-25T00:00:00.000Z');
    // Act
    const rendered = await Promise.all(
      drafts.map((draft) =>
        renderMessage(
          { ...draft, version: 'v000001' },
          templateVariables({
            journey: draft.journey,
            profile: { customerId: 'c1', email: 'a@b.example', firstName: 'Ada' },
            brand: resolveBrand({ brand: DEFAULT_CONFIG.brand, sender: { shopName: 'Demo Shop', postalAddress: '1 Example Street' } }),
            currency: 'EUR',
            locale: { language: 'en', tag: 'en' },
            cart: {
              cartId: 'k1',
              customerId: 'c1',
              status: 'open',
              items: [{ sku: 's1', name: 'Tea', price: 5, quantity: 2 }],
              currency: 'EUR',
              total: 10,
              updatedAt: '2026-11-25T00:00:00.000Z',
            },
            order: {
              orderId: 'o1',
              items: [{ sku: 's1', name: 'Tea', price: 5, quantity: 2 }],
              total: 10,
              currency: 'EUR',
            },
            recommendations: [{ sku: 's2', name: 'Teapot', price: 30 }],
            links,
          }),
        ),
      ),
    );
    // Assess
    expect(drafts.map((d) => d.journey)).toEqual(['cart_reminder', 'order_followup', 'birthday', 'winback']);
    for (const message of rendered) {
      expect(message.subject).toContain('Ada');
      for (const url of Object.values(links)) {
        expect(message.html).toContain(url);
        expect(message.text).toContain(url);
      }
      expect(message.html).toContain('1 Example Street');
    }
    expect(rendered[0]?.html).toContain('Tea');
    expect(rendered[1]?.html).toContain('Teapot');
    // Prices in the customer's locale and the order's currency.
    expect(rendered[1]?.html).toContain('€5.00');
    expect(rendered[1]?.text).toContain('Total: €10.00');
  });

  it('escape customer data in HTML and strip line breaks from subjects', async () => {
    // Prepare
    const [draft] = await loadTemplates('templates', '2026-11-25T00:00:00.000Z');
    // Act
    const message = await renderMessage(
      { ...draft!, version: 'v000001' },
      templateVariables({
        journey: 'cart_reminder',
        profile: { customerId: 'c1', email: 'a@b.example', firstName: '<script>x</script>\r\nBcc: evil@x' },
        brand: resolveBrand({ brand: DEFAULT_CONFIG.brand, sender: { shopName: 'Demo Shop', postalAddress: '1 Example Street' } }),
            currency: 'EUR',
            locale: { language: 'en', tag: 'en' },
        cart: {
          cartId: 'k1',
          customerId: 'c1',
          status: 'open',
          items: [{ sku: 's1', name: '<img src=x onerror=alert(1)>', price: 5, quantity: 1 }],
          currency: 'EUR',
          total: 5,
          updatedAt: '2026-11-25T00:00:00.000Z',
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
