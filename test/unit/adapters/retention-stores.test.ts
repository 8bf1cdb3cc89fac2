/**
 * Each store that keeps data for a limited time writes the item's expiry (`expiresAt`, epoch seconds, the
 * table's TTL attribute) in the write that creates it, and later writes keep it: local DynamoDB (dynalite).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CartStore } from '../../../functions/adapters/carts.js';
import { type Doc, documentClient } from '../../../functions/adapters/dynamo.js';
import { LedgerStore } from '../../../functions/adapters/ledger.js';
import { StatsStore } from '../../../functions/adapters/stats.js';
import type { Cart } from '../../../functions/domain/model.js';
import { CARTS, MESSAGES, STATS } from '../../../functions/domain/tables.js';
import { type LocalDynamo, startDynamo } from '../../../local/dynamo.js';

const DAY_S = 86_400;
const seconds = (iso: string) => Date.parse(iso) / 1000;

let dynamo: LocalDynamo;
let doc: Doc;
const item = async (table: string, key: Record<string, string>) =>
  (await doc.send(new GetCommand({ TableName: dynamo.tableNames[table], Key: key }))).Item;

beforeAll(async () => {
  dynamo = await startDynamo('retention-');
  doc = documentClient(dynamo.client);
});
afterAll(async () => {
  await dynamo?.close();
});

describe('Retention: the layouts', () => {
  it('name expiresAt as the TTL attribute of messages, carts and stats', () => {
    expect([MESSAGES, CARTS, STATS].map((layout) => layout.ttlAttribute)).toEqual([
      'expiresAt',
      'expiresAt',
      'expiresAt',
    ]);
  });
});

describe('Class: LedgerStore, retention', () => {
  const base = {
    messageId: 'm-ttl',
    customerId: 'c1',
    journey: 'birthday',
    triggerKey: 'birthday:c1:2026',
  } as const;

  it('sets expiresAt to createdAt + messagesDays on the first decision and keeps it after', async () => {
    // Prepare
    const ledger = new LedgerStore(doc, dynamo.tableNames.messages!, undefined, 400);

    // Act
    await ledger.decide(base, 'deferred', '2026-12-01T10:00:00.000Z', { reason: 'quiet_hours' });
    await ledger.decide(base, 'skipped', '2026-12-03T10:00:00.000Z', { reason: 'expired' });

    // Assess
    const stored = await item('messages', { messageId: base.messageId });
    expect(stored).toMatchObject({ createdAt: '2026-12-01T10:00:00.000Z', decision: 'skipped' });
    expect(stored?.expiresAt).toBe(seconds('2026-12-01T10:00:00.000Z') + 400 * DAY_S);
  });

  it('dates an erasure tombstone from its own time, and writes no expiry without retention days', async () => {
    const ledger = new LedgerStore(doc, dynamo.tableNames.messages!, undefined, 30);
    await ledger.tombstone('m-tomb', 'cart_reminder', '2026-12-01T10:00:00.000Z');
    expect((await item('messages', { messageId: 'm-tomb' }))?.expiresAt).toBe(
      seconds('2026-12-01T10:00:00.000Z') + 30 * DAY_S,
    );
    const reader = new LedgerStore(doc, dynamo.tableNames.messages!);
    await reader.decide({ ...base, messageId: 'm-none' }, 'skipped', '2026-12-01T10:00:00.000Z');
    expect((await item('messages', { messageId: 'm-none' }))?.expiresAt).toBeUndefined();
  });
});

describe('Class: CartStore, retention', () => {
  const carts = () => new CartStore(doc, dynamo.tableNames.carts!, 90);
  const cart = (cartId: string, updatedAt: string): Cart => ({
    cartId,
    customerId: 'c1',
    status: 'open',
    items: [],
    currency: 'EUR',
    total: 0,
    updatedAt,
  });

  it('moves the expiry with every newer update: the last update + cartsDays', async () => {
    await carts().putIfNewer(cart('k1', '2026-12-01T10:00:00.000Z'));
    await carts().putIfNewer(cart('k1', '2026-12-02T10:00:00.000Z'));
    // An older, late update is refused and leaves the expiry alone.
    await carts().putIfNewer(cart('k1', '2026-11-30T10:00:00.000Z'));
    expect((await item('carts', { cartId: 'k1' }))?.expiresAt).toBe(
      seconds('2026-12-02T10:00:00.000Z') + 90 * DAY_S,
    );
  });

  it('keeps an ordered cart until its last update expires, and dates a marker from the order', async () => {
    await carts().putIfNewer(cart('k2', '2026-12-01T10:00:00.000Z'));
    expect(await carts().closeForOrder('k2', 'c1', '2026-12-05T10:00:00.000Z')).toBe(true);
    await carts().markOrdered('k3', 'c1', '2026-12-05T10:00:00.000Z');
    expect(await carts().closeForOrder('k4', 'c1', '2026-12-06T10:00:00.000Z')).toBe(true);
    expect((await item('carts', { cartId: 'k2' }))?.expiresAt).toBe(
      seconds('2026-12-01T10:00:00.000Z') + 90 * DAY_S,
    );
    expect((await item('carts', { cartId: 'k3' }))?.expiresAt).toBe(
      seconds('2026-12-05T10:00:00.000Z') + 90 * DAY_S,
    );
    expect((await item('carts', { cartId: 'k4' }))?.expiresAt).toBe(
      seconds('2026-12-06T10:00:00.000Z') + 90 * DAY_S,
    );
  });
});

describe('Class: StatsStore, retention', () => {
  it('sets a row to expire statsDays after its day in the same ADD, and never counts it as a counter', async () => {
    // Prepare
    const stats = new StatsStore(doc, dynamo.tableNames.stats!, undefined, 730);
    const key = { journey: 'birthday', variant: 'A', version: 'v000001', day: '2026-12-01' } as const;

    // Act
    await stats.add(key, { sent: 1 });
    await stats.add(key, { sent: 1, delivered: 1 });

    // Assess
    const [row] = await stats.all();
    expect(row?.counts).toEqual({ sent: 2, delivered: 1 });
    const stored = await item('stats', { id: 'birthday#2026-12-01#A#v000001' });
    expect(stored?.expiresAt).toBe(seconds('2026-12-01T00:00:00Z') + 730 * DAY_S);
  });
});
