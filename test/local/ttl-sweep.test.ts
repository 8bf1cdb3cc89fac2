/**
 * Embedded mode's stand-in for DynamoDB TTL: once a simulated day, items whose expiresAt has passed on the
 * simulated clock are deleted (dynalite never expires anything), and everything newer stays.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cart } from '../../functions/domain/model.js';
import { type Embedded, startEmbedded } from '../../local/runtime.js';
import { sweepExpired } from '../../local/ttl-sweep.js';

/** No task states: these tests write the stores themselves and run no message. */
const WORKFLOW = {
  asl: { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } },
  logicalId: 'Workflow',
  stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Workflow',
};

const message = (id: string) =>
  ({
    messageId: id,
    customerId: 'C1',
    journey: 'order_followup',
    triggerKey: `order_followup:order:${id}`,
  }) as const;
const cart = (cartId: string, updatedAt: string): Cart => ({
  cartId,
  customerId: 'C1',
  status: 'open',
  items: [{ sku: 'TEA-1', name: 'Sencha', price: 9, quantity: 1 }],
  currency: 'EUR',
  total: 9,
  updatedAt,
});

describe('Embedded mode: the TTL sweep (default retention: messages 400 d, carts 90 d, stats 730 d)', () => {
  let embedded: Embedded;
  beforeAll(async () => {
    embedded = await startEmbedded({ start: new Date('2026-12-01T00:00:00Z'), workflow: WORKFLOW });
    const { ledger, carts, stats } = embedded.stores;
    // Prepare: one item past its retention and one within it, in each table
    await ledger.decide(message('OLD'), 'skipped', '2025-10-01T10:00:00.000Z', { reason: 'holdout' });
    await ledger.decide(message('NEW'), 'skipped', '2026-11-30T10:00:00.000Z', { reason: 'holdout' });
    await carts.putIfNewer(cart('K-OLD', '2026-08-01T10:00:00.000Z'));
    await carts.putIfNewer(cart('K-NEW', '2026-11-30T10:00:00.000Z'));
    const row = { journey: 'order_followup', variant: 'A', version: 'v000001' } as const;
    await stats.add({ ...row, day: '2024-11-01' }, { sent: 1 });
    await stats.add({ ...row, day: '2026-11-30' }, { sent: 1 });
  });
  afterAll(async () => {
    await embedded?.stop();
  });

  it('deletes an old message, cart and counter row once its day has come, and keeps recent ones', async () => {
    // Prepare: nothing is deleted before the first sweep (00:30 UTC)
    expect(await embedded.stores.ledger.get(message('OLD').messageId)).toBeDefined();

    // Act
    await embedded.runUntil(new Date('2026-12-01T01:00:00Z'));

    // Assess
    const { ledger, carts, stats } = embedded.stores;
    expect(await ledger.get(message('OLD').messageId)).toBeUndefined();
    expect(await ledger.get(message('NEW').messageId)).toMatchObject({ decision: 'skipped' });
    expect(await carts.get('K-OLD')).toBeUndefined();
    expect(await carts.get('K-NEW')).toMatchObject({ status: 'open' });
    // The rows written here (variant A); the ledger's skips above counted theirs too, which are all kept.
    const rows = (await stats.all()).filter((r) => r.variant === 'A');
    expect(rows.map((r) => r.day)).toEqual(['2026-11-30']);
    expect(embedded.failures()).toEqual([]);
  });

  it('keeps an item until the simulated clock passes its expiry', async () => {
    // Prepare: a cart updated 89 days before the next sweep expires the day after it
    await embedded.stores.carts.putIfNewer(cart('K-EDGE', '2026-09-03T12:00:00.000Z'));
    const tables = embedded.tableNames;

    // Act
    const before = await sweepExpired(embedded.deps.dynamodb, tables, new Date('2026-12-02T11:59:59Z'));
    const after = await sweepExpired(embedded.deps.dynamodb, tables, new Date('2026-12-02T12:00:00Z'));

    // Assess
    expect(before.carts).toBe(0);
    expect(after.carts).toBe(1);
    expect(await embedded.stores.carts.get('K-EDGE')).toBeUndefined();
  });
});
