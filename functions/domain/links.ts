/**
 * Signed links: HMAC-SHA256 over (purpose, customer, message, expiry) with a key id for rotation, checked in
 * constant time. A token proves which customer and message a link belongs to, and nothing else.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const LINK_PURPOSES = ['unsubscribe', 'preferences', 'why', 'feedback'] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];

export interface LinkKeys {
  /** Key id used to sign new tokens. */
  current: string;
  /** Key id -> secret (at least 32 characters). Old ids stay while links signed with them may be clicked. */
  keys: Record<string, string>;
}

export interface LinkClaims {
  purpose: LinkPurpose;
  customerId: string;
  messageId?: string;
  /** Expiry, epoch seconds. */
  exp: number;
  /** Purpose-specific data, e.g. the item a feedback link votes on. */
  data?: Record<string, string>;
}

export type VerifyResult =
  | { ok: true; claims: LinkClaims }
  | { ok: false; reason: 'malformed' | 'unknown_key' | 'bad_signature' | 'expired' | 'wrong_purpose' };

export function signLink(claims: LinkClaims, keys: LinkKeys): string {
  const secret = keys.keys[keys.current];
  if (!secret) throw new Error(`Link key "${keys.current}" is not among the configured keys`);
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${keys.current}.${payload}.${mac(secret, keys.current, payload)}`;
}

/** Verifies a token for the expected purpose at `now`; never throws on bad input. */
export function verifyLink(token: string, purpose: LinkPurpose, keys: LinkKeys, now: Date): VerifyResult {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [kid, payload, signature] = parts as [string, string, string];
  const secret = keys.keys[kid];
  if (!secret) return { ok: false, reason: 'unknown_key' };
  const expected = Buffer.from(mac(secret, kid, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'bad_signature' };
  }
  let claims: LinkClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as LinkClaims;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now.getTime())
    return { ok: false, reason: 'expired' };
  if (claims.purpose !== purpose) return { ok: false, reason: 'wrong_purpose' };
  return { ok: true, claims };
}

/**
 * Parses link keys from JSON: `{ "current": "kid", "keys": { "kid": "secret" } }`, or the flat form a generated
 * secret has, `{ "current": "kid", "kid": "secret" }`. Throws a clear error when unusable.
 */
export function parseLinkKeys(json: string): LinkKeys {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(json) as Record<string, unknown>;
  } catch (cause) {
    throw new Error('Link keys are not valid JSON', { cause });
  }
  const current = value?.current;
  const keys = (typeof value?.keys === 'object' && value.keys ? value.keys : value) as Record<
    string,
    unknown
  >;
  const secrets: Record<string, string> = {};
  for (const [kid, secret] of Object.entries(keys)) {
    if (kid !== 'current' && typeof secret === 'string') secrets[kid] = secret;
  }
  if (typeof current !== 'string' || (secrets[current]?.length ?? 0) < 32) {
    throw new Error(
      'Link keys must look like { "current": "kid", "keys": { "kid": "secret of 32+ characters" } }',
    );
  }
  return { current, keys: secrets };
}

function mac(secret: string, kid: string, payload: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${kid}.${payload}`).digest('base64url');
}

/** The links every marketing email carries: one-click unsubscribe, preferences, and "why you got this". */
export function messageLinks(input: {
  baseUrl: string;
  keys: LinkKeys;
  customerId: string;
  messageId: string;
  now: Date;
  ttlDays: number;
}): { unsubscribe: string; preferences: string; why: string } {
  const exp = Math.floor(input.now.getTime() / 1000) + input.ttlDays * 86_400;
  const base = input.baseUrl.replace(/\/+$/, '');
  const token = (purpose: LinkPurpose) =>
    signLink({ purpose, customerId: input.customerId, messageId: input.messageId, exp }, input.keys);
  return {
    unsubscribe: `${base}/u/${token('unsubscribe')}`,
    preferences: `${base}/p/${token('preferences')}`,
    why: `${base}/why/${token('why')}`,
  };
}

/** "Useful" / "not for me" links for one recommended item of a message. */
export function feedbackLinks(input: {
  baseUrl: string;
  keys: LinkKeys;
  customerId: string;
  messageId: string;
  sku: string;
  now: Date;
  ttlDays: number;
}): { useful: string; notForMe: string } {
  const exp = Math.floor(input.now.getTime() / 1000) + input.ttlDays * 86_400;
  const base = input.baseUrl.replace(/\/+$/, '');
  const link = (vote: 'up' | 'down') =>
    `${base}/f/${signLink(
      {
        purpose: 'feedback',
        customerId: input.customerId,
        messageId: input.messageId,
        exp,
        data: { sku: input.sku, vote },
      },
      input.keys,
    )}`;
  return { useful: link('up'), notForMe: link('down') };
}
