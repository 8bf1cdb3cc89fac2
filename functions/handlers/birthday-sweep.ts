/**
 * Hourly: start a birthday message for each customer for whom it is now the birthday hour on their birthday,
 * in their own time zone. Reads only the birthday index partitions of the dates alive somewhere on Earth.
 */
import { birthdayIndexKeys, birthdaySendDue } from '../domain/birthday.js';
import { messageRequest, triggerKeys } from '../domain/ids.js';
import { resolveTimeZone } from '../domain/time.js';
import { config, db, sweepTime, workflow } from './deps.js';

export interface SweepResult {
  read: number;
  started: number;
}

export async function handler(event?: unknown): Promise<SweepResult> {
  const at = sweepTime(event);
  const cfg = config();
  let read = 0;
  let started = 0;
  for (const key of birthdayIndexKeys(at)) {
    const customers = await db().profiles.byBirthday(key);
    read += customers.length;
    for (const customer of customers) {
      if (!customer.birthday) continue;
      const due = birthdaySendDue({
        birthday: customer.birthday,
        timeZone: resolveTimeZone(customer.timeZone, cfg.defaultTimeZone),
        now: at,
        hour: cfg.birthdayHour,
      });
      if (!due.due) continue;
      await workflow().start(
        messageRequest({
          journey: 'birthday',
          customerId: customer.customerId,
          triggerKey: triggerKeys.birthday(customer.customerId, due.localYear),
          triggeredAt: at.toISOString(),
        }),
      );
      started++;
    }
  }
  return { read, started };
}
