/**
 * Customer endpoints behind a Lambda function URL (served on localhost in embedded mode). Every route needs a
 * signed token; a bad token gets the same refusal whatever was wrong with it, and reveals nothing.
 *   GET  /u/{token}               a page with an Unsubscribe button (changes nothing: link scanners fetch GETs)
 *   POST /u/{token}               RFC 8058 one-click unsubscribe: no cookie, no login, no redirect
 *   GET  /why/{token}             why this message was sent: trigger, data used, consent relied on, template
 *   GET  /p/{token}               the preference center (purpose 'preferences')
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
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { now } from '../adapters/clock.js';
import { messageIdFor, triggerKeys } from '../domain/ids.js';
import { type LinkClaims, signLink, verifyLink } from '../domain/links.js';
import type { Profile } from '../domain/model.js';
import type { ErasureSummary } from '../domain/pages/erase.js';
import {
  eraseConfirmPage,
  erasedPage,
  invalidLinkPage,
  page,
  preferenceCenterPage,
  unsubscribeConfirmPage,
  unsubscribedPage,
  whyPage,
} from '../domain/pages.js';
import {
  buildExport,
  consentFromTopicsForm,
  fieldChangeFromForm,
  PREFERENCE_CENTER_EVIDENCE,
  PreferenceFormError,
  preferencesFromForm,
  timeZoneOptions,
  votesAfterUndoForm,
} from '../domain/preferences.js';
import { mergeConsent } from '../domain/profile.js';
import { feedbackRoute } from './customer-feedback.js';
import { config, db, linkKeys, logger } from './deps.js';

type Result = APIGatewayProxyStructuredResultV2;

const SECURITY = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  // Inline styles and same-origin forms only; no framing, so the erase button cannot be clickjacked.
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
};
const HTML = { ...SECURITY, 'content-type': 'text/html; charset=utf-8', 'referrer-policy': 'no-referrer' };
// Preference pages post forms to themselves: with 'no-referrer' browsers would send `Origin: null` on those
// POSTs, hiding the origin the CSRF check needs. 'same-origin' still sends nothing to other sites.
const CENTER_HTML = { ...HTML, 'referrer-policy': 'same-origin' };
const MAX_FORM_BYTES = 64 * 1024;
const ERASE_CONCURRENCY = 10;
const SUBPATHS = ['topics', 'frequency', 'field', 'vote', 'export', 'erase'] as const;
type Subpath = (typeof SUBPATHS)[number];
/** Methods each preference path accepts: reading is GET (or HEAD), and only POST changes anything. */
const METHODS: Record<Subpath | 'page', readonly string[]> = {
  page: ['GET', 'HEAD'],
  topics: ['POST'],
  frequency: ['POST'],
  field: ['POST'],
  vote: ['POST'],
  export: ['GET', 'HEAD'],
  erase: ['GET', 'HEAD', 'POST'],
};

function html(statusCode: number, body: string, headers: Record<string, string> = HTML): Result {
  return { statusCode, headers, body };
}
const notAllowed = (allow: string): Result => ({
  ...html(405, page('Not allowed', '<p>This address does not accept that request.</p>')),
  headers: { ...HTML, allow },
});

export async function handler(event: APIGatewayProxyEventV2): Promise<Result> {
  const method = event.requestContext?.http?.method ?? 'GET';
  const match = /^\/(u|why|p|f)\/([\w.-]{10,4096})(?:\/([a-z]+))?\/?$/.exec(event.rawPath ?? '');
  const [, route, token, sub] = (match ?? []) as unknown as [
    string,
    'u' | 'why' | 'p' | 'f',
    string,
    string?,
  ];
  if (!match || (sub !== undefined && (route !== 'p' || !(SUBPATHS as readonly string[]).includes(sub))))
    return html(404, page('Not found', '<p>There is nothing here.</p>'));
  const purpose = ({ u: 'unsubscribe', why: 'why', p: 'preferences', f: 'feedback' } as const)[route];
  // A token signed with a key id this container has not seen yet (a rotation) refreshes the cached keys.
  const verified = verifyLink(token, purpose, await linkKeys({ refreshFor: token.split('.')[0] }), now());
  if (!verified.ok) {
    logger.info('Refused link', { reason: verified.reason, route });
    return html(400, invalidLinkPage());
  }
  if (route === 'p') return preferences(event, method, token, sub as Subpath | undefined, verified.claims);
  if (route === 'f') {
    if (!['GET', 'HEAD', 'POST'].includes(method)) return notAllowed('GET, POST');
    const voted = await feedbackRoute(method, event.rawPath, verified.claims);
    return html(voted.status, voted.body);
  }
  const { customerId, messageId } = verified.claims;
  const shop = config().sender.shopName;

  if (route === 'u') {
    if (method === 'GET' || method === 'HEAD') return html(200, unsubscribeConfirmPage(shop, event.rawPath));
    if (method !== 'POST') return notAllowed('GET, POST');
    const profile = await db().profiles.get(customerId);
    // Unknown or erased customers get the same answer: nothing to send to, nothing to reveal.
    if (profile) {
      const at = now().toISOString();
      await db().profiles.patchExisting(customerId, {
        consent: mergeConsent(profile.consent, { email: 'opted_out', source: 'one-click-unsubscribe' }, at),
        updatedAt: at,
      });
    }
    return html(200, unsubscribedPage(shop));
  }

  if (method !== 'GET' && method !== 'HEAD') return notAllowed('GET');
  const entry = messageId ? await db().ledger.get(messageId) : undefined;
  if (!entry || entry.customerId !== customerId)
    return html(404, page('Not found', '<p>We keep no record of this message any more.</p>'));
  return html(200, whyPage(entry, shop));
}

