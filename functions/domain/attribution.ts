/**
 * Attribution: what a customer does soon after a message (a click, an order) is credited to that message, so
 * the engine learns which templates work. Pure: every instant is a parameter.
 */

/** How long after a send a click or an order still counts for the message. */
export const ATTRIBUTION_WINDOW_MS = 7 * 86_400_000;

/** Whether something at `at` (ISO) is credited to a message sent at `sentAt` (ISO): not before, not too late. */
export function withinAttributionWindow(sentAt: string, at: string): boolean {
  const gap = Date.parse(at) - Date.parse(sentAt);
  return gap >= 0 && gap <= ATTRIBUTION_WINDOW_MS;
}
