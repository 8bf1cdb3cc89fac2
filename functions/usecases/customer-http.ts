/**
 * Customer endpoints behind a Lambda function URL (served on localhost in embedded mode). Every route but the
 * public "where your data goes" page needs a signed token; a bad token gets the same refusal whatever was
 * wrong with it, and reveals nothing. Every page is in the customer's language and time zone.
 *   GET  /privacy                 where the data goes (public, no customer data; `?lang=` or Accept-Language)
 *   GET  /u/{token}               a page with an Unsubscribe button (changes nothing: link scanners fetch GETs)
 *   POST /u/{token}               RFC 8058 one-click unsubscribe: no cookie, no login, no redirect
 *   POST /u/{token}/undo          from the unsubscribed page: opted in again, with its own evidence
 *   GET  /why/{token}             why this message was sent: trigger, suggestions, timing, tracking, consent
 *   GET  /p/{token}               the preference center (purpose 'preferences', see customer-preferences.ts)
 *   POST /p/{token}/topics        email opt-in and topics        -> 303 to /p/{token}?saved=topics
 *   POST /p/{token}/frequency     normal, fewer, or a pause      -> 303 ?saved=frequency
 *   POST /p/{token}/tracking      open and click tracking on/off -> 303 ?saved=tracking
 *   POST /p/{token}/field         edit or delete one detail      -> 303 ?saved=field
 *   POST /p/{token}/vote          undo one answer (kind, id)     -> 303 ?saved=vote
 *   GET  /p/{token}/export        all their data as a JSON attachment
 *   GET  /p/{token}/erase         a confirmation page (changes nothing)
 *   POST /p/{token}/erase         with confirm=yes: erase everything, then a page that says so
 *   GET  /f/{token}               "useful" / "not for me" on a recommended item: a confirmation page
 *   POST /f/{token}               records the vote (see customer-feedback.ts)
 * The token in the path is the only credential, and it names the customer: no form field can name another.
 */
import type { Deps } from '../app/deps.js';
import { useCase } from '../app/lambda.js';
import { isCurrentToken, type LinkClaims, signLink, verifyLink } from '../domain/links.js';
import {
  DATA_USE_PATH,
  dataUsePage,
  invalidLinkPage,
  resubscribedPage,
  simplePage,
  unsubscribeConfirmPage,
  unsubscribedPage,
  whyPage,
} from '../domain/pages.js';
import { consentAfterUndo, ONE_CLICK_UNSUBSCRIBE, PreferenceFormError } from '../domain/preferences.js';
import { mergeConsent } from '../domain/profile.js';
import { feedbackRoute } from './customer-feedback.js';
import { isSubpath, preferences } from './customer-preferences.js';
import {
  CENTER_HTML,
  type CustomerRequest,
  contextOf,
  customerRequest,
  dataUseView,
  html,
  notAllowed,
  preferencesHref,
  type Result,
  sameOrigin,
} from './customer-web.js';
import { countOnce } from './outcomes.js';
import { changeProfile } from './profile-writes.js';

type Route = 'u' | 'why' | 'p' | 'f';
const PURPOSES = { u: 'unsubscribe', why: 'why', p: 'preferences', f: 'feedback' } as const;

export const customerHttp = useCase({
  name: 'customer-http',
  needs: ['profiles', 'ledger', 'stats', 'carts', 'products:read', 'linkKeys', 'peers'],
  input: customerRequest,
  async run(deps, request): Promise<Result> {
    const method = request.requestContext?.http?.method ?? 'GET';
    const path = request.rawPath ?? '';
    if (path === DATA_USE_PATH || path === `${DATA_USE_PATH}/`) return dataUse(deps, request, method);
    const match = /^\/(u|why|p|f)\/([\w.-]{10,4096})(?:\/([a-z]+))?\/?$/.exec(path);
    const [, route, token, sub] = (match ?? []) as unknown as [string, Route, string, string?];
    const subAllowed =
      sub === undefined || (route === 'p' && isSubpath(sub)) || (route === 'u' && sub === 'undo');
    if (!match || !subAllowed) {
      const ctx = contextOf(deps, request);
      return html(404, simplePage(ctx, ctx.t.frame.notFoundTitle, ctx.t.frame.notFound));
    }
    // A token signed with a key id this container has not seen yet (a rotation) refreshes the cached keys.
    const keys = await deps.linkKeys({ refreshFor: token.split('.')[0] });
    const verified = verifyLink(token, PURPOSES[route], keys, deps.clock());
    if (!verified.ok) {
      deps.logger.info('Refused link', { reason: verified.reason, route });
      return html(400, invalidLinkPage(contextOf(deps, request)));
    }
    // The page's own links and forms carry a token under the current key: a link signed under a key since
    // rotated out of `current` (or in the first token format) still works, and the page it opens outlives that key.
    const own = isCurrentToken(token, keys) ? token : signLink(verified.claims, keys);
    if (route === 'p') return preferences(deps, request, method, own, sub, verified.claims);
    if (route === 'f') return feedbackRoute(deps, request, method, `/f/${own}`, verified.claims);
    if (route === 'u') return unsubscribe(deps, request, method, `/u/${own}`, sub, verified.claims);
    return why(deps, request, method, verified.claims);
  },
});

