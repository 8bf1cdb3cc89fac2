/**
 * Local SES v2: aws-ses-v2-local in-process, behind a small proxy of ours that the handlers' SESv2Client
 * talks to. The proxy exists because the emulator cannot (1) fail like real SES (throttling, rejection,
 * a dropped connection or a 500 after the email was accepted: see faults.ts),
 * (2) keep the configuration set and message tags, (3) give deterministic message ids, (4) know the
 * simulated time of a send, or (5) tell anyone what it accepted (`onAccepted`: the simulated audience of
 * local/audience.ts). Everything else is forwarded unchanged.
 *
 * aws-ses-v2-local keeps its store in a module-level variable, so emulators started in one process share
 * it; each proxy therefore takes the emails that passed through it out of that store as it accepts them, into
 * an outbox of its own with the bodies on disk (local/ses-spool.ts), so a long run's memory does not grow
 * with every email's HTML.
 */
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import * as sesLocalModule from 'aws-ses-v2-local';
import { type SesFaultMode, type SesFaultRule, SesFaultRules } from './faults.js';
import { closeServer } from './net.js';
import { EmailSpool } from './ses-spool.js';
import { type TrackingOverrides, trackingOf } from './ses-tracking.js';
import {
  ConnectionResetSignal,
  DEFAULT_TRANSPORT,
  httpService,
  jsonReply,
  type LocalReply,
  type LocalService,
  serveLocal,
  type Transport,
} from './transport.js';

export type { AcceptedEmail, FaultKind, LocalEmail, LocalSes, SesStats } from './ses-types.js';

import type {
  AcceptedEmail,
  EmulatorEmail,
  FaultKind,
  LocalEmail,
  LocalSes,
  SentRecord,
} from './ses-types.js';

const SEND_EMAIL_PATH = '/v2/email/outbound-emails';
const SEND_PATHS = new Set([SEND_EMAIL_PATH, '/v2/email/outbound-bulk-emails']);

interface ErrorAnswer {
  status: number;
  type: string;
  message: string;
}

