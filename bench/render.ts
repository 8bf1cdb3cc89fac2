/**
 * Liquid renders per second: the starter templates (compiled from MJML once, as `templates push` does) rendered
 * by functions/domain/render.ts with realistic variables, one render = subject + HTML + text of one message.
 * Parsed templates are cached per version (as in a warm Lambda), so this is the per-message send-time cost.
 */

import { loadTemplates } from '../cli/template-source.js';
import { resolveBrand } from '../functions/domain/brand.js';
import { DEFAULT_CONFIG } from '../functions/domain/config.js';
import type { Cart, Profile, TemplateVersion } from '../functions/domain/model.js';
import { renderMessage, type TemplateVariables, templateVariables } from '../functions/domain/render.js';
import { type Spread, spread } from './stats.js';

export interface RenderBench {
  rendersPerSecond: Spread;
  /** Mean size of one rendered message (subject + HTML + text), bytes. */
  messageBytes: number;
  batches: number;
  perBatch: number;
}

const ITEMS = [
  {
    sku: 'SKU-101',
    name: 'Sencha',
    price: 12.5,
    quantity: 2,
    category: 'tea',
    url: 'https://shop.example/p/SKU-101',
  },
  {
    sku: 'SKU-304',
    name: 'Burr Grinder',
    price: 59.9,
    quantity: 1,
    category: 'kitchen',
    url: 'https://shop.example/p/SKU-304',
  },
  {
    sku: 'SKU-207',
    name: 'Kenya AA',
    price: 14.2,
    quantity: 1,
    category: 'coffee',
    url: 'https://shop.example/p/SKU-207',
  },
];
const RECOMMENDATIONS = [
  {
    sku: 'SKU-105',
    name: 'Jasmine Pearls',
    price: 18,
    category: 'tea',
    url: 'https://shop.example/p/SKU-105',
  },
  {
    sku: 'SKU-306',
    name: 'Tea Strainer',
    price: 7.5,
    category: 'kitchen',
    url: 'https://shop.example/p/SKU-306',
  },
  {
    sku: 'SKU-402',
    name: 'Coffee Basics',
    price: 24,
    category: 'books',
    url: 'https://shop.example/p/SKU-402',
  },
];
const CART: Cart = {
  cartId: 'K-0042',
  customerId: 'C00042',
  items: ITEMS,
  currency: 'EUR',
  total: 99.1,
  status: 'open',
  updatedAt: '2026-12-01T10:00:00Z',
};
// Signed links are ~200 characters, like the ones functions/domain/links.ts makes.
const TOKEN =
  'eyJwIjoidW5zdWJzY3JpYmUiLCJjIjoiQzAwMDQyIiwibSI6ImI3ZTFhYjQ2LTk5ZDMtNWJkMC1hMWM1LTEyMzQ1Njc4OWFiYyIsImUiOjE3OTk5OTk5OTl9.local-1.x1B6p2TqkQe0pR8nZ3vW9yL4mK7sD2fG5hJ8kL1zX0c';

function variables(journey: TemplateVersion['journey']): TemplateVariables {
  const profile: Profile = {
    customerId: 'C00042',
    email: 'c00042@customers.example',
    firstName: 'Priya',
    locale: 'en',
  };
  const base = 'https://links.shop.example';
  return templateVariables({
    journey,
    profile,
    brand: resolveBrand({
      brand: DEFAULT_CONFIG.brand,
      sender: {
        shopName: 'Leaf & Bean',
        postalAddress: 'Leaf & Bean GmbH, Teestraße 1, 10115 Berlin, Germany',
      },
    }),
    currency: 'EUR',
    locale: { language: 'en', tag: 'en' },
    ...(journey === 'cart_reminder' && { cart: CART }),
    ...(journey === 'order_followup' && {
      order: { orderId: 'O-0042', items: ITEMS, total: 99.1, currency: 'EUR' },
    }),
    recommendations: RECOMMENDATIONS,
    links: {
      unsubscribe: `${base}/u/${TOKEN}`,
      preferences: `${base}/p/${TOKEN}`,
      why: `${base}/why/${TOKEN}`,
    },
  });
}

export async function benchRender(options: {
  dir: string;
  batches?: number;
  perBatch?: number;
}): Promise<RenderBench> {
  const batches = options.batches ?? 7;
  const perBatch = options.perBatch ?? 400;
  const drafts = await loadTemplates(options.dir, '2026-12-01T00:00:00Z');
  const cases = drafts.map((draft) => ({
    template: { ...draft, version: 'v000001' } as TemplateVersion,
    vars: variables(draft.journey),
  }));
  let bytes = 0;
  for (const c of cases) {
    const out = await renderMessage(c.template, c.vars); // warm-up: parse and cache
    bytes += out.subject.length + Buffer.byteLength(out.html) + Buffer.byteLength(out.text);
  }
  const rates: number[] = [];
  for (let b = 0; b < batches; b++) {
    const started = performance.now();
    for (let i = 0; i < perBatch; i++) {
      const c = cases[i % cases.length]!;
      await renderMessage(c.template, c.vars);
    }
    rates.push(perBatch / ((performance.now() - started) / 1000));
  }
  return {
    rendersPerSecond: spread(rates),
    messageBytes: Math.round(bytes / cases.length),
    batches,
    perBatch,
  };
}
