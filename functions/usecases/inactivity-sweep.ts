/**
 * Daily: start one win-back message for each customer whose inactivity line (last activity or order plus
 * their own inactivity days, see adaptiveInactivityDays) fell on yesterday (UTC). Reads only that day's
 * partition of the keys-only inactivity index, and each customer found there: activity does not move the
 * index key (that would cost an index write per active day), so a customer who was active since is moved to
 * their real line here instead. A customer with a best send hour (from past opens and clicks) gets the
 * win-back at that hour: a one-time schedule starts the same request then, instead of starting it now. The
 * request says how its hour was chosen (`context.sendTime`): 'engagement' for the customer's own hour,
 * 'usual' for now or the end of quiet hours (and always for a customer who turned tracking off).
 */
import { useCase } from '../app/lambda.js';
import { messageRequest, scheduleName, triggerKeys } from '../domain/ids.js';
import { inactivitySweepDay } from '../domain/inactivity.js';
import type { SendTimeChoice } from '../domain/model.js';
import { inactivityCheck } from '../domain/profile.js';
import { nextAllowedTime } from '../domain/quiet-hours.js';
import { localHour, nextLocalHour, personalHour } from '../domain/send-time.js';
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
  needs: ['profiles', 'profileIndexes:read', 'workflow', 'scheduler'],
  input: sweepInput,
  async run(deps, input): Promise<InactivitySweepResult> {
    const at = sweepTime(input, deps.clock());
    const cfg = deps.config;
    const day = inactivitySweepDay(at);
    const { profiles } = deps.stores;
    const keys = await deps.stores.profileIndexes.byInactiveOn(day);
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
      const hour = personalHour(profile, cfg);
      const timeZone = resolveTimeZone(profile.timeZone, cfg.defaultTimeZone);
      const sendAt = hour === undefined ? undefined : nextLocalHour(at, hour, timeZone);
      // The usual timing: now, or when quiet hours end (the consent check defers it there).
      const sendTime: SendTimeChoice =
        hour === undefined
          ? {
              hour: localHour(nextAllowedTime(at, timeZone, cfg.quietHours) ?? at, timeZone),
              source: 'usual',
            }
          : { hour, source: 'engagement' };
      const request = messageRequest({
        journey: 'winback',
        customerId,
        triggerKey: triggerKeys.winback(customerId, day),
        triggeredAt: at.toISOString(),
        context: { inactiveOn: day, sendTime, ...(sendAt ? { sendAt: sendAt.toISOString() } : {}) },
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
