/** Helpers for running the synthesized workflow with the real handlers in embedded mode. */

import { afterAll, beforeAll } from 'vitest';
import type { Stores } from '../../functions/app/deps.js';
import type { LedgerEntry } from '../../functions/domain/ledger.js';
import type { HandlerName } from '../../functions/domain/names.js';
import { type Embedded, type EmbeddedOptions, startEmbedded } from '../../local/runtime.js';

let seq = 0;

export function shopEvent(type: string, time: string, detail: object, id?: string) {
  seq++;
  return { id: id ?? `flow-${seq}`, source: 'test.shop', 'detail-type': type, time, detail };
}

/** A catalogue item at 10, in stock, upserted at the start of December 2026. */
export const product = (sku: string, name: string, category: string, extra: object = {}) =>
  shopEvent('product.upserted', '2026-12-01T00:10:00Z', {
    sku,
    name,
    category,
    price: 10,
    inStock: true,
    ...extra,
  });

/** An order line of one item at 10. */
export const line = (sku: string, name: string, category: string) => ({
  sku,
  name,
  price: 10,
  quantity: 1,
  category,
});

/** An `order.placed` event of these lines (10 each). */
export const placed = (customerId: string, orderId: string, time: string, items: object[]) =>
  shopEvent('order.placed', time, { customerId, orderId, items, currency: 'EUR', total: 10 * items.length });

/** The shop fixtures the fault drill uses too. */
export { customer, order } from '../../local/drill.js';

/** Publishes the events and runs the clock to `until`. */
export async function deliver(embedded: Embedded, until: string, ...events: ReturnType<typeof shopEvent>[]) {
  for (const e of events) embedded.publish(e);
  await embedded.runUntil(new Date(until));
}

export async function emailsTo(embedded: Embedded, customerId: string) {
  const address = `${customerId.toLowerCase()}@customers.example`;
  return (await embedded.emails()).filter((e) => e.to.includes(address));
}

export async function ledgerOf(customerId: string): Promise<LedgerEntry[]> {
  return (await stores().ledger.all()).filter((e) => e.customerId === customerId);
}

/** The running embedded runtime's stores (the one useEmbedded started for this file). */
export function stores(): Stores {
  if (!running) throw new Error('The embedded runtime is not started yet (use it inside a test or hook)');
  return running.stores;
}

/** A handler of the running runtime, invoked as Lambda would (its middleware and Deps). */
// biome-ignore lint/suspicious/noExplicitAny: tests read the handler's own result shape
export function handlerOf<T = any>(name: HandlerName): (event: unknown) => Promise<T> {
  return (event) => {
    if (!running) throw new Error('The embedded runtime is not started yet (use it inside a test or hook)');
    return running.invoke(name, event) as Promise<T>;
  };
}

let running: Embedded | undefined;

/** For files that start their runtime themselves: makes `stores()` and `handlerOf()` use it. */
export function setRunning(embedded: Embedded | undefined): void {
  running = embedded;
}

/** The executions whose input was for this customer, in order. */
export function runsOf(embedded: Embedded, customerId: string) {
  return embedded.executions().filter((e) => (e.input as { customerId?: string }).customerId === customerId);
}

/**
 * Starts the embedded runtime before a describe block's tests and stops it after them. The returned handle
 * forwards to the runtime once it runs, so tests use it as the runtime itself.
 */
export function useEmbedded(options: EmbeddedOptions): Embedded {
  let current: Embedded | undefined;
  beforeAll(async () => {
    current = await startEmbedded(options);
    running = current;
  });
  afterAll(async () => {
    await current?.stop();
    if (running === current) running = undefined;
  });
  return new Proxy({} as Embedded, {
    get(_, property) {
      if (!current) throw new Error('The embedded runtime is not started yet (use it inside a test or hook)');
      return Reflect.get(current, property);
    },
  });
}
