import { SESv2Client, SESv2ServiceException, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { type OutgoingEmail, SesSender } from '../../../functions/adapters/sender.js';
import { SesThrottledError } from '../../../functions/domain/errors.js';

const ses = mockClient(SESv2Client);

const email: OutgoingEmail = {
  from: 'Shop <hello@shop.example>',
  to: 'ada@example.com',
  subject: 'Hi',
  html: '<p>Hi</p>',
  text: 'Hi',
  headers: [
    { name: 'List-Unsubscribe', value: '<https://r.example/u/t>' },
    { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
  ],
  tags: {
    journey: 'birthday',
    template_version: 'v000001',
    message_id: 'f3b0c2d4-0000-4000-8000-000000000001',
  },
  configurationSet: 'reciprocity',
};

function sesError(name: string, status: number) {
  return new SESv2ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: name,
  });
}

describe('Class: SesSender', () => {
  afterEach(() => ses.reset());

  it('sends with the configuration set, tags and one-click unsubscribe headers', async () => {
    // Prepare
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    // Act
    const outcome = await new SesSender(new SESv2Client({ region: 'us-east-1' })).send(email);
    // Assess
    expect(outcome).toEqual({ ok: true, sesMessageId: 'ses-1' });
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input.ConfigurationSetName).toBe('reciprocity');
    expect(input.Content?.Simple?.Headers).toEqual([
      { Name: 'List-Unsubscribe', Value: '<https://r.example/u/t>' },
      { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
    ]);
    expect(input.EmailTags).toContainEqual({
      Name: 'message_id',
      Value: 'f3b0c2d4-0000-4000-8000-000000000001',
    });
  });

  it('turns SES open and click tracking off for this email only when asked, and leaves it to the configuration set otherwise', async () => {
    // Prepare
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const sender = new SesSender(new SESv2Client({ region: 'us-east-1' }));
    // Act
    await sender.send({ ...email, tracking: { opens: false, clicks: false } });
    await sender.send(email);
    // Assess
    const [off, usual] = ses.commandCalls(SendEmailCommand).map((call) => call.args[0].input);
    expect(off!.ConfigurationOverrides?.Tracking).toEqual({
      OpenTrackingEnabled: 'DISABLED',
      ClickTrackingEnabled: 'DISABLED',
    });
    expect(usual!.ConfigurationOverrides).toBeUndefined();
  });

  it('throws SesThrottledError on 429 so the workflow retries', async () => {
    ses.on(SendEmailCommand).rejects(sesError('TooManyRequestsException', 429));
    await expect(
      new SesSender(new SESv2Client({ region: 'us-east-1', maxAttempts: 1 })).send(email),
    ).rejects.toBeInstanceOf(SesThrottledError);
  });

  it('returns permanent rejections as values with their reason', async () => {
    ses.on(SendEmailCommand).rejects(sesError('MessageRejected', 400));
    const outcome = await new SesSender(new SESv2Client({ region: 'us-east-1' })).send(email);
    expect(outcome).toEqual({ ok: false, outcome: 'rejected', reason: 'MessageRejected: MessageRejected' });
  });

  it('does not retry a send whose outcome is unknown (no answer from SES)', async () => {
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    const outcome = await new SesSender(new SESv2Client({ region: 'us-east-1', maxAttempts: 1 })).send(email);
    expect(outcome).toMatchObject({ ok: false, outcome: 'unknown' });
    expect((outcome as { reason: string }).reason).toMatch(/outcome unknown/);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
  });

  it('calls a 5xx answer unknown: SES may have accepted the email before failing', async () => {
    ses.on(SendEmailCommand).rejects(sesError('InternalFailure', 500));
    const outcome = await new SesSender(new SESv2Client({ region: 'us-east-1', maxAttempts: 1 })).send(email);
    expect(outcome).toMatchObject({ ok: false, outcome: 'unknown' });
    expect((outcome as { reason: string }).reason).toMatch(/HTTP 500/);
  });

  it('throws a retryable error when SES could not even be reached (nothing was sent)', async () => {
    ses
      .on(SendEmailCommand)
      .rejects(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    await expect(
      new SesSender(new SESv2Client({ region: 'us-east-1', maxAttempts: 1 })).send(email),
    ).rejects.toMatchObject({ name: 'TransientError' });
  });
});
