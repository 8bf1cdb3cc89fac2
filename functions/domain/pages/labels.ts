/** Plain-language names of journeys, topics and ledger decisions, shared by the customer pages. */
import type { LedgerDecision } from '../model.js';
import type { Journey, Topic } from '../names.js';

export const JOURNEY_LABELS: Record<Journey, string> = {
  cart_reminder: 'Cart reminder',
  order_followup: 'Thank-you for your order',
  birthday: 'Birthday message',
  winback: 'We miss you',
};

export const TOPIC_LABELS: Record<Topic, string> = {
  cart_reminders: 'Cart reminders',
  order_followups: 'Thank-you notes after an order',
  birthday: 'Birthday messages',
  winback: '“We miss you” notes',
};

export const TOPIC_HINTS: Record<Topic, string> = {
  cart_reminders: 'one note if you leave items in your cart',
  order_followups: 'a thank-you with a few ideas that go with what you bought',
  birthday: 'on the morning of your birthday, if you told us the date',
  winback: 'one note if we have not seen you for a long while',
};

export const DECISION_LABELS: Record<LedgerDecision, string> = {
  sent: 'sent',
  skipped: 'not sent',
  deferred: 'waiting to be sent',
  cancelled: 'cancelled',
  failed: 'could not be sent',
  sending: 'being sent',
  throttled: 'waiting to be sent',
  // The email may have gone out: we never send it again, and say so rather than guess.
  unknown: 'probably sent (our mail service did not confirm it, so we will not send it again)',
};
