import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalSes, startSes } from '../../local/ses.js';

const email = (to: string) =>
  new SendEmailCommand({
    FromEmailAddress: 'shop@example.com',
    Destination: { ToAddresses: [to] },
    ConfigurationSetName: 'cs',
    EmailTags: [{ Name: 'journey', Value: 'birthday' }],
    Content: {
      Simple: {
        Subject: { Data: 'Hi' },
        Body: { Text: { Data: 'Hello' }, Html: { Data: '<p>Hello</p>' } },
        Headers: [{ Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' }],
      },
    },
  });

describe('Local SES with fault injection', () => {
  let ses: LocalSes;
  let client: SESv2Client;
  let now = new Date('2026-03-01T10:00:00Z');

  beforeAll(async () => {
    ses = await startSes({ clock: () => now });
    // One attempt, so the injected fault reaches the test instead of the SDK's own retry.
    client = new SESv2Client({
      endpoint: ses.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client.destroy();
    await ses.close();
  });

  it('throttles like SES, then sends; lists mail with tags, headers and simulated time', async () => {
    // Prepare
    ses.failNext(1, 'throttle');

    // Act
    const throttled = await client.send(email('a@example.com')).catch((error: unknown) => error);
    now = new Date('2026-03-01T10:00:05Z');
    const sent = await client.send(email('a@example.com'));
    const emails = await ses.listEmails();

    // Assess
    expect(throttled).toMatchObject({
      name: 'TooManyRequestsException',
      message: 'Maximum sending rate exceeded.',
    });
    expect((throttled as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(429);
    expect(sent.MessageId).toBe('local-000001');
    expect(emails).toEqual([
      expect.objectContaining({
        messageId: 'local-000001',
        sentAt: '2026-03-01T10:00:05.000Z',
        to: ['a@example.com'],
        subject: 'Hi',
        text: 'Hello',
        configurationSet: 'cs',
        tags: { journey: 'birthday' },
        headers: [{ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' }],
      }),
    ]);
    expect(ses.stats()).toEqual({ requests: 1, faults: 1 });
  });

  it('rejects like SES with MessageRejected, without reaching the emulator', async () => {
    // Prepare
    ses.failNext(2, 'reject');

    // Act
    const first = await client.send(email('b@example.com')).catch((error: unknown) => error);
    const second = await client.send(email('b@example.com')).catch((error: unknown) => error);
    const third = await client.send(email('b@example.com'));

    // Assess
    expect(first).toMatchObject({ name: 'MessageRejected' });
    expect(second).toMatchObject({ name: 'MessageRejected' });
    expect(third.MessageId).toBe('local-000002');
    expect(ses.stats()).toEqual({ requests: 2, faults: 3 });
    expect((await ses.listEmails()).map((e) => e.to)).toEqual([['a@example.com'], ['b@example.com']]);
  });

  it('lets the default SDK retry ride out a single throttle', async () => {
    // Prepare
    const retrying = new SESv2Client({
      endpoint: ses.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    ses.failNext(1, 'throttle');

    // Act
    const sent = await retrying.send(email('c@example.com'));
    retrying.destroy();

    // Assess
    expect(sent.MessageId).toBe('local-000003');
    expect(sent.$metadata.attempts).toBe(2);
  });
});
