/**
 * The handlers' source of "now". On AWS it is the system clock; the embedded runtime replaces it with its
 * simulated clock so that days of delays, schedules and quiet hours run in seconds.
 */
export type Clock = () => Date;

let current: Clock = () => new Date();

export function now(): Date {
  return current();
}

/** Used by the embedded runtime and tests only. */
export function setClock(clock: Clock): void {
  current = clock;
}

export function resetClock(): void {
  current = () => new Date();
}
