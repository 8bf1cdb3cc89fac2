/**
 * The simulated audience and gift codes: a reader sees a code only when the email shows it, a birthday wish
 * that features nothing still leads to orders when it carries a gift (the driver picks an item of the
 * reader's taste), and never without one; the item is a popular one of a favourite category.
 */
import { describe, expect, it } from 'vitest';
import type { Stores } from '../../functions/app/deps.js';
import type { Product } from '../../functions/domain/recommend.js';
import { audienceModel, decideFate, type ReadEmail } from '../../local/audience.js';
import { itemOfOwnTaste } from '../../local/audience-taste.js';
import { codeShown } from '../../local/email-reading.js';

const SENT = new Date('2026-12-01T10:00:00Z');
const model = audienceModel({
  seed: 7,
  tastes: { C1: ['tea'] },
  rates: { deadAddressShare: 0, softBounce: 0 },
});

/** A birthday wish: no items, one link to the shop. */
function wish(messageId: string, code?: string): ReadEmail {
  return {
    messageId,
    customerId: 'C1',
    address: 'c1@customers.example',
    journey: 'birthday',
    sentAt: SENT,
    timeZone: 'Europe/Berlin',
    categories: [],
    recommended: [],
    links: [{ url: 'https://shop.example/', kind: 'content' }],
    recentEmails: 0,
    ...(code ? { code } : {}),
  };
}

const orders = (code?: string) =>
  Array.from({ length: 600 }, (_, i) => decideFate(model, wish(`M-${i}`, code))).flatMap((f) =>
    f.actions.filter((a) => a.type === 'order'),
  );

describe('Audience: gift codes', () => {
  it('reads the code only when the email shows it', () => {
    expect(codeShown({ text: 'Your code: BDAY-7K', html: '' }, 'BDAY-7K')).toBe('BDAY-7K');
    expect(codeShown({ html: '<div>BDAY-7K</div>' }, 'BDAY-7K')).toBe('BDAY-7K');
    expect(codeShown({ text: 'Happy birthday!', html: '<p>Happy birthday!</p>' }, 'BDAY-7K')).toBeUndefined();
    expect(codeShown({ text: 'BDAY-7K' }, undefined)).toBeUndefined();
  });

  it('orders after a gift that features nothing, leaving the item to the driver; never without the gift', () => {
    const withGift = orders('BDAY-7K');
    expect(withGift.length).toBeGreaterThan(5);
    for (const order of withGift) expect(order).toMatchObject({ skus: [], fromCart: false });
    expect(orders()).toHaveLength(0);
  });

  it('picks a popular in-stock item of a favourite category, the same one for the same message', async () => {
    const catalogue: Product[] = [
      { sku: 'TEA-1', name: 'Sencha', category: 'tea', price: 12, inStock: true, orderCount: 9 },
      { sku: 'TEA-2', name: 'Matcha', category: 'tea', price: 20, inStock: false, orderCount: 30 },
      { sku: 'CUP-1', name: 'Cup', category: 'cups', price: 8, inStock: true, orderCount: 50 },
    ] as Product[];
    const stores = {
      profiles: { get: async () => ({ purchasedCategories: { cups: 2 } }) },
      products: {
        popularIn: async (categories: readonly string[]) =>
          catalogue.filter((p) => categories.includes(p.category ?? '')),
      },
    } as unknown as Pick<Stores, 'profiles' | 'products'>;
    const entry = { customerId: 'C1', messageId: 'M-1' };
    const pick = await itemOfOwnTaste(model, stores, entry, '0');
    // C1 likes tea (given), not cups: the in-stock tea.
    expect(pick?.sku).toBe('TEA-1');
    expect((await itemOfOwnTaste(model, stores, entry, '0'))?.sku).toBe(pick?.sku);
    const stranger = await itemOfOwnTaste(model, stores, { customerId: 'C9', messageId: 'M-1' }, '0');
    // No given tastes: the categories they bought from (cups).
    expect(stranger?.sku).toBe('CUP-1');
  });
});
