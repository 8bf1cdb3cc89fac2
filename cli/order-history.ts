/**
 * Loads a shop's order history from a CSV export of invoice lines (one row per order line, gzip or plain),
 * through a column mapping, into normalized orders. Rows that are not a customer buying a product are
 * dropped and counted by reason, never silently: cancellations, non-product lines (postage, fees,
 * discounts, vouchers), lines without a customer, and lines with a quantity or price that is not positive.
 *
 * The UCI "Online Retail" export (`InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,
 * CustomerID,Country`) is the preset `UCI_ONLINE_RETAIL`; another shop's export needs only its own column
 * names and rules. Run directly to convert a file to JSON lines (one order per line) and see what was dropped:
 *
 *   npx tsx cli/order-history.ts ../shared/data/online-retail/online-retail-2010-12-to-2011-06.csv.gz \
 *     [--preset uci-online-retail] [--out orders.jsonl]
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { zonedToUtc } from '../functions/domain/time.js';

/** Which CSV column holds each field of an order line. */
export interface ColumnMapping {
  orderId: string;
  sku: string;
  name: string;
  quantity: string;
  /** The order's time, `YYYY-MM-DD HH:MM[:SS]` in `timeZone`, or an ISO 8601 instant with an offset. */
  at: string;
  /** Unit price. */
  price: string;
  customerId: string;
  /** Optional: the customer's country. */
  country?: string;
}

/** How to read one shop's export: its columns and what its rows mean. */
export interface OrderHistoryFormat {
  columns: ColumnMapping;
  /** The zone of local timestamps (those without an offset). @default 'UTC' */
  timeZone?: string;
  /** A row whose order id marks a cancellation or credit note. @default none */
  isCancellation?: (orderId: string) => boolean;
  /** A line that sells a product (not postage, a fee, a discount or a voucher). @default every line */
  isProduct?: (sku: string) => boolean;
  /** The customer id as the engine should hold it (e.g. `17850.0` -> `17850`). @default trimmed as is */
  customerIdOf?: (raw: string) => string;
}

export interface OrderLine {
  sku: string;
  name: string;
  quantity: number;
  price: number;
}

export interface HistoricOrder {
  orderId: string;
  customerId: string;
  /** When it was placed, ISO 8601 UTC. */
  at: string;
  items: OrderLine[];
  country?: string;
}

export type DropReason = 'cancellation' | 'non_product' | 'no_customer' | 'not_positive' | 'unreadable';

export interface OrderHistory {
  /** Orders sorted by time, then order id. */
  orders: HistoricOrder[];
  /** Rows read (without the header). */
  rows: number;
  /** Rows kept as order lines. */
  kept: number;
  /** Rows dropped, by the first reason that applies (checked in this order of keys). */
  dropped: Record<DropReason, number>;
}

/**
 * UCI "Online Retail" (a UK gift shop, 2010-2011): invoices starting with `C` are cancellations; products
 * have a stock code of five digits and up to two letters (`85123A`, `15056BL`) or the web shop's `DCGS...`
 * codes; everything else (POST, DOT, M, C2, S, D, BANK CHARGES, AMAZONFEE, PADS, gift_0001_*) is a charge,
 * an adjustment or a voucher. Timestamps are UK local time; customer ids look like `17850.0`.
 */
export const UCI_ONLINE_RETAIL: OrderHistoryFormat = {
  columns: {
    orderId: 'InvoiceNo',
    sku: 'StockCode',
    name: 'Description',
    quantity: 'Quantity',
    at: 'InvoiceDate',
    price: 'UnitPrice',
    customerId: 'CustomerID',
    country: 'Country',
  },
  timeZone: 'Europe/London',
  isCancellation: (orderId) => orderId.startsWith('C'),
  isProduct: (sku) => /^(\d{5}[A-Za-z]{0,2}|DCGS[0-9A-Z]+)$/.test(sku),
  customerIdOf: (raw) => raw.trim().replace(/\.0+$/, ''),
};

/** Formats by name, for the command line. */
export const PRESETS: Record<string, OrderHistoryFormat> = { 'uci-online-retail': UCI_ONLINE_RETAIL };

/** Thrown when a file does not have the columns its mapping names. */
export class OrderHistoryFormatError extends Error {
  override name = 'OrderHistoryFormatError';
}

/**
 * Reads an order history CSV (gzip detected by its magic bytes) into orders. Lines of the same order and sku
 * are merged (quantities added, the first line's price kept); items keep the order of their first line.
 */
export async function loadOrderHistory(path: string, format: OrderHistoryFormat): Promise<OrderHistory> {
  const handle = await open(path);
  const magic = Buffer.alloc(2);
  await handle.read(magic, 0, 2, 0);
  await handle.close();
  const file = createReadStream(path);
  const source = magic[0] === 0x1f && magic[1] === 0x8b ? file.pipe(createGunzip()) : file;
  return readOrderHistory(source, format);
}