/**
 * One-click unsubscribe: the GET only asks, the POST opts out (with its evidence) and says so, offering the
 * undo (a POST to `<path>/undo` under the same token) and the preference center.
 */
async function unsubscribe(
  deps: Deps,
  request: CustomerRequest,
  method: string,
  path: string,
  sub: string | undefined,
  claims: LinkClaims,
): Promise<Result> {
  const profile = await deps.stores.profiles.get(claims.customerId);
  const prefs = profile ? preferencesHref(deps, await deps.linkKeys(), profile.customerId) : undefined;
  const ctx = contextOf(deps, request, profile, prefs);
  if (sub === 'undo') return undo(deps, request, method, claims, ctx);
  if (method === 'GET' || method === 'HEAD') return html(200, unsubscribeConfirmPage(ctx, path));
  if (method !== 'POST') return notAllowed(ctx, 'GET, POST');
  // Unknown or erased customers get the same answer: nothing to send to, nothing to reveal.
  if (profile) {
    const at = deps.clock().toISOString();
    await changeProfile(deps, profile, (current) => ({
      consent: mergeConsent(current.consent, ONE_CLICK_UNSUBSCRIBE, at),
      updatedAt: at,
    }));
    // The message it came from loses a reader: counted once per message, however often the link is posted.
    if (claims.messageId) await countOnce(deps, claims.messageId, 'unsubscribed', at, { unsubscribed: 1 });
  }
  // 'same-origin' referrers, so the undo form's POST carries the Origin its check needs.
  return html(200, unsubscribedPage(ctx, profile ? `${path}/undo` : undefined), CENTER_HTML);
}

/** "Undo" on the unsubscribed page: the one-click opt-out reversed, recorded like every consent change. */
async function undo(
  deps: Deps,
  request: CustomerRequest,
  method: string,
  claims: LinkClaims,
  ctx: ReturnType<typeof contextOf>,
): Promise<Result> {
  if (method !== 'POST') return notAllowed(ctx, 'POST');
  if (!sameOrigin(request, deps.config.publicBaseUrl)) {
    deps.logger.info('Refused cross-origin form post', { sub: 'undo' });
    return html(403, simplePage(ctx, ctx.t.frame.notAllowedTitle, ctx.t.frame.crossOrigin));
  }
  const profile = await deps.stores.profiles.get(claims.customerId);
  if (!profile) return html(400, invalidLinkPage(ctx));
  const at = deps.clock().toISOString();
  try {
    const saved = await changeProfile(deps, profile, (current) => {
      const given = consentAfterUndo(current.consent);
      return given ? { consent: mergeConsent(current.consent, given, at), updatedAt: at } : {};
    });
    if (!saved) return html(400, invalidLinkPage(ctx));
  } catch (error) {
    if (!(error instanceof PreferenceFormError)) throw error;
    return html(409, resubscribedPage(ctx, ctx.t.formErrors[error.code]), CENTER_HTML);
  }
  return html(200, resubscribedPage(ctx), CENTER_HTML);
}

/** "Why you got this": the message's ledger entry, only to the customer it was for, in their words. */
async function why(
  deps: Deps,
  request: CustomerRequest,
  method: string,
  claims: LinkClaims,
): Promise<Result> {
  const { customerId, messageId } = claims;
  const [entry, profile] = await Promise.all([
    messageId ? deps.stores.ledger.get(messageId) : undefined,
    deps.stores.profiles.get(customerId),
  ]);
  if (!entry || entry.customerId !== customerId) {
    const ctx = contextOf(deps, request, profile);
    return html(404, simplePage(ctx, ctx.t.frame.notFoundTitle, ctx.t.frame.noRecord));
  }
  const prefs = profile ? preferencesHref(deps, await deps.linkKeys(), customerId) : undefined;
  // Without a profile (it can go while its entries stay, e.g. mid-erasure) the email's own language is used.
  const ctx = contextOf(deps, request, profile ?? { locale: entry.locale }, prefs);
  if (method !== 'GET' && method !== 'HEAD') return notAllowed(ctx, 'GET');
  const skus = entry.recommendations ?? [];
  const products = skus.length ? await deps.stores.products.getMany(skus) : [];
  const { config } = deps;
  const body = whyPage(ctx, {
    entry,
    products: Object.fromEntries(products.map((p) => [p.sku, { name: p.name, category: p.category }])),
    settings: {
      quietHours: config.quietHours,
      cartDelayMinutes: config.cartDelayMinutes,
      tracking: config.tracking,
    },
    trackingHref: prefs ? `${prefs}?show=where#where` : undefined,
  });
  return html(200, body);
}

/** The public "where your data goes" page: the shop's settings, nobody's data, so no token. */
async function dataUse(deps: Deps, request: CustomerRequest, method: string): Promise<Result> {
  const ctx = contextOf(deps, request);
  if (method !== 'GET' && method !== 'HEAD') return notAllowed(ctx, 'GET');
  return html(200, dataUsePage(ctx, await dataUseView(deps)));
}