async function preferences(
  event: APIGatewayProxyEventV2,
  method: string,
  token: string,
  sub: Subpath | undefined,
  claims: LinkClaims,
): Promise<Result> {
  const allowed = METHODS[sub ?? 'page'];
  if (!allowed.includes(method)) return notAllowed(allowed.filter((m) => m !== 'HEAD').join(', '));
  const read = method !== 'POST';
  if (!read && !sameOrigin(event)) {
    logger.info('Refused cross-origin form post', { sub });
    return html(403, page('Not allowed', '<p>This form can only be sent from its own page.</p>'));
  }
  const { customerId } = claims;
  const profile = await db().profiles.get(customerId);
  // Erased or unknown: exactly the refusal a bad token gets, so a link reveals nothing once the data is gone.
  if (!profile) return html(400, invalidLinkPage());
  const base = `/p/${token}`;
  const shop = config().sender.shopName;
  const at = now();

  if (sub === undefined) {
    const saved = new URLSearchParams(event.rawQueryString ?? '').get('saved') ?? undefined;
    return center(200, base, profile, saved ? { saved } : {});
  }
  if (sub === 'export') return exportData(profile, at);
  if (sub === 'erase') {
    if (read) return html(200, eraseConfirmPage(shop, base), CENTER_HTML);
    if (formOf(event)?.get('confirm') !== 'yes')
      return html(400, eraseConfirmPage(shop, base, 'Tick the box to confirm.'), CENTER_HTML);
    // Answered directly, not redirected: once erased, the token has no page left to show but the refusal.
    return html(200, erasedPage(shop, await erase(profile, at.toISOString())));
  }

  const form = formOf(event);
  if (!form) return html(413, page('Too large', '<p>That form was too large.</p>'));
  try {
    const saved = await applyForm(sub, form, profile, at);
    // The customer can be erased between the read and the write: the page then refuses like a bad link.
    if (!saved) return html(400, invalidLinkPage());
  } catch (error) {
    if (!(error instanceof PreferenceFormError)) throw error;
    return center(400, base, profile, { error: error.message });
  }
  // POST-redirect-GET: a reload does not post again (only one-click unsubscribe must answer without redirect).
  return { statusCode: 303, headers: { ...SECURITY, location: `${base}?saved=${sub}` }, body: '' };
}

/** Applies one form; returns false when the profile vanished meanwhile. Consent changes keep evidence. */
async function applyForm(sub: Subpath, form: URLSearchParams, profile: Profile, at: Date): Promise<boolean> {
  const { profiles } = db();
  const iso = at.toISOString();
  if (sub === 'topics') {
    const consent = mergeConsent(profile.consent, consentFromTopicsForm(form), iso);
    return profiles.patchExisting(profile.customerId, { consent, updatedAt: iso });
  }
  if (sub === 'frequency') {
    return profiles.patchExisting(profile.customerId, {
      preferences: preferencesFromForm(form, at),
      updatedAt: iso,
    });
  }
  if (sub === 'vote') {
    const feedback = votesAfterUndoForm(form, profile.feedback ?? []);
    return profiles.patchExisting(profile.customerId, { feedback, updatedAt: iso });
  }
  const change = fieldChangeFromForm(form, profile, iso);
  if (change.kind === 'removeAttribute') return profiles.removeAttribute(profile.customerId, change.key, iso);
  return profiles.patchExisting(profile.customerId, change.patch);
}

