/**
 * Message rendering with Liquid. HTML output is escaped by default; subjects become header-safe. liquidjs is
 * not a sandbox, so every limit is set and only own properties are visible (REFERENCE.md section 4).
 */
import { Liquid, type Template } from 'liquidjs';
import type { Brand } from './brand.js';
import { type EmailStrings, emailStrings } from './i18n/email.js';
import { type CompiledTemplate, compileTemplates } from './liquid-compiled.js';
import type { Locale, ResolvedLocale } from './locale.js';
import { formatMoney } from './locale.js';
import type { Cart, IssuedCode, Profile, ReasonKind, TemplateVersion } from './model.js';
import type { Journey } from './names.js';

const LIMITS = {
  ownPropertyOnly: true,
  strictFilters: true,
  parseLimit: 100_000,
  renderLimit: 1_000, // ms of rendering per template
  memoryLimit: 10_000_000,
  cache: false,
} as const;

/** Filters of our own, registered on every engine that parses templates (send, validate, preview). */
export function registerFilters(engine: Liquid): Liquid {
  // `{{ item.price | money: order.currency, customer.locale }}` -> "€12.50"; without a currency "12.50".
  engine.registerFilter('money', (value: unknown, currency?: unknown, locale?: unknown) => {
    const amount = Number(value);
    if (!Number.isFinite(amount)) return '';
    return formatMoney(
      amount,
      typeof currency === 'string' ? currency : '',
      typeof locale === 'string' ? locale : 'en',
    );
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
  /** The category as words ("Garden tools" for "garden-tools"). */
  categoryName?: string;
  /** Why it was picked (domain/recommend.ts), and the same in the email's language. */
  reason?: ReasonKind;
  because?: string;
  /** A re-order of something they bought before (reason 'buy_again'): shown under "buy again", never as new. */
  buyAgain?: boolean;
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

/** The shop as templates see it: the brand kit with its defaults resolved (domain/brand.ts). */
export interface ShopView {
  name: string;
  legalName: string;
  logoUrl?: string;
  logoWidth: number;
  url: string;
  supportEmail?: string;
  postalAddress: string;
  currency: string;
  colors: Brand['colors'];
}

/** A gift the email carries: a code claimed for this message, and its terms in the email's language. */
export interface IncentiveView {
  code: string;
  kind: IssuedCode['kind'];
  /** "15% off your next order, until 31 December 2026", from domain/incentives.ts. */
  terms: string;
  /** The expiry as a local date ("31 December 2026"). */
  expires: string;
}

/** Everything a template may use. Documented in the README's template section. */
export interface TemplateVariables {
  /** `locale` is the customer's format tag ("de-AT"), `language` the text's language (en, de, fr). */
  customer: { firstName: string; hasName: boolean; locale: string; language: Locale };
  shop: ShopView;
  journey: Journey;
  /** `url`: the shop's link back to the cart (cart.updated cartUrl), else the shop's home page. */
  cart?: { items: ItemView[]; total: number; currency: string; url: string };
  /** `url`: the shop's page of the order (order.placed orderUrl), else the shop's home page. */
  order?: { orderId: string; items: ItemView[]; total: number; currency: string; url: string };
  /** Every suggestion, re-orders first; `buyAgain` and `discover` are the same split in two. */
  recommendations: RecommendationView[];
  /** The customer's due re-orders (each with `because`: their rhythm in words). */
  buyAgain: RecommendationView[];
  /** Items they have never bought. */
  discover: RecommendationView[];
  /** Present only when a code was claimed for this message: never promise a gift without it. */
  incentive?: IncentiveView;
  links: { unsubscribe: string; preferences: string; why: string };
  /** What the customer's feedback since the last message changed, in plain words (empty: say nothing). */
  feedback: { notes: string[] };
  /** The words every email shares, in the email's language (domain/i18n/email.ts). */
  t: EmailStrings;
}

export interface RenderedMessage {
  subject: string;
  html: string;
  text: string;
}

/** The language a template renders in for this customer: theirs if the template has it, else its default. */
export function renderedLanguage(template: TemplateVersion, language: Locale, fallback: Locale): Locale {
  return template.locales?.[language] ? language : fallback;
}

export class TemplateRenderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TemplateRenderError';
  }
}

/** A template part (subject, HTML or text) parsed once, and compiled to closures when it can be. */
interface Part {
  templates: Template[];
  compiled?: CompiledTemplate;
}

const parsed = new Map<string, Part>();

function parse(engine: Liquid, key: string, source: string): Part {
  const cached = parsed.get(key);
  if (cached) return cached;
  const templates = engine.parse(source);
  const compiled = compileTemplates(engine, templates);
  const part: Part = compiled ? { templates, compiled } : { templates };
  if (parsed.size > 200) parsed.clear();
  parsed.set(key, part);
  return part;
}

function renderPart(engine: Liquid, part: Part, vars: TemplateVariables): string {
  if (part.compiled) {
    try {
      return part.compiled(vars);
    } catch {
      // liquidjs renders it again, so an error reads as liquidjs words it (with the template's line).
    }
  }
  return engine.renderSync(part.templates, vars);
}

function parts(template: TemplateVersion, vars: TemplateVariables) {
  // The customer's language when the template has it, else the template's own (default) content.
  const language = vars.customer.language;
  const content = template.locales?.[language] ?? template;
  const id = `${template.journey}@${template.version}${content === template ? '' : `/${language}`}`;
  return { id, content };
}

/**
 * Renders subject, HTML and text of a template version, synchronously: parsed templates are cached per
 * version and rendered by compiled closures (domain/liquid-compiled.ts), the same output as liquidjs.
 */
export function renderMessageSync(template: TemplateVersion, vars: TemplateVariables): RenderedMessage {
  const { id, content } = parts(template, vars);
  try {
    const subject = renderPart(textEngine, parse(textEngine, `${id}:subject`, content.subject), vars);
    const html = renderPart(htmlEngine, parse(htmlEngine, `${id}:html`, content.html), vars);
    const text = renderPart(textEngine, parse(textEngine, `${id}:text`, content.text), vars);
    return { subject: headerSafe(subject), html, text };
  } catch (cause) {
    throw new TemplateRenderError(`Template ${id} failed to render: ${(cause as Error).message}`, { cause });
  }
}

/** Renders subject, HTML and text of a template version (renderMessageSync; a promise for older callers). */
export async function renderMessage(
  template: TemplateVersion,
  vars: TemplateVariables,
): Promise<RenderedMessage> {
  return renderMessageSync(template, vars);
}

/**
 * The reference render: liquidjs's own async path on the same parsed templates, as messages were rendered
 * before the compiled closures. Kept for the tests that prove both byte-identical and for the bench.
 */
export async function renderMessageLiquid(
  template: TemplateVersion,
  vars: TemplateVariables,
): Promise<RenderedMessage> {
  const { id, content } = parts(template, vars);
  try {
    const [subject, html, text] = await Promise.all([
      textEngine.render(parse(textEngine, `${id}:subject`, content.subject).templates, vars),
      htmlEngine.render(parse(htmlEngine, `${id}:html`, content.html).templates, vars),
      textEngine.render(parse(textEngine, `${id}:text`, content.text).templates, vars),
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
  brand: Brand;
  /** Currency of catalogue prices (recommendations). */
  currency: string;
  locale: ResolvedLocale;
  cart?: Cart;
  order?: { orderId: string; items: ItemView[]; total: number; currency: string; orderUrl?: string };
  recommendations: RecommendationView[];
  incentive?: IncentiveView;
  links: TemplateVariables['links'];
  feedbackNotes?: string[];
}): TemplateVariables {
  const { brand } = input;
  const shop: ShopView = {
    name: brand.name,
    legalName: brand.legalName,
    ...(brand.logoUrl ? { logoUrl: brand.logoUrl } : {}),
    logoWidth: brand.logoWidth,
    url: brand.shopUrl,
    ...(brand.supportEmail ? { supportEmail: brand.supportEmail } : {}),
    postalAddress: brand.postalAddress,
    currency: input.currency,
    colors: brand.colors,
  };
  const vars: TemplateVariables = {
    customer: {
      firstName: input.profile.firstName?.trim() || FRIEND[input.locale.language],
      hasName: Boolean(input.profile.firstName?.trim()),
      locale: input.locale.tag,
      language: input.locale.language,
    },
    shop,
    journey: input.journey,
    recommendations: input.recommendations,
    buyAgain: input.recommendations.filter((r) => r.buyAgain),
    discover: input.recommendations.filter((r) => !r.buyAgain),
    links: input.links,
    feedback: { notes: input.feedbackNotes ?? [] },
    t: emailStrings(input.locale.language, brand.name),
  };
  if (input.incentive) vars.incentive = input.incentive;
  if (input.cart) {
    vars.cart = {
      items: input.cart.items.map(itemView),
      total: input.cart.total,
      currency: input.cart.currency,
      url: input.cart.cartUrl ?? brand.shopUrl,
    };
  }
  if (input.order) {
    const { orderUrl, ...order } = input.order;
    vars.order = { ...order, items: input.order.items.map(itemView), url: orderUrl ?? brand.shopUrl };
  }
  return vars;
}

/** How a greeting addresses a customer without a first name. */
// English templates have long said "Hi {{ customer.firstName }}"; German and French ones test `customer.hasName`.
const FRIEND: Record<Locale, string> = { en: 'there', de: '', fr: '' };
