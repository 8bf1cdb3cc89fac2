/**
 * Workflow step 1: load the profile, the journey's published template and the data the message is about,
 * re-check that the trigger still holds (a cart still abandoned, a customer still away), pick
 * recommendations and render subject, HTML and text.
 */

import type { Deps } from '../app/deps.js';
import { useCase } from '../app/lambda.js';
import { chooseVariant, DEFAULT_VARIANT } from '../domain/bandit.js';
import { resolveBrand } from '../domain/brand.js';
import type { EngineConfig } from '../domain/config.js';
import { feedbackNotes } from '../domain/feedback.js';
import { categoryName, reasonWords } from '../domain/i18n/reasons.js';
import { codeTerms } from '../domain/incentives.js';
import { feedbackLinks, messageLinks } from '../domain/links.js';
import { formatInstant, type ResolvedLocale, resolveLocale } from '../domain/locale.js';
import type { Cart, IssuedCode, MessageRequest, Personalized, Profile } from '../domain/model.js';
import {
  type IncentiveView,
  renderedLanguage,
  renderMessage,
  TemplateRenderError,
  templateVariables,
} from '../domain/render.js';
import { messageRequestSchema } from '../domain/requests.js';
import { resolveTimeZone } from '../domain/time.js';
import { cartReminderCheck, winbackCheck } from '../domain/triggers.js';
import { claimIncentive } from './incentive.js';
import { publishedVariants, recommendationsFor, variantStats } from './personalize-data.js';

export const personalize = useCase({
  name: 'personalize',
  needs: [
    'profiles:read',
    'carts:read',
    'templates:read',
    'products:read',
    'reputation:read',
    'linkKeys',
    'codes',
    'peers:read',
  ],
  input: messageRequestSchema,
  run: (deps, input) => personalizeMessage(deps, input as MessageRequest),
});

/** Renders exactly what would be sent for this request: the studio calls this too, with its own Deps. */
export async function personalizeMessage(deps: Deps, request: MessageRequest): Promise<Personalized> {
  const { profiles, carts } = deps.stores;
  const cfg = deps.config;
  const suggests = cfg.recommendations > 0 && request.journey !== 'birthday';
  // "Shoppers like you" live beside the profile (one small read, at the same time).
  const [stored, peerPicks] = await Promise.all([
    profiles.get(request.customerId),
    suggests && cfg.recommendationWeights?.peers !== 0
      ? deps.stores.peers.peerPicksOf(request.customerId)
      : undefined,
  ]);
  if (!stored) return { ok: false, reason: 'profile_missing', record: true };
  const profile = peerPicks ? { ...stored, peerPicks } : stored;

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
  // A birthday is a gift, not a sales pitch: it carries no product suggestions.
  const held = [...(order?.items ?? []), ...(cart?.items ?? [])];
  const picked = suggests
    ? await recommendationsFor(
        deps,
        profile,
        held.map((i) => i.sku),
        cfg.recommendations,
        // A cart reminder is about the cart; a thank-you and a win-back may offer the customer's usuals.
        request.journey === 'cart_reminder' ? 0 : cfg.recommendations,
        {
          reorders: cfg.reorders,
          ...(cfg.recommendationWeights ? { weights: cfg.recommendationWeights } : {}),
        },
      )
    : [];

  // The text's language: the customer's when the template has it, else the shop's default; formats follow
  // the customer's own tag only when the text is in their language.
  const wanted = resolveLocale(profile.locale, cfg.defaultLocale);
  const language = renderedLanguage(template, wanted.language, cfg.defaultLocale);
  const locale = language === wanted.language ? wanted : { language, tag: language };
  const tracking = trackingOf(profile, cfg);

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
  // Every recommended item asks for feedback ("useful" / "not for me") and says, in words, why it is there.
  const recommendations = picked.map(({ score: _score, because: _en, rhythm, ...r }) => ({
    ...r,
    ...(r.category ? { categoryName: categoryName(r.category) } : {}),
    buyAgain: r.reason === 'buy_again',
    because: reasonWords(r.reason, language, r.category, rhythm),
    feedback: feedbackLinks({ ...signing, sku: r.sku }),
  }));
  const issued = await claimIncentive(deps, request, profile);
  const brand = resolveBrand(cfg);
  const vars = templateVariables({
    journey: request.journey,
    profile,
    brand,
    currency: cfg.sender.currency,
    locale,
    ...(cart ? { cart } : {}),
    ...(order
      ? {
          order: {
            orderId: order.orderId,
            items: order.items,
            total: order.total,
            currency: order.currency,
            ...(order.orderUrl ? { orderUrl: order.orderUrl } : {}),
          },
        }
      : {}),
    recommendations,
    ...(issued ? { incentive: incentiveView(issued, locale, profile, cfg.defaultTimeZone) } : {}),
    links,
    feedbackNotes: feedbackNotes(profile.feedback, profile.lastMessage?.sentAt, language),
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
      reasons: recommendations.map((r) => r.reason),
      locale: locale.tag,
      tracking,
      ...(issued ? { code: issued.code } : {}),
      unsubscribeUrl: links.unsubscribe,
    };
  } catch (error) {
    if (error instanceof TemplateRenderError) {
      return { ok: false, reason: 'render_failed', record: true, detail: error.message };
    }
    throw error;
  }
}

/** Tracking for this customer's email: off when they turned it off, else the shop's default. */
export function trackingOf(profile: Profile, cfg: EngineConfig): boolean {
  if (profile.preferences?.tracking === false) return false;
  return cfg.tracking.opens || cfg.tracking.clicks;
}

function incentiveView(
  issued: IssuedCode,
  locale: ResolvedLocale,
  profile: Profile,
  defaultTimeZone: string,
): IncentiveView {
  const timeZone = resolveTimeZone(profile.timeZone, defaultTimeZone);
  return {
    code: issued.code,
    kind: issued.kind,
    terms: codeTerms(issued, locale.language, locale.tag, timeZone),
    expires: formatInstant(issued.expiresAt, locale.tag, timeZone, 'date'),
  };
}
