import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SesFaultRule } from '../../local/faults.js';
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
    expect(ses.stats()).toEqual({
      requests: 1,
      faults: 1,
      faultsByMode: { throttle: 1, reject: 0, 'reset-before': 0, 'reset-after': 0, 'error-after': 0 },
      sendEmailCalls: 2,
    });
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
    expect(ses.stats()).toMatchObject({
      requests: 2,
      faults: 3,
      faultsByMode: { throttle: 1, reject: 2 },
      sendEmailCalls: 5,
    });
    expect((await ses.listEmails()).map((e) => e.to)).toEqual([['a@example.com'], ['b@example.com']]);
  });

  it('keeps accepted emails in its own outbox, bodies on disk: the emulator store is left empty', async () => {
    // Prepare
    const before = ses.sentEmails().length;

    // Act
    await client.send(email('d@example.com'));
    const kept = ses.sentEmails().at(-1)!;
    const loaded = await ses.loadEmail(kept);
    const store = (await (await fetch(`${ses.emulatorEndpoint}/store`)).json()) as { emails: unknown[] };

    // Assess
    expect(ses.sentEmails()).toHaveLength(before + 1);
    expect(kept).toMatchObject({ to: ['d@example.com'], tags: { journey: 'birthday' } });
    expect(kept).not.toHaveProperty('html');
    expect(kept).not.toHaveProperty('text');
    expect(loaded).toEqual({ ...kept, html: '<p>Hello</p>', text: 'Hello' });
    expect(store.emails).toEqual([]);
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
    expect(sent.MessageId).toBe('local-000004');
    expect(sent.$metadata.attempts).toBe(2);
  });
});

