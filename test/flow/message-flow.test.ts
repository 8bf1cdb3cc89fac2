/**
 * The synthesized state machine, run locally with the real handlers against local DynamoDB, the SES
 * emulator and the local scheduler: every decision the flow can take, shown by what was (not) sent.
 */
import { describe, expect, it } from 'vitest';
import {
  customer,
  deliver,
  emailsTo,
  handlerOf,
  ledgerOf,
  order,
  runsOf,
  shopEvent,
  stores,
  useEmbedded,
} from './helpers.js';

const customerHttp = handlerOf('customer-http');
const sesEvents = handlerOf('ses-events');

// Generous caps here, so each scenario shows one rule; the caps have their own block below.
const CONFIG = { caps: { perDay: 10, perWeek: 20 }, quietHours: { start: '21:00', end: '08:00' } };

describe('Workflow: message flow (generous caps)', () => {
  const embedded = useEmbedded({
    start: new Date('2026-12-01T00:00:00Z'),
    config: CONFIG,
    templatesDir: 'templates',
  });

  it('sends a thank-you with one-click unsubscribe headers, tags and the configuration set', async () => {
    // Prepare / Act: 10:00 UTC is 11:00 in Berlin, outside quiet hours
    await deliver(
      embedded,
      '2026-12-01T10:05:00Z',
      shopEvent('customer.upserted', '2026-12-01T09:00:00Z', customer('SENT')),
      shopEvent('order.placed', '2026-12-01T10:00:00Z', order('SENT', 'O-SENT')),
    );
    // Assess
    const [email, ...more] = await emailsTo(embedded, 'SENT');
    expect(more).toHaveLength(0);
    expect(email!.subject).toBe('Thank you for your order, Ada');
    const headers = Object.fromEntries(email!.headers.map((h) => [h.name, h.value]));
    expect(headers['List-Unsubscribe']).toMatch(/^<http:\/\/localhost:8787\/u\/local-1\.[\w-]+>$/);
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(email!.configurationSet).toBe(embedded.env.SES_CONFIGURATION_SET);
    expect(email!.tags).toMatchObject({ journey: 'order_followup', template_version: 'v000001' });
    // One template, no bandit arm: no variant tag, nothing counted.
    expect(email!.tags.variant).toBeUndefined();
    const [entry] = await ledgerOf('SENT');
    expect(entry).toMatchObject({
      decision: 'sent',
      journey: 'order_followup',
      messageId: email!.tags.message_id,
    });
    expect(entry!.consent).toMatchObject({ email: 'opted_in', source: 'checkout', textVersion: 'v1' });
    expect(runsOf(embedded, 'SENT')[0]!.statesEntered).toEqual([
      'Personalize',
      'CanPersonalize',
      'CheckConsent',
      'Route',
      'Send',
      'AfterSend',
      // The bandit is off: nothing to count, so no CaptureFeedback invocation.
      'Done',
    ]);
  });

  it('honours one-click unsubscribe from the header URL (a GET changes nothing) and explains the message', async () => {
    // Prepare
    const [email] = await emailsTo(embedded, 'SENT');
    const unsubscribe = new URL(
      email!.headers.find((h) => h.name === 'List-Unsubscribe')!.value.slice(1, -1),
    );
    const why = new URL(/href="([^"]+\/why\/[^"]+)"/.exec(email!.html!)![1]!.replaceAll('&amp;', '&'));
    const request = (method: string, rawPath: string) =>
      customerHttp({
        rawPath,
        requestContext: { http: { method } },
        body: 'List-Unsubscribe=One-Click',
      } as never);
    // Act
    const scanned = await request('GET', unsubscribe.pathname);
    const explained = await request('GET', why.pathname);
    const tampered = await request('POST', `${unsubscribe.pathname.slice(0, -3)}abc`);
    const profileAfterGet = await stores().profiles.get('SENT');
    const posted = await request('POST', unsubscribe.pathname);
    await deliver(
      embedded,
      '2026-12-01T10:09:00Z',
      shopEvent('order.placed', '2026-12-01T10:08:00Z', order('SENT', 'O-SENT-2')),
    );
    // Assess
    expect(scanned.statusCode).toBe(200);
    expect(scanned.body).toContain('<form method="post"');
    expect(profileAfterGet?.consent?.email).toBe('opted_in');
    expect(tampered.statusCode).toBe(400);
    expect(posted.statusCode).toBe(200);
    expect((await stores().profiles.get('SENT'))?.consent).toMatchObject({
      email: 'opted_out',
      source: 'one-click-unsubscribe',
    });
    expect(await emailsTo(embedded, 'SENT')).toHaveLength(1);
    expect((await ledgerOf('SENT')).find((e) => e.triggerKey.endsWith('O-SENT-2'))).toMatchObject({
      reason: 'opted_out',
    });
    expect(explained.statusCode).toBe(200);
    expect(explained.body).toContain('You placed an order');
    expect(explained.body).toContain('You agreed to receive our emails when you ordered');
  });

  it('sends nothing without email consent, and records why', async () => {
    await deliver(
      embedded,
      '2026-12-01T10:15:00Z',
      shopEvent('customer.upserted', '2026-12-01T10:10:00Z', customer('NOCONSENT', { consent: undefined })),
      shopEvent('order.placed', '2026-12-01T10:11:00Z', order('NOCONSENT', 'O-NOCONSENT')),
    );
    expect(await emailsTo(embedded, 'NOCONSENT')).toHaveLength(0);
    expect(await ledgerOf('NOCONSENT')).toMatchObject([{ decision: 'skipped', reason: 'no_email_consent' }]);
  });

  it('records an order of an unknown (or erased) customer without tying it to anyone', async () => {
    await deliver(
      embedded,
      '2026-12-01T10:19:00Z',
      shopEvent('order.placed', '2026-12-01T10:18:00Z', order('GHOST', 'O-GHOST')),
    );
    expect(await emailsTo(embedded, 'GHOST')).toHaveLength(0);
    const entries = (await stores().ledger.all()).filter(
      (e) => e.triggerKey === 'order_followup:order:O-GHOST',
    );
    expect(entries).toMatchObject([{ decision: 'skipped', reason: 'profile_missing', customerId: '-' }]);
  });

  it('sends nothing when the journey topic is off', async () => {
    await deliver(
      embedded,
      '2026-12-01T10:25:00Z',
      shopEvent(
        'customer.upserted',
        '2026-12-01T10:20:00Z',
        customer('TOPICOFF', { consent: { email: 'opted_in', topics: { order_followups: false } } }),
      ),
      shopEvent('order.placed', '2026-12-01T10:21:00Z', order('TOPICOFF', 'O-TOPICOFF')),
    );
    expect(await emailsTo(embedded, 'TOPICOFF')).toHaveLength(0);
    expect(await ledgerOf('TOPICOFF')).toMatchObject([{ decision: 'skipped', reason: 'topic_off' }]);
  });

  it('suppresses an address after a hard bounce and sends it nothing more', async () => {
    // Prepare: one message goes out, SES reports a permanent bounce for it
    await deliver(
      embedded,
      '2026-12-01T10:35:00Z',
      shopEvent('customer.upserted', '2026-12-01T10:30:00Z', customer('BOUNCE')),
      shopEvent('order.placed', '2026-12-01T10:31:00Z', order('BOUNCE', 'O-BOUNCE-1')),
    );
    const [first] = await emailsTo(embedded, 'BOUNCE');
    const feedback = await sesEvents({
      time: '2026-12-01T10:36:00Z',
      'detail-type': 'Email Bounced',
      detail: {
        eventType: 'Bounce',
        mail: { messageId: 'ses-1', tags: { message_id: [first!.tags.message_id!] } },
        bounce: { bounceType: 'Permanent', bounceSubType: 'General' },
      },
    });
    // Act
    await deliver(
      embedded,
      '2026-12-01T11:05:00Z',
      shopEvent('order.placed', '2026-12-01T11:00:00Z', order('BOUNCE', 'O-BOUNCE-2')),
    );
    // Assess
    expect(feedback).toEqual({ outcome: 'recorded', kind: 'bounced', suppressed: true });
    expect(await emailsTo(embedded, 'BOUNCE')).toHaveLength(1);
    const entries = await ledgerOf('BOUNCE');
    expect(entries.find((e) => e.triggerKey.endsWith('O-BOUNCE-1'))?.events).toMatchObject({
      bounced: '2026-12-01T10:36:00.000Z',
    });
    expect(entries.find((e) => e.triggerKey.endsWith('O-BOUNCE-2'))).toMatchObject({
      decision: 'skipped',
      reason: 'suppressed',
    });
  });

  it('defers a message that falls in quiet hours to the next allowed time, then sends it once', async () => {
    // 21:30 UTC is 22:30 in Berlin: quiet until 08:00 Berlin = 07:00 UTC
    await deliver(
      embedded,
      '2026-12-02T09:00:00Z',
      shopEvent('customer.upserted', '2026-12-01T21:00:00Z', customer('QUIET')),
      shopEvent('order.placed', '2026-12-01T21:30:00Z', order('QUIET', 'O-QUIET')),
    );
    const emails = await emailsTo(embedded, 'QUIET');
    expect(emails.map((e) => e.sentAt)).toEqual(['2026-12-02T07:00:00.000Z']);
    const [entry] = await ledgerOf('QUIET');
    expect(entry!.history?.map((h) => [h.decision, h.reason ?? null])).toEqual([
      ['deferred', 'quiet_hours'],
      ['sending', null],
      ['sent', null],
    ]);
    expect(entry!.deferredUntil).toBe('2026-12-02T07:00:00.000Z');
  });

  it('retries SES throttling with backoff and sends exactly once', async () => {
    // Four 429s: the SES client never retries by itself, so the state machine's Retry tries five times.
    await deliver(
      embedded,
      '2026-12-02T09:10:00Z',
      shopEvent('customer.upserted', '2026-12-02T09:05:00Z', customer('THROTTLE')),
    );
    embedded.ses.failNext(4, 'throttle');
    await deliver(
      embedded,
      '2026-12-02T09:20:00Z',
      shopEvent('order.placed', '2026-12-02T09:15:00Z', order('THROTTLE', 'O-THROTTLE')),
    );
    expect(await emailsTo(embedded, 'THROTTLE')).toHaveLength(1);
    const [run] = runsOf(embedded, 'THROTTLE');
    expect(run!.retries).toBeGreaterThanOrEqual(1);
    expect(run!.status).toBe('SUCCEEDED');
    const [entry] = await ledgerOf('THROTTLE');
    expect(entry!.decision).toBe('sent');
    expect(entry!.history?.map((h) => h.decision)).toEqual([
      ...Array.from({ length: 4 }, () => ['sending', 'throttled']).flat(),
      'sending',
      'sent',
    ]);
  }, 30_000);

  it('records a permanent SES rejection with its reason and does not retry it', async () => {
    await deliver(
      embedded,
      '2026-12-02T09:30:00Z',
      shopEvent('customer.upserted', '2026-12-02T09:25:00Z', customer('REJECT')),
    );
    embedded.ses.failNext(1, 'reject');
    await deliver(
      embedded,
      '2026-12-02T09:40:00Z',
      shopEvent('order.placed', '2026-12-02T09:35:00Z', order('REJECT', 'O-REJECT')),
    );
    expect(await emailsTo(embedded, 'REJECT')).toHaveLength(0);
    const [entry] = await ledgerOf('REJECT');
    expect(entry).toMatchObject({ decision: 'failed' });
    expect(entry!.reason).toMatch(/^MessageRejected/);
    expect(runsOf(embedded, 'REJECT')[0]!.retries).toBe(0);
    // Nothing went out: no attribution to it, and the cap slot is free again.
    const profile = await stores().profiles.get('REJECT');
    expect(profile?.lastMessage).toBeUndefined();
    expect(profile?.recentSends ?? []).toEqual([]);
  });

  it('takes an order once, whether it comes again under the same event id or a new one', async () => {
    const event = shopEvent('order.placed', '2026-12-02T10:00:00Z', order('DUP', 'O-DUP'), 'same-event-id');
    await deliver(
      embedded,
      '2026-12-02T10:10:00Z',
      shopEvent('customer.upserted', '2026-12-02T09:50:00Z', customer('DUP')),
      event,
      { ...event },
      { ...event, id: 'a-new-event-id' },
    );
    expect(await emailsTo(embedded, 'DUP')).toHaveLength(1);
    // Intake's idempotency stops the copies before any workflow starts (the Send race is in concurrency.test).
    expect(runsOf(embedded, 'DUP')).toHaveLength(1);
    expect(await ledgerOf('DUP')).toHaveLength(1);
    expect((await stores().products.getMany(['TEA-1']))[0]).toMatchObject({ orderCount: expect.any(Number) });
  });
});

