import { describe, expect, it } from 'vitest';
import {
  CODE_ALPHABET,
  codeKey,
  codeTerms,
  generatedCode,
  type Incentive,
  incentiveSchema,
  isExpired,
  issuedCode,
} from '../../functions/domain/incentives.js';

const SECRET = 'k'.repeat(32);
const NOW = new Date('2026-12-01T10:30:00.000Z');

const incentive = (input: object): Incentive => incentiveSchema.parse(input);

describe('generatedCode', () => {
  it('is the same for the same message and key, and differs per message, key and attempt', () => {
    const a = generatedCode(SECRET, 'm-1', 'BDAY-');
    expect(generatedCode(SECRET, 'm-1', 'BDAY-')).toBe(a);
    expect(generatedCode(SECRET, 'm-2', 'BDAY-')).not.toBe(a);
    expect(generatedCode('z'.repeat(32), 'm-1', 'BDAY-')).not.toBe(a);
    expect(generatedCode(SECRET, 'm-1', 'BDAY-', 1)).not.toBe(a);
  });

  it('is the prefix and 10 characters no reader can confuse', () => {
    const code = generatedCode(SECRET, 'm-1', 'BDAY-');
    expect(code).toMatch(/^BDAY-[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{10}$/);
    expect(CODE_ALPHABET).toHaveLength(32);
    for (const confusable of ['0', 'O', '1', 'I']) expect(CODE_ALPHABET).not.toContain(confusable);
  });

  it('spreads over the alphabet: 2,000 messages give 2,000 codes and use every character', () => {
    const codes = Array.from({ length: 2000 }, (_, i) => generatedCode(SECRET, `m-${i}`));
    expect(new Set(codes).size).toBe(2000);
    expect(new Set(codes.join('')).size).toBe(32);
  });
});

describe('issuedCode', () => {
  it('expires at the end of the UTC day validDays after now, in the shop currency by default', () => {
    const issued = issuedCode(incentive({ kind: 'percent', value: 15 }), 'BDAY-X', NOW, 'EUR');
    expect(issued).toEqual({
      code: 'BDAY-X',
      kind: 'percent',
      value: 15,
      currency: 'EUR',
      expiresAt: '2026-12-31T23:59:59.999Z',
    });
    expect(isExpired(issued, new Date('2026-12-31T23:00:00Z'))).toBe(false);
    expect(isExpired(issued, new Date('2027-01-01T00:00:00Z'))).toBe(true);
  });

  it("ends with the customer's local day: midnight in Berlin is 23:00 UTC in winter, 22:00 in summer", () => {
    const percent = incentive({ kind: 'percent', value: 15 });
    expect(issuedCode(percent, 'C', NOW, 'EUR', 'Europe/Berlin').expiresAt).toBe('2026-12-31T22:59:59.999Z');
    const july = issuedCode(percent, 'C', new Date('2026-06-01T12:00:00Z'), 'EUR', 'Europe/Berlin');
    expect(july.expiresAt).toBe('2026-07-01T21:59:59.999Z');
    // Late on 1 December in Los Angeles is 2 December in UTC: the customer's day counts.
    const la = issuedCode(percent, 'C', new Date('2026-12-02T06:00:00Z'), 'EUR', 'America/Los_Angeles');
    expect(la.expiresAt).toBe('2027-01-01T07:59:59.999Z');
    expect(codeTerms(la, 'en', 'en-US', 'America/Los_Angeles')).toContain('valid until December 31, 2026');
  });

  it('keeps its own currency and minimum order; free shipping carries no value', () => {
    const issued = issuedCode(
      incentive({ kind: 'free_shipping', currency: 'CHF', minOrder: 30, validDays: 7 }),
      'SHIP',
      NOW,
      'EUR',
    );
    expect(issued).toEqual({
      code: 'SHIP',
      kind: 'free_shipping',
      currency: 'CHF',
      minOrder: 30,
      expiresAt: '2026-12-08T23:59:59.999Z',
    });
  });
});

describe('codeTerms', () => {
  const percent = issuedCode(incentive({ kind: 'percent', value: 15 }), 'C', NOW, 'EUR');
  const amount = issuedCode(incentive({ kind: 'amount', value: 10, minOrder: 50 }), 'C', NOW, 'EUR');
  const shipping = issuedCode(incentive({ kind: 'free_shipping', minOrder: 30 }), 'C', NOW, 'EUR');

  it('says the offer, what it applies to and until when, in English', () => {
    expect(codeTerms(percent, 'en', 'en-GB')).toBe(
      '15% off your next order, valid until 31 December 2026. Single use.',
    );
    expect(codeTerms(amount, 'en', 'en-GB')).toBe(
      '€10.00 off orders of €50.00 or more, valid until 31 December 2026. Single use.',
    );
    expect(codeTerms(shipping, 'en', 'en-GB')).toBe(
      'Free shipping on orders of €30.00 or more, valid until 31 December 2026. Single use.',
    );
  });

  it('in German and French, with their own number and date formats', () => {
    const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
    expect(nbsp(codeTerms(percent, 'de', 'de-DE'))).toBe(
      '15 % Rabatt auf Ihre nächste Bestellung, gültig bis 31. Dezember 2026. Einmal einlösbar.',
    );
    expect(nbsp(codeTerms(shipping, 'de', 'de-AT'))).toBe(
      'Kostenloser Versand für Bestellungen ab € 30,00, gültig bis 31. Dezember 2026. Einmal einlösbar.',
    );
    expect(nbsp(codeTerms(percent, 'fr', 'fr-FR'))).toBe(
      '15 % de réduction sur votre prochaine commande, valable jusqu’au 31 décembre 2026. Utilisable une seule fois.',
    );
  });

  it("dates the expiry in the customer's time zone", () => {
    // 23:59 UTC on 31 December is already 1 January in Tokyo.
    expect(codeTerms(percent, 'en', 'en-GB', 'Asia/Tokyo')).toContain('valid until 1 January 2027');
  });
});

describe('codeKey', () => {
  it('compares codes as checkouts do: trimmed, without case', () => {
    expect(codeKey('  bday-7kq ')).toBe('BDAY-7KQ');
  });
});
