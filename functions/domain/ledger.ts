/**
 * The message ledger: what an entry holds, and the rules of which decision may follow which. One item per
 * message id; every write is a single conditional write built from this table (adapters/ledger.ts), so
 * duplicates, retries and races can never produce a second email or overwrite what happened.
 *
 * - `sending` is a claim: the Send attempt that holds it (its `claim` token: execution and attempt) is the
 *   only one that may call SES for the message. A claim is taken from a new, deferred or throttled message.
 * - What follows a claim (`sent`, `throttled`, `unknown`, `failed`, `skipped` by the send-time re-check) is
 *   written only by the claim's holder, or as `unknown` by whoever finds the claim abandoned.
 * - `unknown`: SES may have accepted the email but we could not learn it (timeout, reset, 5xx after the
 *   request, a crash after the claim). Never resent automatically; a later SES delivery event settles it as
 *   `sent`.
 * - `skipped` and `cancelled` never overwrite a claim: a duplicate run that sees an in-flight send says nothing.
 */
import type { Consent, MessageRequest, ReasonKind, SendTimeChoice } from './model.js';
import type { Journey } from './names.js';

export type LedgerDecision =
  | 'sent'
  | 'skipped'
  | 'deferred'
  | 'cancelled'
  | 'failed'
  | 'sending'
  | 'throttled'
  /** SES may have accepted it, but the answer was lost: never resent; a delivery event settles it as sent. */
  | 'unknown';

/** One decision in a message's history. */
export interface LedgerStep {
  decision: LedgerDecision;
  at: string;
  reason?: string;
}

/** One item in the message ledger. */
export interface LedgerEntry {
  messageId: string;
  customerId: string;
  journey: Journey;
  triggerKey: string;
  decision: LedgerDecision;
  reason?: string;
  /** More about the reason, e.g. a template's render error. */
  detail?: string;
  templateVersion?: string;
  /** The template variant the message was sent with. */
  variant?: string;
  createdAt: string;
  updatedAt: string;
  consent?: Consent | null;
  sesMessageId?: string;
  recommendations?: string[];
  /** Why each of `recommendations` was picked, in the same order (what the why page tells). */
  reasons?: ReasonKind[];
  /** The locale the email was rendered in. */
  locale?: string;
  /** Whether opens and clicks were tracked for this email (false: the customer turned tracking off). */
  tracking?: boolean;
  /** How the send hour was chosen (birthday, win-back). */
  sendTime?: SendTimeChoice;
  /** The incentive code the email carried, and when an order redeemed it. */
  code?: string;
  redeemedAt?: string;
  deferredUntil?: string;
  /** While `sending`: the claim's holder (execution#attempt, see claimToken below) and when it claimed. */
  claim?: string;
  claimedAt?: string;
  /** Every decision in order (the last one is `decision`). */
  history?: LedgerStep[];
  /** Delivery events from SES, e.g. { delivered: iso, opened: iso }. */
  events?: Record<string, string>;
  /**
   * Set when the customer erased their data: the entry then has no customerId (it leaves the byCustomer
   * index), its triggerKey is `<journey>:erased`, free-text reasons are cut to error names, and consent,
   * recommendations, SES ids and details are gone.
   */
  erasedAt?: string;
}

/** The fields that identify a message in the ledger. */
export type LedgerKey = Pick<LedgerEntry, 'messageId' | 'customerId' | 'journey' | 'triggerKey'>;

export function ledgerKey(request: MessageRequest): LedgerKey {
  const { messageId, customerId, journey, triggerKey } = request;
  return { messageId, customerId, journey, triggerKey };
}

/** Every decision, in the order a message may pass through them. */
export const LEDGER_DECISIONS = [
  'deferred',
  'throttled',
  'sending',
  'sent',
  'unknown',
  'skipped',
  'cancelled',
  'failed',
] as const satisfies readonly LedgerDecision[];

/** 'new': the message has no entry yet. */
export type LedgerSource = LedgerDecision | 'new';

