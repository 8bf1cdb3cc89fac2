/**
 * Daily: start one win-back message for each customer whose inactivity line (last activity or order plus
 * `inactivityDays`) fell on yesterday (UTC). Reads only that day's partition of the keys-only inactivity
 * index; by 00:05 everyone in it has crossed the line, so nothing else needs reading.
 */
import { messageRequest, triggerKeys } from '../domain/ids.js';
import { inactivitySweepDay } from '../domain/inactivity.js';
import type { SweepResult } from './birthday-sweep.js';
import { db, sweepTime, workflow } from './deps.js';

export async function handler(event?: unknown): Promise<SweepResult> {
  const at = sweepTime(event);
  const day = inactivitySweepDay(at);
  const customers = await db().profiles.byInactiveOn(day);
  for (const customer of customers) {
    await workflow().start(
      messageRequest({
        journey: 'winback',
        customerId: customer.customerId,
        triggerKey: triggerKeys.winback(customer.customerId, day),
        triggeredAt: at.toISOString(),
        context: { inactiveOn: day },
      }),
    );
  }
  return { read: customers.length, started: customers.length };
}
