/**
 * The preference center (`/p/{token}` and its subpaths, see customer-http.ts): the page, its forms (topics,
 * frequency, one detail, undoing an answer), the data export, and erasure (customer-erase.ts). Reading is
 * GET, only POST changes anything, and every change is written under the profile's optimistic lock, so two
 * tabs (or a tab, an email link and a shop event) never overwrite each other's change.
 */
import type { Deps } from '../app/deps.js';
import { type LinkClaims, signLink } from '../domain/links.js';
import type { Profile } from '../domain/model.js';
import {
  eraseConfirmPage,
  erasedPage,
  invalidLinkPage,
  page,
  preferenceCenterPage,
} from '../domain/pages.js';
import {
  buildExport,
  consentFromTopicsForm,
  fieldChangeFromForm,
  fieldChangePatch,
  PreferenceFormError,
  preferencesFromForm,
  timeZoneOptions,
  votesAfterUndoForm,
} from '../domain/preferences.js';
import { mergeConsent } from '../domain/profile.js';
import { erase } from './customer-erase.js';
import {
  CENTER_HTML,
  type CustomerRequest,
  formOf,
  html,
  notAllowed,
  type Result,
  SECURITY,
  sameOrigin,
} from './customer-web.js';
import { changeProfile } from './profile-writes.js';

const SUBPATHS = ['topics', 'frequency', 'field', 'vote', 'export', 'erase'] as const;
type Subpath = (typeof SUBPATHS)[number];
type FormPath = Exclude<Subpath, 'export' | 'erase'>;

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
/** Messages listed on the page, newest first. */
const CENTER_MESSAGES = 20;

export function isSubpath(sub: string): sub is Subpath {
  return (SUBPATHS as readonly string[]).includes(sub);
}

/** A request under `/p/{token}`; `sub` is already one of SUBPATHS (or absent). */
export async function preferences(
  deps: Deps,
  request: CustomerRequest,
  method: string,
  token: string,
  sub: string | undefined,
  claims: LinkClaims,
): Promise<Result> {
  const path = sub as Subpath | undefined;
  const allowed = METHODS[path ?? 'page'];
  if (!allowed.includes(method)) return notAllowed(allowed.filter((m) => m !== 'HEAD').join(', '));
  const read = method !== 'POST';
  if (!read && !sameOrigin(request, deps.config.publicBaseUrl)) {
    deps.logger.info('Refused cross-origin form post', { sub });
    return html(403, page('Not allowed', '<p>This form can only be sent from its own page.</p>'));
  }
  const profile = await deps.stores.profiles.get(claims.customerId);
  // Erased or unknown: exactly the refusal a bad token gets, so a link reveals nothing once the data is gone.
  if (!profile) return html(400, invalidLinkPage());
  const base = `/p/${token}`;
  const shop = deps.config.sender.shopName;
  const at = deps.clock();

  if (path === undefined) {
    const saved = new URLSearchParams(request.rawQueryString ?? '').get('saved') ?? undefined;
    return center(deps, 200, base, profile, saved ? { saved } : {});
  }
  if (path === 'export') return exportData(deps, profile, at);
  if (path === 'erase') {
    if (read) return html(200, eraseConfirmPage(shop, base), CENTER_HTML);
    if (formOf(request)?.get('confirm') !== 'yes')
      return html(400, eraseConfirmPage(shop, base, 'Tick the box to confirm.'), CENTER_HTML);
    // Answered directly, not redirected: once erased, the token has no page left to show but the refusal.
    return html(200, erasedPage(shop, await erase(deps, profile, at)));
  }

  const form = formOf(request);
  if (!form) return html(413, page('Too large', '<p>That form was too large.</p>'));
  try {
    const saved = await applyForm(deps, path, form, profile, at);
    // The customer can be erased between the read and the write: the page then refuses like a bad link.
    if (!saved) return html(400, invalidLinkPage());
  } catch (error) {
    if (!(error instanceof PreferenceFormError)) throw error;
    return center(deps, 400, base, profile, { error: error.message });
  }
  // POST-redirect-GET: a reload does not post again (only one-click unsubscribe must answer without redirect).
  return { statusCode: 303, headers: { ...SECURITY, location: `${base}?saved=${path}` }, body: '' };
}

/**
 * Applies one form; returns false when the profile vanished meanwhile. Consent changes keep evidence. Every
 * change is computed from the profile as read and written under its optimistic lock (changeProfile): consent
 * and votes are a map and a list, and a concurrent vote, opt-out or shop event must be kept, not overwritten.
 */
async function applyForm(
  deps: Deps,
  path: FormPath,
  form: URLSearchParams,
  profile: Profile,
  at: Date,
): Promise<boolean> {
  const iso = at.toISOString();
  if (path === 'topics') {
    const given = consentFromTopicsForm(form);
    return changeProfile(deps, profile, (current) => ({
      consent: mergeConsent(current.consent, given, iso),
      updatedAt: iso,
    }));
  }
  if (path === 'frequency') {
    const preferences = preferencesFromForm(form, at);
    return changeProfile(deps, profile, () => ({ preferences, updatedAt: iso }));
  }
  if (path === 'vote') {
    return changeProfile(deps, profile, (current) => ({
      feedback: votesAfterUndoForm(form, current.feedback ?? []),
      updatedAt: iso,
    }));
  }
  return changeProfile(deps, profile, (current) =>
    fieldChangePatch(fieldChangeFromForm(form, current, iso), current, iso),
  );
}

async function center(
  deps: Deps,
  status: number,
  base: string,
  profile: Profile,
  extra: { saved?: string; error?: string },
): Promise<Result> {
  const cfg = deps.config;
  const keys = await deps.linkKeys();
  const at = deps.clock();
  const exp = Math.floor(at.getTime() / 1000) + cfg.linkTtlDays * 86_400;
  const entries = await deps.stores.ledger.byCustomer(profile.customerId, CENTER_MESSAGES);
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

async function exportData(deps: Deps, profile: Profile, at: Date): Promise<Result> {
  const [carts, messages] = await Promise.all([
    deps.stores.carts.allOf(profile.customerId),
    deps.stores.ledger.allByCustomer(profile.customerId),
  ]);
  const data = buildExport({
    profile,
    carts,
    messages,
    exportedAt: at,
    shopName: deps.config.sender.shopName,
  });
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
