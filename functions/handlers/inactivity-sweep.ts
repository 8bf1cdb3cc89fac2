/**
 * Daily: start one win-back message for each customer whose inactivity line (last activity or order plus
 * `inactivityDays`) fell on yesterday (UTC). Reads only that day's partition of the keys-only inactivity
 * index, and each customer found there: activity does not move the index key (that would cost an index write
 * per active day), so a customer who was active since is moved to their real line here instead.
 */
import { messageRequest, triggerKeys } from '../domain/ids.js';
import { inactivitySweepDay } from '../domain/inactivity.js';
import { inactivityCheck } from '../domain/profile.js';
import type { SweepResult } from './birthday-sweep.js';
import { config, db, sweepTime, workflow } from './deps.js';

export async function handler(event?: unknown): Promise<SweepResult & { moved: number }> {
  const at = sweepTime(event);
  const day = inactivitySweepDay(at);
  const { profiles } = db();
  const keys = await profiles.byInactiveOn(day);
  let started = 0;
  let moved = 0;
  for (const { customerId } of keys) {
    const profile = await profiles.get(customerId);
    if (!profile) continue;
    const check = inactivityCheck(profile, day, config());
    if (check.action === 'rekey') {
      await profiles.patchExisting(customerId, { inactiveOn: check.inactiveOn });
      moved++;
    } else if (check.action === 'winback') {
      await workflow().start(
        messageRequest({
          journey: 'winback',
          customerId,
          triggerKey: triggerKeys.winback(customerId, day),
          triggeredAt: at.toISOString(),
          context: { inactiveOn: day },
        }),
      );
      started++;
    }
  }
  return { read: keys.length, started, moved };
}
