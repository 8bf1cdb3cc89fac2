/**
 * Delivery through Amazon SES v2. Throttling is thrown (retryable: nothing was sent); permanent rejections are
 * returned as values; an error after which SES may have accepted the email (no answer, a reset connection, a
 * timeout, a 5xx) is returned as `unknown` and never retried, because SES has no idempotency token and a
 * retry could send twice. The client must not retry on its own either (Deps builds it with maxAttempts 1).
 */
import { SESv2Client, SendEmailCommand, type TrackingConfigurationOverrides } from '@aws-sdk/client-sesv2';
import { SesThrottledError, TransientError } from '../domain/errors.js';

export interface OutgoingEmail {
  from: string;
  replyTo?: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: { name: string; value: string }[];
  tags: Record<string, string>;
  configurationSet?: string;
  /** Turns SES's open pixel or click redirect off for this email (false); absent: the configuration set's. */
  tracking?: { opens: boolean; clicks: boolean };
}

export type SendOutcome =
  | { ok: true; sesMessageId: string }
  /** rejected: SES refused it, nothing was sent; unknown: it may have been sent. */
  | { ok: false; reason: string; outcome: 'rejected' | 'unknown' };

/** Failures that happen before a request can reach SES: nothing was sent, so a retry is safe. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

const PERMANENT = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'SendingPausedException',
  'BadRequestException',
  'NotFoundException',
  'LimitExceededException',
]);

/** SES tag values allow only [A-Za-z0-9_-.@]. */
function tagValue(value: string): string {
  return value.replace(/[^A-Za-z0-9_\-.@]/g, '_').slice(0, 256);
}

export class SesSender {
  constructor(private readonly ses: SESv2Client = new SESv2Client({})) {}

  async send(email: OutgoingEmail): Promise<SendOutcome> {
    try {
      const out = await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: email.from,
          ...(email.replyTo ? { ReplyToAddresses: [email.replyTo] } : {}),
          Destination: { ToAddresses: [email.to] },
          ConfigurationSetName: email.configurationSet,
          ...(email.tracking
            ? { ConfigurationOverrides: { Tracking: trackingOverrides(email.tracking) } }
            : {}),
          EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value: tagValue(Value) })),
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: {
                Html: { Data: email.html, Charset: 'UTF-8' },
                Text: { Data: email.text, Charset: 'UTF-8' },
              },
              Headers: email.headers.map((h) => ({ Name: h.name, Value: h.value })),
            },
          },
        }),
      );
      return { ok: true, sesMessageId: out.MessageId ?? 'unknown' };
    } catch (error) {
      const e = error as {
        name?: string;
        code?: string;
        message?: string;
        $metadata?: { httpStatusCode?: number };
      };
      const status = e.$metadata?.httpStatusCode;
      if (e.name === 'TooManyRequestsException' || status === 429) {
        throw new SesThrottledError(`SES throttled the send: ${e.message ?? ''}`, { cause: error });
      }
      if (e.code && NOT_SENT_CODES.has(e.code) && status === undefined) {
        throw new TransientError(`SES could not be reached: ${e.code}`, { cause: error });
      }
      if (e.name && PERMANENT.has(e.name))
        return { ok: false, reason: `${e.name}: ${e.message ?? ''}`, outcome: 'rejected' };
      if (status === undefined || status >= 500)
        return {
          ok: false,
          reason: `outcome unknown: ${e.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${e.message ?? String(error)}`,
          outcome: 'unknown',
        };
      return {
        ok: false,
        reason: `${e.name ?? 'Error'} (HTTP ${status}): ${e.message ?? ''}`,
        outcome: 'rejected',
      };
    }
  }
}

/** SES v2's per-message tracking override (ConfigurationOverrides.Tracking). */
function trackingOverrides(tracking: { opens: boolean; clicks: boolean }): TrackingConfigurationOverrides {
  return {
    OpenTrackingEnabled: tracking.opens ? 'ENABLED' : 'DISABLED',
    ClickTrackingEnabled: tracking.clicks ? 'ENABLED' : 'DISABLED',
  };
}
