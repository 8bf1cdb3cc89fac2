import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  loadOrderHistory,
  OrderHistoryFormatError,
  readOrderHistory,
  UCI_ONLINE_RETAIL,
} from '../../cli/order-history.js';

const FIXTURE = `InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom
536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom
536365,71053,WHITE METAL LANTERN,2,2010-12-01 08:26:00,3.39,17850.0,United Kingdom
536366,22633,"HAND WARMER, UNION JACK",6,2011-06-01 09:00:00,1.85,17850.0,United Kingdom
536367,POST,POSTAGE,1,2011-06-01 09:02:00,18.0,12583.0,France
536368,22633,HAND WARMER UNION JACK,6,2011-06-01 09:03:00,1.85,,United Kingdom
C536369,22633,HAND WARMER UNION JACK,-6,2011-06-01 09:04:00,1.85,17850.0,United Kingdom
536370,15056BL,EDWARDIAN PARASOL BLACK,0,2011-06-01 09:05:00,5.95,12583.0,France
536371,15056BL,EDWARDIAN PARASOL BLACK,1,yesterday,5.95,12583.0,France
536372,15056BL,EDWARDIAN PARASOL BLACK,1,2011-03-01 10:00:00,5.95,12583.0,France
`;

describe('Function: readOrderHistory', () => {
  it('keeps only customers buying products, and counts every dropped row by its reason', async () => {
    // Act
    const history = await readOrderHistory(FIXTURE, UCI_ONLINE_RETAIL);

    // Assess
    expect(history.rows).toBe(10);
    expect(history.kept).toBe(5);
    expect(history.dropped).toEqual({
      cancellation: 1,
      non_product: 1,
      no_customer: 1,
      not_positive: 1,
      unreadable: 1,
    });
    expect(history.orders.map((o) => o.orderId)).toEqual(['536365', '536372', '536366']);
  });

  it('normalizes ids, merges repeated lines, keeps quoted commas and converts UK local time to UTC', async () => {
    // Act
    const { orders } = await readOrderHistory(FIXTURE, UCI_ONLINE_RETAIL);

    // Assess: December is GMT, June is BST (UTC+1)
    const [winter, spring, summer] = orders;
    expect(winter).toEqual({
      orderId: '536365',
      customerId: '17850',
      at: '2010-12-01T08:26:00.000Z',
      country: 'United Kingdom',
      items: [
        { sku: '85123A', name: 'WHITE HANGING HEART T-LIGHT HOLDER', quantity: 6, price: 2.55 },
        { sku: '71053', name: 'WHITE METAL LANTERN', quantity: 8, price: 3.39 },
      ],
    });
    expect(spring?.customerId).toBe('12583');
    expect(summer?.at).toBe('2011-06-01T08:00:00.000Z');
    expect(summer?.items[0]?.name).toBe('HAND WARMER, UNION JACK');
  });

  it('refuses a file whose columns do not match the mapping, naming the missing ones', async () => {
    // Act / Assess
    await expect(readOrderHistory('Order,Sku\n1,2\n', UCI_ONLINE_RETAIL)).rejects.toThrow(
      OrderHistoryFormatError,
    );
    await expect(readOrderHistory('Order,Sku\n1,2\n', UCI_ONLINE_RETAIL)).rejects.toThrow(/InvoiceNo/);
  });

  it('reads another shop through its own mapping, with offsets in the timestamps', async () => {
    // Prepare
    const csv =
      'id,customer,when,product,title,qty,unit\nA1,c-1,2024-03-31T01:30:00+02:00,tea,Earl Grey,2,4.5\n';

    // Act
    const { orders } = await readOrderHistory(csv, {
      columns: {
        orderId: 'id',
        customerId: 'customer',
        at: 'when',
        sku: 'product',
        name: 'title',
        quantity: 'qty',
        price: 'unit',
      },
    });

    // Assess
    expect(orders).toEqual([
      {
        orderId: 'A1',
        customerId: 'c-1',
        at: '2024-03-30T23:30:00.000Z',
        items: [{ sku: 'tea', name: 'Earl Grey', quantity: 2, price: 4.5 }],
      },
    ]);
  });
});

describe('Function: loadOrderHistory', () => {
  it('reads a gzip file and a plain file alike', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'orders-'));
    await writeFile(join(dir, 'a.csv.gz'), gzipSync(FIXTURE));
    await writeFile(join(dir, 'a.csv'), FIXTURE);

    // Act
    const gz = await loadOrderHistory(join(dir, 'a.csv.gz'), UCI_ONLINE_RETAIL);
    const plain = await loadOrderHistory(join(dir, 'a.csv'), UCI_ONLINE_RETAIL);

    // Assess
    expect(gz.orders).toHaveLength(3);
    expect(gz).toEqual(plain);
  });
});