describe('Local SES fault rules (a faults file)', () => {
  let ses: LocalSes;
  let client: SESv2Client;

  const rule = (mode: SesFaultRule['mode'], extra: Partial<SesFaultRule> = {}): SesFaultRule => ({
    mode,
    every: 1,
    from: 1,
    count: 1,
    ...extra,
  });
  const attempt = (to: string) => client.send(email(to)).catch((error: unknown) => error as SdkError);
  const storedTo = async () => (await ses.listEmails()).map((e) => e.to[0]);

  beforeAll(async () => {
    ses = await startSes({ clock: () => new Date('2026-03-02T08:00:00Z') });
    // One attempt: the SDK's own retry would hide the fault (or, after an accept, send a duplicate).
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

  it('reset-after: SES stores the email, then the connection drops before the answer', async () => {
    // Prepare
    ses.setFaultRules([rule('reset-after')]);

    // Act
    const failed = await attempt('reset-after@example.com');
    const stored = await ses.listEmails();

    // Assess
    // The SDK reports a reset connection as a TimeoutError with the socket's code, and no HTTP status.
    expect(failed).toMatchObject({ code: 'ECONNRESET' });
    expect(failed.$metadata?.httpStatusCode).toBeUndefined();
    expect(stored.at(-1)).toMatchObject({ to: ['reset-after@example.com'], fault: 'reset-after' });
    expect(ses.stats().faultsByMode['reset-after']).toBe(1);
  });

  it('reset-after under the default SDK retry: the retry sends the email a second time', async () => {
    // Prepare
    const retrying = new SESv2Client({
      endpoint: ses.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    ses.setFaultRules([rule('reset-after')]);

    // Act
    const sent = await retrying.send(email('twice@example.com'));
    retrying.destroy();

    // Assess
    expect(sent.$metadata.attempts).toBe(2);
    const twice = (await ses.listEmails()).filter((e) => e.to[0] === 'twice@example.com');
    expect(twice.map((e) => [e.messageId === sent.MessageId, e.fault])).toEqual([
      [false, 'reset-after'],
      [true, undefined],
    ]);
  });

  it('error-after: SES stores the email, then answers 500 InternalFailure', async () => {
    // Prepare
    ses.setFaultRules([rule('error-after')]);

    // Act
    const failed = await attempt('error-after@example.com');

    // Assess
    expect(failed).toMatchObject({ name: 'InternalFailure' });
    expect(failed.$metadata?.httpStatusCode).toBe(500);
    expect((await ses.listEmails()).at(-1)).toMatchObject({
      to: ['error-after@example.com'],
      fault: 'error-after',
    });
  });

  it('reset-before: the connection drops before SES sees the request; nothing is stored', async () => {
    // Prepare
    ses.setFaultRules([rule('reset-before')]);
    const before = ses.stats().requests;

    // Act
    const failed = await attempt('reset-before@example.com');

    // Assess
    // The SDK reports a reset connection as a TimeoutError with the socket's code, and no HTTP status.
    expect(failed).toMatchObject({ code: 'ECONNRESET' });
    expect(failed.$metadata?.httpStatusCode).toBeUndefined();
    expect(await storedTo()).not.toContain('reset-before@example.com');
    expect(ses.stats().requests).toBe(before);
  });

  it('throttle and reject: 429 and 400 like SES, nothing stored', async () => {
    // Prepare
    ses.setFaultRules([rule('throttle'), rule('reject', { from: 2 })]);

    // Act
    const throttled = await attempt('throttle@example.com');
    const rejected = await attempt('reject@example.com');

    // Assess
    expect(throttled).toMatchObject({ name: 'TooManyRequestsException' });
    expect(throttled.$metadata?.httpStatusCode).toBe(429);
    expect(rejected).toMatchObject({ name: 'MessageRejected' });
    expect(rejected.$metadata?.httpStatusCode).toBe(400);
    const stored = await storedTo();
    expect(stored).not.toContain('throttle@example.com');
    expect(stored).not.toContain('reject@example.com');
  });

  it('fails exactly the calls the rules name, counting every SendEmail attempt, and counts by mode', async () => {
    // Prepare: calls 2 and 5 throttled; from call 3 every 3rd (3, 6) accepted then answered 500.
    ses.setFaultRules([
      rule('throttle', { every: 3, from: 2, count: 2 }),
      rule('error-after', { from: 3, every: 3, count: undefined }),
    ]);
    const before = ses.stats();

    // Act
    const outcomes: string[] = [];
    for (let call = 1; call <= 7; call += 1) {
      const result = await attempt(`call${call}@example.com`);
      outcomes.push(result instanceof Error ? result.name : 'sent');
    }
    const after = ses.stats();

    // Assess
    expect(outcomes).toEqual([
      'sent',
      'TooManyRequestsException',
      'InternalFailure',
      'sent',
      'TooManyRequestsException',
      'InternalFailure',
      'sent',
    ]);
    expect((await storedTo()).filter((to) => to?.startsWith('call'))).toEqual([
      'call1@example.com',
      'call3@example.com',
      'call4@example.com',
      'call6@example.com',
      'call7@example.com',
    ]);
    expect(after.sendEmailCalls).toBe(7);
    expect(after.faults - before.faults).toBe(4);
    expect(after.faultsByMode.throttle - before.faultsByMode.throttle).toBe(2);
    expect(after.faultsByMode['error-after'] - before.faultsByMode['error-after']).toBe(2);
    expect(after.requests - before.requests).toBe(5);
  });

  it('takes the rules at start, and a queued failNext wins over a rule on the same call', async () => {
    // Prepare
    const started = await startSes({ faults: [rule('reject', { from: 2 })] });
    const local = new SESv2Client({
      endpoint: started.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    const send = (to: string) => local.send(email(to)).catch((error: unknown) => error as SdkError);

    try {
      // Act
      const first = await send('first@example.com');
      started.failNext(1, 'throttle');
      const second = await send('second@example.com');
      const third = await send('third@example.com');

      // Assess
      expect(first).toMatchObject({ MessageId: 'local-000001' });
      expect(second).toMatchObject({ name: 'TooManyRequestsException' });
      expect(third).toMatchObject({ MessageId: 'local-000002' });
      expect(started.stats()).toMatchObject({
        sendEmailCalls: 3,
        faults: 1,
        faultsByMode: { throttle: 1, reject: 0 },
      });
    } finally {
      local.destroy();
      await started.close();
    }
  });
});

type SdkError = Error & { code?: string; $metadata?: { httpStatusCode?: number } };
