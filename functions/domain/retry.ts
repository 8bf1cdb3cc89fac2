/** When a message SES kept throttling is tried again: backoff with a ceiling, within the deferral window. */

const FIRST_STEP_MS = 15 * 60_000;
const MAX_STEP_MS = 6 * 3_600_000;

/**
 * The time of throttle retry number `attempt` (1, 2, ...): 15 min, 30 min, 1 h, ... at most 6 h apart, or
 * undefined when it would fall after maxDeferralHours since the trigger (then the message has failed).
 */
export function throttleRetryAt(input: {
  now: Date;
  triggeredAt: Date;
  attempt: number;
  maxDeferralHours: number;
}): Date | undefined {
  const step = Math.min(FIRST_STEP_MS * 2 ** Math.max(0, input.attempt - 1), MAX_STEP_MS);
  const at = new Date(input.now.getTime() + step);
  const deadline = input.triggeredAt.getTime() + input.maxDeferralHours * 3_600_000;
  return at.getTime() <= deadline ? at : undefined;
}
