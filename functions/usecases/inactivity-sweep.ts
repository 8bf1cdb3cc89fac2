/**
 * Daily: start one win-back message for each customer whose inactivity line (last activity or order plus
 * their own inactivity days, see adaptiveInactivityDays) fell on yesterday (UTC). Reads only that day's
 * partition of the keys-only inactivity index, and each customer found there: activity does not move the
 * index key (that would cost an index write per active day), so a customer who was active since is moved to
 * their real line here instead. A customer with a best send hour (from past opens and clicks) gets the
 * win-back at that hour: a one-time schedule starts the same request then, instead of starting it now.
 */
import { useCase } from '../app/lambda.js';
import { messageRequest, scheduleName, triggerKeys } from '../domain/ids.js';
import { inactivitySweepDay } from '../domain/inactivity.js';
import { inactivityCheck } from '../domain/profile.js';
import { nextLocalHour, personalHour } from '../domain/send-time.js';
import { resolveTimeZone } from '../domain/time.js';
import { type SweepResult, sweepInput, sweepTime } from './sweeps.js';

export interface InactivitySweepResult extends SweepResult {
  /** Customers active since: their index key moved to their real line. */
  moved: number;
  /** Win-backs planned for the customer's best send hour (a one-time schedule). */
  scheduled: number;
}

export const inactivitySweep = useCase({
  name: 'inactivity-sweep',
  needs: ['profiles', 'workflow', 'scheduler'],
  input: sweepInput,
  async run(deps, input): Promise<InactivitySweepResult> {
    const at = sweepTime(input, deps.clock());
    const cfg = deps.config;
    const day = inactivitySweepDay(at);
    const { profiles } = deps.stores;
    const keys = await profiles.byInactiveOn(day);
    let started = 0;
    let moved = 0;
    let scheduled = 0;
    for (const { customerId } of keys) {
      const profile = await profiles.get(customerId);
      if (!profile) continue;
      const check = inactivityCheck(profile, day, cfg);
      if (check.action === 'rekey') {
        await profiles.patchExisting(customerId, { inactiveOn: check.inactiveOn });
        moved++;
        continue;
      }
      if (check.action !== 'winback') continue;
      const hour = personalHour(profile.engagementHours, cfg);
      const timeZone = resolveTimeZone(profile.timeZone, cfg.defaultTimeZone);
      const sendAt = hour === undefined ? undefined : nextLocalHour(at, hour, timeZone);
      const request = messageRequest({
        journey: 'winback',
        customerId,
        triggerKey: triggerKeys.winback(customerId, day),
        triggeredAt: at.toISOString(),
        context: { inactiveOn: day, ...(sendAt ? { sendAt: sendAt.toISOString() } : {}) },
      });
      if (sendAt) {
        // Named by the message, so a retried sweep moves the same schedule instead of adding a second one.
        await deps.scheduler.upsert(scheduleName('winback', request.messageId), sendAt, request);
        scheduled++;
      } else {
        // No history: start now; the consent check defers it past quiet hours as before.
        await deps.workflow.start(request);
        started++;
      }
    }
    return { read: keys.length, started, moved, scheduled };
  },
});
