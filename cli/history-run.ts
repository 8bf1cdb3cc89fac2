/**
 * A real shop's order history as the inputs of `reciprocity run` (`reciprocity history`): the customers and
 * their orders before `--split` become profiles.jsonl (imported as state: past orders send nothing), and from
 * `--split` to `--until` the catalogue (one product.upserted per product, at the start) and every order
 * (order.placed at its own time) become events.jsonl. Then the engine replays the month as it would live.
 *
 * An export of invoice lines has no emails, names, birthdays, languages or categories. What the engine needs
 * is derived from what is there, deterministically (the same file gives the same inputs to the byte):
 * - email `customer-<id>@customers.example` (a reserved domain: nothing is ever delivered), no first name;
 * - time zone and language from the customer's country (COUNTRY_PLACES; unknown countries: the shop's own);
 * - a birthday from a hash of the customer id (1950-1999): birthdays fall evenly over the year;
 * - consent opted in at the first order, source `order-history-import` (a shop replaying its own history
 *   says whom it may mail; this one is a replay);
 * - the category from the product's name (cli/categories.ts `keywordCategory`), the product's name and
 *   price as last sold, `addedAt` its first sale, a product page under the shop's URL.
 */
import { createHash } from 'node:crypto';
import type { Reorders } from '../functions/domain/config.js';
import { keywordCategory } from './categories.js';
import type { HistoricOrder, OrderHistory } from './order-history.js';

/** Time zone and language tag of a country name as the UCI export spells it. */
export const COUNTRY_PLACES: Readonly<Record<string, { timeZone: string; locale: string }>> = {
  'United Kingdom': { timeZone: 'Europe/London', locale: 'en-GB' },
  EIRE: { timeZone: 'Europe/Dublin', locale: 'en-IE' },
  'Channel Islands': { timeZone: 'Europe/Jersey', locale: 'en-GB' },
  Germany: { timeZone: 'Europe/Berlin', locale: 'de-DE' },
  Austria: { timeZone: 'Europe/Vienna', locale: 'de-AT' },
  Switzerland: { timeZone: 'Europe/Zurich', locale: 'de-CH' },
  France: { timeZone: 'Europe/Paris', locale: 'fr-FR' },
  Belgium: { timeZone: 'Europe/Brussels', locale: 'fr-BE' },
  Netherlands: { timeZone: 'Europe/Amsterdam', locale: 'nl-NL' },
  Spain: { timeZone: 'Europe/Madrid', locale: 'es-ES' },
  Portugal: { timeZone: 'Europe/Lisbon', locale: 'pt-PT' },
  Italy: { timeZone: 'Europe/Rome', locale: 'it-IT' },
  Norway: { timeZone: 'Europe/Oslo', locale: 'nb-NO' },
  Sweden: { timeZone: 'Europe/Stockholm', locale: 'sv-SE' },
  Denmark: { timeZone: 'Europe/Copenhagen', locale: 'da-DK' },
  Finland: { timeZone: 'Europe/Helsinki', locale: 'fi-FI' },
  Iceland: { timeZone: 'Atlantic/Reykjavik', locale: 'is-IS' },
  Poland: { timeZone: 'Europe/Warsaw', locale: 'pl-PL' },
  'Czech Republic': { timeZone: 'Europe/Prague', locale: 'cs-CZ' },
  Lithuania: { timeZone: 'Europe/Vilnius', locale: 'lt-LT' },
  Greece: { timeZone: 'Europe/Athens', locale: 'el-GR' },
  Cyprus: { timeZone: 'Asia/Nicosia', locale: 'el-CY' },
  Malta: { timeZone: 'Europe/Malta', locale: 'en-MT' },
  Australia: { timeZone: 'Australia/Sydney', locale: 'en-AU' },
  Japan: { timeZone: 'Asia/Tokyo', locale: 'ja-JP' },
  'Hong Kong': { timeZone: 'Asia/Hong_Kong', locale: 'en-HK' },
  Singapore: { timeZone: 'Asia/Singapore', locale: 'en-SG' },
  Canada: { timeZone: 'America/Toronto', locale: 'en-CA' },
  USA: { timeZone: 'America/New_York', locale: 'en-US' },
  Brazil: { timeZone: 'America/Sao_Paulo', locale: 'pt-BR' },
  Israel: { timeZone: 'Asia/Jerusalem', locale: 'he-IL' },
  Lebanon: { timeZone: 'Asia/Beirut', locale: 'ar-LB' },
  'United Arab Emirates': { timeZone: 'Asia/Dubai', locale: 'ar-AE' },
  Bahrain: { timeZone: 'Asia/Bahrain', locale: 'ar-BH' },
  'Saudi Arabia': { timeZone: 'Asia/Riyadh', locale: 'ar-SA' },
};

