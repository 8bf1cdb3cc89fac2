/**
 * Sender reputation in embedded mode, through the real handlers: the guard pauses every message that could
 * go while the bounce rate of recent SES outcomes is at 5%, and lets it go once the rate has recovered;
 * soft bounces suppress an address after three in a row, and a delivery between them starts the count again.
 */
import { describe, expect, it } from 'vitest';
import { reputationLine } from '../../cli/run.js';
import type { Embedded } from '../../local/runtime.js';
import {
  customer,
  deliver,
  emailsTo,
  handlerOf,
  ledgerOf,
  order,
  shopEvent,
  stores,
  useEmbedded,
} from './helpers.js';

const sesEvents = handlerOf('ses-events');

// Generous caps, so every order of a customer gets its thank-you and only reputation decides.
// Holdout off: customer SOFT falls in the default 5% order_followup holdout and must get every message.
const CONFIG = { caps: { perDay: 10, perWeek: 20 }, holdout: { enabled: false } };

/** An SES configuration-set event as EventBridge delivers it, tagged with our message id. */
function sesEvent(messageId: string, time: string, eventType: string, bounceType?: string) {
  return sesEvents({
    time,
    'detail-type': `Email ${eventType}`,
    detail: {
      eventType,
      mail: { messageId: `ses-${messageId}`, tags: { message_id: [messageId] } },
      ...(bounceType && {
        bounce: { bounceType, bounceSubType: bounceType === 'Transient' ? 'MailboxFull' : 'General' },
      }),
    },
  });
}

async function sentIds(embedded: Embedded, customerId: string): Promise<string[]> {
  return (await emailsTo(embedded, customerId)).map((e) => e.tags.message_id!);
}

describe('Workflow: reputation guard', () => {
  const embedded = useEmbedded({
    start: new Date('2026-12-01T00:00:00Z'),
    config: CONFIG,
    templatesDir: 'templates',
  });

  it('pauses when the bounce rate reaches 5% over 200 outcomes, and defers the next thank-you', async () => {
    // Prepare: 250 outcomes of other sends, every 15th a hard bounce (7% of the first 200)
    await deliver(
      embedded,
      '2026-12-01T10:05:00Z',
      shopEvent('customer.upserted', '2026-12-01T09:00:00Z', customer('GUARD')),
    );
    // biome-ignore lint/suspicious/noExplicitAny: the ses-events result shape
    const results: any[] = [];
    for (let i = 0; i < 250; i++) {
      const bounce = i % 15 === 0;
      results.push(
        await sesEvent(
          `other-${i}`,
          '2026-12-01T10:04:00Z',
          bounce ? 'Bounce' : 'Delivery',
          bounce ? 'Permanent' : undefined,
        ),
      );
    }

    // Act
    await deliver(
      embedded,
      '2026-12-01T10:35:00Z',
      shopEvent('order.placed', '2026-12-01T10:30:00Z', order('GUARD', 'O-GUARD')),
    );

    // Assess: the 200th outcome tripped it, once
    expect(results.findIndex((r) => r.guard === 'paused')).toBe(199);
    expect(results.filter((r) => r.guard).map((r) => r.guard)).toEqual(['paused']);
    const guard = await stores().reputation.readGuard();
    expect(guard).toMatchObject({
      paused: true,
      reason: 'bounce_rate',
      outcomes: 200,
      since: '2026-12-01T10:05:00.000Z',
    });
    expect(guard!.bounceRate).toBeCloseTo(14 / 200);
    expect(reputationLine(guard!)).toBe(
      'Reputation guard: marketing paused since 2026-12-01 10:05 UTC (bounce rate 7.0% over 200 outcomes); messages are deferred until the rates recover.',
    );
    expect(await emailsTo(embedded, 'GUARD')).toHaveLength(0);
    const [entry] = await ledgerOf('GUARD');
    expect(entry).toMatchObject({ decision: 'deferred', reason: 'reputation_paused' });
    expect(entry!.deferredUntil).toBe('2026-12-01T11:30:00.000Z');
  });

  it('resumes below half the limit, and the deferred thank-you then goes out once', async () => {
    // Prepare: 17 bounces in 700 outcomes = 2.4%, below 2.5%
    // biome-ignore lint/suspicious/noExplicitAny: the ses-events result shape
    const results: any[] = [];
    for (let i = 0; i < 450; i++) {
      results.push(await sesEvent(`more-${i}`, '2026-12-01T10:40:00Z', 'Delivery'));
    }

    // Act
    await deliver(embedded, '2026-12-01T12:00:00Z');

    // Assess
    expect(results.filter((r) => r.guard).map((r) => r.guard)).toEqual(['resumed']);
    expect(await stores().reputation.readGuard()).toMatchObject({
      paused: false,
      resumedAt: '2026-12-01T10:35:00.000Z',
    });
    expect(await emailsTo(embedded, 'GUARD')).toHaveLength(1);
    const [entry] = await ledgerOf('GUARD');
    expect(entry!.history?.map((h) => [h.decision, h.reason ?? null])).toEqual([
      ['deferred', 'reputation_paused'],
      ['sending', null],
      ['sent', null],
    ]);
  });
});

