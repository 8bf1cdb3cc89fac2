/**
 * What the cheap write paths really cost: DynamoDB write units (table and index) measured by the capacity
 * meter (local/capacity.ts) in front of dynalite: the write paths issue 11 (cost) trimmed or relies on.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CartStore } from '../../functions/adapters/carts.js';
import { documentClient } from '../../functions/adapters/dynamo.js';
import { ProductStore } from '../../functions/adapters/products.js';
import { toHandler } from '../../functions/app/lambda.js';
import type { Cart } from '../../functions/domain/model.js';
import { profileIntake } from '../../functions/usecases/profile-intake.js';
import { type CapacityMeter, startCapacityMeter } from '../../local/capacity.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION, type LocalDynamo, startDynamo } from '../../local/dynamo.js';
import { transportConfig } from '../../local/transport.js';
import { shopEvent } from '../flow/helpers.js';
import { depsOver } from '../unit/local-deps.js';

let dynamo: LocalDynamo;
let meter: CapacityMeter;
let client: DynamoDBClient;

beforeAll(async () => {
  dynamo = await startDynamo('units-');
  meter = await startCapacityMeter({ endpoint: dynamo.endpoint, service: dynamo.service });
  client = new DynamoDBClient({
    endpoint: meter.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    ...transportConfig('memory', meter.service),
  });
});

afterAll(async () => {
  client.destroy();
  await meter.close();
  await dynamo.close();
});

const table = (id: string) => dynamo.tableNames[id]!;
const units = (id: string) => meter.snapshot().byTable[table(id)] ?? { write: 0, indexWrite: 0 };

function cart(cartId: string, customerId: string, updatedAt: string, status: Cart['status'] = 'open'): Cart {
  return {
    cartId,
    customerId,
    status,
    items: [{ sku: 'TEA-1', name: 'Tea', quantity: 1, price: 5 }],
    currency: 'EUR',
    total: 5,
    updatedAt,
  };
}

describe('Class: CartStore (write units)', () => {
  it('writes the customer index once per cart: its updates and its order leave the index alone', async () => {
    // Prepare
    const carts = new CartStore(documentClient(client), table('carts'), 90);
    meter.reset();

    // Act
    await carts.putIfNewer(cart('K-1', 'C-1', '2026-12-01T10:00:00.000Z'));
    await carts.putIfNewer(cart('K-1', 'C-1', '2026-12-01T10:05:00.000Z'));
    await carts.closeForOrder('K-1', 'C-1', '2026-12-01T10:10:00.000Z');

    // Assess
    expect(units('carts')).toMatchObject({ write: 4, indexWrite: 1 });
    // The size each write left the item at: three writes, each under the 1 KB one unit pays for.
    const sizes = meter.snapshot().itemBytes[table('carts')] ?? [];
    expect(sizes).toHaveLength(3);
    expect(Math.max(...sizes)).toBeLessThan(1024);
    // The meter says which write cost what (values left out, names resolved).
    const shapes = Object.entries(meter.snapshot().byWrite).map(([shape, u]) => [
      shape.replace(table('carts'), 'carts'),
      u,
    ]);
    expect(shapes).toEqual([
      [
        'carts PutItem cartId,currency,customerId,expiresAt,items,status,total,updatedAt',
        { requests: 2, write: 3, indexWrite: 1 },
      ],
      [
        expect.stringMatching(/^carts UpdateItem SET status = :ordered, customerId = :c/),
        { requests: 1, write: 1, indexWrite: 0 },
      ],
    ]);
  });

  it('finds only the open carts of the customer, reading them from the table', async () => {
    // Prepare
    const carts = new CartStore(documentClient(client), table('carts'), 90);
    await carts.putIfNewer(cart('K-2', 'C-2', '2026-12-01T10:00:00.000Z'));
    await carts.putIfNewer(cart('K-3', 'C-2', '2026-12-01T10:00:00.000Z'));
    await carts.putIfNewer(cart('K-4', 'C-2', '2026-12-01T10:00:00.000Z', 'emptied'));
    await carts.putIfNewer(cart('K-5', 'C-3', '2026-12-01T10:00:00.000Z'));
    await carts.closeForOrder('K-3', 'C-2', '2026-12-01T11:00:00.000Z');

    // Act
    const open = await carts.openCartsOf('C-2');

    // Assess
    expect(open).toEqual(['K-2']);
    expect(await carts.openCartsOf('C-9')).toEqual([]);
  });
});

describe('Function: profileIntake (write units)', () => {
  it('writes the activity clock at most once per customer and day: later events that day write nothing', async () => {
    // Prepare
    let now = new Date('2026-12-01T08:00:00.000Z');
    const deps = depsOver(dynamo, {
      clock: () => now,
      needs: profileIntake.needs,
      clients: { dynamodb: client },
    });
    const run = (input: unknown) => toHandler(profileIntake, deps)(input, { awsRequestId: 'r' });
    const customer = { customerId: 'C-A', email: 'a@example.com', consent: { email: 'opted_in' } };
    await run(shopEvent('customer.upserted', '2026-12-01T08:00:00.000Z', customer));
    const activity = async (time: string) => {
      now = new Date(time);
      return run(shopEvent('customer.activity', time, { customerId: 'C-A', kind: 'page_view' }));
    };
    meter.reset();

    // Act
    await activity('2026-12-01T09:00:00.000Z');
    await activity('2026-12-01T09:30:00.000Z');
    await activity('2026-12-01T21:00:00.000Z');
    const sameDay = units('profiles').write;
    await activity('2026-12-02T07:00:00.000Z');

    // Assess
    expect(sameDay).toBe(0);
    expect(units('profiles').write).toBe(1);
    expect((await deps.stores.profiles.get('C-A'))?.lastActiveAt).toBe('2026-12-02T07:00:00.000Z');
  });
});

describe('Class: ProductStore (write units)', () => {
  it("writes a real shop's popular product (64 partners, 12 order tags) in one unit", async () => {
    // Prepare: a UCI-like product, its history counted, its partners a full map of five-digit skus
    const products = new ProductStore(documentClient(client), table('products'));
    const line = (sku: string) => ({
      sku,
      name: `LUNCH BAG ${sku}`,
      price: 1.65,
      quantity: 10,
      category: 'bags',
    });
    await products.upsert({
      sku: '20725',
      name: 'LUNCH BAG RED RETROSPOT',
      category: 'bags',
      price: 1.65,
      url: 'https://shop.example/p/20725',
      inStock: true,
      addedAt: '2010-12-02T14:47:00.000Z',
    });
    const history = Array.from({ length: 300 }, (_, order) => [
      line('20725'),
      ...Array.from({ length: 30 }, (_, i) => line(`${21000 + ((order * 30 + i) % 3000)}`)),
    ]);
    await products.recordOrders(history);
    meter.reset();

    // Act: live orders of it, each with its own tag, as wholesale orders bring 30 partners
    for (let n = 0; n < 14; n++)
      await products.recordOrder(history[n % history.length] ?? [], `order#live-${n}`);

    // Assess: every write of the popular product left it under 1 KB
    const shape = Object.entries(meter.snapshot().byWrite).find(([s]) => s.includes('coOrders'));
    expect(shape).toBeDefined();
    const sizes = meter.snapshot().itemBytes[table('products')] ?? [];
    expect(sizes.length).toBeGreaterThan(14);
    expect(Math.max(...sizes)).toBeLessThan(1024);
    const [stored] = await products.getMany(['20725'], { withCoBought: true });
    expect(Object.keys(stored?.coBought ?? {}).length).toBeGreaterThan(0);
  });
});
