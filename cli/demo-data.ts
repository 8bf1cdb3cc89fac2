/**
 * A realistic demo shop, generated deterministically (same seed, same shop): a catalogue, customers across
 * many time zones with consent states, birthdays and purchase histories, and a week of events that exercises
 * every journey, including duplicates and invalid events.
 */
import { FIRST_NAMES, TIME_ZONES, zoneAndLocale } from './demo-people.js';

const CATEGORIES: Record<string, string[]> = {
  tea: [
    'Sencha',
    'Assam Breakfast',
    'Rooibos Vanilla',
    'Earl Grey',
    'Jasmine Pearls',
    'Chamomile',
    'Oolong',
    'Chai Blend',
  ],
  coffee: [
    'Ethiopia Yirgacheffe',
    'Colombia Huila',
    'Espresso Blend',
    'Decaf Brazil',
    'Kenya AA',
    'Guatemala',
    'Cold Brew Pack',
    'Sumatra',
  ],
  kitchen: [
    'Glass Teapot',
    'Pour-over Kettle',
    'Burr Grinder',
    'Milk Frother',
    'Tea Strainer',
    'Ceramic Mug',
    'Travel Flask',
    'Scale',
  ],
  books: [
    'The Tea Atlas',
    'Coffee Basics',
    'Slow Mornings',
    'Brewing at Home',
    'Leaf and Bean',
    'The Café Cookbook',
    'Steep',
    'Roast',
  ],
  garden: [
    'Mint Seeds',
    'Herb Planter',
    'Watering Can',
    'Lavender Seeds',
    'Compost Bin',
    'Garden Gloves',
    'Pruning Shears',
    'Seed Tray',
  ],
  stationery: [
    'Notebook A5',
    'Fountain Pen',
    'Ink Bottle',
    'Desk Calendar',
    'Postcards',
    'Washi Tape',
    'Pencil Set',
    'Letter Paper',
  ],
};

export interface DemoProduct {
  sku: string;
  name: string;
  price: number;
  category: string;
  url: string;
}

export interface DemoShop {
  start: Date;
  until: Date;
  profiles: object[];
  events: object[];
  catalogue: DemoProduct[];
  /** Each customer's favourite categories (one or two), which shaped their orders: the simulated audience's tastes. */
  tastes: Record<string, string[]>;
}

