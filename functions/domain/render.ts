/**
 * Message rendering with Liquid. HTML output is escaped by default; subjects become header-safe. liquidjs is
 * not a sandbox, so every limit is set and only own properties are visible (REFERENCE.md section 4).
 */
import { Liquid, type Template } from 'liquidjs';
import type { Cart, Profile, TemplateVersion } from './model.js';
import type { Journey } from './names.js';

const LIMITS = {
  ownPropertyOnly: true,
  strictFilters: true,
  parseLimit: 100_000,
  renderLimit: 1_000, // ms of rendering per template
  memoryLimit: 10_000_000,
  cache: false,
} as const;

/**
 * Currency formatters by locale and currency: building an Intl.NumberFormat is most of a `money` call's cost,
 * and a shop has a handful of locales and currencies. Bounded, so odd inputs cannot grow it without end.
 */
const MONEY_FORMATS = new Map<string, Intl.NumberFormat>();
const MONEY_FORMATS_MAX = 200;
function moneyFormat(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let format = MONEY_FORMATS.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    if (MONEY_FORMATS.size >= MONEY_FORMATS_MAX) MONEY_FORMATS.clear();
    MONEY_FORMATS.set(key, format);
  }
  return format;
}

/** Filters of our own, registered on every engine that parses templates (send, validate, preview). */
export function registerFilters(engine: Liquid): Liquid {
  // `{{ item.price | money: order.currency, customer.locale }}` -> "€12.50"; without a currency "12.50".
  engine.registerFilter('money', (value: unknown, currency?: unknown, locale?: unknown) => {
    const amount = Number(value);
    if (!Number.isFinite(amount)) return '';
    if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) return amount.toFixed(2);
    try {
      return moneyFormat(typeof locale === 'string' ? locale : 'en', currency).format(amount);
    } catch {
      return `${amount.toFixed(2)} ${currency}`;
    }
  });
  return engine;
}

/** Escapes every output in HTML bodies; `| raw` is the explicit way out. */
const htmlEngine = registerFilters(new Liquid({ ...LIMITS, outputEscape: 'escape' }));
const textEngine = registerFilters(new Liquid({ ...LIMITS }));

export interface RecommendationView {
  sku: string;
  name: string;
  price: number;
  category?: string;
  url?: string;
  imageUrl?: string;
  /** Why it was picked, in plain words ("often bought together with your items"). */
  because?: string;
  /** Signed vote links ("useful" / "not for me"): each opens a confirmation page; only its POST votes. */
  feedback?: { useful: string; notForMe: string };
}

export interface ItemView {
  sku: string;
  name: string;
  price: number;
  quantity: number;
  category?: string;
  url?: string;
  imageUrl?: string;
}

/** Everything a template may use. Documented in the README's template section. */
export interface TemplateVariables {
  customer: { firstName: string; locale: string };
  shop: { name: string; postalAddress: string; currency: string };
  journey: Journey;
  cart?: { items: ItemView[]; total: number; currency: string };
  order?: { orderId: string; items: ItemView[]; total: number; currency: string };
  recommendations: RecommendationView[];
  links: { unsubscribe: string; preferences: string; why: string };
  /** What the customer's feedback since the last message changed, in plain words (empty: say nothing). */
  feedback: { notes: string[] };
}

export interface RenderedMessage {
  subject: string;
  html: string;
  text: string;
}

export class TemplateRenderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TemplateRenderError';
  }
}

const parsed = new Map<string, Template[]>();

function parse(engine: Liquid, key: string, source: string): Template[] {
  const cached = parsed.get(key);
  if (cached) return cached;
  const templates = engine.parse(source);
  if (parsed.size > 200) parsed.clear();
  parsed.set(key, templates);
  return templates;
}

/** Renders subject, HTML and text of a template version. Parsed templates are cached per version. */
export async function renderMessage(
  template: TemplateVersion,
  vars: TemplateVariables,
): Promise<RenderedMessage> {
  const id = `${template.journey}@${template.version}`;
  try {
    const [subject, html, text] = await Promise.all([
      textEngine.render(parse(textEngine, `${id}:subject`, template.subject), vars),
      htmlEngine.render(parse(htmlEngine, `${id}:html`, template.html), vars),
      textEngine.render(parse(textEngine, `${id}:text`, template.text), vars),
    ]);
    return { subject: headerSafe(String(subject)), html: String(html), text: String(text) };
  } catch (cause) {
    throw new TemplateRenderError(`Template ${id} failed to render: ${(cause as Error).message}`, { cause });
  }
}

/** Strips CR, LF and NUL (header injection) and folds white space; caps the length. */
export function headerSafe(value: string, max = 200): string {
  return value
    .replace(/[\r\n\0]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max);
}

function itemView(item: ItemView): ItemView {
  return {
    sku: item.sku,
    name: item.name,
    price: item.price,
    quantity: item.quantity,
    ...(item.category ? { category: item.category } : {}),
    ...(item.url ? { url: item.url } : {}),
    ...(item.imageUrl ? { imageUrl: item.imageUrl } : {}),
  };
}

/** Assembles the variables from stored data. Only what a template needs is exposed (no email, no ids). */
export function templateVariables(input: {
  journey: Journey;
  profile: Profile;
  shop: { name: string; postalAddress: string; currency: string };
  cart?: Cart;
  order?: { orderId: string; items: ItemView[]; total: number; currency: string };
  recommendations: RecommendationView[];
  links: TemplateVariables['links'];
  feedbackNotes?: string[];
}): TemplateVariables {
  const vars: TemplateVariables = {
    customer: {
      firstName: input.profile.firstName?.trim() || 'there',
      locale: input.profile.locale ?? 'en',
    },
    shop: input.shop,
    journey: input.journey,
    recommendations: input.recommendations,
    links: input.links,
    feedback: { notes: input.feedbackNotes ?? [] },
  };
  if (input.cart) {
    vars.cart = {
      items: input.cart.items.map(itemView),
      total: input.cart.total,
      currency: input.cart.currency,
    };
  }
  if (input.order) {
    vars.order = { ...input.order, items: input.order.items.map(itemView) };
  }
  return vars;
}
