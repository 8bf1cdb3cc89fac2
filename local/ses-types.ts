/** What the local SES (local/ses.ts) records and answers: its emails, its stats, its handle. */
import type { SesFaultMode, SesFaultRule } from './faults.js';
import type { EmailTracking } from './ses-tracking.js';
import type { LocalService } from './transport.js';

export type FaultKind = 'throttle' | 'reject';

/** One email as SES would have sent it, with what only the proxy saw. */
export interface LocalEmail {
  /** Deterministic id returned to the sender (`local-000001`, ...). */
  messageId: string;
  /** Simulated time of the send (ISO). */
  sentAt: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject: string;
  html?: string;
  text?: string;
  headers: { name: string; value: string }[];
  configurationSet?: string;
  tags: Record<string, string>;
  /** Whether SES would add its open pixel and click redirects (see local/ses-tracking.ts). */
  tracking: EmailTracking;
  /** Set when SES accepted this email but the sender was told otherwise (a dropped connection, a 500). */
  fault?: 'reset-after' | 'error-after';
}

/** An email SES accepted, without its bodies: what a run keeps in memory (local/ses-spool.ts). */
export type SentEmail = Omit<LocalEmail, 'html' | 'text'>;

/** An email at the moment SES accepted it (SendEmail with simple content), for `onAccepted`. */
export type AcceptedEmail = Pick<
  LocalEmail,
  | 'sentAt'
  | 'from'
  | 'to'
  | 'subject'
  | 'html'
  | 'text'
  | 'headers'
  | 'configurationSet'
  | 'tags'
  | 'tracking'
> & {
  /** The id SES returned (or would have: a fault after acceptance hides it from the sender). */
  sesMessageId: string;
};

export interface SesStats {
  /** SendEmail/SendBulkEmail requests that reached the emulator (including reset-after and error-after). */
  requests: number;
  /** SendEmail requests answered with an injected fault, of any mode. */
  faults: number;
  /** `faults` by mode. */
  faultsByMode: Record<SesFaultMode, number>;
  /** SendEmail calls the fault rules counted (every attempt, faulted or not) since they were last set. */
  sendEmailCalls: number;
}

export interface LocalSes {
  /** The proxy: point AWS_ENDPOINT_URL_SESV2 here. */
  readonly endpoint: string;
  /** The proxy's logic, for the memory transport. */
  readonly service: LocalService;
  /** The emulator itself. Its store is emptied as it accepts: emails move to this proxy's outbox on disk. */
  readonly emulatorEndpoint: string;
  /** The next `n` SendEmail calls fail like real SES, without reaching the emulator. Wins over the rules. */
  failNext(n: number, kind: FaultKind): void;
  /**
   * Replaces the fault rules (a faults file's `ses`); SendEmail calls are counted from 1 again. Calls queued
   * by `failNext` still count as calls, and their queued fault wins over a rule on the same call.
   */
  setFaultRules(rules: readonly SesFaultRule[]): void;
  /** Every email accepted through this proxy, in order, with its bodies (read back from disk). */
  listEmails(): Promise<LocalEmail[]>;
  /** Every email accepted through this proxy, in order, without bodies (they stay on disk until loaded). */
  sentEmails(): SentEmail[];
  /** One email of `sentEmails()` with its bodies. */
  loadEmail(email: Pick<SentEmail, 'messageId'>): Promise<LocalEmail>;
  stats(): SesStats;
  close(): Promise<void>;
}

export interface EmulatorEmail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  headers?: { name: string; value: string }[];
}

export interface SentRecord {
  localId: string;
  sentAt: string;
  configurationSet?: string;
  tags: Record<string, string>;
  tracking: EmailTracking;
  fault?: 'reset-after' | 'error-after';
}
