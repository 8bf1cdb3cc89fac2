/**
 * Customer endpoints behind a Lambda function URL (served on localhost in embedded mode). Every route needs a
 * signed token; a bad token gets the same refusal whatever was wrong with it, and reveals nothing.
 *   GET  /u/{token}               a page with an Unsubscribe button (changes nothing: link scanners fetch GETs)
 *   POST /u/{token}               RFC 8058 one-click unsubscribe: no cookie, no login, no redirect
 *   GET  /why/{token}             why this message was sent: trigger, data used, consent relied on, template
 *   GET  /p/{token}               the preference center (purpose 'preferences', see customer-preferences.ts)
 *   POST /p/{token}/topics        email opt-in and topics        -> 303 to /p/{token}?saved=topics
 *   POST /p/{token}/frequency     normal, fewer, or a pause      -> 303 ?saved=frequency
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
import { invalidLinkPage, page, unsubscribeConfirmPage, unsubscribedPage, whyPage } from '../domain/pages.js';
import { mergeConsent } from '../domain/profile.js';
import { feedbackRoute } from './customer-feedback.js';
import { isSubpath, preferences } from './customer-preferences.js';
import { customerRequest, html, notAllowed, type Result } from './customer-web.js';
import { countOnce } from './outcomes.js';
import { changeProfile } from './profile-writes.js';

type Route = 'u' | 'why' | 'p' | 'f';
const PURPOSES = { u: 'unsubscribe', why: 'why', p: 'preferences', f: 'feedback' } as const;

export const customerHttp = useCase({
  name: 'customer-http',
  needs: ['profiles', 'ledger', 'stats', 'carts', 'products:read', 'linkKeys'],
  input: customerRequest,
  async run(deps, request): Promise<Result> {
    const method = request.requestContext?.http?.method ?? 'GET';
    const path = request.rawPath ?? '';
    const match = /^\/(u|why|p|f)\/([\w.-]{10,4096})(?:\/([a-z]+))?\/?$/.exec(path);
    const [, route, token, sub] = (match ?? []) as unknown as [string, Route, string, string?];
    if (!match || (sub !== undefined && (route !== 'p' || !isSubpath(sub))))
      return html(404, page('Not found', '<p>There is nothing here.</p>'));
    // A token signed with a key id this container has not seen yet (a rotation) refreshes the cached keys.
    const keys = await deps.linkKeys({ refreshFor: token.split('.')[0] });
    const verified = verifyLink(token, PURPOSES[route], keys, deps.clock());
    if (!verified.ok) {
      deps.logger.info('Refused link', { reason: verified.reason, route });
      return html(400, invalidLinkPage());
    }
    // The page's own links and forms carry a token under the current key: a link signed under a key since
    // rotated out of `current` (or in the first token format) still works, and the page it opens outlives that key.
    const own = isCurrentToken(token, keys) ? token : signLink(verified.claims, keys);
    const ownPath = `/${route}/${own}${sub ? `/${sub}` : ''}`;
    if (route === 'p') return preferences(deps, request, method, own, sub, verified.claims);
    if (route === 'f') {
      if (!['GET', 'HEAD', 'POST'].includes(method)) return notAllowed('GET, POST');
      const voted = await feedbackRoute(deps, method, ownPath, verified.claims);
      return html(voted.status, voted.body);
    }
    if (route === 'u') return unsubscribe(deps, method, ownPath, verified.claims);
    return why(deps, method, verified.claims);
  },
});

/** One-click unsubscribe: the GET only asks, the POST opts out (with its evidence) and says so. */
async function unsubscribe(deps: Deps, method: string, path: string, claims: LinkClaims): Promise<Result> {
  const shop = deps.config.sender.shopName;
  if (method === 'GET' || method === 'HEAD') return html(200, unsubscribeConfirmPage(shop, path));
  if (method !== 'POST') return notAllowed('GET, POST');
  const profile = await deps.stores.profiles.get(claims.customerId);
  // Unknown or erased customers get the same answer: nothing to send to, nothing to reveal.
  if (profile) {
    const at = deps.clock().toISOString();
    const optOut = { email: 'opted_out', source: 'one-click-unsubscribe' } as const;
    await changeProfile(deps, profile, (current) => ({
      consent: mergeConsent(current.consent, optOut, at),
      updatedAt: at,
    }));
    // The message it came from loses a reader: counted once per message, however often the link is posted.
    if (claims.messageId) await countOnce(deps, claims.messageId, 'unsubscribed', at, { unsubscribed: 1 });
  }
  return html(200, unsubscribedPage(shop));
}

/** "Why you got this": the message's ledger entry, only to the customer it was for. */
async function why(deps: Deps, method: string, claims: LinkClaims): Promise<Result> {
  if (method !== 'GET' && method !== 'HEAD') return notAllowed('GET');
  const { customerId, messageId } = claims;
  const entry = messageId ? await deps.stores.ledger.get(messageId) : undefined;
  if (!entry || entry.customerId !== customerId)
    return html(404, page('Not found', '<p>We keep no record of this message any more.</p>'));
  return html(200, whyPage(entry, deps.config.sender.shopName));
}
