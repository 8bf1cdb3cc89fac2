import { describe, expect, it } from 'vitest';
import {
  type LinkKeys,
  messageLinks,
  parseLinkKeys,
  signLink,
  verifyLink,
} from '../../functions/domain/links.js';

const keys: LinkKeys = { current: 'k1', keys: { k1: 'a'.repeat(32) } };
const now = new Date('2026-11-25T12:00:00Z');
const exp = Math.floor(now.getTime() / 1000) + 3600;

describe('Function: verifyLink', () => {
  it('accepts its own token for the right purpose', () => {
    const token = signLink({ purpose: 'unsubscribe', customerId: 'c1', messageId: 'm1', exp }, keys);
    expect(verifyLink(token, 'unsubscribe', keys, now)).toEqual({
      ok: true,
      claims: { purpose: 'unsubscribe', customerId: 'c1', messageId: 'm1', exp },
    });
  });

  it('refuses a tampered payload, a wrong purpose, an expired token and an unknown key', () => {
    const token = signLink({ purpose: 'unsubscribe', customerId: 'c1', exp }, keys);
    const [kid, payload, sig] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ purpose: 'unsubscribe', customerId: 'c2', exp })).toString(
      'base64url',
    );
    expect(verifyLink(`${kid}.${forged}.${sig}`, 'unsubscribe', keys, now)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyLink(token, 'preferences', keys, now)).toEqual({ ok: false, reason: 'wrong_purpose' });
    expect(verifyLink(token, 'unsubscribe', keys, new Date((exp + 1) * 1000))).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verifyLink(`k9.${payload}.${sig}`, 'unsubscribe', keys, now)).toEqual({
      ok: false,
      reason: 'unknown_key',
    });
    expect(verifyLink('garbage', 'unsubscribe', keys, now)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('keeps old links valid after a key rotation', () => {
    const old = signLink({ purpose: 'why', customerId: 'c1', exp }, keys);
    const rotated = parseLinkKeys(
      JSON.stringify({ current: 'k2', keys: { k1: 'a'.repeat(32), k2: 'b'.repeat(32) } }),
    );
    expect(verifyLink(old, 'why', rotated, now).ok).toBe(true);
    expect(signLink({ purpose: 'why', customerId: 'c1', exp }, rotated).startsWith('k2.')).toBe(true);
  });

  it('builds message links whose tokens verify for their own purpose only', () => {
    const links = messageLinks({
      baseUrl: 'https://r.example/',
      keys,
      customerId: 'c1',
      messageId: 'm1',
      now,
      ttlDays: 60,
    });
    const token = links.unsubscribe.split('/u/')[1]!;
    expect(links.unsubscribe.startsWith('https://r.example/u/')).toBe(true);
    expect(verifyLink(token, 'unsubscribe', keys, now).ok).toBe(true);
    expect(verifyLink(token, 'preferences', keys, now).ok).toBe(false);
  });

  it('rejects short or malformed key material', () => {
    expect(() => parseLinkKeys('{"current":"k1","keys":{"k1":"short"}}')).toThrow(/32\+ characters/);
    expect(() => parseLinkKeys('nope')).toThrow(/not valid JSON/);
    expect(parseLinkKeys(JSON.stringify({ current: 'k1', k1: 'c'.repeat(40) })).keys.k1).toBe('c'.repeat(40));
  });
});