async function center(
  status: number,
  base: string,
  profile: Profile,
  extra: { saved?: string; error?: string },
): Promise<Result> {
  const cfg = config();
  const keys = await linkKeys();
  const at = now();
  const exp = Math.floor(at.getTime() / 1000) + cfg.linkTtlDays * 86_400;
  const entries = await db().ledger.byCustomer(profile.customerId, 20);
  // Fresh 'why' tokens: the page links each message to its explanation without reusing the preferences token.
  const messages = entries.map((entry) => ({
    entry,
    whyHref: `/why/${signLink({ purpose: 'why', customerId: profile.customerId, messageId: entry.messageId, exp }, keys)}`,
  }));
  const body = preferenceCenterPage({
    shopName: cfg.sender.shopName,
    base,
    profile,
    caps: cfg.caps,
    messages,
    timeZones: timeZoneOptions(),
    now: at,
    ...extra,
  });
  return html(status, body, CENTER_HTML);
}

async function exportData(profile: Profile, at: Date): Promise<Result> {
  const [carts, messages] = await Promise.all([
    db().carts.allOf(profile.customerId),
    db().ledger.allByCustomer(profile.customerId),
  ]);
  const data = buildExport({ profile, carts, messages, exportedAt: at, shopName: config().sender.shopName });
  return {
    statusCode: 200,
    headers: {
      ...SECURITY,
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': 'attachment; filename="your-data.json"',
      'referrer-policy': 'no-referrer',
    },
    body: JSON.stringify(data, null, 2),
  };
}

/**
 * Erasure, in an order that stops email first and deletes the profile last (so a failure half-way can be
 * retried from the same link): opt out; close each open cart's pending reminder with an anonymous tombstone;
 * anonymize every ledger entry (closing deferred and throttled ones); delete carts; delete the profile; then
 * anonymize again any entry a run already in flight wrote meanwhile.
 */
async function erase(profile: Profile, at: string): Promise<ErasureSummary> {
  const { profiles, carts, ledger } = db();
  const { customerId } = profile;
  const consent = mergeConsent(profile.consent, { email: 'opted_out', ...PREFERENCE_CENTER_EVIDENCE }, at);
  await profiles.patchExisting(customerId, { consent, updatedAt: at });
  const owned = await carts.allOf(customerId);
  for (const cart of owned.filter((c) => c.status === 'open'))
    await ledger.tombstone(messageIdFor(triggerKeys.cartReminder(cart.cartId)), 'cart_reminder', at);
  let messages = await anonymizeAll(customerId, at);
  let deletedCarts = 0;
  for (const cart of owned) if (await carts.deleteOf(cart.cartId, customerId)) deletedCarts++;
  const deleted = await profiles.delete(customerId);
  messages += await anonymizeAll(customerId, at);
  logger.info('Erased customer data', { carts: deletedCarts, messages });
  return { profile: deleted, carts: deletedCarts, messages };
}

async function anonymizeAll(customerId: string, at: string): Promise<number> {
  const entries = await db().ledger.allByCustomer(customerId);
  let done = 0;
  for (let i = 0; i < entries.length; i += ERASE_CONCURRENCY) {
    const batch = entries.slice(i, i + ERASE_CONCURRENCY);
    const results = await Promise.all(batch.map((e) => db().ledger.anonymize(customerId, e.messageId, at)));
    done += results.filter(Boolean).length;
  }
  return done;
}

/** The form body (URL-encoded, base64 when the function URL says so), or undefined when too large. */
function formOf(event: APIGatewayProxyEventV2): URLSearchParams | undefined {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text) > MAX_FORM_BYTES) return undefined;
  return new URLSearchParams(text);
}

/**
 * CSRF defence in depth (the signed token is the credential): a POST whose Origin or Referer names another
 * host than this endpoint (or its public base URL) is refused. Absent headers, and the opaque `Origin: null`
 * that privacy settings produce, are let through: the token alone must already be known to post.
 */
function sameOrigin(event: APIGatewayProxyEventV2): boolean {
  const headers = event.headers ?? {};
  const allowed = new Set([headers.host, hostOf(config().publicBaseUrl)].filter(Boolean));
  for (const name of ['origin', 'referer']) {
    const value = headers[name];
    if (!value || value === 'null') continue;
    const host = hostOf(value);
    if (!host || !allowed.has(host)) return false;
  }
  return true;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}