/** An order.placed carries at most this many lines (the event contract); longer orders keep their first. */
export const MAX_ORDER_LINES = 200;

export interface HistoryRunOptions {
  /** Orders before it are history (profiles); from it to `until`, events. */
  split: Date;
  until: Date;
  /** The shop's currency (the UCI shop sells in pounds). @default 'GBP' */
  currency?: string;
  /** The shop's home page; product pages are `<shopUrl>/p/<sku>`. @default 'https://shop.example' */
  shopUrl?: string;
  /** The place of a customer whose country is not in COUNTRY_PLACES (or who has none). */
  defaultPlace?: { timeZone: string; locale: string };
  /** Keep only this share of customers (0-1], picked by a hash of the id: a smaller replay of the same shop. */
  sample?: number;
  /** A category for a product name. @default keywordCategory */
  categoryOf?: (name: string) => string;
}

export interface HistoryRun {
  /** One line each for profiles.jsonl: the customer.upserted detail plus `orders`. */
  profiles: Record<string, unknown>[];
  /** Bus events for events.jsonl, in time order. */
  events: Record<string, unknown>[];
  /**
   * The engine configuration the replay needs (config.json): the shop's currency for catalogue prices, and
   * `reorders` as the history supports it (see `restockShare`).
   */
  config: { sender: { currency: string }; reorders: Reorders };
  facts: {
    customers: number;
    customersWithHistory: number;
    pastOrders: number;
    products: number;
    orderEvents: number;
    /** Orders longer than MAX_ORDER_LINES, cut to their first lines. */
    ordersCut: number;
    /** Before the split: of the items of an order, the share the same customer ordered again next time. */
    restockShare: number;
  };
}

/**
 * A restocking shop: a thank-you offers the items of the order just placed again, "for your next order", when
 * the history shows customers reorder them: at least this share of an order's items back in the same
 * customer's next order, twice what an item new to them scores (about one suggestion in twenty hits on the
 * UCI shop, bench/results/recommendations-real.md). A shop of one-off purchases stays at 'regulars'.
 */
export const RESTOCK_SHARE = 0.1;

/**
 * Of the distinct items of each order followed by another order of the same customer, the share that are in
 * that next order: how much a shop's customers restock what they just bought.
 */
export function restockShare(byCustomer: ReadonlyMap<string, readonly HistoricOrder[]>): number {
  let items = 0;
  let again = 0;
  for (const own of byCustomer.values()) {
    const sorted = [...own].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    for (let i = 0; i + 1 < sorted.length; i++) {
      const next = new Set(sorted[i + 1]!.items.map((l) => l.sku));
      for (const sku of new Set(sorted[i]!.items.map((l) => l.sku))) {
        items++;
        if (next.has(sku)) again++;
      }
    }
  }
  return items ? again / items : 0;
}

