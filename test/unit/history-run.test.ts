/** A shop's order history as `reciprocity run` inputs: what is history, what is replayed, what is derived. */
import { describe, expect, it } from 'vitest';
import { birthdayOf, historyToRun, MAX_ORDER_LINES } from '../../cli/history-run.js';
import type { HistoricOrder, OrderHistory } from '../../cli/order-history.js';
import { profileLine } from '../../cli/profiles-import.js';
import { parseShopEvent } from '../../functions/domain/events.js';

const line = (sku: string, name = `${sku} CANDLE HOLDER`) => ({ sku, name, quantity: 2, price: 1.25 });
function order(
  orderId: string,
  customerId: string,
  at: string,
  skus: string[],
  country = 'Germany',
): HistoricOrder {
  return { orderId, customerId, at, items: skus.map((s) => line(s)), country };
}
function history(orders: HistoricOrder[]): OrderHistory {
  return {
    orders,
    rows: 0,
    kept: 0,
    dropped: { cancellation: 0, non_product: 0, no_customer: 0, not_positive: 0, unreadable: 0 },
  };
}

describe('historyToRun', () => {
  const input = history([
    order('536365', '17850', '2011-04-03T09:00:00.000Z', ['85123A', '71053']),
    order('536366', '17850', '2011-05-20T10:00:00.000Z', ['85123A']),
    order('536400', '12345', '2011-06-10T12:00:00.000Z', ['22633'], 'Atlantis'),
    order('536401', '17850', '2011-06-11T12:00:00.000Z', ['71053']),
    order('536500', '17850', '2011-07-02T12:00:00.000Z', ['71053']),
  ]);
  const run = historyToRun(input, { split: new Date('2011-06-01'), until: new Date('2011-07-01') });

  it('imports past orders as profiles and replays later orders as events, all valid inputs', () => {
    expect(run.profiles).toHaveLength(1);
    const [profile] = run.profiles;
    expect(profileLine.safeParse(profile).success).toBe(true);
    expect(profile).toMatchObject({
      customerId: '17850',
      email: 'customer-17850@customers.example',
      locale: 'de-DE',
      timeZone: 'Europe/Berlin',
      consent: { email: 'opted_in', source: 'order-history-import' },
    });
    expect((profile as { orders: unknown[] }).orders).toHaveLength(2);
    for (const event of run.events) expect(parseShopEvent(event, { allowHttpUrls: false }).ok).toBe(true);
    const types = run.events.map((e) => `${e['detail-type']} ${e.id}`);
    // The catalogue at the start, the new customer just before their first order, orders at their times;
    // nothing after --until.
    expect(types).toEqual([
      'product.upserted product-22633',
      'product.upserted product-71053',
      'product.upserted product-85123A',
      'customer.upserted customer-12345',
      'order.placed order-536400',
      'order.placed order-536401',
    ]);
    // Catalogue prices in the shop's currency (recommendations outside an order would say EUR otherwise);
    // 17850 ordered one of their first order's two items again next time: a restocking shop.
    expect(run.config).toEqual({ sender: { currency: 'GBP' }, reorders: 'everything' });
    expect(run.facts.restockShare).toBe(0.5);
    expect(run.facts).toMatchObject({
      customers: 2,
      customersWithHistory: 1,
      pastOrders: 2,
      products: 3,
      orderEvents: 2,
    });
  });

  it('keeps reorders at "regulars" for a shop whose customers do not buy the same items again', () => {
    const oneOffs = history([
      order('1', 'A', '2011-01-03T09:00:00.000Z', ['1', '2', '3', '4', '5', '6']),
      order('2', 'A', '2011-02-03T09:00:00.000Z', ['7', '8', '9', '10', '11', '12']),
      order('3', 'A', '2011-03-03T09:00:00.000Z', ['13', '7']),
      order('4', 'A', '2011-06-20T09:00:00.000Z', ['13', '14']),
    ]);
    const shop = historyToRun(oneOffs, { split: new Date('2011-06-01'), until: new Date('2011-07-01') });
    // 1 of 12 items back next time, and the replayed month (13 again) is not looked at.
    expect(shop.facts.restockShare).toBeCloseTo(1 / 12);
    expect(shop.config.reorders).toBe('regulars');
  });

  it('derives a category from the name, the first sale as addedAt, and the shop place for unknown countries', () => {
    const product = run.events.find((e) => e.id === 'product-85123A')?.detail as Record<string, unknown>;
    expect(product).toMatchObject({
      category: 'candles-and-lights',
      addedAt: '2011-04-03T09:00:00.000Z',
      inStock: true,
    });
    const signup = run.events.find((e) => e.id === 'customer-12345')?.detail as Record<string, unknown>;
    expect(signup).toMatchObject({ timeZone: 'Europe/London', locale: 'en-GB' });
  });

  it('is deterministic, samples by customer, and cuts orders to the event contract', () => {
    expect(historyToRun(input, { split: new Date('2011-06-01'), until: new Date('2011-07-01') })).toEqual(
      run,
    );
    expect(birthdayOf('17850')).toBe(birthdayOf('17850'));
    expect(birthdayOf('17850')).toMatch(/^19[5-9]\d-\d{2}-\d{2}$/);
    const big = history([
      order(
        '1',
        'A',
        '2011-06-02T00:00:00.000Z',
        Array.from({ length: 250 }, (_, i) => String(10000 + i)),
      ),
    ]);
    const cut = historyToRun(big, { split: new Date('2011-06-01'), until: new Date('2011-07-01') });
    const placed = cut.events.find((e) => e['detail-type'] === 'order.placed')?.detail as {
      items: unknown[];
    };
    expect(placed.items).toHaveLength(MAX_ORDER_LINES);
    expect(cut.facts.ordersCut).toBe(1);
    const many = history(
      Array.from({ length: 200 }, (_, i) => order(String(i), `C${i}`, '2011-05-01T00:00:00.000Z', ['10001'])),
    );
    const sampled = historyToRun(many, {
      split: new Date('2011-06-01'),
      until: new Date('2011-07-01'),
      sample: 0.25,
    });
    expect(sampled.profiles.length).toBeGreaterThan(30);
    expect(sampled.profiles.length).toBeLessThan(70);
  });
});
