/**
 * A fault drill: N customers each place one order at noon, the run goes on for three simulated days with
 * the given faults, and the exactly-once check reads what it left (test/flow/faults.test.ts asserts it,
 * `npm run bench:faults` prints it per fault kind).
 */
import { type CounterCheck, checkCounters } from '../cli/counters-check.js';
import { checkPromises, type PromiseCheck } from '../cli/promises.js';
import { messageIdFor, triggerKeys } from '../functions/domain/ids.js';
import type { LedgerEntry } from '../functions/domain/ledger.js';
import { type FaultsInput, parseFaults } from './faults.js';
import { type EmbeddedStats, type JobFailure, type ShopEvent, startEmbedded } from './runtime.js';

const START = '2026-12-01T00:00:00Z';
/** Generous caps, no holdout or balance: every order should end in exactly one thank-you. */
const CONFIG = {
  caps: { perDay: 20, perWeek: 50 },
  holdout: { enabled: false },
  balance: { enabled: false },
};

export interface DrillOutcome {
  check: PromiseCheck;
  /** The outcome counters against the ledger's recount. */
  counters: CounterCheck;
  ledger: LedgerEntry[];
  /** The thank-you entry of each order, by order number - 1. */
  thankYous: (LedgerEntry | undefined)[];
  emailsByMessage: Map<string, number>;
  /** Intake or sweep invocations that threw (a healthy run has none). */
  failures: number;
  /** What those invocations threw. */
  failureList: JobFailure[];
  stats: EmbeddedStats;
}

export async function drillOrders(
  orders: number,
  faults: FaultsInput,
  extra: ShopEvent[] = [],
): Promise<DrillOutcome> {
  const embedded = await startEmbedded({
    start: new Date(START),
    config: CONFIG,
    templatesDir: new URL('../templates', import.meta.url).pathname,
    faults: parseFaults(faults),
    // The unknown outcomes are logged at ERROR by design; the drill reports them itself.
    logLevel: 'SILENT',
  });
  try {
    for (let i = 1; i <= orders; i++) {
      embedded.publish(event('customer.upserted', '2026-12-01T09:00:00Z', i, customer(`C${i}`)));
      embedded.publish(event('order.placed', '2026-12-01T12:00:00Z', i, order(`C${i}`, `O-${i}`)));
    }
    for (const e of extra) embedded.publish(e);
    await embedded.runUntil(new Date('2026-12-04T00:00:00Z'));
    const [emails, ledger, rows] = await Promise.all([
      embedded.emails(),
      embedded.stores.ledger.all(),
      embedded.stores.stats.all(),
    ]);
    const emailsByMessage = new Map<string, number>();
    for (const e of emails) {
      const id = e.tags.message_id ?? '';
      emailsByMessage.set(id, (emailsByMessage.get(id) ?? 0) + 1);
    }
    const byId = new Map(ledger.map((e) => [e.messageId, e]));
    return {
      check: checkPromises(emails, ledger),
      counters: checkCounters(ledger, rows),
      ledger,
      thankYous: Array.from({ length: orders }, (_, i) =>
        byId.get(messageIdFor(triggerKeys.orderFollowup(`O-${i + 1}`))),
      ),
      emailsByMessage,
      failures: embedded.failures().length,
      failureList: embedded.failures(),
      stats: embedded.stats(),
    };
  } finally {
    await embedded.stop();
  }
}

function event(type: string, time: string, n: number, detail: object): ShopEvent {
  return { id: `drill-${type}-${n}`, source: 'drill.shop', 'detail-type': type, time, detail };
}

/** An opted-in customer in Berlin (the `customer.upserted` detail); `extra` overrides or adds fields. */
export function customer(customerId: string, extra: object = {}) {
  return {
    customerId,
    email: `${customerId.toLowerCase()}@customers.example`,
    firstName: 'Ada',
    timeZone: 'Europe/Berlin',
    consent: { email: 'opted_in', source: 'checkout', textVersion: 'v1' },
    ...extra,
  };
}

/** One tea, EUR 12.50 (the `order.placed` detail). */
export function order(customerId: string, orderId: string) {
  return {
    customerId,
    orderId,
    items: [{ sku: 'TEA-1', name: 'Sencha', price: 12.5, quantity: 1, category: 'tea' }],
    currency: 'EUR',
    total: 12.5,
  };
}