/** Converts an order history into `reciprocity run` inputs (see the module comment for what is derived). */
export function historyToRun(history: OrderHistory, options: HistoryRunOptions): HistoryRun {
  const split = options.split.getTime();
  const until = options.until.getTime();
  if (!(split < until)) throw new RangeError('--split must be before --until');
  const currency = options.currency ?? 'GBP';
  const shopUrl = (options.shopUrl ?? 'https://shop.example').replace(/\/$/, '');
  const defaultPlace = options.defaultPlace ?? COUNTRY_PLACES['United Kingdom']!;
  const categoryOf = options.categoryOf ?? ((name: string) => keywordCategory(name));
  const sample = options.sample ?? 1;
  const kept = (customerId: string) => sample >= 1 || unit(`sample:${customerId}`) < sample;
  const orders = history.orders.filter((o) => Date.parse(o.at) < until && kept(o.customerId));

  const products = new Map<string, { name: string; price: number; firstAt: string }>();
  for (const order of orders)
    for (const line of order.items) {
      const known = products.get(line.sku);
      products.set(line.sku, {
        name: line.name,
        price: line.price,
        firstAt: known?.firstAt ?? order.at,
      });
    }
  const category = new Map([...products].map(([sku, p]) => [sku, categoryOf(p.name)]));
  let ordersCut = 0;
  const items = (order: HistoricOrder) => {
    if (order.items.length > MAX_ORDER_LINES) ordersCut++;
    return order.items.slice(0, MAX_ORDER_LINES).map((line) => ({
      sku: line.sku,
      name: line.name,
      price: line.price,
      quantity: line.quantity,
      category: category.get(line.sku),
      url: `${shopUrl}/p/${encodeURIComponent(line.sku)}`,
    }));
  };
  const total = (lines: { price: number; quantity: number }[]) =>
    Math.round(lines.reduce((sum, l) => sum + l.price * l.quantity, 0) * 100) / 100;

  const byCustomer = new Map<string, HistoricOrder[]>();
  for (const order of orders)
    byCustomer.set(order.customerId, [...(byCustomer.get(order.customerId) ?? []), order]);
  // Measured on the history alone: the replayed month stays unseen.
  const restock = restockShare(
    new Map([...byCustomer].map(([id, own]) => [id, own.filter((o) => Date.parse(o.at) < split)])),
  );
  const profiles: Record<string, unknown>[] = [];
  const events: Record<string, unknown>[] = [];
  let pastOrders = 0;
  let customersWithHistory = 0;
  for (const [customerId, own] of [...byCustomer].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const place = COUNTRY_PLACES[own.find((o) => o.country)?.country ?? ''] ?? defaultPlace;
    const past = own.filter((o) => Date.parse(o.at) < split);
    const profile = {
      customerId,
      email: `customer-${customerId.toLowerCase().replace(/[^a-z0-9]+/g, '-')}@customers.example`,
      locale: place.locale,
      timeZone: place.timeZone,
      birthday: birthdayOf(customerId),
      consent: { email: 'opted_in', source: 'order-history-import' },
      ...(past.length
        ? {
            orders: past.map((o) => {
              const lines = items(o);
              return { orderId: o.orderId, items: lines, currency, total: total(lines), placedAt: o.at };
            }),
          }
        : {}),
    };
    if (past.length) {
      customersWithHistory++;
      pastOrders += past.length;
      profiles.push(profile);
    } else {
      // A customer whose first order is in the replayed month signs up just before it, at checkout.
      const { orders: _none, ...detail } = profile as typeof profile & { orders?: unknown };
      const first = own[0]!;
      events.push(
        event(`customer-${customerId}`, 'customer.upserted', new Date(Date.parse(first.at) - 1000), detail),
      );
    }
  }
  const start = new Date(split);
  for (const [sku, p] of [...products].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    events.push(
      event(`product-${sku}`, 'product.upserted', start, {
        sku,
        name: p.name,
        category: category.get(sku),
        price: p.price,
        url: `${shopUrl}/p/${encodeURIComponent(sku)}`,
        inStock: true,
        addedAt: p.firstAt,
      }),
    );
  let orderEvents = 0;
  for (const order of orders) {
    if (Date.parse(order.at) < split) continue;
    const lines = items(order);
    orderEvents++;
    events.push(
      event(`order-${order.orderId}`, 'order.placed', new Date(order.at), {
        customerId: order.customerId,
        orderId: order.orderId,
        items: lines,
        currency,
        total: total(lines),
        orderUrl: `${shopUrl}/orders/${encodeURIComponent(order.orderId)}`,
      }),
    );
  }
  events.sort((a, b) => (a.time as string).localeCompare(b.time as string));
  return {
    profiles,
    events,
    config: { sender: { currency }, reorders: restock >= RESTOCK_SHARE ? 'everything' : 'regulars' },
    facts: {
      customers: byCustomer.size,
      customersWithHistory,
      pastOrders,
      products: products.size,
      orderEvents,
      ordersCut,
      restockShare: restock,
    },
  };
}

function event(id: string, type: string, at: Date, detail: Record<string, unknown>): Record<string, unknown> {
  return { id, source: 'shop.history', 'detail-type': type, time: at.toISOString(), detail };
}

/** A number in [0, 1) from a string: the same string, the same number. */
function unit(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

/** A birthday (YYYY-MM-DD) from the customer id: 1950-1999, every day of the year equally likely. */
export function birthdayOf(customerId: string): string {
  const day = Math.floor(unit(`birthday:${customerId}`) * 365);
  const year = 1950 + Math.floor(unit(`year:${customerId}`) * 50);
  const date = new Date(Date.UTC(2001, 0, 1 + day)); // a year without 29 February
  return `${year}-${date.toISOString().slice(5, 10)}`;
}
