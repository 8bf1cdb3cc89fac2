/**
 * What the cheap write paths really cost: DynamoDB write units (table and index) measured by the capacity
 * meter (local/capacity.ts) in front of dynalite, for the stores whose writes issue 11 trimmed.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CartStore } from '../../functions/adapters/carts.js';
import { documentClient } from '../../functions/adapters/dynamo.js';
import type { Cart } from '../../functions/domain/model.js';
import { type CapacityMeter, startCapacityMeter } from '../../local/capacity.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION, type LocalDynamo, startDynamo } from '../../local/dynamo.js';
import { transportConfig } from '../../local/transport.js';

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
