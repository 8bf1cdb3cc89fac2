import { describe, expect, it } from 'vitest';
import { eventJsonSchemas } from '../../cli/schemas.js';
import { parseShopEvent } from '../../functions/domain/events.js';

const envelope = { id: 'e1', source: 'shop', time: '2026-11-25T10:00:00Z' };

describe('Function: parseShopEvent', () => {
  it('accepts each detail type of the contract', () => {
    const events = [
      {
        'detail-type': 'customer.upserted',
        detail: {
          customerId: 'c1',
          email: 'a@b.example',
          birthday: '--02-29',
          timeZone: 'Europe/Berlin',
          consent: { email: 'opted_in', topics: { winback: false } },
        },
      },
      { 'detail-type': 'customer.activity', detail: { customerId: 'c1', kind: 'page_view' } },
      {
        'detail-type': 'cart.updated',
        detail: { customerId: 'c1', cartId: 'k1', items: [], currency: 'EUR', total: 0 },
      },
      {
        'detail-type': 'order.placed',
        detail: {
          customerId: 'c1',
          orderId: 'o1',
          items: [{ sku: 's', name: 'n', price: 1, quantity: 1 }],
          currency: 'EUR',
          total: 1,
        },
      },
    ];
    for (const event of events) expect(parseShopEvent({ ...envelope, ...event }).ok).toBe(true);
  });

  it('names every failing field in its error', () => {
    const result = parseShopEvent({
      ...envelope,
      'detail-type': 'customer.upserted',
      detail: { customerId: 'c1', email: 'not-an-email', timeZone: 'Mars/Olympus', birthday: '2026-02-30' },
    });
    expect(result.ok).toBe(false);
    const error = (result as { error: string }).error;
    expect(error).toContain('detail.email');
    expect(error).toContain('detail.timeZone');
    expect(error).toContain('detail.birthday: is not a real calendar date');
  });

  it('judges a time zone the same however often it is seen, among many others (zones checked are remembered)', () => {
    const zone = (timeZone: string) =>
      parseShopEvent({
        ...envelope,
        'detail-type': 'customer.upserted',
        detail: { customerId: 'c1', email: 'a@b.example', timeZone },
      }).ok;
    const answers = () =>
      ['Europe/Berlin', 'Mars/Olympus', 'UTC', 'Berlin', 'America/Argentina/Salta'].map(zone);
    const first = answers();
    expect(first).toEqual([true, false, true, false, true]);
    for (let i = 0; i < 1100; i++) zone(`Nowhere/Zone${i}`);
    expect(answers()).toEqual(first);
    expect(answers()).toEqual(first);
  });

  it('takes a vote on either an item or a category, not both or neither', () => {
    const vote = (detail: object) =>
      parseShopEvent({ ...envelope, 'detail-type': 'feedback.given', detail }).ok;
    expect(vote({ customerId: 'c1', sku: 'S', vote: 'down' })).toBe(true);
    expect(vote({ customerId: 'c1', category: 'tea', vote: 'up', messageId: 'm' })).toBe(true);
    expect(vote({ customerId: 'c1', sku: 'S', category: 'tea', vote: 'up' })).toBe(false);
    expect(vote({ customerId: 'c1', vote: 'up' })).toBe(false);
  });

  it('rejects an unknown detail type, a missing time and a non-object', () => {
    expect(parseShopEvent({ ...envelope, 'detail-type': 'cart.exploded', detail: {} }).ok).toBe(false);
    expect(
      parseShopEvent({
        id: 'e',
        source: 's',
        'detail-type': 'customer.activity',
        detail: { customerId: 'c', kind: 'k' },
      }).ok,
    ).toBe(false);
    expect(parseShopEvent('hello').ok).toBe(false);
  });

  it('exports a JSON Schema for the envelope and each detail type', () => {
    const schemas = eventJsonSchemas();
    expect(Object.keys(schemas).sort()).toEqual([
      'cart.updated',
      'customer.activity',
      'customer.upserted',
      'envelope',
      'feedback.given',
      'order.placed',
      'product.upserted',
    ]);
    expect((schemas['order.placed'] as { required: string[] }).required).toEqual(
      expect.arrayContaining(['customerId', 'orderId', 'items', 'currency', 'total']),
    );
  });
});