describe('Workflow: frequency cap (defaults: 1 per 24 h, 3 per 7 days)', () => {
  // Default caps; holdout off only because customer CAPPED falls in the 5% order_followup holdout.
  const embedded = useEmbedded({
    start: new Date('2026-12-01T00:00:00Z'),
    config: { holdout: { enabled: false } },
    templatesDir: 'templates',
  });

  it('defers a second thank-you within 24 hours until the cap frees up, then sends it once', async () => {
    await deliver(
      embedded,
      '2026-12-01T12:00:00Z',
      shopEvent('customer.upserted', '2026-12-01T09:00:00Z', customer('CAPPED')),
      shopEvent('order.placed', '2026-12-01T10:00:00Z', order('CAPPED', 'O-CAP-1')),
      shopEvent('order.placed', '2026-12-01T11:00:00Z', order('CAPPED', 'O-CAP-2')),
    );
    expect(await emailsTo(embedded, 'CAPPED')).toHaveLength(1);
    const waiting = (await ledgerOf('CAPPED')).find((e) => e.triggerKey.endsWith('O-CAP-2'));
    expect(waiting).toMatchObject({ decision: 'deferred', reason: 'capped_daily' });
    // The first went out at 10:00 UTC: the day's slot frees at 10:00 the next day (11:00 in Berlin).
    expect(waiting?.deferredUntil).toBe('2026-12-02T10:00:00.000Z');

    await embedded.runUntil(new Date('2026-12-02T12:00:00Z'));
    const emails = await emailsTo(embedded, 'CAPPED');
    expect(emails).toHaveLength(2);
    expect(emails[1]?.sentAt).toBe('2026-12-02T10:00:00.000Z');
    const sent = (await ledgerOf('CAPPED')).find((e) => e.triggerKey.endsWith('O-CAP-2'));
    expect(sent?.history?.map((h) => h.decision)).toEqual(['deferred', 'sending', 'sent']);
  });
});
