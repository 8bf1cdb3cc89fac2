/**
 * Daily: start one win-back message for each customer whose last activity or order crossed the inactivity
 * line yesterday (UTC). Reads only that day's partition of the inactivity index.
 */
import { now } from '../adapters/clock.js';
import { messageRequest, triggerKeys } from '../domain/ids.js';
import { inactivitySweepDay, isInactive } from '../domain/inactivity.js';
import type { SweepResult } from './birthday-sweep.js';
import { config, db, workflow } from './deps.js';

export async function handler(_event?: unknown): Promise<SweepResult> {
  const at = now();
  const cfg = config();
  const customers = await db().profiles.byInactiveOn(inactivitySweepDay(at));
  let started = 0;
  for (const customer of customers) {
    if (!customer.lastActiveAt || !isInactive(customer.lastActiveAt, at, cfg.inactivityDays)) continue;
    await workflow().start(
      messageRequest({
        journey: 'winback',
        customerId: customer.customerId,
        triggerKey: triggerKeys.winback(customer.customerId, customer.lastActiveAt),
        triggeredAt: at.toISOString(),
        context: { lastActiveAt: customer.lastActiveAt },
      }),
    );
    started++;
  }
  return { read: customers.length, started };
}
