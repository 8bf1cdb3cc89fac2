/**
 * The catalogue's counts against a real (local) DynamoDB: concurrent orders for the same product both count
 * (the loser of the version race reads again), counts kept as flat `co:<sku>` attributes before the bounded
 * map move into it, an import of many orders writes each product once, the count each partner inherited is
 * kept and readers get count minus it, and an order retried after some of its products were written counts
 * each product once.
 */
import { createHash } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../../functions/adapters/dynamo.js';
import { ProductStore } from '../../../functions/adapters/products.js';
import {
  CO_PARTNERS_KEPT,
  packCoPurchases,
  unpackCoPurchases,
} from '../../../functions/domain/co-purchase.js';
import { type LocalDynamo, startDynamo } from '../../../local/dynamo.js';

let dynamo: LocalDynamo;
let store: ProductStore;
let writes = 0;
const item = (sku: string) => ({ sku, name: `Item ${sku}`, price: 2, quantity: 1, category: 'tea' });

beforeAll(async () => {
  dynamo = await startDynamo('products-');
  dynamo.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'UpdateItemCommand') writes++;
      return next(args);
    },
    { step: 'initialize', name: 'countWrites' },
  );
  store = new ProductStore(documentClient(dynamo.client), dynamo.tableNames.products ?? '');
});
afterAll(() => dynamo.close());

