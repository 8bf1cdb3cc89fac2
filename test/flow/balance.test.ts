/**
 * The give/ask balance and the per-journey holdout, through the synthesized state machine with the real
 * handlers: what was (not) sent, and the reason recorded in the ledger.
 */
import { describe, expect, it } from 'vitest';
import { inHoldout } from '../../functions/domain/holdout.js';
import type { Embedded } from '../../local/runtime.js';
import { customer, deliver, emailsTo, ledgerOf, order, shopEvent, stores, useEmbedded } from './helpers.js';

// Generous caps, so three reminders in a week are limited by the balance alone, never by the weekly cap.
const CAPS = { perDay: 10, perWeek: 20 };

function cart(customerId: string, cartId: string) {
  return {
    customerId,
    cartId,
    items: [{ sku: 'TEA-9', name: 'Genmaicha', price: 9, quantity: 1, category: 'tea' }],
    currency: 'EUR',
    total: 9,
  };
}

/** Three carts left on days 1, 3 and 5 at 11:00 Berlin; each reminder is due an hour later. */
async function threeAbandonedCarts(embedded: Embedded, customerId: string) {
  await deliver(
    embedded,
    '2026-12-05T12:00:00Z',
    shopEvent('customer.upserted', '2026-12-01T09:00:00Z', customer(customerId)),
    shopEvent('cart.updated', '2026-12-01T10:00:00Z', cart(customerId, `K-${customerId}-1`)),
    shopEvent('cart.updated', '2026-12-03T10:00:00Z', cart(customerId, `K-${customerId}-2`)),
    shopEvent('cart.updated', '2026-12-05T10:00:00Z', cart(customerId, `K-${customerId}-3`)),
  );
}

/** A customer id the pure holdout function puts in (held=true) or out of the journey's default 5%. */
function customerId(prefix: string, journey: 'cart_reminder' | 'order_followup', held: boolean): string {
  for (let i = 0; i < 10_000; i++) {
    if (inHoldout(journey, `${prefix}${i}`, 0.05) === held) return `${prefix}${i}`;
  }
  throw new Error('no such customer id');
}

describe('Workflow: give/ask balance and holdout (default switches on)', () => {
  const embedded = useEmbedded({
    start: new Date('2026-12-01T00:00:00Z'),
    config: { caps: CAPS },
    templatesDir: 'templates',
  });

  it('holds back the third cart reminder of a week without gestures, recorded as ask_balance', async () => {
    // Prepare: a customer outside the cart-reminder holdout, so only the balance can stop a reminder
    const id = customerId('ASKS', 'cart_reminder', false);
    // Act
    await threeAbandonedCarts(embedded, id);
    // Assess
    expect((await emailsTo(embedded, id)).map((e) => e.sentAt)).toEqual([
      '2026-12-01T11:00:00.000Z',
      '2026-12-03T11:00:00.000Z',
    ]);
    const byCart = Object.fromEntries((await ledgerOf(id)).map((e) => [e.triggerKey, e]));
    expect(byCart[`cart_reminder:cart:K-${id}-1`]).toMatchObject({ decision: 'sent' });
    expect(byCart[`cart_reminder:cart:K-${id}-2`]).toMatchObject({ decision: 'sent' });
    expect(byCart[`cart_reminder:cart:K-${id}-3`]).toMatchObject({
      decision: 'skipped',
      reason: 'ask_balance',
    });
    // Only what went out is counted, each with its class, in the same write as the frequency cap.
    const profile = await stores().profiles.get(id);
    expect(profile?.recentKinds).toEqual([
      { at: '2026-12-01T11:00:00.000Z', kind: 'ask' },
      { at: '2026-12-03T11:00:00.000Z', kind: 'ask' },
    ]);
    expect(profile?.recentSends).toHaveLength(2);
  });

  it('sends a held-out customer no thank-you and records a holdout skip', async () => {
    // Prepare: found through the same pure function the decision uses
    const id = customerId('HELD', 'order_followup', true);
    // Act
    await deliver(
      embedded,
      '2026-12-06T10:05:00Z',
      shopEvent('customer.upserted', '2026-12-06T09:00:00Z', customer(id)),
      shopEvent('order.placed', '2026-12-06T10:00:00Z', order(id, `O-${id}`)),
    );
    // Assess
    expect(await emailsTo(embedded, id)).toHaveLength(0);
    expect(await ledgerOf(id)).toMatchObject([
      {
        decision: 'skipped',
        reason: 'holdout',
        journey: 'order_followup',
        triggerKey: `order_followup:order:O-${id}`,
      },
    ]);
    // Not sent, so not counted by the balance either.
    expect((await stores().profiles.get(id))?.recentKinds).toBeUndefined();
  });
});

describe('Workflow: give/ask balance and holdout switched off', () => {
  const embedded = useEmbedded({
    start: new Date('2026-12-01T00:00:00Z'),
    config: { caps: CAPS, balance: { enabled: false }, holdout: { enabled: false } },
    templatesDir: 'templates',
  });

  it('sends all three cart reminders when the balance is off', async () => {
    // Prepare / Act: the same customer id as above, so only the switch differs
    const id = customerId('ASKS', 'cart_reminder', false);
    await threeAbandonedCarts(embedded, id);
    // Assess
    expect(await emailsTo(embedded, id)).toHaveLength(3);
    expect((await ledgerOf(id)).map((e) => e.decision)).toEqual(['sent', 'sent', 'sent']);
  });

  it('sends the thank-you to a customer who would be held out', async () => {
    const id = customerId('HELD', 'order_followup', true);
    await deliver(
      embedded,
      '2026-12-06T10:05:00Z',
      shopEvent('customer.upserted', '2026-12-06T09:00:00Z', customer(id)),
      shopEvent('order.placed', '2026-12-06T10:00:00Z', order(id, `O-${id}`)),
    );
    expect(await emailsTo(embedded, id)).toHaveLength(1);
    expect(await ledgerOf(id)).toMatchObject([{ decision: 'sent', journey: 'order_followup' }]);
  });
});