/** Like `loadOrderHistory`, from CSV text or any stream of CSV bytes. */
export async function readOrderHistory(
  source: string | NodeJS.ReadableStream,
  format: OrderHistoryFormat,
): Promise<OrderHistory> {
  const parser = parse({ columns: true, skip_empty_lines: true, trim: true, bom: true });
  if (typeof source === 'string') parser.end(source);
  else source.pipe(parser);

  const c = format.columns;
  const dropped: Record<DropReason, number> = {
    cancellation: 0,
    non_product: 0,
    no_customer: 0,
    not_positive: 0,
    unreadable: 0,
  };
  const byId = new Map<string, HistoricOrder & { lines: Map<string, OrderLine> }>();
  const instants = new Map<string, string | undefined>();
  let rows = 0;
  let kept = 0;
  for await (const record of parser as AsyncIterable<Record<string, string>>) {
    if (rows === 0) checkColumns(record, c);
    rows++;
    const orderId = record[c.orderId] ?? '';
    const sku = record[c.sku] ?? '';
    const rawCustomer = record[c.customerId] ?? '';
    if (format.isCancellation?.(orderId)) {
      dropped.cancellation++;
      continue;
    }
    if (format.isProduct && !format.isProduct(sku)) {
      dropped.non_product++;
      continue;
    }
    const customerId = format.customerIdOf ? format.customerIdOf(rawCustomer) : rawCustomer.trim();
    if (!customerId) {
      dropped.no_customer++;
      continue;
    }
    const quantity = Number(record[c.quantity]);
    const price = Number(record[c.price]);
    const rawAt = record[c.at] ?? '';
    let at = instants.get(rawAt);
    if (!instants.has(rawAt)) {
      at = instantOf(rawAt, format.timeZone ?? 'UTC');
      instants.set(rawAt, at);
    }
    if (!orderId || !sku || at === undefined || Number.isNaN(quantity) || Number.isNaN(price)) {
      dropped.unreadable++;
      continue;
    }
    if (!(quantity > 0) || !(price > 0)) {
      dropped.not_positive++;
      continue;
    }
    kept++;
    let order = byId.get(orderId);
    if (!order) {
      order = { orderId, customerId, at, items: [], lines: new Map() };
      const country = c.country ? record[c.country] : undefined;
      if (country) order.country = country;
      byId.set(orderId, order);
    }
    const line = order.lines.get(sku);
    if (line) line.quantity += quantity;
    else {
      const item = { sku, name: record[c.name] ?? sku, quantity, price };
      order.lines.set(sku, item);
      order.items.push(item);
    }
  }
  const orders = [...byId.values()]
    .map(({ lines: _lines, ...order }) => order)
    .sort((a, b) => a.at.localeCompare(b.at) || a.orderId.localeCompare(b.orderId));
  return { orders, rows, kept, dropped };
}

function checkColumns(record: Record<string, string>, c: ColumnMapping): void {
  const missing = Object.values(c).filter((name) => !(name in record));
  if (missing.length)
    throw new OrderHistoryFormatError(
      `the file has no column ${missing.join(', ')} (it has ${Object.keys(record).join(', ')})`,
    );
}

/** A local `YYYY-MM-DD HH:MM[:SS]` in `timeZone`, or an instant with an offset, as ISO UTC. */
function instantOf(raw: string, timeZone: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(raw);
  if (m) {
    const [, year, month, day, hour, minute, second] = m.map(Number) as number[];
    const local = { year: year!, month: month!, day: day!, hour: hour!, minute: minute! };
    return new Date(zonedToUtc(local, timeZone).getTime() + (second || 0) * 1000).toISOString();
  }
  if (!/[zZ]|[+-]\d{2}:?\d{2}$/.test(raw)) return undefined;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** One line per drop reason, for people. */
export function describeHistory(h: OrderHistory): string {
  const customers = new Set(h.orders.map((o) => o.customerId)).size;
  const reasons = (Object.entries(h.dropped) as [DropReason, number][])
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${n} ${reason.replace('_', ' ')}`);
  return `${h.rows} rows: ${h.kept} order lines kept in ${h.orders.length} orders of ${customers} customers; dropped ${reasons.join(', ') || 'none'}`;
}

async function main(argv: string[]): Promise<void> {
  const [path] = argv.filter((a) => !a.startsWith('--'));
  const value = (flag: string) => argv.find((a) => a.startsWith(`${flag}=`))?.split('=')[1];
  const presetName = value('--preset') ?? 'uci-online-retail';
  const format = PRESETS[presetName];
  if (!path || !format) {
    console.error(
      `usage: tsx cli/order-history.ts FILE.csv[.gz] [--preset=${Object.keys(PRESETS).join('|')}] [--out=orders.jsonl]`,
    );
    process.exitCode = 2;
    return;
  }
  const history = await loadOrderHistory(path, format);
  console.error(describeHistory(history));
  const out = value('--out');
  const sink = out ? createWriteStream(out) : process.stdout;
  for (const order of history.orders) sink.write(`${JSON.stringify(order)}\n`);
  if (out) sink.end();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv.slice(2));
