/**
 * The web side of the customer endpoints: the request as the function URL delivers it, response headers,
 * form bodies, and the same-origin check on form posts.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Deps } from '../app/deps.js';
import { type LinkKeys, signLink } from '../domain/links.js';
import type { Profile } from '../domain/model.js';
import { type DataUseView, type PageContext, pageContext, simplePage } from '../domain/pages.js';
import * as z from '../domain/zod.js';

/** A function URL request (payload 2.0): only the fields the endpoints read, the rest passes through. */
export const customerRequest = z.looseObject({
  rawPath: z.nullish(z.string()),
  rawQueryString: z.nullish(z.string()),
  body: z.nullish(z.string()),
  isBase64Encoded: z.nullish(z.boolean()),
  headers: z.nullish(z.record(z.string(), z.optional(z.string()))),
  requestContext: z.nullish(
    z.looseObject({ http: z.nullish(z.looseObject({ method: z.nullish(z.string()) })) }),
  ),
});
export type CustomerRequest = z.infer<typeof customerRequest>;

export type Result = APIGatewayProxyStructuredResultV2;

export const SECURITY = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  // Inline styles, the brand's logo (https only) and same-origin forms; no script, and no framing, so the
  // erase button cannot be clickjacked.
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src https:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
};
export const HTML = {
  ...SECURITY,
  'content-type': 'text/html; charset=utf-8',
  'referrer-policy': 'no-referrer',
};
// Preference pages post forms to themselves: with 'no-referrer' browsers would send `Origin: null` on those
// POSTs, hiding the origin the CSRF check needs. 'same-origin' still sends nothing to other sites.
export const CENTER_HTML = { ...HTML, 'referrer-policy': 'same-origin' };
const MAX_FORM_BYTES = 64 * 1024;

export function html(statusCode: number, body: string, headers: Record<string, string> = HTML): Result {
  return { statusCode, headers, body };
}

export const notAllowed = (ctx: PageContext, allow: string): Result => ({
  ...html(405, simplePage(ctx, ctx.t.frame.notAllowedTitle, ctx.t.frame.notAllowed)),
  headers: { ...HTML, allow },
});

/**
 * The page context for a request: the profile's language and time zone when the customer is known, else the
 * page's `?lang=` or the browser's Accept-Language; `preferencesHref` puts the preference center in the footer.
 */
export function contextOf(
  deps: Deps,
  request: CustomerRequest,
  profile?: Pick<Profile, 'locale' | 'timeZone'>,
  preferencesHref?: string,
): PageContext {
  return pageContext({
    config: deps.config,
    profile,
    acceptLanguage: request.headers?.['accept-language'],
    lang: new URLSearchParams(request.rawQueryString ?? '').get('lang') ?? undefined,
    preferencesHref,
  });
}

/** A fresh link to the customer's preference center, under the current key, valid `linkTtlDays`. */
export function preferencesHref(deps: Deps, keys: LinkKeys, customerId: string): string {
  const exp = Math.floor(deps.clock().getTime() / 1000) + deps.config.linkTtlDays * 86_400;
  return `/p/${signLink({ purpose: 'preferences', customerId, exp }, keys)}`;
}

/** What "where your data goes" states: the region of the tables (the DynamoDB client's), retention, tracking. */
export async function dataUseView(deps: Deps): Promise<DataUseView> {
  let region: string | undefined;
  try {
    region = await deps.dynamodb.config.region();
  } catch {
    // A client without a region cannot have reached a table either; the page then says it in general words.
  }
  return { region, retention: deps.config.retention, tracking: deps.config.tracking };
}

/** The form body (URL-encoded, base64 when the function URL says so), or undefined when too large. */
export function formOf(request: CustomerRequest): URLSearchParams | undefined {
  const raw = request.body ?? '';
  const text = request.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text) > MAX_FORM_BYTES) return undefined;
  return new URLSearchParams(text);
}

/**
 * CSRF defence in depth (the signed token is the credential): a POST whose Origin or Referer names another
 * host than this endpoint (or its public base URL) is refused. Absent headers, and the opaque `Origin: null`
 * that privacy settings produce, are let through: the token alone must already be known to post.
 */
export function sameOrigin(request: CustomerRequest, publicBaseUrl: string): boolean {
  const headers = request.headers ?? {};
  const allowed = new Set([headers.host, hostOf(publicBaseUrl)].filter(Boolean));
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
