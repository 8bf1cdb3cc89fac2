/**
 * Workflow step 1: load the profile, the journey's published template and the data the message is about,
 * re-check that the trigger still holds (a cart still abandoned, a customer still away), pick
 * recommendations and render subject, HTML and text.
 */
import { now } from '../adapters/clock.js';
import { tasteOf } from '../domain/feedback.js';
import { messageLinks } from '../domain/links.js';
import type { Cart, MessageRequest, Personalized, TemplateVersion } from '../domain/model.js';
import { ENV, type Journey } from '../domain/names.js';
import { recommend, type Scored } from '../domain/recommend.js';
import { renderMessage, TemplateRenderError, templateVariables } from '../domain/render.js';
import { cartReminderCheck } from '../domain/triggers.js';
import { config, db, linkKeys } from './deps.js';

export async function handler(request: MessageRequest): Promise<Personalized> {
  const { profiles, carts } = db();
  const cfg = config();
  const profile = await profiles.get(request.customerId);
  if (!profile) return { ok: false, reason: 'profile_missing', record: true };

  let cart: Cart | undefined;
  if (request.journey === 'cart_reminder' && request.context.cart) {
    cart = await carts.get(request.context.cart.cartId);
    const check = cartReminderCheck(cart, request.context.cart);
    if (!check.ok) return { ok: false, reason: check.reason, record: check.reason !== 'superseded' };
  }
  if (request.journey === 'winback' && request.context.lastActiveAt) {
    // They came back since the sweep saw them: this spell is over, and a new one will name a new trigger.
    if ((profile.lastActiveAt ?? '') > request.context.lastActiveAt) {
      return { ok: false, reason: 'customer_active_again', record: true };
    }
  }

  const template = await publishedTemplate(request.journey);
  if (!template) return { ok: false, reason: 'template_missing', record: true };

  const order = request.context.order;
  const held = [...(order?.items ?? []), ...(cart?.items ?? [])];
  const recommendations =
    cfg.recommendations > 0
      ? await pickFor(
          held.map((i) => i.sku),
          cfg.recommendations,
        )
      : [];

  const links = messageLinks({
    baseUrl: cfg.publicBaseUrl,
    keys: await linkKeys(),
    customerId: profile.customerId,
    messageId: request.messageId,
    now: now(),
    ttlDays: cfg.linkTtlDays,
  });
  const vars = templateVariables({
    journey: request.journey,
    profile,
    shop: {
      name: cfg.sender.shopName,
      postalAddress: cfg.sender.postalAddress,
      currency: cfg.sender.currency,
    },
    ...(cart ? { cart } : {}),
    ...(order
      ? {
          order: { orderId: order.orderId, items: order.items, total: order.total, currency: order.currency },
        }
      : {}),
    recommendations,
    links,
  });
  try {
    const rendered = await renderMessage(template, vars);
    return {
      ok: true,
      to: profile.email,
      ...rendered,
      templateVersion: template.version,
      recommendations: recommendations.map((r) => r.sku),
      unsubscribeUrl: links.unsubscribe,
    };
  } catch (error) {
    if (error instanceof TemplateRenderError) {
      return { ok: false, reason: 'render_failed', record: true, detail: error.message };
    }
    throw error;
  }
}

/**
 * Candidates: what was bought together with the held items (their strongest partners) and what is popular in
 * their categories; the pure `recommend` ranks and filters them.
 */
async function pickFor(heldSkus: string[], limit: number): Promise<Scored[]> {
  const { products } = db();
  const seeds = heldSkus.length ? await products.getMany(heldSkus) : [];
  const partners = seeds
    .flatMap((s) => Object.entries(s.coBought ?? {}))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)
    .map(([sku]) => sku);
  const categories = seeds.map((s) => s.category).filter((c): c is string => Boolean(c));
  const [coBought, popular] = await Promise.all([
    partners.length ? products.getMany(partners) : [],
    categories.length ? products.popularIn(categories) : [],
  ]);
  return recommend({ seeds, candidates: [...coBought, ...popular], taste: tasteOf(), limit });
}

/**
 * Published templates are cached per container for a minute: they change when a marketer publishes, not
 * per message, and the item (compiled HTML plus its MJML source) costs several read units to fetch.
 */
const TEMPLATE_TTL_MS = 60_000;
const templateCache = new Map<
  string,
  { template: TemplateVersion | undefined; until: number; table: string }
>();

async function publishedTemplate(journey: Journey): Promise<TemplateVersion | undefined> {
  const table = `${process.env.AWS_ENDPOINT_URL_DYNAMODB ?? ''}/${process.env[ENV.templatesTable] ?? ''}`;
  const cached = templateCache.get(journey);
  if (cached && cached.table === table && cached.until > Date.now()) return cached.template;
  const template = await db().templates.published(journey);
  templateCache.set(journey, { template, until: Date.now() + TEMPLATE_TTL_MS, table });
  return template;
}
