/**
 * Loads a customer file into the profile store before a run: the `customer.upserted` detail plus optional
 * `lastActiveAt` and past `orders`. History is imported as state, not replayed as events, so past orders do
 * not send thank-yous.
 */
import type { Stores } from '../functions/app/deps.js';
import type { EngineConfig } from '../functions/domain/config.js';
import { customerUpserted, formatIssues, type LineItem, lineItem } from '../functions/domain/events.js';
import {
  adaptiveInactivityDays,
  inactiveOnDay,
  medianGapDays,
  RECENT_ORDER_TIMES,
} from '../functions/domain/inactivity.js';
import type { Profile } from '../functions/domain/model.js';
import { purchasePatch, upsertPatch } from '../functions/domain/profile.js';
import * as z from '../functions/domain/zod.js';
import type { JsonlLine } from './jsonl.js';

const pastOrder = z.object({
  orderId: z.string().check(z.minLength(1)),
  customerId: z.optional(z.string()),
  cartId: z.optional(z.string()),
  items: z.array(lineItem).check(z.minLength(1)),
  currency: z.string(),
  total: z.number().check(z.nonnegative()),
  placedAt: z.iso.datetime({ offset: true }),
});

export const profileLine = z.extend(customerUpserted, {
  lastActiveAt: z.optional(z.iso.datetime({ offset: true })),
  orders: z.optional(z.array(pastOrder)),
});
export type ProfileLine = z.infer<typeof profileLine>;

export interface ImportProblem {
  source: string;
  line: number;
  error: string;
  raw: string;
}

/**
 * Imports every valid line, as it is read (a file need not be in memory whole); returns the problems of the
 * others (they are reported, not fatal).
 */
export async function importProfiles(
  lines: Iterable<JsonlLine> | AsyncIterable<JsonlLine>,
  input: { at: Date; config: EngineConfig; source: string; stores: Stores },
): Promise<{ imported: number; problems: ImportProblem[] }> {
  const problems: ImportProblem[] = [];
  let imported = 0;
  const at = input.at.toISOString();
  const pastOrders: { at: number; items: LineItem[] }[] = [];
  for await (const line of lines) {
    if (!line.ok) {
      problems.push({ source: input.source, line: line.line, error: line.error, raw: line.raw });
      continue;
    }
    const parsed = profileLine.safeParse(line.value);
    if (!parsed.success) {
      problems.push({
        source: input.source,
        line: line.line,
        error: formatIssues(parsed.error),
        raw: JSON.stringify(line.value).slice(0, 2000),
      });
      continue;
    }
    const { lastActiveAt, orders = [], ...detail } = parsed.data;
    const orderTimes = orders.map((o) => new Date(o.placedAt).toISOString()).sort();
    const lastOrderAt = orderTimes.at(-1);
    const lastActive = [lastActiveAt && new Date(lastActiveAt).toISOString(), lastOrderAt, undefined]
      .filter((t): t is string => Boolean(t))
      .sort()
      .at(-1);
    const patch = upsertPatch(undefined, detail, at, input.config);
    // The same window ingest keeps, so an imported customer's line matches one built from live orders.
    const recentOrderTimes = [...new Set(orderTimes)].slice(-RECENT_ORDER_TIMES);
    const orderGapDays = medianGapDays(recentOrderTimes);
    if (recentOrderTimes.length) patch.recentOrderTimes = recentOrderTimes;
    if (orderGapDays !== undefined) patch.orderGapDays = orderGapDays;
    if (lastActive) {
      patch.lastActiveAt = lastActive;
      patch.inactiveOn = inactiveOnDay(lastActive, adaptiveInactivityDays(orderGapDays, input.config));
    }
    if (lastOrderAt) patch.lastOrderAt = lastOrderAt;
    // What the orders taught, as live orders would have: category counts and the items last bought.
    const byTime = [...orders].sort((a, b) => Date.parse(a.placedAt) - Date.parse(b.placedAt));
    let taste: Pick<Profile, 'purchasedCategories' | 'recentPurchases' | 'purchaseHistory'> = {};
    for (const order of byTime)
      taste = purchasePatch(taste, new Date(order.placedAt).toISOString(), order.items);
    Object.assign(patch, taste);
    await input.stores.profiles.patch(detail.customerId, patch);
    for (const order of byTime) pastOrders.push({ at: Date.parse(order.placedAt), items: order.items });
    imported++;
  }
  // The catalogue's counts from every past order at once, in time order: each product read and written once.
  pastOrders.sort((a, b) => a.at - b.at);
  await input.stores.products.recordOrders(pastOrders.map((o) => o.items));
  return { imported, problems };
}
