/**
 * Signed links: each token is the link's claims (purpose, customer, message, expiry, data) encrypted and
 * authenticated with AES-256-GCM under a key derived from the link secret of a key id, so a URL seen by a proxy,
 * a log or a forwarded email names nobody, and a changed byte is refused. The key id stays in clear, for rotation.
 * Tokens of the first format (claims in clear, HMAC-SHA256) are still accepted until they expire.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

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

type ReadFailure = 'malformed' | 'unknown_key' | 'bad_signature';
export type ReadResult = { ok: true; claims: LinkClaims } | { ok: false; reason: ReadFailure };
export type VerifyResult =
  | { ok: true; claims: LinkClaims }
  | { ok: false; reason: ReadFailure | 'expired' | 'wrong_purpose' };

/** HKDF info of the token encryption key: a new format gets a new string, so keys never cross formats. */
const KEY_INFO = 'reciprocity link v2';
const IV_INFO = 'reciprocity link v2 iv';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** One letter per purpose inside the ciphertext, to keep tokens short. */
const PURPOSE_CODE: Record<LinkPurpose, string> = {
  unsubscribe: 'u',
  preferences: 'p',
  why: 'w',
  feedback: 'f',
};
const PURPOSE_OF: Record<string, LinkPurpose> = Object.fromEntries(
  LINK_PURPOSES.map((purpose) => [PURPOSE_CODE[purpose], purpose]),
);
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Encrypts `claims` under the current key: `kid.base64url(iv || ciphertext || tag)`, URL-safe. */
export function signLink(claims: LinkClaims, keys: LinkKeys): string {
  const secret = secretOf(keys, keys.current);
  if (secret === undefined) throw new Error(`Link key "${keys.current}" is not among the configured keys`);
  const compact = {
    p: PURPOSE_CODE[claims.purpose],
    c: claims.customerId,
    ...(claims.messageId !== undefined ? { m: claims.messageId } : {}),
    e: claims.exp,
    ...(claims.data !== undefined ? { d: claims.data } : {}),
  };
  // A synthetic IV (the construction of RFC 5297's SIV): an HMAC of the plaintext under a key of its own, so
  // the same claims give the same token (a run's emails are the same every time, a re-render changes no link)
  // and different claims never share an IV under a key, which is all GCM asks. The one thing it tells an
  // observer is that two tokens carry identical claims, which the identical URLs would say anyway.
  const plaintext = JSON.stringify(compact);
  const iv = createHmac('sha256', ivKey(secret, keys.current))
    .update(plaintext)
    .digest()
    .subarray(0, IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', encryptionKey(secret, keys.current), iv, {
    authTagLength: TAG_BYTES,
  });
  cipher.setAAD(Buffer.from(keys.current, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${keys.current}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
}

/** Verifies a token for the expected purpose at `now`; never throws on bad input. */
export function verifyLink(token: string, purpose: LinkPurpose, keys: LinkKeys, now: Date): VerifyResult {
  const read = readLinkClaims(token, keys);
  if (!read.ok) return read;
  if (read.claims.exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  if (read.claims.purpose !== purpose) return { ok: false, reason: 'wrong_purpose' };
  return read;
}

/**
 * The claims of an authentic token under any configured key, whatever its purpose or expiry (verifyLink is the
 * check for a request); never throws on bad input.
 */
export function readLinkClaims(token: string, keys: LinkKeys): ReadResult {
  if (typeof token !== 'string') return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length === 2) return readSealed(parts[0] as string, parts[1] as string, keys);
  if (parts.length === 3) return readLegacy(parts[0] as string, parts[1] as string, parts[2] as string, keys);
  return { ok: false, reason: 'malformed' };
}

/**
 * Whether `token` is already in the current format under the current key; a page reached with any other token
 * re-signs its own links (signLink with the verified claims), so it outlives a key being retired.
 */
export function isCurrentToken(token: string, keys: LinkKeys): boolean {
  const parts = token.split('.');
  return parts.length === 2 && parts[0] === keys.current;
}

function readSealed(kid: string, sealed: string, keys: LinkKeys): ReadResult {
  const secret = secretOf(keys, kid);
  if (secret === undefined) return { ok: false, reason: 'unknown_key' };
  // Canonical base64url only: a lenient decoder would let several spellings of the last character pass.
  const bytes = BASE64URL.test(sealed) ? Buffer.from(sealed, 'base64url') : undefined;
  if (!bytes || bytes.toString('base64url') !== sealed || bytes.length <= IV_BYTES + TAG_BYTES)
    return { ok: false, reason: 'malformed' };
  let plain: string;
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      encryptionKey(secret, kid),
      bytes.subarray(0, IV_BYTES),
      {
        authTagLength: TAG_BYTES,
      },
    );
    decipher.setAAD(Buffer.from(kid, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    plain = Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return { ok: false, reason: 'bad_signature' };
  }
  const compact = parseJson(plain);
  const claims = compact
    ? claimsOf({
        purpose: PURPOSE_OF[String(compact.p)],
        customerId: compact.c,
        messageId: compact.m,
        exp: compact.e,
        data: compact.d,
      })
    : undefined;
  return claims ? { ok: true, claims } : { ok: false, reason: 'malformed' };
}

/** The first format, `kid.base64url(JSON claims).HMAC`: links sent before the change keep working until they expire. */
function readLegacy(kid: string, payload: string, signature: string, keys: LinkKeys): ReadResult {
  const secret = secretOf(keys, kid);
  if (secret === undefined) return { ok: false, reason: 'unknown_key' };
  const expected = Buffer.from(mac(secret, kid, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'bad_signature' };
  }
  const value = parseJson(Buffer.from(payload, 'base64url').toString('utf8'));
  const claims = value ? claimsOf(value) : undefined;
  return claims ? { ok: true, claims } : { ok: false, reason: 'malformed' };
}

/** The secret of `kid`, own keys only: a token naming `__proto__` or `constructor` is an unknown key. */
function secretOf(keys: LinkKeys, kid: string): string | undefined {
  const secret = Object.hasOwn(keys.keys, kid) ? keys.keys[kid] : undefined;
  return typeof secret === 'string' && secret.length > 0 ? secret : undefined;
}

function ivKey(secret: string, kid: string): Buffer {
  return derived(secret, kid, IV_INFO);
}

function encryptionKey(secret: string, kid: string): Buffer {
  return derived(secret, kid, KEY_INFO);
}

/**
 * HKDF keys derived once per secret, key id and purpose: an email signs several links with the same key, and
 * deriving afresh for each was about 1% of the demo week's CPU. Keys rotate rarely; the bound only guards
 * against a caller cycling through many.
 */
const DERIVED = new Map<string, Buffer>();
const DERIVED_MAX = 32;

function derived(secret: string, kid: string, info: string): Buffer {
  const id = `${info}\u0000${kid}\u0000${secret}`;
  let key = DERIVED.get(id);
  if (key === undefined) {
    key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.from(kid, 'utf8'), info, 32));
    if (DERIVED.size >= DERIVED_MAX) DERIVED.clear();
    DERIVED.set(id, key);
  }
  return key;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Claims of the expected shape, or undefined: an authentic token can still come from a buggy signer. */