export interface Transition {
  /** Decisions this one may follow, whoever writes it. */
  readonly from: readonly LedgerSource[];
  /** Decisions it may follow only when written by the holder of the current claim. */
  readonly fromOwnClaim?: readonly LedgerDecision[];
}

/** The allowed transitions: the only source of truth for every ledger write. */
export const TRANSITIONS: Readonly<Record<LedgerDecision, Transition>> = {
  deferred: { from: ['new', 'deferred', 'throttled'] },
  sending: { from: ['new', 'deferred', 'throttled'] },
  throttled: { from: [], fromOwnClaim: ['sending'] },
  sent: { from: ['unknown'], fromOwnClaim: ['sending'] },
  unknown: { from: [], fromOwnClaim: ['sending'] },
  skipped: { from: ['new', 'deferred', 'throttled'], fromOwnClaim: ['sending'] },
  cancelled: { from: ['new', 'deferred', 'throttled'] },
  failed: { from: ['new', 'deferred', 'throttled'], fromOwnClaim: ['sending'] },
};

/** Decisions that end a message: nothing is scheduled, claimed or sent after them (but unknown -> sent). */
export const FINAL_DECISIONS: readonly LedgerDecision[] = [
  'sent',
  'unknown',
  'skipped',
  'cancelled',
  'failed',
];

/** A write the transition table forbids, made by a caller that expected it to be allowed. */
export class IllegalTransitionError extends Error {
  constructor(
    readonly from: LedgerSource,
    readonly to: LedgerDecision,
    message = `A ledger entry at "${from}" cannot become "${to}"`,
  ) {
    super(message);
    this.name = 'IllegalTransitionError';
  }
}

/** Whether `to` may be written over `from`; `ownsClaim`: the writer holds the entry's current claim. */
export function mayFollow(from: LedgerSource, to: LedgerDecision, ownsClaim = false): boolean {
  const rule = TRANSITIONS[to];
  if (rule.from.includes(from)) return true;
  return ownsClaim && from !== 'new' && (rule.fromOwnClaim ?? []).includes(from);
}

/** A claim's token: which execution and which attempt (Lambda's request id) holds it. */
export function claimToken(execution: string, attempt: string): string {
  return `${execution}#${attempt}`;
}

/** The execution part of a claim token (a retry of the same execution has the same one). */
export function claimExecution(token: string | undefined): string | undefined {
  if (!token) return undefined;
  const at = token.lastIndexOf('#');
  return at < 0 ? token : token.slice(0, at);
}

/**
 * What a Send attempt does with the entry it finds before claiming:
 * - `claim`: nobody holds it (new, deferred, throttled): take the claim;
 * - `done`: it was already decided (a duplicate or a late retry): do nothing;
 * - `in_flight`: another execution holds a fresh claim: that one decides, do nothing;
 * - `unknown`: a claim of this execution (an earlier attempt crashed or timed out after claiming, so SES may
 *   have been called), or an abandoned claim older than the send timeout: record `unknown`, never resend.
 */
export type ClaimVerdict = 'claim' | 'done' | 'in_flight' | 'unknown';

export function claimVerdict(input: {
  entry: { decision: LedgerDecision; claim?: string; claimedAt?: string } | undefined;
  execution: string;
  now: Date;
  /** A claim older than this was abandoned (longer than any Send attempt can run). */
  abandonAfterMs: number;
}): ClaimVerdict {
  const { entry } = input;
  if (!entry) return 'claim';
  if (entry.decision !== 'sending') return mayFollow(entry.decision, 'sending') ? 'claim' : 'done';
  if (claimExecution(entry.claim) === input.execution) return 'unknown';
  const claimedAt = entry.claimedAt ? Date.parse(entry.claimedAt) : Number.NaN;
  const age = input.now.getTime() - claimedAt;
  return Number.isNaN(age) || age > input.abandonAfterMs ? 'unknown' : 'in_flight';
}
