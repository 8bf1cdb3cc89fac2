/** A catalogue product for the recommendation tests: price 10, its name the sku. */
import type { Product } from '../../functions/domain/recommend.js';

export const product = (
  sku: string,
  category: string,
  orderCount: number,
  extra: Partial<Product> = {},
): Product => ({ sku, name: sku, price: 10, category, orderCount, ...extra });
