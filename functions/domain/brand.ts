/**
 * The brand kit: the shop's name, logo, colours, links and addresses, used by every email and customer page.
 * Every key has a default that looks finished (a wordmark in the shop's name when there is no logo), and the
 * older `sender.shopName` / `sender.postalAddress` keys still fill the name and address when `brand` does not.
 */
import * as z from 'zod';

const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1f5f4a');

export const brandSchema = z
  .object({
    /** The shop's name as customers know it (default: `sender.shopName`). */
    name: z.string().min(1).max(100).optional(),
    /** The company behind it, in the footer ("Demo Shop GmbH"); default: the name. */
    legalName: z.string().min(1).max(200).optional(),
    /** An https URL of the logo (PNG or JPEG: many mail clients show no SVG), shown at `logoWidth` px. */
    logoUrl: z.url({ protocol: /^https$/ }).optional(),
    logoWidth: z.number().int().min(40).max(300).default(140),
    /** The shop's home page: the win-back's way back, and the fallback of every button. */
    shopUrl: z.url().default('https://shop.example'),
    /** Where customers write to a person (shown in the footer and on every page). */
    supportEmail: z.email().optional(),
    /** Postal address, in every marketing email (CAN-SPAM); default: `sender.postalAddress`. */
    postalAddress: z.string().min(3).max(300).optional(),
    /** The display name in From (default: the From address's own). */
    senderName: z.string().min(1).max(100).optional(),
    colors: z
      .object({
        /** Buttons, links and the header rule: needs 4.5:1 against white for its white button text. */
        primary: colour.default('#1f5f4a'),
        /** The page behind the email's card. */
        background: colour.default('#f4f1ec'),
        text: colour.default('#1a1a1a'),
        muted: colour.default('#555555'),
      })
      .strict()
      .default({ primary: '#1f5f4a', background: '#f4f1ec', text: '#1a1a1a', muted: '#555555' }),
  })
  .strict();

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
