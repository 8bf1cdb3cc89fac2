/**
 * Delivery through Amazon SES v2. Throttling is thrown (retryable: nothing was sent); permanent rejections are
 * returned as values; an error whose outcome is unknown (no answer from SES) is returned as a failure and
 * never retried, because SES has no idempotency token and a retry could send twice.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { SesThrottledError } from '../domain/errors.js';

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
}

export type SendOutcome =
  | { ok: true; sesMessageId: string }
  | { ok: false; reason: string; permanent: boolean };

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
      const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
      const status = e.$metadata?.httpStatusCode;
      if (e.name === 'TooManyRequestsException' || status === 429) {
        throw new SesThrottledError(`SES throttled the send: ${e.message ?? ''}`, { cause: error });
      }
      if (e.name && PERMANENT.has(e.name))
        return { ok: false, reason: `${e.name}: ${e.message ?? ''}`, permanent: true };
      if (status === undefined)
        return { ok: false, reason: `outcome unknown: ${e.message ?? String(error)}`, permanent: false };
      return {
        ok: false,
        reason: `${e.name ?? 'Error'} (HTTP ${status}): ${e.message ?? ''}`,
        permanent: status < 500,
      };
    }
  }
}
