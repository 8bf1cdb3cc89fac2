/**
 * Every Lambda function of the stack and what it may touch. The grants are written out here, in the words the
 * use cases use for `needs` (functions/app/deps.ts), instead of being read from the use cases: lib never
 * imports handler code. test/infra/least-privilege.test.ts derives each function's expected IAM from its use
 * case's `needs` and fails when this table grants more or less.
 */
import { Duration } from 'aws-cdk-lib';
import type { HandlerName } from '../functions/domain/names.js';

/** The stores a function may use; a store named alone is read and written, `<store>:read` read only. */
export const STORES = [
  'profiles',
  'carts',
  'ledger',
  'templates',
  'products',
  'rejected',
  'reputation',
  'stats',
  'codes',
  'peers',
  'profileIndexes',
] as const;
export type Store = (typeof STORES)[number];

/**
 * One permission of a function: a store (read/write), `<store>:read`, or a capability: `sender` (SES send
 * through the configuration set), `scheduler` (per-message schedules, plus the workflow ARN they target),
 * `workflow` (StartExecution), `linkKeys` (read the link-signing secret), `idempotency` (read/write the
 * idempotency table), `profilesScan` (Scan the profiles table: the peer sweep alone).
 */
export type Grant =
  | Store
  | `${Store}:read`
  | 'sender'
  | 'scheduler'
  | 'workflow'
  | 'linkKeys'
  | 'idempotency'
  | 'profilesScan';

/** How a function is invoked, which decides its failure handling. */
export type Invocation =
  /** Asynchronously (a bus rule, a Scheduler schedule): failed invocations go to an on-failure queue. */
  | 'async'
  /** By the message workflow, which retries and catches itself. */
  | 'workflow'
  /** Synchronously by a caller that sees the error (the function URL). */
  | 'sync';

export interface FunctionSpec {
  readonly grants: readonly Grant[];
  readonly invocation: Invocation;
  /** One line for the console. @default - none */
  readonly description?: string;
  /** @default the ReciprocityFunction default (30 s) */
  readonly timeout?: Duration;
  /** @default the ReciprocityFunction default (256 MB) */
  readonly memorySize?: number;
}

/**
 * Send's own timeout: below the Send task's timeout (SEND_TASK_TIMEOUT, 35 s), so a hung attempt ends as the
 * function's own timeout (Sandbox.Timedout, retried) while the state machine still waits for it, and the next
 * attempt never overlaps a live one. The stack refuses a value that is not below the task's.
 */
export const SEND_FUNCTION_TIMEOUT = Duration.seconds(30);

const intake = (grants: readonly Grant[], description: string): FunctionSpec => ({
  // Every intake keeps the events that fail validation in the rejected store, for a person to read.
  grants: [...grants, 'rejected'],
  invocation: 'async',
  description,
});

/** The functions, in HANDLERS order. Keep each `grants` equal to its use case's `needs`. */
export const FUNCTIONS: Readonly<Record<HandlerName, FunctionSpec>> = {
  // linkKeys on the intakes that touch a customer: erasure tombstones are keyed hashes (domain/tombstone.ts).
  'profile-intake': intake(
    ['profiles', 'linkKeys'],
    'customer.upserted and customer.activity: keeps the profile',
  ),
  'cart-intake': intake(
    ['carts', 'profiles', 'ledger', 'stats', 'scheduler', 'linkKeys'],
    'cart.updated: keeps the cart, schedules, moves or cancels its reminder',
  ),
  'order-intake': intake(
    [
      'carts',
      'products',
      'profiles',
      'ledger',
      'stats',
      'reputation',
      'scheduler',
      'workflow',
      'idempotency',
      'linkKeys',
      'codes',
    ],
    'order.placed, once per order: closes carts and reminders, counts co-purchases, starts the thank-you',
  ),
  'catalogue-intake': intake(['products'], 'product.upserted: keeps the catalogue'),
  'feedback-intake': intake(
    ['profiles', 'products:read', 'ledger', 'stats', 'linkKeys'],
    'feedback.given: records the vote on the profile and the message',
  ),
  personalize: {
    grants: [
      'profiles:read',
      'carts:read',
      'templates:read',
      'products:read',
      'reputation:read',
      'linkKeys',
      'codes',
      'peers:read',
    ],
    invocation: 'workflow',
    description: 'Workflow step: loads, re-checks and renders the message',
  },
  'check-consent': {
    grants: ['profiles:read', 'reputation:read'],
    invocation: 'workflow',
    description: 'Workflow step: consent, caps, quiet hours, reputation guard',
  },
  send: {
    grants: ['ledger', 'stats', 'profiles', 'sender', 'codes'],
    invocation: 'workflow',
    description: 'Workflow step: claims the ledger entry and sends through SES, at most once',
    timeout: SEND_FUNCTION_TIMEOUT,
  },
  record: {
    grants: ['ledger', 'stats', 'reputation', 'rejected', 'codes'],
    invocation: 'workflow',
    description: 'Workflow step: records a skip, a failure or the sent variant',
  },
  defer: {
    grants: ['ledger', 'stats', 'scheduler'],
    invocation: 'workflow',
    description: 'Workflow step: schedules the message again (quiet hours, guard pause, throttling)',
  },
  'birthday-sweep': {
    grants: ['profiles:read', 'profileIndexes:read', 'workflow'],
    invocation: 'async',
    description: 'Hourly: starts the birthday messages of the hour',
    timeout: Duration.minutes(5),
  },
  'inactivity-sweep': {
    // readwrite: the sweep moves stale inactivity keys; win-backs go at the customer's best hour (scheduled).
    grants: ['profiles', 'profileIndexes:read', 'workflow', 'scheduler'],
    invocation: 'async',
    description: 'Daily: starts or schedules the win-back messages of the day',
    timeout: Duration.minutes(5),
  },
  'peer-sweep': {
    // The profiles table: one Scan, then the peer buckets it changed.
    grants: ['peers', 'profilesScan'],
    invocation: 'async',
    description: 'Weekly: "shoppers like you" picks for every customer, from all purchase histories',
    timeout: Duration.minutes(15),
    // Every history in memory at once, and the CPU that comes with memory on Lambda.
    memorySize: 1024,
  },
  'ses-events': {
    grants: ['ledger', 'stats', 'profiles', 'reputation'],
    invocation: 'async',
    description: 'SES events: ledger outcomes, suppression, the reputation guard',
  },
  'customer-http': {
    grants: ['profiles', 'ledger', 'stats', 'carts', 'products:read', 'linkKeys', 'peers'],
    invocation: 'sync',
    description: 'Customer pages behind signed links: unsubscribe, preferences, why, votes',
    timeout: Duration.seconds(10),
  },
};

/** The store a grant names, and whether it writes; undefined for capabilities. */
export function storeGrant(grant: Grant): { store: Store; write: boolean } | undefined {
  const [name, mode] = grant.split(':') as [string, string | undefined];
  if (!(STORES as readonly string[]).includes(name)) return undefined;
  return { store: name as Store, write: mode !== 'read' };
}

/** `order-intake` -> `OrderIntake`: the prefix of each function's construct ids (and logical ids). */
export function pascal(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, _dash: string, c: string) => c.toUpperCase());
}