// Real SES v2 answers: the SDK maps x-amzn-ErrorType to the exception's `name`.
const FAULTS: Record<FaultKind, ErrorAnswer> = {
  throttle: { status: 429, type: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.' },
  reject: { status: 400, type: 'MessageRejected', message: 'Email address is not verified.' },
};
const INTERNAL_FAILURE: ErrorAnswer = {
  status: 500,
  type: 'InternalFailure',
  message: 'The request processing has failed because of an unknown error, exception or failure.',
};

function noFaults(): Record<SesFaultMode, number> {
  return { throttle: 0, reject: 0, 'reset-before': 0, 'reset-after': 0, 'error-after': 0 };
}

type StartEmulator = (config: { host: string; port: number }) => Promise<Server>;

/** The package is CommonJS with `exports.default`; ESM loaders differ on whether they unwrap it. */
function emulatorFactory(): StartEmulator {
  const candidate = (sesLocalModule as unknown as { default: unknown }).default;
  if (typeof candidate === 'function') return candidate as StartEmulator;
  return (candidate as { default: StartEmulator }).default;
}

/**
 * Starts the emulator and the proxy, both on free ports. `clock` stamps each send with simulated time;
 * `faults` are the SES rules of a faults file (see `setFaultRules`).
 */
export async function startSes(
  options: {
    clock?: () => Date;
    faults?: readonly SesFaultRule[];
    /** Told of every email SES accepted, as it accepts it (embedded mode's simulated audience listens). */
    onAccepted?: (email: AcceptedEmail) => void;
    /**
     * How the proxy reaches the emulator: `memory` calls its SendEmail route in-process (other requests
     * still go over HTTP); `http` forwards everything over its socket. @default memory
     */
    transport?: Transport;
  } = {},
): Promise<LocalSes> {
  const clock = options.clock ?? (() => new Date());
  const emulator = await emulatorFactory()({ host: '127.0.0.1', port: 0 });
  const address = emulator.address();
  if (address === null || typeof address === 'string') throw new Error('SES emulator has no TCP address');
  const emulatorEndpoint = `http://127.0.0.1:${address.port}`;
  const overHttp = httpService(emulatorEndpoint);
  const toEmulator: LocalService =
    (options.transport ?? DEFAULT_TRANSPORT) === 'memory'
      ? (request) =>
          request.method === 'POST' && request.path === SEND_EMAIL_PATH
            ? emulatorSendEmail(request.body)
            : // The emulator wants an Authorization header that starts with AWS (it never checks more).
              overHttp({
                ...request,
                headers: { authorization: 'AWS4-HMAC-SHA256 unsigned', ...request.headers },
              })
      : overHttp;

  const queued: FaultKind[] = [];
  let rules = new SesFaultRules(options.faults ?? []);
  const outbox = await EmailSpool.open();
  /** Emails accepted so far, the local ids' sequence (the outbox counts them only once their bodies are on disk). */
  let accepted = 0;
  const counts = { requests: 0, faults: 0 };
  const byMode = noFaults();
  const injected = (mode: SesFaultMode) => {
    counts.faults += 1;
    byMode[mode] += 1;
  };

  const service: LocalService = async (request) => {
    const { body, path } = request;
    const isSend = request.method === 'POST' && SEND_PATHS.has(path);
    // Every SendEmail attempt is a call for the rules, so a file means the same calls in every run.
    const ruled = isSend && path === SEND_EMAIL_PATH ? rules.next() : undefined;
    const fault: SesFaultMode | undefined = (isSend ? queued.shift() : undefined) ?? ruled;
    if (fault === 'throttle' || fault === 'reject') {
      injected(fault);
      return answerError(FAULTS[fault]);
    }
    if (fault === 'reset-before') {
      injected(fault);
      throw new ConnectionResetSignal();
    }
    if (isSend) counts.requests += 1;
    const answer = await toEmulator(request);
    if (isSend && answer.status === 200) {
      const sendRequest = JSON.parse(body.toString('utf8')) as SendRequest;
      // SES accepted the email; a fault after this point only hides that from the sender.
      const { response: rewritten, records } = recordSends(
        JSON.parse(answer.body.toString()) as SendResponse,
        sendRequest,
        accepted,
        clock,
        fault,
      );
      // Numbered now, before the bodies are written: sends racing each other must not share a local id.
      accepted += records.length;
      for (const [emulatorId, record] of records) {
        const email = takeFromEmulator(emulatorId);
        if (email) await outbox.add(toLocalEmail(email, record));
      }
      if (options.onAccepted && rewritten.MessageId) {
        const accepted = acceptedEmail(sendRequest, rewritten.MessageId, clock());
        if (accepted) options.onAccepted(accepted);
      }
      if (fault === 'reset-after') {
        injected(fault);
        throw new ConnectionResetSignal();
      }
      if (fault === 'error-after') {
        injected(fault);
        return answerError(INTERNAL_FAILURE);
      }
      return jsonReply(200, rewritten);
    }
    // The emulator refused the request: SES would not have accepted it either, so no after-fault happens.
    return {
      status: answer.status,
      headers: { 'content-type': answer.headers['content-type'] ?? 'application/json' },
      body: answer.body,
    };
  };
  const proxy = await serveLocal(service);

  return {
    endpoint: proxy.endpoint,
    service,
    emulatorEndpoint,
    failNext(n, kind) {
      for (let i = 0; i < n; i += 1) queued.push(kind);
    },
    setFaultRules(next) {
      rules = new SesFaultRules(next);
    },
    // Order of sending through this proxy, which is deterministic, not the shared store's order.
    listEmails: () => Promise.all(outbox.list().map((email) => outbox.load(email))),
    sentEmails: () => outbox.list(),
    loadEmail: (email) => outbox.load(email),
    stats: () => ({ ...counts, faultsByMode: { ...byMode }, sendEmailCalls: rules.calls }),
    async close() {
      await proxy.close();
      await closeServer(emulator);
      await outbox.close();
    },
  };
}

interface SendRequest {
  ConfigurationSetName?: string;
  ConfigurationOverrides?: { Tracking?: TrackingOverrides };
  EmailTags?: { Name: string; Value: string }[];
  DefaultEmailTags?: { Name: string; Value: string }[];
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[] };
  Content?: {
    Simple?: {
      Subject?: { Data?: string };
      Body?: { Html?: { Data?: string }; Text?: { Data?: string } };
      Headers?: { Name: string; Value: string }[];
    };
  };
}
interface SendResponse {
  MessageId?: string;
  BulkEmailEntryResults?: { MessageId?: string }[];
}

/** Gives each accepted email its local id (numbered after the `before` already kept) and what only we saw. */
function recordSends(
  response: SendResponse,
  request: SendRequest,
  before: number,
  clock: () => Date,
  fault?: SesFaultMode,
): { response: SendResponse; records: [string, SentRecord][] } {
  const tags = Object.fromEntries(
    (request.EmailTags ?? request.DefaultEmailTags ?? []).map((tag) => [tag.Name, tag.Value]),
  );
  const records: [string, SentRecord][] = [];
  const record = (emulatorId: string | undefined): string | undefined => {
    if (!emulatorId) return emulatorId;
    const localId = `local-${String(before + records.length + 1).padStart(6, '0')}`;
    records.push([
      emulatorId,
      {
        localId,
        sentAt: clock().toISOString(),
        tags,
        tracking: trackingOf(request),
        ...(request.ConfigurationSetName ? { configurationSet: request.ConfigurationSetName } : {}),
        ...(fault === 'reset-after' || fault === 'error-after' ? { fault } : {}),
      },
    ]);
    return localId;
  };
  if (response.BulkEmailEntryResults) {
    const entries = response.BulkEmailEntryResults.map((entry) => ({
      ...entry,
      MessageId: record(entry.MessageId),
    }));
    return { response: { BulkEmailEntryResults: entries }, records };
  }
  return { response: { ...response, MessageId: record(response.MessageId) }, records };
}

