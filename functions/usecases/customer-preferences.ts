/**
 * The preference center (`/p/{token}` and its subpaths, see customer-http.ts): the page, its forms (topics,
 * frequency, tracking, one detail, undoing an answer), the data export, and erasure (customer-erase.ts), in
 * the customer's language and time zone. Reading is
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
  type PageContext,
  preferenceCenterPage,
  simplePage,
} from '../domain/pages.js';
import {
  buildExport,
  consentFromTopicsForm,
  fieldChangeFromForm,
  fieldChangePatch,
  PreferenceFormError,
  preferencesFromForm,
  timeZoneOptions,
  trackingFromForm,
  votesAfterUndoForm,
} from '../domain/preferences.js';
import { mergeConsent } from '../domain/profile.js';
import { erase } from './customer-erase.js';
import {
  CENTER_HTML,
  type CustomerRequest,
  contextOf,
  dataUseView,
  formOf,
  html,
  notAllowed,
  type Result,
  SECURITY,
  sameOrigin,
} from './customer-web.js';
import { changeProfile } from './profile-writes.js';

const SUBPATHS = ['topics', 'frequency', 'tracking', 'field', 'vote', 'export', 'erase'] as const;
type Subpath = (typeof SUBPATHS)[number];
type FormPath = Exclude<Subpath, 'export' | 'erase'>;

/** Methods each preference path accepts: reading is GET (or HEAD), and only POST changes anything. */
const METHODS: Record<Subpath | 'page', readonly string[]> = {
  page: ['GET', 'HEAD'],
  topics: ['POST'],
  frequency: ['POST'],
  tracking: ['POST'],
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
  const read = method !== 'POST';
  // Read before any refusal: every answer is in the customer's language, a refusal included.
  const profile = allowed.includes(method) ? await deps.stores.profiles.get(claims.customerId) : undefined;
  const base = `/p/${token}`;
  const ctx = contextOf(deps, request, profile, profile ? base : undefined);
  if (!allowed.includes(method)) return notAllowed(ctx, allowed.filter((m) => m !== 'HEAD').join(', '));
  if (!read && !sameOrigin(request, deps.config.publicBaseUrl)) {
    deps.logger.info('Refused cross-origin form post', { sub });
    return html(403, simplePage(ctx, ctx.t.frame.notAllowedTitle, ctx.t.frame.crossOrigin));
  }
  // Erased or unknown: exactly the refusal a bad token gets, so a link reveals nothing once the data is gone.
  if (!profile) return html(400, invalidLinkPage(ctx));
  const at = deps.clock();

  if (path === undefined) {
    const query = new URLSearchParams(request.rawQueryString ?? '');
    return center(deps, ctx, 200, base, profile, {
      saved: query.get('saved') ?? undefined,
      show: query.get('show') ?? undefined,
    });
  }
  if (path === 'export') return exportData(deps, profile, at);
  if (path === 'erase') {
    if (read) return html(200, eraseConfirmPage(ctx, base), CENTER_HTML);
    if (formOf(request)?.get('confirm') !== 'yes')
      return html(400, eraseConfirmPage(ctx, base, ctx.t.erase.tickBox), CENTER_HTML);
    // Answered directly, not redirected: once erased, the token has no page left to show but the refusal.
    const summary = await erase(deps, profile, at);
    return html(200, erasedPage(contextOf(deps, request, profile), summary));
  }

  const form = formOf(request);
  if (!form) return html(413, simplePage(ctx, ctx.t.frame.tooLargeTitle, ctx.t.frame.tooLarge));
  try {
    const saved = await applyForm(deps, path, form, profile, at);
    // The customer can be erased between the read and the write: the page then refuses like a bad link.
    if (!saved) return html(400, invalidLinkPage(ctx));
  } catch (error) {
    if (!(error instanceof PreferenceFormError)) throw error;
    return center(deps, ctx, 400, base, profile, { error: ctx.t.formErrors[error.code], errorIn: path });
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
  // The frequency and tracking forms each keep what the other one chose (one stored value).
  if (path === 'frequency') {
    return changeProfile(deps, profile, (current) => ({
      preferences: preferencesFromForm(form, at, current.preferences),
      updatedAt: iso,
    }));
  }
  if (path === 'tracking') {
    return changeProfile(deps, profile, (current) => ({
      preferences: trackingFromForm(form, at, current.preferences),
      updatedAt: iso,
    }));
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
  ctx: PageContext,
  status: number,
  base: string,
  stored: Profile,
  extra: { saved?: string | undefined; show?: string | undefined; error?: string; errorIn?: string },
): Promise<Result> {
  const cfg = deps.config;
  // "What we know about you" includes the picks kept beside the profile.
  const [keys, peerPicks] = await Promise.all([
    deps.linkKeys(),
    deps.stores.peers.peerPicksOf(stored.customerId),
  ]);
  const profile: Profile = peerPicks ? { ...stored, peerPicks } : stored;
  const at = deps.clock();
  const exp = Math.floor(at.getTime() / 1000) + cfg.linkTtlDays * 86_400;
  // Items the page names: purchases, "shoppers like you" picks and votes stored without a label (it shows names, never skus).
  const skus = [
    ...(profile.recentPurchases ?? []),
    ...Object.keys(profile.purchaseHistory?.items ?? {}),
    ...(profile.peerPicks?.items ?? []).map(([sku]) => sku),
    ...(profile.feedback ?? [])
      .filter((v) => v.target.kind === 'sku' && !v.target.label)
      .map((v) => v.target.id),
  ];
  const [entries, products, dataUse] = await Promise.all([
    deps.stores.ledger.byCustomer(profile.customerId, CENTER_MESSAGES),
    skus.length ? deps.stores.products.getMany(skus) : [],
    dataUseView(deps),
  ]);
  // Fresh 'why' tokens: the page links each message to its explanation without reusing the preferences token.
  const messages = entries.map((entry) => ({
    entry,
    whyHref: `/why/${signLink({ purpose: 'why', customerId: profile.customerId, messageId: entry.messageId, exp }, keys)}`,
  }));
  const body = preferenceCenterPage(ctx, {
    base,
    profile,
    caps: cfg.caps,
    messages,
    timeZones: timeZoneOptions(),
    productNames: Object.fromEntries(products.map((p) => [p.sku, p.name])),
    dataUse,
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
