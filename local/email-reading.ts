/**
 * What a reader of an email sees in it, for the simulated audience: its links (content, our own pages, vote
 * links with the item and answer they carry) and its one-click unsubscribe header.
 */
import { linkKind } from '../functions/domain/engagement.js';
import { type LinkKeys, readLinkClaims } from '../functions/domain/links.js';
import type { Product } from '../functions/domain/recommend.js';
import type { EmailLink } from './audience.js';
import type { AcceptedEmail } from './ses.js';

/** The links of an email's HTML, in order, each once, with what a reader knows about it. */
export function linksOf(
  html: string,
  publicBaseUrl: string,
  products: ReadonlyMap<string, Product>,
  keys: LinkKeys,
): EmailLink[] {
  const byUrl = new Map<string, Product>();
  for (const p of products.values()) if (p.url) byUrl.set(p.url, p);
  const seen = new Set<string>();
  const links: EmailLink[] = [];
  for (const [, raw] of html.matchAll(/href="([^"]+)"/g)) {
    const url = (raw ?? '').replaceAll('&amp;', '&');
    if (seen.has(url) || !/^https?:/.test(url)) continue;
    seen.add(url);
    const kind = linkKind(url, publicBaseUrl);
    if (kind === 'vote') {
      const data = claimsOf(url, keys)?.data;
      const vote = data?.vote === 'up' || data?.vote === 'down' ? data.vote : undefined;
      const category = data?.sku ? products.get(data.sku)?.category : undefined;
      links.push({
        url,
        kind,
        ...(data?.sku ? { sku: data.sku } : {}),
        ...(category ? { category } : {}),
        ...(vote ? { vote } : {}),
      });
      continue;
    }
    const product = kind === 'content' ? byUrl.get(url) : undefined;
    links.push({
      url,
      kind,
      ...(product ? { sku: product.sku, ...(product.category ? { category: product.category } : {}) } : {}),
    });
  }
  return links;
}

/**
 * The gift code the email shows: the code its message carries (its ledger entry's), when the reader can
 * actually read it in the text or the HTML. An email whose template left the code out gives the reader none.
 */
export function codeShown(
  email: Pick<AcceptedEmail, 'text' | 'html'>,
  code: string | undefined,
): string | undefined {
  if (!code) return undefined;
  return email.text?.includes(code) || email.html?.includes(code) ? code : undefined;
}

/** The one-click unsubscribe URL, when the email offers it (List-Unsubscribe with List-Unsubscribe-Post). */
export function oneClick(email: AcceptedEmail): { oneClickUnsubscribe?: string } {
  const header = (name: string) => email.headers.find((h) => h.name.toLowerCase() === name)?.value;
  if (header('list-unsubscribe-post') !== 'List-Unsubscribe=One-Click') return {};
  const url = /<(https?:[^>]+)>/.exec(header('list-unsubscribe') ?? '')?.[1];
  return url ? { oneClickUnsubscribe: url } : {};
}

/**
 * A signed link's claims, opened with the runtime's link keys (tokens are encrypted): which item and which
 * answer a vote link carries, as its label in the email tells the reader. Undefined for a token that does not open.
 */
export function claimsOf(url: string, keys: LinkKeys): { data?: Record<string, string> } | undefined {
  const token = new URL(url).pathname.split('/').at(-1) ?? '';
  const read = readLinkClaims(token, keys);
  return read.ok ? read.claims : undefined;
}
