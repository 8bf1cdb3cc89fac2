/**
 * Workflow step 1: load the profile, the journey's published template and the data the message is about,
 * re-check that the trigger still holds (a cart still abandoned, a customer still away), pick
 * recommendations and render subject, HTML and text.
 */

import type { Deps } from '../app/deps.js';
import { useCase } from '../app/lambda.js';
import { chooseVariant, DEFAULT_VARIANT } from '../domain/bandit.js';
import { feedbackNotes } from '../domain/feedback.js';
import { feedbackLinks, messageLinks } from '../domain/links.js';
import type { Cart, MessageRequest, Personalized } from '../domain/model.js';
import { renderMessage, TemplateRenderError, templateVariables } from '../domain/render.js';
import { messageRequestSchema } from '../domain/requests.js';
import { cartReminderCheck, winbackCheck } from '../domain/triggers.js';
import { publishedVariants, recommendationsFor, variantStats } from './personalize-data.js';

export const personalize = useCase({
  name: 'personalize',
  needs: ['profiles:read', 'carts:read', 'templates:read', 'products:read', 'reputation:read', 'linkKeys'],
  input: messageRequestSchema,
  run: (deps, input) => personalizeMessage(deps, input as MessageRequest),
});

/** Renders exactly what would be sent for this request: the studio calls this too, with its own Deps. */
export async function personalizeMessage(deps: Deps, request: MessageRequest): Promise<Personalized> {
  const { profiles, carts } = deps.stores;
  const cfg = deps.config;
  const profile = await profiles.get(request.customerId);
  if (!profile) return { ok: false, reason: 'profile_missing', record: true };

  let cart: Cart | undefined;
  if (request.journey === 'cart_reminder' && request.context.cart) {
    cart = await carts.get(request.context.cart.cartId);
    const check = cartReminderCheck(cart, request.context.cart);
    if (!check.ok) return { ok: false, reason: check.reason, record: check.reason !== 'superseded' };
  }
  if (request.journey === 'winback' && request.context.inactiveOn) {
    const check = winbackCheck(profile, request.context.inactiveOn, cfg);
    if (!check.ok) return { ok: false, reason: check.reason, record: true };
  }

  const variants = await publishedVariants(deps, request.journey);
  // Several variants: Thompson sampling on their counters, the same pick for the same message id.
  const variant =
    Object.keys(variants).length > 1 && cfg.bandit.enabled
      ? chooseVariant({
          messageId: request.messageId,
          variants: Object.keys(variants),
          stats: await variantStats(deps, request.journey, variants),
          policy: cfg.bandit,
        })
      : DEFAULT_VARIANT;
  const template = variants[variant];
  if (!template) return { ok: false, reason: 'template_missing', record: true };

  const order = request.context.order;
  const held = [...(order?.items ?? []), ...(cart?.items ?? [])];
  const picked =
    cfg.recommendations > 0
      ? await recommendationsFor(
          deps,
          profile,
          held.map((i) => i.sku),
          cfg.recommendations,
        )
      : [];

  const keys = await deps.linkKeys();
  const signing = {
    baseUrl: cfg.publicBaseUrl,
    keys,
    customerId: profile.customerId,
    messageId: request.messageId,
    now: deps.clock(),
    ttlDays: cfg.linkTtlDays,
  };
  const links = messageLinks({ ...signing, unsubscribeDays: cfg.unsubscribeLinkDays });
  // Every recommended item asks for feedback: "useful" / "not for me".
  const recommendations = picked.map((r) => ({ ...r, feedback: feedbackLinks({ ...signing, sku: r.sku }) }));
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
    feedbackNotes: feedbackNotes(profile.feedback, profile.lastMessage?.sentAt),
  });
  try {
    const rendered = await renderMessage(template, vars);
    return {
      ok: true,
      to: profile.email,
      ...rendered,
      templateVersion: template.version,
      // Only a choice among several variants is a bandit arm: single-template journeys count nothing.
      ...(Object.keys(variants).length > 1 ? { variant } : {}),
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