function claimsOf(value: Record<string, unknown>): LinkClaims | undefined {
  const { purpose, customerId, messageId, exp, data } = value;
  if (typeof purpose !== 'string' || !(LINK_PURPOSES as readonly string[]).includes(purpose))
    return undefined;
  if (typeof customerId !== 'string' || customerId === '') return undefined;
  if (messageId !== undefined && typeof messageId !== 'string') return undefined;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return undefined;
  if (data !== undefined && !isStringRecord(data)) return undefined;
  return {
    purpose: purpose as LinkPurpose,
    customerId,
    ...(messageId !== undefined ? { messageId } : {}),
    exp,
    ...(data !== undefined ? { data } : {}),
  };
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
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
  // The key id is the token's first part, in clear in a URL path: a dot or any other character would break it.
  if (!/^[\w-]{1,64}$/.test(current))
    throw new Error(`Link key id "${current}" must be 1-64 letters, digits, "_" or "-"`);
  return { current, keys: secrets };
}

function mac(secret: string, kid: string, payload: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${kid}.${payload}`).digest('base64url');
}

/**
 * The links every marketing email carries: one-click unsubscribe (footer and List-Unsubscribe header), valid
 * `unsubscribeDays` because mailbox providers and CAN-SPAM expect it to keep working long after the send;
 * preferences and "why you got this", valid `ttlDays`.
 */
export function messageLinks(input: {
  baseUrl: string;
  keys: LinkKeys;
  customerId: string;
  messageId: string;
  now: Date;
  ttlDays: number;
  unsubscribeDays: number;
}): { unsubscribe: string; preferences: string; why: string } {
  const at = Math.floor(input.now.getTime() / 1000);
  const base = input.baseUrl.replace(/\/+$/, '');
  const token = (purpose: LinkPurpose, days: number) =>
    signLink(
      { purpose, customerId: input.customerId, messageId: input.messageId, exp: at + days * 86_400 },
      input.keys,
    );
  return {
    unsubscribe: `${base}/u/${token('unsubscribe', input.unsubscribeDays)}`,
    preferences: `${base}/p/${token('preferences', input.ttlDays)}`,
    why: `${base}/why/${token('why', input.ttlDays)}`,
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