describe('Workflow: soft bounces', () => {
  const embedded = useEmbedded({
    start: new Date('2026-12-01T00:00:00Z'),
    config: CONFIG,
    templatesDir: 'templates',
  });

  it('suppresses the address after three soft bounces in a row, counting a replayed event once', async () => {
    // Prepare: three thank-yous go out
    await deliver(
      embedded,
      '2026-12-01T10:30:00Z',
      shopEvent('customer.upserted', '2026-12-01T09:00:00Z', customer('SOFT')),
      shopEvent('order.placed', '2026-12-01T10:00:00Z', order('SOFT', 'O-SOFT-1')),
      shopEvent('order.placed', '2026-12-01T10:10:00Z', order('SOFT', 'O-SOFT-2')),
      shopEvent('order.placed', '2026-12-01T10:20:00Z', order('SOFT', 'O-SOFT-3')),
    );
    const [m1, m2, m3] = await sentIds(embedded, 'SOFT');

    // Act
    const first = await sesEvent(m1!, '2026-12-01T10:31:00Z', 'Bounce', 'Transient');
    const replay = await sesEvent(m1!, '2026-12-01T10:31:00Z', 'Bounce', 'Transient');
    const second = await sesEvent(m2!, '2026-12-01T10:32:00Z', 'Bounce', 'Transient');
    const third = await sesEvent(m3!, '2026-12-01T10:33:00Z', 'Bounce', 'Transient');
    await deliver(
      embedded,
      '2026-12-01T11:05:00Z',
      shopEvent('order.placed', '2026-12-01T11:00:00Z', order('SOFT', 'O-SOFT-4')),
    );

    // Assess
    expect([first, replay, second, third].map((r) => [r.softBounces ?? null, r.suppressed])).toEqual([
      [1, false],
      [null, false],
      [2, false],
      [3, true],
    ]);
    expect((await stores().profiles.get('SOFT'))?.suppressed).toEqual({
      reason: 'soft_bounces',
      at: '2026-12-01T10:33:00.000Z',
      detail: '3 soft bounces in a row (last: MailboxFull)',
    });
    expect(await emailsTo(embedded, 'SOFT')).toHaveLength(3);
    expect((await ledgerOf('SOFT')).find((e) => e.triggerKey.endsWith('O-SOFT-4'))).toMatchObject({
      decision: 'skipped',
      reason: 'suppressed',
    });
  });

  it('starts the count again after a delivery in between', async () => {
    // Prepare: four thank-yous go out
    await deliver(
      embedded,
      '2026-12-01T12:30:00Z',
      shopEvent('customer.upserted', '2026-12-01T11:30:00Z', customer('RESET')),
      ...[0, 1, 2, 3].map((i) =>
        shopEvent('order.placed', `2026-12-01T12:0${i}:00Z`, order('RESET', `O-RESET-${i}`)),
      ),
    );
    const ids = await sentIds(embedded, 'RESET');
    expect(ids).toHaveLength(4);

    // Act: soft, soft, delivered, soft
    const counts: (number | undefined)[] = [];
    counts.push((await sesEvent(ids[0]!, '2026-12-01T12:31:00Z', 'Bounce', 'Transient')).softBounces);
    counts.push((await sesEvent(ids[1]!, '2026-12-01T12:32:00Z', 'Bounce', 'Transient')).softBounces);
    await sesEvent(ids[2]!, '2026-12-01T12:33:00Z', 'Delivery');
    counts.push((await sesEvent(ids[3]!, '2026-12-01T12:34:00Z', 'Bounce', 'Transient')).softBounces);
    await deliver(
      embedded,
      '2026-12-01T13:05:00Z',
      shopEvent('order.placed', '2026-12-01T13:00:00Z', order('RESET', 'O-RESET-4')),
    );

    // Assess: without the reset the third soft bounce would have suppressed the address
    expect(counts).toEqual([1, 2, 1]);
    const profile = (await stores().profiles.get('RESET')) as Record<string, unknown> | undefined;
    expect(profile?.suppressed).toBeUndefined();
    expect(profile?.softBounces).toEqual({ count: 1, lastAt: '2026-12-01T12:34:00.000Z' });
    expect(await emailsTo(embedded, 'RESET')).toHaveLength(5);
  });
});
