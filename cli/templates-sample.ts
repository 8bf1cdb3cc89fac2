/**
 * Sample data for validating and previewing templates: a realistic customer, cart, order and recommendations,
 * shaped per journey the way the Personalize step shapes real messages (a cart only for cart reminders, an
 * order only for thank-yous). Every link points at example.invalid, so a preview can never reach a customer
 * endpoint or be mistaken for a real message.
 */
import { resolveBrand } from '../functions/domain/brand.js';
import { DEFAULT_CONFIG } from '../functions/domain/config.js';
import type { LineItem } from '../functions/domain/events.js';
import { categoryName, reasonWords } from '../functions/domain/i18n/reasons.js';
import { codeTerms } from '../functions/domain/incentives.js';
import { formatInstant, type Locale, resolveLocale } from '../functions/domain/locale.js';
import type { Cart, IssuedCode, Profile, ReasonKind } from '../functions/domain/model.js';
import type { Journey } from '../functions/domain/names.js';
import {
  type IncentiveView,
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
    imageUrl: `${FAKE}/images/pot-kyusu.jpg`,
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
    imageUrl: `${FAKE}/images/tea-genmai.jpg`,
  },
  {
    sku: 'CUP-SET',
    name: 'Two stoneware cups',
    price: 24,
    category: 'teaware',
    url: `${FAKE}/products/cup-set`,
    imageUrl: `${FAKE}/images/cup-set.jpg`,
  },
  {
    sku: 'TEA-HOJI',
    name: 'Hojicha, 80 g',
    price: 11,
    category: 'tea',
    url: `${FAKE}/products/tea-hoji`,
    imageUrl: `${FAKE}/images/tea-hoji.jpg`,
  },
];

/** The sample gift as issued: 15% off, valid to the end of 31 December 2026. */
const SAMPLE_CODE: IssuedCode = {
  code: 'BDAY-7Q4K9M2X',
  kind: 'percent',
  value: 15,
  currency: 'EUR',
  expiresAt: '2026-12-31T23:59:59.999Z',
};

/** The sample gift in one language and format, worded as a send words it (domain/incentives.ts). */
function sampleIncentive(language: Locale, tag: string): IncentiveView {
  return {
    code: SAMPLE_CODE.code,
    kind: SAMPLE_CODE.kind,
    terms: codeTerms(SAMPLE_CODE, language, tag, 'UTC'),
    expires: formatInstant(SAMPLE_CODE.expiresAt, tag, 'UTC', 'date'),
  };
}

/** A sample gift, shown in previews of journeys that carry an incentive (the birthday by default), in English. */
export const SAMPLE_INCENTIVE: IncentiveView = sampleIncentive('en', 'en');

/**
 * The variables of one journey's message for `profile` (the sample customer by default), in `language`
 * (default: the profile's). `order` replaces the sample order, e.g. with the latest order from a real profile.
 */
export function sampleVariables(
  journey: Journey,
  profile: Profile = SAMPLE_PROFILE,
  order: SampleOrder = SAMPLE_ORDER,
  options: { language?: Locale; incentive?: boolean } = {},
): TemplateVariables {
  const resolved = resolveLocale(profile.locale, DEFAULT_CONFIG.defaultLocale);
  const locale = options.language
    ? {
        language: options.language,
        tag: options.language === resolved.language ? resolved.tag : options.language,
      }
    : resolved;
  // Suggestions: thank-yous and reminders from what they hold, win-backs from what they bought; never a birthday.
  const picks = journey !== 'birthday';
  const withGift = options.incentive ?? journey === 'birthday';
  return templateVariables({
    journey,
    profile,
    brand: resolveBrand(DEFAULT_CONFIG),
    currency: DEFAULT_CONFIG.sender.currency,
    locale,
    ...(journey === 'cart_reminder'
      ? { cart: { ...SAMPLE_CART, customerId: profile.customerId, cartUrl: `${FAKE}/cart` } }
      : {}),
    ...(journey === 'order_followup'
      ? { order: { ...order, orderUrl: `${FAKE}/orders/${order.orderId}` } }
      : {}),
    recommendations: picks
      ? SAMPLE_RECOMMENDATIONS.map((r, i) => {
          const reasons =
            journey === 'winback'
              ? WINBACK_REASONS
              : journey === 'cart_reminder'
                ? CART_REASONS
                : SAMPLE_REASONS;
          const reason = reasons[i % reasons.length]!;
          return {
            ...r,
            ...(r.category ? { categoryName: categoryName(r.category) } : {}),
            reason,
            buyAgain: reason === 'buy_again',
            because: reasonWords(reason, locale.language, r.category, SAMPLE_RHYTHM),
            feedback: { useful: `${FAKE}/vote/up/${r.sku}`, notForMe: `${FAKE}/vote/down/${r.sku}` },
          };
        })
      : [],
    ...(withGift ? { incentive: sampleIncentive(locale.language, locale.tag) } : {}),
    links: SAMPLE_LINKS,
  });
}

/** The sample thank-you: a usual they are due to restock (bought every three weeks), then new things: one bought with it, one from shoppers like them. */
const SAMPLE_REASONS: ReasonKind[] = ['buy_again', 'bought_together', 'shoppers_like_you'];
/** A win-back has no basket: a usual of theirs, and what goes with what they bought or liked, or is new. */
const WINBACK_REASONS: ReasonKind[] = ['buy_again', 'bought_category', 'new'];
/** A cart reminder is about the cart: no re-orders. */
const CART_REASONS: ReasonKind[] = ['bought_together', 'bought_category', 'popular'];
const SAMPLE_RHYTHM = { timesBought: 4, typicalDays: 21 };
