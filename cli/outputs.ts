/** Writes a run's results: outbox/*.eml, summary.json, ledger.jsonl, rejected.jsonl, stats.jsonl. */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { RejectedEvent } from '../functions/adapters/rejected.js';
import type { LedgerEntry } from '../functions/domain/ledger.js';
import type { StatsRow } from '../functions/domain/stats.js';
import type { LocalEmail, SentEmail } from '../local/ses-types.js';
import type { ImportProblem } from './profiles-import.js';
import type { Summary } from './summary.js';

/** The email as handed to SES, as an RFC 5322 message (SES's own headers name the tags and config set). */
export async function toEml(email: LocalEmail): Promise<Buffer> {
  const tags = Object.entries(email.tags).map(([k, v]) => `${k}=${v}`);
  const composer = new MailComposer({
    from: email.from,
    to: email.to,
    ...(email.replyTo.length ? { replyTo: email.replyTo } : {}),
    subject: email.subject,
    ...(email.text !== undefined ? { text: email.text } : {}),
    ...(email.html !== undefined ? { html: email.html } : {}),
    messageId: `<${email.messageId}@reciprocity.local>`,
    date: new Date(email.sentAt),
    headers: [
      ...email.headers.map((h) => ({ key: h.name, value: h.value })),
      ...(email.configurationSet ? [{ key: 'X-SES-CONFIGURATION-SET', value: email.configurationSet }] : []),
      ...(tags.length ? [{ key: 'X-SES-MESSAGE-TAGS', value: tags.join(', ') }] : []),
    ],
  });
  return composer.compile().build();
}

export interface LedgerLine {
  messageId: string;
  customerId: string;
  journey: string;
  triggerKey: string;
  decision: string;
  reason: string | null;
  templateId: string;
  templateVersion: string | null;
  at: string;
}

/**
 * One line per decision (a deferred-then-sent message has two), in simulated-time order. A `sending` claim is
 * an internal step and left out, unless it is where the message stopped: then it is the line a person needs.
 */
export function ledgerLines(entries: readonly LedgerEntry[]): LedgerLine[] {
  return entries
    .flatMap((e) =>
      (e.history?.length ? e.history : [{ decision: e.decision, at: e.updatedAt, reason: e.reason }])
        .filter((step, i, all) => step.decision !== 'sending' || i === all.length - 1)
        .map((step) => ({
          messageId: e.messageId,
          customerId: e.customerId,
          journey: e.journey,
          triggerKey: e.triggerKey,
          decision: step.decision,
          reason: step.reason ?? null,
          templateId: e.journey,
          templateVersion: e.templateVersion ?? null,
          at: step.at,
        })),
    )
    .sort((a, b) => a.at.localeCompare(b.at) || a.messageId.localeCompare(b.messageId));
}

export async function writeOutputs(
  dir: string,
  input: {
    /** The emails SES accepted, without bodies; each is loaded (`loadEmail`) only to write its file. */
    emails: readonly SentEmail[];
    loadEmail: (email: SentEmail) => Promise<LocalEmail>;
    summary: Summary & Record<string, unknown>;
    ledger: readonly LedgerEntry[];
    rejected: readonly RejectedEvent[];
    inputProblems: readonly ImportProblem[];
    /** The outcome counters, for `reciprocity report DIR`. */
    stats?: readonly StatsRow[];
  },
): Promise<{ outbox: string; files: number }> {
  const outbox = join(dir, 'outbox');
  await rm(outbox, { recursive: true, force: true });
  await mkdir(outbox, { recursive: true });
  const sorted = [...input.emails].sort(
    (a, b) => a.sentAt.localeCompare(b.sentAt) || a.messageId.localeCompare(b.messageId),
  );
  let n = 0;
  for (const email of sorted) {
    n++;
    const journey = email.tags.journey ?? 'message';
    const name = `${String(n).padStart(5, '0')}-${email.sentAt.replace(/[:.]/g, '')}-${journey}.eml`;
    await writeFile(join(outbox, name), await toEml(await input.loadEmail(email)));
  }
  const jsonl = (rows: readonly unknown[]) =>
    rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');
  await writeFile(join(dir, 'summary.json'), `${JSON.stringify(input.summary, null, 2)}\n`);
  await writeFile(join(dir, 'ledger.jsonl'), jsonl(ledgerLines(input.ledger)));
  await writeFile(join(dir, 'stats.jsonl'), jsonl(input.stats ?? []));
  await writeFile(
    join(dir, 'rejected.jsonl'),
    jsonl([
      ...input.inputProblems.map((p) => ({ source: p.source, line: p.line, error: p.error, raw: p.raw })),
      ...input.rejected.map((r) => ({
        source: 'events',
        eventId: r.eventId ?? null,
        detailType: r.detailType ?? null,
        receivedAt: r.receivedAt,
        error: r.error,
        raw: r.raw,
      })),
    ]),
  );
  return { outbox, files: n };
}
