/**
 * Sample data for validating and previewing templates: a realistic customer, cart, order and recommendations,
 * shaped per journey the way the Personalize step shapes real messages (a cart only for cart reminders, an
 * order only for thank-yous). Every link points at example.invalid, so a preview can never reach a customer
 * endpoint or be mistaken for a real message.
 */
import { DEFAULT_CONFIG } from '../functions/domain/config.js';
import type { LineItem } from '../functions/domain/events.js';
import type { Cart, Profile } from '../functions/domain/model.js';
import type { Journey } from '../functions/domain/names.js';
import {
  type RecommendationView,
  type TemplateVariables,
  templateVariables,
} from '../functions/domain/render.js';

const FAKE = 'https://example.invalid';

export const SAMPLE_LINKS: TemplateVariables['links'] = {
  unsubscribe: `${FAKE}/unsubscribe/sample-token`,
  preferences: `${FAKE}/preferences/sample-token`,
  why: `${FAKE}/why/sample-token`,
};

export const SAMPLE_PROFILE: Profile = {
  customerId: 'sample-customer',
  email: 'ada@example.invalid',
  firstName: 'Ada',
  locale: 'en',
  timeZone: 'Europe/Berlin',
};

const ITEMS: LineItem[] = [
  {
    sku: 'TEA-SENCHA',
    name: 'Sencha Kyoto, 100 g',
    price: 12.5,
    quantity: 2,
    category: 'tea',
    url: `${FAKE}/products/tea-sencha`,
    imageUrl: `${FAKE}/images/tea-sencha.jpg`,
  },
  {
    sku: 'POT-KYUSU',
    name: 'Kyusu teapot, 300 ml',
    price: 34,
    quantity: 1,
    category: 'teaware',
    url: `${FAKE}/products/pot-kyusu`,
  },
];

const SAMPLE_CART: Cart = {
  cartId: 'sample-cart',
  customerId: SAMPLE_PROFILE.customerId,
  status: 'open',
  items: ITEMS,
  currency: 'EUR',
  total: 59,
  updatedAt: '2026-11-25T09:30:00.000Z',
};

export interface SampleOrder {
  orderId: string;
  items: LineItem[];
  total: number;
  currency: string;
}

const SAMPLE_ORDER: SampleOrder = { orderId: 'O-10042', items: ITEMS, total: 59, currency: 'EUR' };

const SAMPLE_RECOMMENDATIONS: RecommendationView[] = [
  {
    sku: 'TEA-GENMAI',
    name: 'Genmaicha, 100 g',
    price: 9.9,
    category: 'tea',
    url: `${FAKE}/products/tea-genmai`,
  },
  {
    sku: 'CUP-SET',
    name: 'Two stoneware cups',
    price: 24,
    category: 'teaware',
    url: `${FAKE}/products/cup-set`,
  },
  { sku: 'TEA-HOJI', name: 'Hojicha, 80 g', price: 11, category: 'tea', url: `${FAKE}/products/tea-hoji` },
];

/**
 * The variables of one journey's message for `profile` (the sample customer by default). `order` replaces the
 * sample order, e.g. with the latest order from a real profile.
 */
export function sampleVariables(
  journey: Journey,
  profile: Profile = SAMPLE_PROFILE,
  order: SampleOrder = SAMPLE_ORDER,
): TemplateVariables {
  const shop = {
    name: DEFAULT_CONFIG.sender.shopName,
    postalAddress: DEFAULT_CONFIG.sender.postalAddress,
    currency: DEFAULT_CONFIG.sender.currency,
  };
  // Recommendations come from the categories of what they hold, so only cart and order messages have them.
  const holds = journey === 'cart_reminder' || journey === 'order_followup';
  return templateVariables({
    journey,
    profile,
    shop,
    ...(journey === 'cart_reminder' ? { cart: { ...SAMPLE_CART, customerId: profile.customerId } } : {}),
    ...(journey === 'order_followup' ? { order } : {}),
    recommendations: holds ? SAMPLE_RECOMMENDATIONS : [],
    links: SAMPLE_LINKS,
  });
}
