/**
 * Hourly: start a birthday message for each customer for whom it is now their send hour on their birthday,
 * in their own time zone: their best hour from past opens and clicks (see send-time.ts), else birthdayHour
 * (also for a customer who turned tracking off). The request says which (`context.sendTime`), for the "why"
 * page.
 * Reads only the birthday index partitions of the dates alive somewhere on Earth; the engagement histogram is
 * not projected into that index (every histogram update would then also write the index), so the profile is
 * read only for the few customers whose birthday it is locally today.
 */
import type { Deps } from '../app/deps.js';
import { useCase } from '../app/lambda.js';
import { birthdayIndexKeys, birthdaySendDue, isBirthdayOn } from '../domain/birthday.js';
import { messageRequest, triggerKeys } from '../domain/ids.js';
import type { SendTimeChoice } from '../domain/model.js';
import { isQuietTime } from '../domain/quiet-hours.js';
import { sendTimeOf } from '../domain/send-time.js';
import { localParts, resolveTimeZone } from '../domain/time.js';
import { type SweepResult, sweepInput, sweepTime } from './sweeps.js';

export const birthdaySweep = useCase({
  name: 'birthday-sweep',
  needs: ['profiles:read', 'profileIndexes:read', 'workflow'],
  input: sweepInput,
  async run(deps, input): Promise<SweepResult> {
    const at = sweepTime(input, deps.clock());
    let read = 0;
    let started = 0;
    for (const key of birthdayIndexKeys(at)) {
      const customers = await deps.stores.profileIndexes.byBirthday(key);
      read += customers.length;
      for (const customer of customers) {
        if (!customer.birthday) continue;
        const timeZone = resolveTimeZone(customer.timeZone, deps.config.defaultTimeZone);
        const sendTime = await sendHour(deps, customer.customerId, customer.birthday, timeZone, at);
        if (sendTime === undefined) continue;
        const due = birthdaySendDue({ birthday: customer.birthday, timeZone, now: at, hour: sendTime.hour });
        if (!due.due) continue;
        await deps.workflow.start(
          messageRequest({
            journey: 'birthday',
            customerId: customer.customerId,
            triggerKey: triggerKeys.birthday(customer.customerId, due.localYear),
            triggeredAt: at.toISOString(),
            context: { sendTime },
          }),
        );
        started++;
      }
    }
    return { read, started };
  },
});

/**
 * The hour the customer's birthday message goes and why, or undefined when it cannot be due at this sweep (so
 * no profile read is spent on them): not their birthday locally, or inside quiet hours, where a best hour
 * never lies and only a configured birthdayHour might.
 */
async function sendHour(
  deps: Deps,
  customerId: string,
  birthday: string,
  timeZone: string,
  at: Date,
): Promise<SendTimeChoice | undefined> {
  const cfg = deps.config;
  if (!cfg.sendTime.enabled) return { hour: cfg.birthdayHour, source: 'usual' };
  const local = localParts(at, timeZone);
  if (!isBirthdayOn(birthday, local)) return undefined;
  const quiet = isQuietTime(at, timeZone, cfg.quietHours);
  if (quiet && !birthdaySendDue({ birthday, timeZone, now: at, hour: cfg.birthdayHour }).due)
    return undefined;
  const profile = await deps.stores.profiles.get(customerId);
  if (!profile) return undefined;
  return sendTimeOf(profile, cfg.birthdayHour, cfg);
}