/** A SendEmail request with simple content as the email SES accepted; other kinds are not reported. */
function acceptedEmail(request: SendRequest, sesMessageId: string, at: Date): AcceptedEmail | undefined {
  const simple = request.Content?.Simple;
  if (!simple) return undefined;
  const html = simple.Body?.Html?.Data;
  const text = simple.Body?.Text?.Data;
  return {
    sesMessageId,
    sentAt: at.toISOString(),
    from: request.FromEmailAddress ?? '',
    to: request.Destination?.ToAddresses ?? [],
    subject: simple.Subject?.Data ?? '',
    ...(html === undefined ? {} : { html }),
    ...(text === undefined ? {} : { text }),
    headers: (simple.Headers ?? []).map((h) => ({ name: h.Name, value: h.Value })),
    ...(request.ConfigurationSetName ? { configurationSet: request.ConfigurationSetName } : {}),
    tags: Object.fromEntries((request.EmailTags ?? []).map((tag) => [tag.Name, tag.Value])),
    tracking: trackingOf(request),
  };
}

function toLocalEmail(email: EmulatorEmail, record: SentRecord): LocalEmail {
  return {
    messageId: record.localId,
    sentAt: record.sentAt,
    from: email.from,
    to: email.destination.to,
    cc: email.destination.cc,
    bcc: email.destination.bcc,
    replyTo: email.replyTo,
    subject: email.subject,
    ...(email.body.html === undefined ? {} : { html: email.body.html }),
    ...(email.body.text === undefined ? {} : { text: email.body.text }),
    headers: email.headers ?? [],
    ...(record.configurationSet ? { configurationSet: record.configurationSet } : {}),
    tags: record.tags,
    tracking: record.tracking,
    ...(record.fault ? { fault: record.fault } : {}),
  };
}

function answerError({ status, type, message }: ErrorAnswer): LocalReply {
  return jsonReply(status, { message }, type);
}

type EmulatorRoute = (
  req: { body: unknown },
  res: { status(code: number): { send(body: unknown): void } },
  next: (error?: unknown) => void,
) => unknown;

/** The emulator's store (aws-ses-v2-local/dist/store.js): one per process, shared by every emulator in it. */
const emulatorStore = (
  createRequire(import.meta.url)('aws-ses-v2-local/dist/store.js') as {
    getStoreReadonly(): { emails: EmulatorEmail[] };
  }
).getStoreReadonly;

/** Takes an email the emulator just stored out of its store (it is newest, so the search starts at the end). */
function takeFromEmulator(emulatorId: string): EmulatorEmail | undefined {
  const emails = emulatorStore().emails;
  for (let i = emails.length - 1; i >= 0; i -= 1)
    if (emails[i]?.messageId === emulatorId) return emails.splice(i, 1)[0];
  return undefined;
}

/** The emulator's own SendEmail route (aws-ses-v2-local/dist/v2/sendEmail.js), which needs only the body. */
const sendEmailRoute = (
  createRequire(import.meta.url)('aws-ses-v2-local/dist/v2/sendEmail.js') as { default: EmulatorRoute }
).default;

/**
 * SendEmail on the emulator in-process: its route with the parsed body, as express would call it after its
 * JSON parser and its Authorization check (the proxy's clients always send a signature-shaped header over
 * HTTP; in memory there is no signature to look at). Answers as express's `res.send(object)` does.
 */
function emulatorSendEmail(body: Buffer): Promise<LocalReply> {
  return new Promise((resolve, reject) => {
    const res = {
      status: (code: number) => ({
        send: (answer: unknown) =>
          resolve({
            status: code,
            headers: { 'content-type': 'application/json; charset=utf-8' },
            body: JSON.stringify(answer),
          }),
      }),
    };
    try {
      const parsed = body.length > 0 ? (JSON.parse(body.toString('utf8')) as unknown) : {};
      void Promise.resolve(sendEmailRoute({ body: parsed }, res, reject)).catch(reject);
    } catch (error) {
      reject(error);
    }
  });
}
