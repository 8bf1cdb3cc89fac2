/**
 * What a reader of the simulated audience (local/audience.ts) buys when the email featured nothing to buy
 * (a birthday wish with a gift code): an item of their own taste, found in the catalogue as a shopper would.
 */
import type { Stores } from '../functions/app/deps.js';
import type { LedgerEntry } from '../functions/domain/ledger.js';
import type { Product } from '../functions/domain/recommend.js';
import { type AudienceModel, likes, uniform } from './audience.js';

/**
 * A popular, in-stock item of a favourite category: the given tastes, else the categories the customer
 * bought from that they like, failing that any they bought from; the pick is a draw keyed by the message and
 * `what`, like every other audience decision. Undefined when nothing is known of their taste.
 */
export async function itemOfOwnTaste(
  model: AudienceModel,
  stores: Pick<Stores, 'profiles' | 'products'>,
  entry: Pick<LedgerEntry, 'customerId' | 'messageId'>,
  what: string,
): Promise<Product | undefined> {
  const profile = await stores.profiles.get(entry.customerId);
  const known = [
    ...new Set([
      ...(model.tastes[entry.customerId] ?? []),
      ...Object.keys(profile?.purchasedCategories ?? {}),
    ]),
  ];
  const liked = known.filter((c) => likes(model, entry.customerId, c));
  const categories = (liked.length ? liked : known).sort();
  if (categories.length === 0) return undefined;
  const items = (await stores.products.popularIn(categories, 5))
    .filter((p) => p.inStock !== false)
    .sort((a, b) => b.orderCount - a.orderCount || a.sku.localeCompare(b.sku));
  if (items.length === 0) return undefined;
  return items[Math.floor(uniform(model.seed, entry.messageId, `gift-item-${what}`) * items.length)];
}
