/**
 * Named errors. Retryable ones are thrown so Step Functions retries them (the state machine's Retry lists
 * these names); permanent outcomes are returned as data, not thrown.
 */

/** Something that may succeed if tried again (throttling, a lost optimistic lock). */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/** SES answered 429 TooManyRequests: nothing was sent, retry with backoff. */
export class SesThrottledError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SesThrottledError';
  }
}

/** Input that can never succeed (a bug or a contract violation); recorded, not retried. */
export class InvalidInputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidInputError';
  }
}

/** Error names the state machine retries, with backoff and jitter. */
export const RETRYABLE_ERRORS = ['TransientError', 'SesThrottledError'] as const;
