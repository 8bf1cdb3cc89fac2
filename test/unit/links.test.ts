import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  feedbackLinks,
  isCurrentToken,
  LINK_PURPOSES,
  type LinkClaims,
  type LinkKeys,
  messageLinks,
  parseLinkKeys,
  readLinkClaims,
  signLink,
  verifyLink,
} from '../../functions/domain/links.js';

const keys: LinkKeys = { current: 'k1', keys: { k1: 'a'.repeat(32) } };
const rotated: LinkKeys = { current: 'k2', keys: { k1: 'a'.repeat(32), k2: 'b'.repeat(32) } };
const now = new Date('2026-11-25T12:00:00Z');
const exp = Math.floor(now.getTime() / 1000) + 3600;
const DAY_MS = 86_400_000;
const CUSTOMER = 'C00042';
const MESSAGE = '3f0c2a8e-6a4b-5c1d-9e2f-7a8b9c0d1e2f';
const SKU = 'TEA-2';

/** The first token format, `kid.base64url(JSON claims).HMAC-SHA256`, as links already sent carry it. */
function legacyToken(claims: LinkClaims, kid: string, secret: string): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const mac = createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(`${kid}.${payload}`)
    .digest('base64url');
  return `${kid}.${payload}.${mac}`;
}

/** Every spelling of `value` one can look for in a URL: plain, URL-encoded, base64 and base64url at each offset. */
function spellings(value: string): string[] {
  const found = [value, encodeURIComponent(value)];
  for (const shift of ['', 'x', 'xx']) {
    for (const encoding of ['base64', 'base64url'] as const) {
      const encoded = Buffer.from(`${shift}${value}`).toString(encoding).replace(/=+$/, '');
      // Drop the characters that also depend on the neighbouring bytes.
      found.push(encoded.slice(shift ? Math.ceil((shift.length * 4) / 3) : 0, -2));
    }
  }
  return found.filter((s) => s.length >= 4);
}

