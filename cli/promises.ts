/**
 * The exactly-once check of a run, from what it left behind (the outbox and the ledger): at most one email
 * per message id, every email accounted for by a decision, every message ended. `reciprocity run --faults`
 * prints it, and the fault suite asserts it.
 */
import { FINAL_DECISIONS, type LedgerEntry } from '../functions/domain/ledger.js';
import { SES_TAGS } from '../functions/domain/names.js';

export interface PromiseCheck {
  emails: number;
  /** Emails beyond the first for a message id: must be 0. */
  duplicateEmails: number;
  /**
   * Messages lost without a record: an email with no ledger entry (or one that says it was not sent), a
   * `sent` decision with no email, or a message left mid-way (`sending`, `throttled`). Must be 0.
   */
  silentLosses: number;
  /** Recorded `unknown`: held back from resending; how many of them really went out (from the outbox). */
  unknown: { recorded: number; delivered: number };
  /** Final decisions by kind. */
  decisions: Record<string, number>;
  /** What makes up silentLosses and duplicateEmails, for a person to look at (message ids). */
  problems: string[];
}

export function checkPromises(
  emails: readonly { tags: Record<string, string> }[],
  ledger: readonly LedgerEntry[],
): PromiseCheck {
  const sentCount = new Map<string, number>();
  for (const email of emails) {
    const id = email.tags[SES_TAGS.messageId] ?? '(untagged)';
    sentCount.set(id, (sentCount.get(id) ?? 0) + 1);
  }
  const byId = new Map(ledger.map((e) => [e.messageId, e]));
  const problems: string[] = [];
  let duplicateEmails = 0;
  let silentLosses = 0;
  for (const [id, n] of sentCount) {
    if (n > 1) {
      duplicateEmails += n - 1;
      problems.push(`${id}: ${n} emails`);
    }
    const decision = byId.get(id)?.decision;
    if (decision !== 'sent' && decision !== 'unknown') {
      silentLosses += 1;
      problems.push(`${id}: an email went out, the ledger says ${decision ?? 'nothing'}`);
    }
  }
  const decisions: Record<string, number> = {};
  let unknownDelivered = 0;
  for (const entry of ledger) {
    decisions[entry.decision] = (decisions[entry.decision] ?? 0) + 1;
    const final = FINAL_DECISIONS.includes(entry.decision) || entry.decision === 'deferred';
    if (!final) {
      silentLosses += 1;
      problems.push(`${entry.messageId}: left at ${entry.decision}`);
    } else if (entry.decision === 'sent' && !sentCount.has(entry.messageId)) {
      silentLosses += 1;
      problems.push(`${entry.messageId}: recorded sent, no email`);
    }
    if (entry.decision === 'unknown' && sentCount.has(entry.messageId)) unknownDelivered += 1;
  }
  return {
    emails: emails.length,
    duplicateEmails,
    silentLosses,
    unknown: { recorded: decisions.unknown ?? 0, delivered: unknownDelivered },
    decisions,
    problems,
  };
}
