/** The shop the browser walk runs: its catalogue, orders and carts on one day, and its endpoints. */
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { makeDeps } from '../../functions/app/deps.js';
import { toHandler } from '../../functions/app/lambda.js';
import { parseLinkKeys } from '../../functions/domain/links.js';
import { customerHttp } from '../../functions/usecases/customer-http.js';
import type { CustomerHandler } from '../../local/customer-server.js';
import type { Embedded } from '../../local/runtime.js';
import { line, shopEvent } from '../flow/helpers.js';

/** The flow tests' fixtures: one-item lines at 10, orders of them, products upserted on the test day. */
export { line, placed, product } from '../flow/helpers.js';

export const DAY = '2026-12-01';

export const SENCHA = line('TEA-1', 'Sencha', 'tea');
export const EARL_GREY = line('TEA-2', 'Earl Grey', 'tea');
export const cart = (customerId: string, cartId: string, time: string) =>
  shopEvent('cart.updated', time, {
    customerId,
    cartId,
    items: [{ sku: 'TEA-3', name: 'Assam', price: 10, quantity: 1, category: 'tea' }],
    currency: 'EUR',
    total: 10,
  });

/** `HH:MM` on the test day, moved by some minutes, as an ISO time. */
export const minutesAfter = (hhmm: string, minutes: number) =>
  new Date(Date.parse(`${DAY}T${hhmm}:00Z`) + minutes * 60_000).toISOString();

/** A port nobody listens on, so the engine's links (publicBaseUrl) can name the server before it starts. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * The customer endpoint as it answers `days` after now, after a link-key rotation: a new current key, the
 * runtime's old one kept in the set (links signed before still open; pages re-sign their own).
 */
export function rotatedEndpoint(embedded: Embedded, days: number): CustomerHandler {
  const before = parseLinkKeys(embedded.env.LINK_KEYS ?? '');
  const rotated = { current: 'local-2', keys: { ...before.keys, 'local-2': 'r'.repeat(44) } };
  const later = new Date(embedded.clock().getTime() + days * 86_400_000);
  const handler = toHandler(
    customerHttp,
    makeDeps({
      env: { ...embedded.env, LINK_KEYS: JSON.stringify(rotated) },
      clients: { dynamodb: embedded.deps.dynamodb },
      clock: () => later,
      needs: customerHttp.needs,
    }),
  );
  return handler as unknown as CustomerHandler;
}
