/**
 * The brand kit: the shop's name, logo, colours, links and addresses, used by every email and customer page.
 * Every key has a default that looks finished (a wordmark in the shop's name when there is no logo), and the
 * older `sender.shopName` / `sender.postalAddress` keys still fill the name and address when `brand` does not.
 */
import * as z from './zod.js';

const colour = z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1f5f4a'));

export const brandSchema = z.strictObject({
  /** The shop's name as customers know it (default: `sender.shopName`). */
  name: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  /** The company behind it, in the footer ("Demo Shop GmbH"); default: the name. */
  legalName: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  /** An https URL of the logo (PNG or JPEG: many mail clients show no SVG), shown at `logoWidth` px. */
  logoUrl: z.optional(z.url({ protocol: /^https$/ })),
  logoWidth: z._default(z.number().check(z.int(), z.minimum(40), z.maximum(300)), 140),
  /** The shop's home page: the win-back's way back, and the fallback of every button. */
  shopUrl: z._default(z.url(), 'https://shop.example'),
  /** Where customers write to a person (shown in the footer and on every page). */
  supportEmail: z.optional(z.email()),
  /** Postal address, in every marketing email (CAN-SPAM); default: `sender.postalAddress`. */
  postalAddress: z.optional(z.string().check(z.minLength(3), z.maxLength(300))),
  /** The display name in From (default: the From address's own). */
  senderName: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  colors: z._default(
    z.strictObject({
      /** Buttons, links and the header rule: needs 4.5:1 against white for its white button text. */
      primary: z._default(colour, '#1f5f4a'),
      /** The page behind the email's card. */
      background: z._default(colour, '#f4f1ec'),
      text: z._default(colour, '#1a1a1a'),
      muted: z._default(colour, '#555555'),
    }),
    { primary: '#1f5f4a', background: '#f4f1ec', text: '#1a1a1a', muted: '#555555' },
  ),
});

export type BrandInput = z.infer<typeof brandSchema>;

/** The brand with every default resolved: what templates see as `shop` and pages as their frame. */
export interface Brand {
  name: string;
  legalName: string;
  logoUrl?: string;
  logoWidth: number;
  shopUrl: string;
  supportEmail?: string;
  postalAddress: string;
  colors: { primary: string; background: string; text: string; muted: string };
}

export function resolveBrand(config: {
  brand: BrandInput;
  sender: { shopName: string; postalAddress: string };
}): Brand {
  const b = config.brand;
  const name = b.name ?? config.sender.shopName;
  return {
    name,
    legalName: b.legalName ?? name,
    ...(b.logoUrl ? { logoUrl: b.logoUrl } : {}),
    logoWidth: b.logoWidth,
    shopUrl: b.shopUrl,
    ...(b.supportEmail ? { supportEmail: b.supportEmail } : {}),
    postalAddress: b.postalAddress ?? config.sender.postalAddress,
    colors: b.colors,
  };
}

/** The From header: the brand's sender name over the configured address, when one is set. */
export function fromHeader(from: string, senderName: string | undefined): string {
  if (!senderName) return from;
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
  const quoted = senderName.replace(/["\\\r\n]/g, '');
  return `"${quoted}" <${address}>`;
}