/** mulberry32: tiny, fast, good enough for demo data, and deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateDemoShop(
  options: { customers?: number; seed?: number; start?: Date; days?: number } = {},
): DemoShop {
  const random = rng(options.seed ?? 42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const chance = (p: number) => random() < p;
  const start = options.start ?? new Date('2026-12-01T00:00:00Z');
  const days = options.days ?? 7;
  const until = new Date(start.getTime() + days * 86_400_000);
  const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const within = () => start.getTime() + Math.floor(random() * (days * 86_400_000 - 3 * 3_600_000));

  const catalogue: DemoProduct[] = Object.entries(CATEGORIES).flatMap(([category, names], c) =>
    names.map((name, i) => ({
      sku: `SKU-${c + 1}${String(i + 1).padStart(2, '0')}`,
      name,
      price: Math.round((6 + random() * 60) * 100) / 100,
      category,
      url: `https://shop.example/p/SKU-${c + 1}${String(i + 1).padStart(2, '0')}`,
    })),
  );
  // Popularity is skewed, as in real shops: a few items sell most.
  const popular = () => catalogue[Math.floor(random() ** 2 * catalogue.length)]!;
  const byCategory = (category: string) => catalogue.filter((p) => p.category === category);
  const popularIn = (category: string) => {
    const items = byCategory(category);
    return items[Math.floor(random() ** 2 * items.length)]!;
  };
  // Shops have structure, and recommendations should find it: customers favour a couple of categories, and
  // some items go together (a tea with a teapot, a book with a notebook).
  const complement = new Map<string, DemoProduct>();
  const pair = (a: string, b: string, shift: number) => {
    const [as, bs] = [byCategory(a), byCategory(b)];
    as.forEach((p, i) => {
      const q = bs[(i + shift) % bs.length]!;
      complement.set(p.sku, q);
      complement.set(q.sku, p);
    });
  };
  pair('tea', 'kitchen', 0);
  pair('books', 'stationery', 0);
  pair('coffee', 'garden', 3);
  const tastes = new Map<string, string[]>();
  const categories = Object.keys(CATEGORIES);
  const lineItems = (n: number, customerId?: string) => {
    const items = new Map<
      string,
      {
        sku: string;
        name: string;
        price: number;
        quantity: number;
        category: string;
        url: string;
      }
    >();
    const taste = customerId ? tastes.get(customerId) : undefined;
    for (let i = 0; i < n; i++) {
      const p = taste && chance(0.75) ? popularIn(pick(taste)) : popular();
      items.set(p.sku, { ...p, quantity: 1 + Math.floor(random() * 2) });
      const q = complement.get(p.sku);
      if (q && chance(0.5)) items.set(q.sku, { ...q, quantity: 1 });
    }
    return [...items.values()];
  };
  const total = (items: { price: number; quantity: number }[]) =>
    Math.round(items.reduce((s, i) => s + i.price * i.quantity, 0) * 100) / 100;

  const profiles: object[] = [];
  const events: object[] = [];
  let eventNo = 0;
  const event = (type: string, time: number, detail: object, id?: string) => {
    eventNo++;
    const e = {
      id: id ?? `demo-${String(eventNo).padStart(5, '0')}`,
      source: 'shop.example',
      'detail-type': type,
      time: at(time),
      detail,
    };
    events.push(e);
    return e;
  };

  const count = options.customers ?? 1200;
  for (let n = 1; n <= count; n++) {
    const customerId = `C${String(n).padStart(5, '0')}`;
    const consentRoll = random();
    const consent =
      consentRoll < 0.78
        ? {
            email: 'opted_in',
            source: 'checkout',
            textVersion: 'newsletter-v2',
            ...(chance(0.08) ? { topics: { winback: false } } : {}),
          }
        : consentRoll < 0.9
          ? { email: 'opted_out', source: 'account-settings', textVersion: 'newsletter-v2' }
          : undefined;
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    // Some birthdays land in the demo week, so the birthday journey shows up.
    const inWeek = chance(0.03)
      ? new Date(start.getTime() + Math.floor(random() * days) * 86_400_000)
      : undefined;
    const md = inWeek
      ? `${String(inWeek.getUTCMonth() + 1).padStart(2, '0')}-${String(inWeek.getUTCDate()).padStart(2, '0')}`
      : `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const birthday = chance(0.2) ? `--${md}` : `${1960 + Math.floor(random() * 45)}-${md}`;
    tastes.set(customerId, [pick(categories), pick(categories)]);
    const orders = Array.from({ length: Math.floor(random() * 4) }, (_, i) => {
      const items = lineItems(1 + Math.floor(random() * 2), customerId);
      return {
        orderId: `H-${customerId}-${i + 1}`,
        items,
        currency: 'EUR',
        total: total(items),
        placedAt: at(start.getTime() - (20 + Math.floor(random() * 300)) * 86_400_000),
      };
    });
    // About one in twelve crosses the 60-day inactivity line during the demo week.
    const lastActive = chance(0.08)
      ? start.getTime() - 60 * 86_400_000 + Math.floor(random() * (days - 1) * 86_400_000)
      : start.getTime() - Math.floor(random() * 50) * 86_400_000;
    profiles.push({
      customerId,
      email: `${customerId.toLowerCase()}@customers.example`,
      firstName: pick(FIRST_NAMES),
      ...zoneAndLocale(chance(0.95) ? pick(TIME_ZONES) : undefined),
      ...(chance(0.85) ? { birthday } : {}),
      ...(consent ? { consent } : {}),
      lastActiveAt: at(lastActive),
      orders,
    });
  }

  // The catalogue arrives as events, as a shop would send it (a few items are out of stock).
  for (const item of catalogue) {
    event('product.upserted', start.getTime() + 60_000, {
      ...item,
      inStock: !chance(0.06),
      ...(item.category === 'tea' || item.category === 'coffee' ? { consumable: true } : {}),
    });
  }

  // A week of shop life.
  const ids = () => `C${String(1 + Math.floor(random() * count)).padStart(5, '0')}`;
  for (let c = 1; c <= 420; c++) {
    const customerId = ids();
    const cartId = `K-${String(c).padStart(4, '0')}`;
    const t0 = within();
    const items = lineItems(1 + Math.floor(random() * 2), customerId);
    const cartUrl = `https://shop.example/cart/${cartId}`;
    event('cart.updated', t0, { customerId, cartId, items, currency: 'EUR', total: total(items), cartUrl });
    const roll = random();
    if (roll < 0.35) {
      // Bought within the delay: the reminder is cancelled.
      const order = event('order.placed', t0 + (5 + Math.floor(random() * 40)) * 60_000, {
        customerId,
        orderId: `O-${cartId}`,
        cartId,
        items,
        currency: 'EUR',
        total: total(items),
        orderUrl: `https://shop.example/orders/O-${cartId}`,
      });
      if (chance(0.08)) events.push({ ...order }); // delivered twice (same id): still one thank-you
    } else if (roll < 0.5) {
      // Came back and added something: the reminder moves.
      const more = [...items, ...lineItems(1, customerId)];
      event('cart.updated', t0 + (20 + Math.floor(random() * 30)) * 60_000, {
        customerId,
        cartId,
        items: more,
        currency: 'EUR',
        total: total(more),
        cartUrl,
      });
    } else if (roll < 0.58) {
      event('cart.updated', t0 + 15 * 60_000, { customerId, cartId, items: [], currency: 'EUR', total: 0 });
    } else if (roll < 0.7) {
      // Bought after the reminder went.
      event('order.placed', t0 + (3 + Math.floor(random() * 24)) * 3_600_000, {
        customerId,
        orderId: `O-${cartId}`,
        cartId,
        items,
        currency: 'EUR',
        total: total(items),
        orderUrl: `https://shop.example/orders/O-${cartId}`,
      });
    }
  }
  for (let o = 1; o <= 120; o++) {
    const customerId = ids();
    const items = lineItems(1 + Math.floor(random() * 2), customerId);
    event('order.placed', within(), {
      customerId,
      orderId: `O-direct-${o}`,
      items,
      currency: 'EUR',
      total: total(items),
      orderUrl: `https://shop.example/orders/O-direct-${o}`,
    });
  }
  for (let a = 1; a <= 500; a++)
    event('customer.activity', within(), {
      customerId: ids(),
      kind: pick(['page_view', 'search', 'wishlist_add']),
    });
  for (let u = 1; u <= 25; u++) {
    event('customer.upserted', within(), {
      customerId: ids(),
      email: `changed-${u}@customers.example`,
      consent: chance(0.6)
        ? { email: 'opted_out', source: 'preference-center' }
        : { topics: { cart_reminders: false }, source: 'preference-center' },
    });
  }
  // Feedback from the shop's own site (thumbs on product pages).
  for (let f = 1; f <= 40; f++) {
    const p = popular();
    event('feedback.given', within(), {
      customerId: ids(),
      ...(chance(0.7) ? { sku: p.sku } : { category: p.category }),
      vote: chance(0.6) ? 'up' : 'down',
    });
  }
  // What real integrations send by mistake: each lands in rejected.jsonl with its reason.
  event('customer.upserted', within(), { customerId: 'C99999', email: 'not-an-email' });
  event('cart.updated', within(), { customerId: ids(), items: [], currency: 'EUR', total: 0 });
  event('order.placed', within(), {
    customerId: ids(),
    orderId: 'O-bad',
    items: [],
    currency: 'euro',
    total: -1,
  });
  event('customer.upserted', within(), {
    customerId: ids(),
    email: 'x@customers.example',
    timeZone: 'Mars/Olympus_Mons',
  });
  event('cart.abandoned', within(), { customerId: ids() });
  events.sort((a, b) =>
    String((a as { time: string }).time).localeCompare(String((b as { time: string }).time)),
  );
  const favourites = Object.fromEntries([...tastes].map(([id, taste]) => [id, [...new Set(taste)]]));
  return { start, until, profiles, events, catalogue, tastes: favourites };
}
