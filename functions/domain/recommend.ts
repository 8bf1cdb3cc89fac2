/** Recommendations: popular in-stock items from the categories the customer is shopping, never what they hold. */
import type { RecommendationView } from './render.js';

export interface Product extends RecommendationView {
  orderCount: number;
  inStock?: boolean;
}

/** Ranks candidates by popularity, drops excluded and out-of-stock items and duplicates, keeps `limit`. */
export function pickRecommendations(
  candidates: readonly Product[],
  exclude: ReadonlySet<string>,
  limit: number,
): RecommendationView[] {
  const unique = new Map<string, Product>();
  for (const p of candidates) if (!unique.has(p.sku)) unique.set(p.sku, p);
  return [...unique.values()]
    .filter((p) => p.inStock !== false && !exclude.has(p.sku))
    .sort((a, b) => b.orderCount - a.orderCount || a.sku.localeCompare(b.sku))
    .slice(0, limit)
    .map(({ orderCount: _count, inStock: _stock, ...view }) => view);
}
