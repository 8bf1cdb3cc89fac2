/**
 * One source of truth for names shared by the CDK app, the Lambda handlers and the embedded runtime:
 * journeys, topics, event detail-types, state names, environment variables.
 */

export const JOURNEYS = ['cart_reminder', 'order_followup', 'birthday', 'winback'] as const;
export type Journey = (typeof JOURNEYS)[number];

export const TOPICS = ['cart_reminders', 'order_followups', 'birthday', 'winback'] as const;
export type Topic = (typeof TOPICS)[number];

/** The consent topic each journey needs. */
export const TOPIC_OF_JOURNEY: Record<Journey, Topic> = {
  cart_reminder: 'cart_reminders',
  order_followup: 'order_followups',
  birthday: 'birthday',
  winback: 'winback',
};

/**
 * Whether a journey gives (a gesture) or asks something of the customer; the give/ask balance keeps asks from
 * running ahead of gestures.
 */
export type JourneyClass = 'gesture' | 'ask';
export const JOURNEY_CLASS: Record<Journey, JourneyClass> = {
  order_followup: 'gesture',
  birthday: 'gesture',
  cart_reminder: 'ask',
  winback: 'ask',
};

export const DETAIL_TYPES = {
  customerUpserted: 'customer.upserted',
  customerActivity: 'customer.activity',
  cartUpdated: 'cart.updated',
  orderPlaced: 'order.placed',
  productUpserted: 'product.upserted',
  feedbackGiven: 'feedback.given',
} as const;
export type DetailType = (typeof DETAIL_TYPES)[keyof typeof DETAIL_TYPES];

/** The intake function each detail type is routed to (one bus rule per function). */
export const INTAKE_OF_DETAIL_TYPE = {
  'customer.upserted': 'profile-intake',
  'customer.activity': 'profile-intake',
  'cart.updated': 'cart-intake',
  'order.placed': 'order-intake',
  'product.upserted': 'catalogue-intake',
  'feedback.given': 'feedback-intake',
} as const satisfies Record<DetailType, string>;
export type IntakeName = (typeof INTAKE_OF_DETAIL_TYPE)[DetailType];
export const ALL_DETAIL_TYPES: readonly DetailType[] = Object.values(DETAIL_TYPES);

/**
 * The Lambda handlers: one entry file each in functions/handlers (a few lines: `lambdaHandler(useCase)`), the
 * use case in functions/usecases. Intake is one function per kind of shop event, each behind its own bus rule.
 */
export const HANDLERS = [
  'profile-intake',
  'cart-intake',
  'order-intake',
  'catalogue-intake',
  'feedback-intake',
  'personalize',
  'check-consent',
  'send',
  'record',
  'defer',
  'birthday-sweep',
  'inactivity-sweep',
  'peer-sweep',
  'ses-events',
  'customer-http',
] as const;
export type HandlerName = (typeof HANDLERS)[number];

/** State names of the message workflow. The embedded runtime maps Lambda task states by these names. */
export const STATES = {
  personalize: 'Personalize',
  canPersonalize: 'CanPersonalize',
  checkConsent: 'CheckConsent',
  route: 'Route',
  send: 'Send',
  afterSend: 'AfterSend',
  captureFeedback: 'CaptureFeedback',
  defer: 'Defer',
  /** SES still throttled after Send's retries: the message is scheduled again (backoff), not failed. */
  rescheduleThrottled: 'RescheduleThrottled',
  recordSkip: 'RecordSkip',
  recordFailure: 'RecordFailure',
  done: 'Done',
  failed: 'Failed',
} as const;

/** Environment variables the handlers read (set by the CDK stack, or by the embedded runtime). */
export const ENV = {
  profilesTable: 'PROFILES_TABLE',
  cartsTable: 'CARTS_TABLE',
  messagesTable: 'MESSAGES_TABLE',
  templatesTable: 'TEMPLATES_TABLE',
  productsTable: 'PRODUCTS_TABLE',
  rejectedTable: 'REJECTED_TABLE',
  reputationTable: 'REPUTATION_TABLE',
  statsTable: 'STATS_TABLE',
  /** Incentive codes and their claims (adapters/codes.ts). */
  codesTable: 'CODES_TABLE',
  /** Intake's idempotency records (functions/adapters/once.ts: one per order). */
  idempotencyTable: 'IDEMPOTENCY_TABLE',
  stateMachineArn: 'STATE_MACHINE_ARN',
  schedulerRoleArn: 'SCHEDULER_ROLE_ARN',
  scheduleGroup: 'SCHEDULE_GROUP',
  /** Dead-letter queue for per-message schedules that could not start the workflow. */
  scheduleDlqArn: 'SCHEDULE_DLQ_ARN',
  configurationSet: 'SES_CONFIGURATION_SET',
  /** JSON of the engine configuration (see domain/config.ts); absent keys take the defaults. */
  config: 'RECIPROCITY_CONFIG',
  /** HMAC keys for signed links: JSON `{ "current": "kid", "keys": { "kid": "base64 secret" } }`. */
  linkKeys: 'LINK_KEYS',
  /** Where to read the link keys on AWS (SSM SecureString parameter name); LINK_KEYS wins when set. */
  linkKeysParameter: 'LINK_KEYS_PARAMETER',
} as const;

/** Message tags put on every SES send, so delivery events map back to the ledger. */
export const SES_TAGS = {
  journey: 'journey',
  templateVersion: 'template_version',
  messageId: 'message_id',
  /** The template variant the message went out with (see domain/bandit.ts). */
  variant: 'variant',
} as const;

/** UUID v5 namespace for ids derived from triggers (a replay derives the same id). */
export const ID_NAMESPACE = '5b0a4c1e-8f7d-4c55-9a0e-2d6a1f3b7c90';

/** The CloudWatch namespace of the journey metrics (adapters/metrics.ts) and the stack's dashboard. */
export const METRIC_NAMESPACE = 'Reciprocity';

/** The journey metrics, one per outcome; each is published with the dimension `journey` only. */
export const JOURNEY_METRICS = [
  'sent',
  'delivered',
  'opened',
  'clicked',
  'converted',
  'complained',
  'unsubscribed',
  'bounced',
] as const;
export type JourneyMetric = (typeof JOURNEY_METRICS)[number];

/** The dimension every journey metric carries (and the only one). */
export const JOURNEY_DIMENSION = 'journey';
