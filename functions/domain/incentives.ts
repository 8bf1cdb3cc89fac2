/**
 * Incentives: a journey may carry a real gift, a unique single-use code with its terms (percent or money off,
 * or free shipping; a minimum order; an expiry). Codes come from a pool the shop uploads, or are generated
 * from the message id and exported for the shop to load into its checkout. An email shows a code only when
 * one was claimed for that message, so it never promises what the engine cannot tie to a code.
 */
import { createHmac } from 'node:crypto';
import type { LinkKeys } from './links.js';
import { formatInstant, formatMoney, formatPercent, type Locale } from './locale.js';
import type { IssuedCode } from './model.js';
import { addDays, firstInstantAtOrAfter, localParts } from './time.js';
import * as z from './zod.js';

export const incentiveSchema = z
  .strictObject({
    kind: z.enum(['percent', 'amount', 'free_shipping']),
    /** Percent off (1-100) or money off in `currency`; not used by free_shipping. */
    value: z.optional(z.number().check(z.positive(), z.maximum(100_000))),
    /** Currency of `value` and `minOrder` (ISO 4217); default: `sender.currency`. */
    currency: z.optional(z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code'))),
    /** Smallest order the code applies to, if any. */
    minOrder: z.optional(z.number().check(z.minimum(0))),
    /** Days from the send until the code expires. */
    validDays: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(365)), 30),
    /**
     * 'pool': codes the shop uploaded (`reciprocity codes import`), one per message, never two; an empty
     * pool sends the message without a code. 'generated': the engine makes the code from the message id, and
     * `reciprocity codes export` lists them for the shop's checkout.
     */
    source: z._default(z.enum(['pool', 'generated']), 'generated'),
    /** Printed before a generated code ("BDAY-"): capitals, digits and '-'. */
    prefix: z._default(
      z.string().check(z.regex(/^[A-Z0-9-]{0,12}$/, 'capitals, digits and "-", at most 12')),
      '',
    ),
  })
  .check(
    z.refine((i) => i.kind === 'free_shipping' || i.value !== undefined, {
      message: 'a percent or amount incentive needs a value',
      path: ['value'],
    }),
    z.refine((i) => i.kind !== 'percent' || (i.value ?? 0) <= 100, {
      message: 'a percent incentive is at most 100',
      path: ['value'],
    }),
  );

export type Incentive = z.infer<typeof incentiveSchema>;

/** Incentives by journey; a journey without one sends no code. */
export const incentivesSchema = z.strictObject({
  cart_reminder: z.optional(incentiveSchema),
  order_followup: z.optional(incentiveSchema),
  birthday: z.optional(incentiveSchema),
  winback: z.optional(incentiveSchema),
});

export type Incentives = z.infer<typeof incentivesSchema>;

/** Letters and digits a reader cannot confuse (no 0/O, no 1/I): 32 of them, 5 bits per character. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** Characters of a generated code after its prefix: 50 bits, so a guess hits one of a million codes 1 in 10^9. */
export const GENERATED_CODE_LENGTH = 10;
/** Domain separation: the link keys also sign links, and a code must never be a link's MAC. */
const CODE_PURPOSE = 'incentive-code:';

/**
 * The code generated for a message: `prefix` + 10 characters of HMAC-SHA256(message id) under `secret` (a
 * link key), so nobody without the key can derive or guess another customer's code. Deterministic for
 * (secret, message id, attempt); `attempt` > 0 derives another code for the rare collision with a code
 * already taken. The store keeps the code it issued, so a later key rotation changes no issued code.
 */
export function generatedCode(secret: string, messageId: string, prefix = '', attempt = 0): string {
  const digest = createHmac('sha256', secret)
    .update(`${CODE_PURPOSE}${messageId}${attempt ? `#${attempt}` : ''}`)
    .digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 8)) bits = (bits << 8n) | BigInt(byte);
  let out = '';
  for (let i = 0; i < GENERATED_CODE_LENGTH; i++) {
    out += CODE_ALPHABET[Number((bits >> BigInt(64 - 5 * (i + 1))) & 31n)];
  }
  return `${prefix}${out}`;
}

/** The secret generated codes are made with: the current link key's (see generatedCode). */
export function codeSecret(keys: LinkKeys): string {
  const secret = keys.keys[keys.current];
  if (!secret) throw new Error(`Link key "${keys.current}" is not among the configured keys`);
  return secret;
}

/**
 * How a code is looked up: trimmed, upper case. Shops' checkouts compare codes without case, and a customer
 * types "bday-7k..." as often as "BDAY-7K...".
 */
export function codeKey(code: string): string {
  return code.trim().toUpperCase();
}

