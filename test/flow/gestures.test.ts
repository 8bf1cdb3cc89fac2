/**
 * Gestures before asks, through the synthesized state machine with the real handlers (default caps: one a
 * day): a cart reminder due while a thank-you waits for the morning yields to it, and a thank-you whose cap
 * slot an ask took between CheckConsent and Send is deferred until the slot frees up, never dropped.
 */
import { describe, expect, it } from 'vitest';
import { toHandler } from '../../functions/app/lambda.js';
import type { Delivery } from '../../functions/domain/model.js';
import { send } from '../../functions/usecases/send.js';
import { customer, deliver, emailsTo, ledgerOf, order, shopEvent, stores, useEmbedded } from './helpers.js';

function cart(customerId: string, cartId: string) {
  return {
    customerId,
    cartId,
    items: [{ sku: 'TEA-9', name: 'Genmaicha', price: 9, quantity: 1, category: 'tea' }],
    currency: 'EUR',
    total: 9,
  };
}

describe('Workflow: an ask yields to a gesture due the same day', () => {
  // Holdout off: the rule is about reachable customers; the holdout has its own tests.
  const embedded = useEmbedded({
    start: new Date('2026-12-01T00:00:00Z'),
    config: { holdout: { enabled: false } },
    templatesDir: 'templates',
  });

  it('skips a cart reminder while the thank-you waits for the morning, and the thank-you goes', async () => {
    // Prepare: an order at 22:00 Berlin (its thank-you waits for 08:00), then a new cart at 22:15, whose
    // reminder is due at 23:15
    const id = 'EVENING';
    await deliver(
      embedded,
      '2026-12-01T23:00:00Z',
      shopEvent('customer.upserted', '2026-12-01T20:00:00Z', customer(id)),
      shopEvent('order.placed', '2026-12-01T21:00:00Z', order(id, `O-${id}`)),
      shopEvent('cart.updated', '2026-12-01T21:15:00Z', cart(id, `K-${id}`)),
    );
    // Order intake recorded the thank-you it started, in the profile write it makes anyway.
    const pending = Object.values((await stores().profiles.get(id))?.pendingGestures ?? {});
    expect(pending).toEqual([
      { journey: 'order_followup', dueAt: '2026-12-01T21:00:00.000Z', until: '2026-12-04T21:00:00.000Z' },
    ]);

    // Act: on to the next day
    await embedded.runUntil(new Date('2026-12-02T12:00:00Z'));

    // Assess: one email, the thank-you at 08:00 Berlin; the reminder yielded to it
    const emails = await emailsTo(embedded, id);
    expect(emails.map((e) => e.sentAt)).toEqual(['2026-12-02T07:00:00.000Z']);
    const byKey = Object.fromEntries((await ledgerOf(id)).map((e) => [e.triggerKey, e]));
    expect(byKey[`order_followup:order:O-${id}`]).toMatchObject({ decision: 'sent' });
    expect(byKey[`cart_reminder:cart:K-${id}`]).toMatchObject({
      decision: 'skipped',
      reason: 'yields_to_gesture',
    });
    // Sent, the thank-you is pending no longer.
    expect((await stores().profiles.get(id))?.pendingGestures).toEqual({});
  });

  it('sends the same reminder to a customer with no gesture due', async () => {
    const id = 'NOGIFT';
    await deliver(
      embedded,
      '2026-12-03T12:00:00Z',
      shopEvent('customer.upserted', '2026-12-02T20:00:00Z', customer(id)),
      shopEvent('cart.updated', '2026-12-02T21:15:00Z', cart(id, `K-${id}`)),
    );
    // Deferred past quiet hours, then sent: nothing to yield to.
    expect((await emailsTo(embedded, id)).map((e) => e.sentAt)).toEqual(['2026-12-03T07:00:00.000Z']);
  });
});

describe('Workflow: a thank-you capped at Send is deferred, not dropped', () => {
  /** Customers for whom an ask takes the day's cap slot just before their thank-you reaches Send. */
  const raced = new Set(['RACED']);
  const embedded = useEmbedded({
    start: new Date('2026-12-01T00:00:00Z'),
    config: { holdout: { enabled: false } },
    templatesDir: 'templates',
    handlers: {
      send: async (event, deps) => {
        const { state } = event as { state: { customerId: string } };
        if (raced.delete(state.customerId)) {
          // An ask reserves the slot between CheckConsent (which said send) and this Send.
          const profile = await deps.stores.profiles.get(state.customerId);
          const at = deps.clock().toISOString();
          await deps.stores.profiles.replaceRecentSends(
            state.customerId,
            profile?.capVersion ?? 0,
            [...(profile?.recentSends ?? []), at],
            [...(profile?.recentKinds ?? []), { at, kind: 'ask' }],
          );
        }
        return toHandler(send, deps)(event, { awsRequestId: `send-${deps.clock().getTime()}` } as never);
      },
    },
  });

  it('defers the thank-you to when the slot frees up and sends it then, once', async () => {
    // Act: the order at 10:00 UTC (11:00 Berlin); the ask took the day's slot at that instant
    await deliver(
      embedded,
      '2026-12-01T12:00:00Z',
      shopEvent('customer.upserted', '2026-12-01T09:00:00Z', customer('RACED')),
      shopEvent('order.placed', '2026-12-01T10:00:00Z', order('RACED', 'O-RACED')),
    );
    const [waiting] = await ledgerOf('RACED');
    const run = embedded
      .executions()
      .find((e) => (e.input as { customerId?: string }).customerId === 'RACED');

    // Assess: routed from Send to Defer, not recorded as a skip
    expect(run?.statesEntered).toEqual([
      'Personalize',
      'CanPersonalize',
      'CheckConsent',
      'Route',
      'Send',
      'AfterSend',
      'Defer',
      'Done',
    ]);
    expect((run?.output as { delivery?: Delivery } | undefined)?.delivery).toMatchObject({
      status: 'capped',
    });
    expect(waiting).toMatchObject({
      decision: 'deferred',
      reason: 'capped_daily',
      deferredUntil: '2026-12-02T10:00:00.000Z',
    });
    expect(await emailsTo(embedded, 'RACED')).toHaveLength(0);

    // Act: the day's slot frees up 24 h after the ask
    await embedded.runUntil(new Date('2026-12-02T12:00:00Z'));

    // Assess
    const emails = await emailsTo(embedded, 'RACED');
    expect(emails.map((e) => e.sentAt)).toEqual(['2026-12-02T10:00:00.000Z']);
    const [sent] = await ledgerOf('RACED');
    expect(sent?.history?.map((h) => h.decision)).toEqual(['deferred', 'sending', 'sent']);
  });
});
