/**
 * The local SES's outbox: every email it accepted, its headers and tags in memory and its bodies on disk.
 * A run reads every email once, at the end (the outbox files); until then only what the checks need (who,
 * when, tags) stays in memory. Before, the emulator's store kept every body for the whole run: 17 MB for a
 * real shop's 10% sample, and one JSON of them all when the run listed its emails.
 */
import { type FileHandle, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalEmail, SentEmail } from './ses-types.js';

interface Stored {
  email: SentEmail;
  offset: number;
  length: number;
}

/** An append-only file of bodies (a temporary directory of its own), with the emails' other fields in memory. */
export class EmailSpool {
  private readonly stored: Stored[] = [];
  private readonly byId = new Map<string, Stored>();
  private end = 0;

  private constructor(
    /** The temporary directory the bodies are in, removed by `close`. */
    readonly dir: string,
    private readonly file: FileHandle,
  ) {}

  static async open(): Promise<EmailSpool> {
    const dir = await mkdtemp(join(tmpdir(), 'reciprocity-ses-'));
    return new EmailSpool(dir, await open(join(dir, 'bodies.jsonl'), 'w+'));
  }

  /** Keeps an accepted email: its bodies go to the file, the rest stays in memory. */
  async add(email: LocalEmail): Promise<void> {
    const { html, text, ...meta } = email;
    const bytes = Buffer.from(`${JSON.stringify({ html, text })}\n`);
    const offset = this.end;
    this.end += bytes.length;
    await this.file.write(bytes, 0, bytes.length, offset);
    const stored = { email: meta, offset, length: bytes.length };
    this.stored.push(stored);
    this.byId.set(meta.messageId, stored);
  }

  /** Every email in the order SES accepted them, without bodies. */
  list(): SentEmail[] {
    return this.stored.map((s) => s.email);
  }

  get size(): number {
    return this.stored.length;
  }

  /** One email with its bodies, read back from the file. */
  async load(email: Pick<SentEmail, 'messageId'>): Promise<LocalEmail> {
    const stored = this.byId.get(email.messageId);
    if (!stored) throw new Error(`No email ${email.messageId} in this SES outbox`);
    const buffer = Buffer.alloc(stored.length);
    await this.file.read(buffer, 0, stored.length, stored.offset);
    const { html, text } = JSON.parse(buffer.toString('utf8')) as { html?: string; text?: string };
    return {
      ...stored.email,
      ...(html === undefined ? {} : { html }),
      ...(text === undefined ? {} : { text }),
    };
  }

  async close(): Promise<void> {
    await this.file.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}