/** A code a shop may upload: letters, digits, '.', '_' and '-', 3 to 64 characters, no spaces. */
export const POOL_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/;

/**
 * The code as given with a message: the incentive's terms, in `defaultCurrency` unless the incentive names
 * its own, valid until the end of the customer's local day `validDays` after `now` (in `timeZone`), so the
 * date the email states is a whole last day where they live; the shop's checkout loads this instant.
 */
export function issuedCode(
  incentive: Incentive,
  code: string,
  now: Date,
  defaultCurrency: string,
  timeZone = 'UTC',
): IssuedCode {
  const dayAfterLast = addDays(localParts(now, timeZone), incentive.validDays + 1);
  const end = firstInstantAtOrAfter({ ...dayAfterLast, hour: 0, minute: 0 }, timeZone).getTime() - 1;
  const expiresAt = new Date(end).toISOString();
  return {
    code,
    kind: incentive.kind,
    ...(incentive.kind !== 'free_shipping' && incentive.value !== undefined
      ? { value: incentive.value }
      : {}),
    currency: incentive.currency ?? defaultCurrency,
    ...(incentive.minOrder !== undefined && incentive.minOrder > 0 ? { minOrder: incentive.minOrder } : {}),
    expiresAt,
  };
}

/** Whether a code's validity has ended at `at`. */
export function isExpired(issued: Pick<IssuedCode, 'expiresAt'>, at: Date): boolean {
  return Date.parse(issued.expiresAt) < at.getTime();
}

interface TermsWords {
  percentOff: (amount: string) => string;
  moneyOff: (amount: string) => string;
  freeShipping: string;
  nextOrder: string;
  ordersFrom: (amount: string) => string;
  validUntil: (date: string) => string;
  singleUse: string;
}

const TERMS: Record<Locale, TermsWords> = {
  en: {
    percentOff: (p) => `${p} off`,
    moneyOff: (m) => `${m} off`,
    freeShipping: 'Free shipping',
    nextOrder: 'your next order',
    ordersFrom: (m) => `orders of ${m} or more`,
    validUntil: (d) => `valid until ${d}`,
    singleUse: 'Single use.',
  },
  de: {
    percentOff: (p) => `${p} Rabatt`,
    moneyOff: (m) => `${m} Rabatt`,
    freeShipping: 'Kostenloser Versand',
    nextOrder: 'Ihre nächste Bestellung',
    ordersFrom: (m) => `Bestellungen ab ${m}`,
    validUntil: (d) => `gültig bis ${d}`,
    singleUse: 'Einmal einlösbar.',
  },
  fr: {
    percentOff: (p) => `${p} de réduction`,
    moneyOff: (m) => `${m} de réduction`,
    freeShipping: 'Livraison gratuite',
    nextOrder: 'votre prochaine commande',
    ordersFrom: (m) => `les commandes à partir de ${m}`,
    validUntil: (d) => `valable jusqu’au ${d}`,
    singleUse: 'Utilisable une seule fois.',
  },
};

/** The preposition between the offer and what it applies to (English: "15% off your next order"). */
const ON: Record<Locale, { percent: string; amount: string; free_shipping: string }> = {
  en: { percent: '', amount: '', free_shipping: 'on' },
  de: { percent: 'auf', amount: 'auf', free_shipping: 'für' },
  fr: { percent: 'sur', amount: 'sur', free_shipping: 'sur' },
};

/**
 * The code's terms in plain words, in the email's language and the customer's formats: "15% off your next
 * order, valid until 31 December 2026. Single use." / "Kostenloser Versand für Bestellungen ab 30,00 €,
 * gültig bis 31. Dezember 2026. Einmal einlösbar." The date is the expiry's in `timeZone`.
 */
export function codeTerms(issued: IssuedCode, language: Locale, tag: string, timeZone = 'UTC'): string {
  const words = TERMS[language];
  const currency = issued.currency ?? 'EUR';
  const offer =
    issued.kind === 'percent'
      ? words.percentOff(formatPercent(issued.value ?? 0, tag))
      : issued.kind === 'amount'
        ? words.moneyOff(formatMoney(issued.value ?? 0, currency, tag))
        : words.freeShipping;
  const scope =
    issued.minOrder !== undefined
      ? words.ordersFrom(formatMoney(issued.minOrder, currency, tag))
      : words.nextOrder;
  const until = words.validUntil(formatInstant(issued.expiresAt, tag, timeZone, 'date'));
  const on = ON[language][issued.kind];
  return `${offer} ${on ? `${on} ` : ''}${scope}, ${until}. ${words.singleUse}`;
}
