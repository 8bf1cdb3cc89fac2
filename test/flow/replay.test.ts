/**
 * A whole week of the demo shop, once as it is and once with every event delivered 3 to 5 times, under its
 * own id and under new ones (EventBridge redeliveries and a shop that re-sends). The second run must send the
 * same emails, decide the same for every message, and store the same counters: nothing counts twice.
 */
import { describe, expect, it } from 'vitest';
import { generateDemoShop } from '../../cli/demo-data.js';
import { importProfiles } from '../../cli/profiles-import.js';
import { parseConfig } from '../../functions/domain/config.js';
import type { Profile } from '../../functions/domain/model.js';
import { type ShopEvent, startEmbedded } from '../../local/runtime.js';

const shop = generateDemoShop({ customers: 120, seed: 7, days: 5 });

/** What must not change when events repeat: emails, decisions and every counter intake keeps. */
async function runWeek(copiesOf: (i: number) => number) {
  const embedded = await startEmbedded({ start: shop.start, templatesDir: 'templates' });
  try {
    await importProfiles(
      shop.profiles.map((value, i) => ({ line: i + 1, ok: true as const, value })),
      { at: shop.start, config: parseConfig({}), source: 'profiles', stores: embedded.stores },
    );
    shop.events.forEach((event, i) => {
      const e = event as ShopEvent & { id: string };
      for (let copy = 0; copy < copiesOf(i); copy++)
        embedded.publish(copy % 2 === 0 ? e : { ...e, id: `${e.id}-resent-${copy}` });
    });
    await embedded.runUntil(shop.until);
    const { stores } = embedded;
    const [emails, ledger, profiles] = await Promise.all([
      embedded.emails(),
      stores.ledger.all(),
      Promise.all(shop.profiles.map((p) => stores.profiles.get((p as { customerId: string }).customerId))),
    ]);
    const products = await stores.products.getMany(
      shop.catalogue.map((p) => p.sku),
      { withCoBought: true },
    );
    return {
      emails: emails.map((e) => e.tags.message_id).sort(),
      decisions: Object.fromEntries(
        ledger
          .map((e) => [e.messageId, `${e.decision}:${e.reason ?? ''}`])
          .sort(([a], [b]) => a!.localeCompare(b!)),
      ),
      products: Object.fromEntries(
        products.map((p) => [p.sku, { orders: p.orderCount, coBought: p.coBought }]),
      ),
      profiles: profiles.filter((p): p is Profile => Boolean(p)).map(counters),
      failures: embedded.failures(),
    };
  } finally {
    await embedded.stop();
  }
}

function counters(p: Profile) {
  return {
    customerId: p.customerId,
    purchasedCategories: p.purchasedCategories,
    recentPurchases: p.recentPurchases,
    recentOrderTimes: p.recentOrderTimes,
    orderGapDays: p.orderGapDays,
    lastOrderAt: p.lastOrderAt,
    lastActiveAt: p.lastActiveAt,
    feedback: p.feedback?.map((v) => `${v.target.kind}:${v.target.id}:${v.vote}`),
    consent: p.consent?.email,
    topics: p.consent?.topics,
    recentSends: p.recentSends?.length,
  };
}

describe('Replay: every event of a week 3 to 5 times, under old and new ids', () => {
  it('sends the same emails, decides the same and counts nothing twice', async () => {
    const clean = await runWeek(() => 1);
    const replayed = await runWeek((i) => 3 + (i % 3));

    expect(clean.failures).toEqual([]);
    expect(replayed.failures).toEqual([]);
    expect(clean.emails.length).toBeGreaterThan(20);
    expect(new Set(replayed.emails).size).toBe(replayed.emails.length);
    expect(replayed.emails).toEqual(clean.emails);
    expect(replayed.decisions).toEqual(clean.decisions);
    expect(replayed.products).toEqual(clean.products);
    expect(replayed.profiles).toEqual(clean.profiles);
  }, 240_000);
});