describe('ProductStore counts', () => {
  it('counts concurrent orders of the same product, both', async () => {
    await Promise.all([
      store.recordOrder([item('A1'), item('B1')]),
      store.recordOrder([item('A1'), item('C1')]),
      store.recordOrder([item('A1'), item('B1')]),
    ]);
    const [a] = await store.getMany(['A1'], { withCoBought: true });
    expect(a).toMatchObject({ orderCount: 3, coBought: { B1: 2, C1: 1 } });
  });

  it('reads partners only when asked for them', async () => {
    await store.recordOrder([item('P1'), item('P2')]);
    const [plain] = await store.getMany(['P1']);
    expect(plain).toMatchObject({ sku: 'P1', orderCount: 1 });
    expect(plain).not.toHaveProperty('coBought');
    const [full] = await store.getMany(['P1'], { withCoBought: true });
    expect(full?.coBought).toEqual({ P2: 1 });
  });

  it('moves flat co:<sku> counts into the map and keeps the map bounded', async () => {
    const doc = documentClient(dynamo.client);
    const table = dynamo.tableNames.products ?? '';
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: { sku: 'OLD', name: 'Old', price: 1, category: 'tea', orderCount: 5, 'co:X': 4, 'co:Y': 1 },
      }),
    );
    const partners = Array.from({ length: 100 }, (_, i) => item(`P${i}`));
    await store.recordOrder([item('OLD'), item('X'), ...partners]);
    const stored = (await doc.send(new GetCommand({ TableName: table, Key: { sku: 'OLD' } }))).Item ?? {};
    expect(Object.keys(stored).filter((k) => k.startsWith('co:'))).toEqual([]);
    const { counts } = unpackCoPurchases(stored.coPacked);
    expect(Object.keys(counts).length).toBeLessThanOrEqual(CO_PARTNERS_KEPT);
    // X was counted before (4) and again now: the strongest partner, kept.
    expect(counts.X).toBe(5);
    expect(stored.orderCount).toBe(6);
  });

  it('writes each product once for a whole history', async () => {
    writes = 0;
    const orders = Array.from({ length: 30 }, (_, i) => [item('H1'), item('H2'), item(`H${3 + (i % 4)}`)]);
    await store.recordOrders(orders);
    expect(writes).toBe(6);
    const [h1] = await store.getMany(['H1'], { withCoBought: true });
    expect(h1).toMatchObject({ orderCount: 30, coBought: { H2: 30, H3: 8, H4: 8, H5: 7, H6: 7 } });
  });

  it('keeps the count each partner inherited, and serves count minus it; old maps without errors still read', async () => {
    const doc = documentClient(dynamo.client);
    const table = dynamo.tableNames.products ?? '';
    const full = Object.fromEntries(Array.from({ length: CO_PARTNERS_KEPT }, (_, i) => [`F${i}`, 3]));
    full.STRONG = 9;
    delete full.F0;
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: { sku: 'FULL', name: 'Full', price: 1, category: 'tea', orderCount: 9, co: full, coVersion: 4 },
      }),
    );
    const [before] = await store.getMany(['FULL'], { withCoBought: true });
    expect(before?.coBought).toEqual(full);
    await store.recordOrder([item('FULL'), item('NEWCOMER')]);
    const stored = (await doc.send(new GetCommand({ TableName: table, Key: { sku: 'FULL' } }))).Item ?? {};
    // NEWCOMER replaced the weakest (F9, the greatest sku of the 3s) with 3 + 1, of which 3 inherited.
    const co = unpackCoPurchases(stored.coPacked);
    expect(co.counts.NEWCOMER).toBe(4);
    expect(co.counts).not.toHaveProperty('F9');
    expect(co.errors).toEqual({ NEWCOMER: 3 });
    expect(stored.coVersion).toBe(5);
    // The old map is replaced by the packed form, which stays about 1 KB.
    expect(stored).not.toHaveProperty('co');
    expect(stored.coPacked.length).toBeLessThan(1100);
    const [after] = await store.getMany(['FULL'], { withCoBought: true });
    expect(after?.coBought).toMatchObject({ STRONG: 9, F1: 3, NEWCOMER: 1 });
    expect(after).not.toHaveProperty('coPacked');
    expect(after).not.toHaveProperty('coOrders');
  });

  it('packs a state and reads it back; a damaged entry is left out', () => {
    const co = { counts: { A: 4, 'B,"x"': 2 }, errors: { A: 3 } };
    expect(unpackCoPurchases(packCoPurchases(co))).toEqual(co);
    expect(unpackCoPurchases('[["A",2],["B"],[3,4],"C",["D",1,0]]')).toEqual({
      counts: { A: 2, D: 1 },
      errors: {},
    });
    expect(unpackCoPurchases('not json')).toEqual({ counts: {}, errors: {} });
  });

  it('counts an order retried after some of its products were written once per product', async () => {
    const doc = documentClient(dynamo.client);
    const table = dynamo.tableNames.products ?? '';
    const order = [item('R1'), item('R2'), item('R3')];
    let failAt: string | undefined = 'R3';
    const failing = new ProductStore(
      {
        send: (command: { input: { Key?: { sku?: string }; UpdateExpression?: string } }) => {
          if (command.input.UpdateExpression && command.input.Key?.sku === failAt) {
            failAt = undefined;
            return Promise.reject(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
          }
          return doc.send(command as never);
        },
      } as never,
      table,
    );
    await expect(failing.recordOrder(order, 'order#retried')).rejects.toThrow('throttled');
    const [r1Before] = await store.getMany(['R1'], { withCoBought: true });
    expect(r1Before?.orderCount).toBe(1);
    // The retry, and a duplicate delivery of it: R1 and R2 were counted already, R3 is counted now.
    await failing.recordOrder(order, 'order#retried');
    await store.recordOrder(order, 'order#retried');
    const counted = (await store.getMany(['R1', 'R2', 'R3'], { withCoBought: true })).sort((a, b) =>
      a.sku.localeCompare(b.sku),
    );
    expect(counted.map((p) => [p.sku, p.orderCount, p.coBought])).toEqual([
      ['R1', 1, { R2: 1, R3: 1 }],
      ['R2', 1, { R1: 1, R3: 1 }],
      ['R3', 1, { R1: 1, R2: 1 }],
    ]);
    // Another order of the same products still counts.
    await store.recordOrder(order, 'order#another');
    expect((await store.getMany(['R1'], { withCoBought: true }))[0]).toMatchObject({
      orderCount: 2,
      coBought: { R2: 2, R3: 2 },
    });
  });

  it('finds an order counted under the 12-character tags stored before, and moves the item to the compact form', async () => {
    // Prepare: counted before the compact form (JSON state, 12-character tags of the same digest)
    const doc = documentClient(dynamo.client);
    const table = dynamo.tableNames.products ?? '';
    const oldTag = (key: string) => createHash('sha256').update(key).digest('base64url').slice(0, 12);
    await doc.send(
      new PutCommand({
        TableName: table,
        Item: {
          sku: 'T1',
          name: 'T1',
          price: 1,
          category: 'tea',
          orderCount: 1,
          coPacked: '[["T2",1]]',
          coOrders: `${oldTag('order#earlier')} ${oldTag('order#old')}`,
          coVersion: 1,
        },
      }),
    );

    // Act: the old order again (a retry across the deploy), then a new one
    await store.recordOrder([item('T1'), item('T2')], 'order#old');
    const [retried] = await store.getMany(['T1'], { withCoBought: true });
    await store.recordOrder([item('T1'), item('T2')], 'order#new');

    // Assess
    expect(retried).toMatchObject({ orderCount: 1, coBought: { T2: 1 } });
    const stored = (await doc.send(new GetCommand({ TableName: table, Key: { sku: 'T1' } }))).Item ?? {};
    expect(stored).toMatchObject({ orderCount: 2, coPacked: '0 T2:2' });
    expect(stored.coOrders).toBe(
      [oldTag('order#earlier'), oldTag('order#old'), oldTag('order#new')].map((t) => t.slice(0, 6)).join(' '),
    );
  });

  it('counts orders, not units: a line of 120 and a sku on two lines of one order are one order each', async () => {
    await store.recordOrder([
      { ...item('U1'), quantity: 120 },
      { ...item('U2'), quantity: 1 },
      { ...item('U2'), quantity: 3 },
    ]);
    const counted = (await store.getMany(['U1', 'U2'], { withCoBought: true })).sort((a, b) =>
      a.sku.localeCompare(b.sku),
    );
    expect(counted.map((p) => [p.sku, p.orderCount, p.coBought])).toEqual([
      ['U1', 1, { U2: 1 }],
      ['U2', 1, { U1: 1 }],
    ]);
  });

  it('serves a bounded top of each category, and the newly added', async () => {
    // T<i> in i + 1 orders (counted as a history is: all its orders in one write).
    for (let i = 0; i < 40; i++)
      await store.recordOrders(Array.from({ length: i + 1 }, () => [{ ...item(`T${i}`), category: 'top' }]));
    const top = await store.popularIn(['top'], 5);
    // The five most ordered, by their stepped popularity (40 orders: step 40; 30-39: step 30).
    expect(top.map((p) => p.sku)).toHaveLength(5);
    expect(top[0]).toMatchObject({ sku: 'T39', orderCount: 40 });
    expect(top.every((p) => p.orderCount >= 30)).toBe(true);
    await store.upsert({
      sku: 'NEW1',
      name: 'New',
      category: 'top',
      price: 3,
      inStock: true,
      addedAt: '2026-11-20',
    });
    await store.upsert({
      sku: 'OLD1',
      name: 'Old',
      category: 'top',
      price: 3,
      inStock: true,
      addedAt: '2026-01-02',
    });
    expect((await store.newIn(['top'], '2026-11-01T00:00:00.000Z')).map((p) => p.sku)).toEqual(['NEW1']);
  });
});