describe('Function: signLink and verifyLink', () => {
  it('round-trips the claims of every purpose, with and without message and data', () => {
    for (const purpose of LINK_PURPOSES) {
      // Prepare
      const full: LinkClaims = {
        purpose,
        customerId: CUSTOMER,
        messageId: MESSAGE,
        exp,
        data: { sku: SKU, vote: 'down' },
      };
      const bare: LinkClaims = { purpose, customerId: 'c1', exp };
      // Act
      const tokens = [signLink(full, keys), signLink(bare, keys)];
      // Assess
      expect(verifyLink(tokens[0]!, purpose, keys, now)).toEqual({ ok: true, claims: full });
      expect(verifyLink(tokens[1]!, purpose, keys, now)).toEqual({ ok: true, claims: bare });
      for (const token of tokens) expect(token).toMatch(/^k1\.[A-Za-z0-9_-]+$/);
    }
  });

  it('shows neither the customer, nor the message, nor the item in the token', () => {
    // Prepare
    const claims: LinkClaims = {
      purpose: 'feedback',
      customerId: CUSTOMER,
      messageId: MESSAGE,
      exp,
      data: { sku: SKU, vote: 'up' },
    };
    const json = JSON.stringify(claims);
    // Act
    const token = signLink(claims, keys);
    const again = signLink(claims, keys);
    // Assess
    for (const secret of [CUSTOMER, MESSAGE, MESSAGE.replaceAll('-', ''), SKU, json])
      for (const spelling of spellings(secret)) expect(token).not.toContain(spelling);
    expect(token).not.toContain(Buffer.from(json).toString('base64url').slice(0, 20));
    // The same claims give the same token (a synthetic IV: runs are reproducible); other claims another IV.
    expect(again).toBe(token);
    const other = signLink({ ...claims, data: { sku: SKU, vote: 'down' } }, keys);
    const ivOf = (t: string) => Buffer.from(t.split('.')[1]!, 'base64url').subarray(0, 12).toString('hex');
    expect(ivOf(other)).not.toBe(ivOf(token));
    expect(verifyLink(other, 'feedback', keys, now).ok).toBe(true);
  });

  it('refuses a token with any character changed, as bad_signature or malformed', () => {
    // Prepare
    const token = signLink({ purpose: 'unsubscribe', customerId: CUSTOMER, messageId: MESSAGE, exp }, keys);
    const body = token.indexOf('.') + 1;
    // Act
    const results = [...token.slice(body)].map((char, i) => {
      const other = char === 'A' ? 'B' : 'A';
      return verifyLink(
        `${token.slice(0, body + i)}${other}${token.slice(body + i + 1)}`,
        'unsubscribe',
        keys,
        now,
      );
    });
    // Assess
    expect(results).toHaveLength(token.length - body);
    for (const result of results) {
      expect(result.ok).toBe(false);
      expect(['bad_signature', 'malformed']).toContain(result.ok ? '' : result.reason);
    }
    expect(results.filter((r) => !r.ok && r.reason === 'bad_signature').length).toBeGreaterThan(100);
  });

  it('refuses flipped bits of the decoded token, a truncated or a padded one, and a swapped key id', () => {
    // Prepare
    const token = signLink({ purpose: 'unsubscribe', customerId: CUSTOMER, exp }, keys);
    const [kid, sealed] = token.split('.') as [string, string];
    const bytes = Buffer.from(sealed, 'base64url');
    const sameSecret: LinkKeys = { current: 'k1', keys: { k1: 'a'.repeat(32), k3: 'a'.repeat(32) } };
    // Act
    const flipped = [...bytes.keys()].map((i) => {
      const copy = Buffer.from(bytes);
      copy[i] = (copy[i] ?? 0) ^ 0x01;
      return verifyLink(`${kid}.${copy.toString('base64url')}`, 'unsubscribe', keys, now);
    });
    // Assess
    for (const result of flipped) expect(result).toEqual({ ok: false, reason: 'bad_signature' });
    const truncated = bytes.subarray(0, -3).toString('base64url');
    expect(verifyLink(`${kid}.${truncated}`, 'unsubscribe', keys, now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyLink(`${kid}.${sealed.slice(0, 30)}`, 'unsubscribe', keys, now)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(verifyLink(`${token}==`, 'unsubscribe', keys, now)).toEqual({ ok: false, reason: 'malformed' });
    // The key id is authenticated too: the same ciphertext under another id is refused.
    expect(verifyLink(`k3.${sealed}`, 'unsubscribe', sameSecret, now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses a token sealed under another secret with the same key id (the derived keys are per secret)', () => {
    const claims: LinkClaims = { purpose: 'why', customerId: CUSTOMER, messageId: MESSAGE, exp };
    const other: LinkKeys = { current: 'k1', keys: { k1: 'c'.repeat(32) } };
    const token = signLink(claims, keys);
    expect(verifyLink(token, 'why', keys, now).ok).toBe(true);
    expect(signLink(claims, other)).not.toBe(token);
    expect(verifyLink(token, 'why', other, now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyLink(signLink(claims, other), 'why', other, now).ok).toBe(true);
    expect(verifyLink(token, 'why', keys, now).ok).toBe(true);
  });

  it('refuses a wrong purpose, an expired token, an unknown key and garbage, and never throws', () => {
    // Prepare
    const token = signLink({ purpose: 'unsubscribe', customerId: 'c1', exp }, keys);
    const sealed = token.split('.')[1]!;
    // Act / Assess
    expect(verifyLink(token, 'preferences', keys, now)).toEqual({ ok: false, reason: 'wrong_purpose' });
    expect(verifyLink(token, 'unsubscribe', keys, new Date(exp * 1000))).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verifyLink(`k9.${sealed}`, 'unsubscribe', keys, now)).toEqual({
      ok: false,
      reason: 'unknown_key',
    });
    for (const kid of ['__proto__', 'constructor', 'toString', ''])
      expect(verifyLink(`${kid}.${sealed}`, 'unsubscribe', keys, now)).toEqual({
        ok: false,
        reason: 'unknown_key',
      });
    expect(verifyLink(`__proto__.${sealed}.x`, 'unsubscribe', keys, now)).toEqual({
      ok: false,
      reason: 'unknown_key',
    });
    for (const garbage of [
      'garbage',
      '',
      '.',
      '..',
      'k1.',
      'k1.!!!!',
      'k1.a.b.c',
      'k1.a b',
      `k1.${'A'.repeat(40)}`,
    ])
      expect(verifyLink(garbage, 'unsubscribe', keys, now).ok).toBe(false);
    expect(verifyLink('garbage', 'unsubscribe', keys, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyLink(undefined as unknown as string, 'unsubscribe', keys, now)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
});

describe('Function: verifyLink, tokens of the first format', () => {
  it('still accepts a legacy HMAC token, with its purpose, expiry and signature checked', () => {
    // Prepare
    const claims: LinkClaims = { purpose: 'unsubscribe', customerId: CUSTOMER, messageId: MESSAGE, exp };
    const token = legacyToken(claims, 'k1', 'a'.repeat(32));
    const [kid, payload, mac] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...claims, customerId: 'C00043' })).toString('base64url');
    // Act / Assess
    expect(verifyLink(token, 'unsubscribe', keys, now)).toEqual({ ok: true, claims });
    expect(verifyLink(token, 'unsubscribe', rotated, now)).toEqual({ ok: true, claims });
    expect(verifyLink(`${kid}.${forged}.${mac}`, 'unsubscribe', keys, now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyLink(`k9.${payload}.${mac}`, 'unsubscribe', keys, now)).toEqual({
      ok: false,
      reason: 'unknown_key',
    });
    expect(verifyLink(token, 'why', keys, now)).toEqual({ ok: false, reason: 'wrong_purpose' });
    expect(verifyLink(token, 'unsubscribe', keys, new Date((exp + 1) * 1000))).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(isCurrentToken(token, keys)).toBe(false);
  });
});

describe('Function: verifyLink, key rotation', () => {
  it('accepts a link signed under a key that is no longer current, and signs new links with the current one', () => {
    // Prepare
    const old = signLink({ purpose: 'why', customerId: 'c1', exp }, keys);
    // Act
    const fresh = signLink({ purpose: 'why', customerId: 'c1', exp }, rotated);
    // Assess
    expect(verifyLink(old, 'why', rotated, now)).toEqual({
      ok: true,
      claims: { purpose: 'why', customerId: 'c1', exp },
    });
    expect(fresh.startsWith('k2.')).toBe(true);
    expect(isCurrentToken(old, rotated)).toBe(false);
    expect(isCurrentToken(fresh, rotated)).toBe(true);
    // Once the old key leaves the key set, its links stop working; the new ones never needed it.
    const retired = parseLinkKeys(JSON.stringify({ current: 'k2', keys: { k2: 'b'.repeat(32) } }));
    expect(verifyLink(old, 'why', retired, now)).toEqual({ ok: false, reason: 'unknown_key' });
    expect(verifyLink(fresh, 'why', retired, now).ok).toBe(true);
  });
});

describe('Function: readLinkClaims', () => {
  it('opens an authentic token whatever its purpose and expiry, and nothing else', () => {
    // Prepare
    const claims: LinkClaims = {
      purpose: 'feedback',
      customerId: 'c1',
      exp: 1,
      data: { sku: SKU, vote: 'up' },
    };
    const token = signLink(claims, keys);
    // Act / Assess
    expect(readLinkClaims(token, rotated)).toEqual({ ok: true, claims });
    expect(readLinkClaims(token, { current: 'k2', keys: { k2: 'b'.repeat(32) } })).toEqual({
      ok: false,
      reason: 'unknown_key',
    });
    expect(readLinkClaims(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, keys).ok).toBe(false);
  });
});

describe('Function: messageLinks', () => {
  const links = messageLinks({
    baseUrl: 'https://r.example/',
    keys,
    customerId: CUSTOMER,
    messageId: MESSAGE,
    now,
    ttlDays: 60,
    unsubscribeDays: 400,
  });
  const tokenOf = (url: string) => url.split('/').at(-1)!;

  it('builds links whose tokens verify for their own purpose only', () => {
    expect(links.unsubscribe.startsWith('https://r.example/u/')).toBe(true);
    expect(links.preferences.startsWith('https://r.example/p/')).toBe(true);
    expect(links.why.startsWith('https://r.example/why/')).toBe(true);
    expect(verifyLink(tokenOf(links.unsubscribe), 'unsubscribe', keys, now).ok).toBe(true);
    expect(verifyLink(tokenOf(links.unsubscribe), 'preferences', keys, now).ok).toBe(false);
    expect(verifyLink(tokenOf(links.preferences), 'preferences', keys, now).ok).toBe(true);
    expect(verifyLink(tokenOf(links.why), 'why', keys, now).ok).toBe(true);
    for (const url of Object.values(links)) expect(url).not.toContain(CUSTOMER);
  });

  it('keeps the unsubscribe link working for over a year, the others for linkTtlDays', () => {
    // Prepare
    const later = (days: number) => new Date(now.getTime() + days * DAY_MS);
    // Act / Assess
    expect(verifyLink(tokenOf(links.unsubscribe), 'unsubscribe', keys, later(364)).ok).toBe(true);
    expect(verifyLink(tokenOf(links.unsubscribe), 'unsubscribe', keys, later(399)).ok).toBe(true);
    expect(verifyLink(tokenOf(links.unsubscribe), 'unsubscribe', keys, later(400))).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verifyLink(tokenOf(links.why), 'why', keys, later(59)).ok).toBe(true);
    expect(verifyLink(tokenOf(links.why), 'why', keys, later(60))).toEqual({ ok: false, reason: 'expired' });
    expect(verifyLink(tokenOf(links.preferences), 'preferences', keys, later(60))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('still unsubscribes 364 days later after the key that signed it was rotated out of current', () => {
    expect(
      verifyLink(tokenOf(links.unsubscribe), 'unsubscribe', rotated, new Date(now.getTime() + 364 * DAY_MS)),
    ).toEqual({
      ok: true,
      claims: { purpose: 'unsubscribe', customerId: CUSTOMER, messageId: MESSAGE, exp: expect.any(Number) },
    });
  });
});

describe('Function: feedbackLinks', () => {
  it('carries the item and the answer, readable only with the keys, valid linkTtlDays', () => {
    // Prepare
    const links = feedbackLinks({
      baseUrl: 'https://r.example',
      keys,
      customerId: CUSTOMER,
      messageId: MESSAGE,
      sku: SKU,
      now,
      ttlDays: 60,
    });
    const token = links.notForMe.split('/f/')[1]!;
    // Act
    const verified = verifyLink(token, 'feedback', keys, now);
    // Assess
    expect(verified).toEqual({
      ok: true,
      claims: {
        purpose: 'feedback',
        customerId: CUSTOMER,
        messageId: MESSAGE,
        exp: Math.floor(now.getTime() / 1000) + 60 * 86_400,
        data: { sku: SKU, vote: 'down' },
      },
    });
    expect(links.useful).not.toContain(SKU);
    expect(verifyLink(token, 'feedback', keys, new Date(now.getTime() + 60 * DAY_MS)).ok).toBe(false);
  });
});

describe('Function: parseLinkKeys', () => {
  it('rejects short or malformed key material', () => {
    expect(() => parseLinkKeys('{"current":"k1","keys":{"k1":"short"}}')).toThrow(/32\+ characters/);
    expect(() => parseLinkKeys('nope')).toThrow(/not valid JSON/);
    expect(() => parseLinkKeys(JSON.stringify({ current: 'k.1', keys: { 'k.1': 'c'.repeat(40) } }))).toThrow(
      /must be 1-64 letters/,
    );
    expect(parseLinkKeys(JSON.stringify({ current: 'k1', k1: 'c'.repeat(40) })).keys.k1).toBe('c'.repeat(40));
  });
});
