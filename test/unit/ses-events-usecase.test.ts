import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryMetrics } from '../../functions/adapters/metrics.js';
import type { Deps } from '../../functions/app/deps.js';
import { toHandler } from '../../functions/app/lambda.js';
import { banditKey } from '../../functions/domain/bandit.js';
import type { LedgerKey } from '../../functions/domain/ledger.js';
import { SETTLED_BY_DELIVERY } from '../../functions/domain/ses-events.js';
import { type SesEventResult, sesEvents } from '../../functions/usecases/ses-events.js';
import { type LocalDynamo, startDynamo } from '../../local/dynamo.js';
import { depsOver } from './local-deps.js';

const NOW = new Date('2026-12-01T10:05:00Z');
const SENT_AT = '2026-12-01T10:00:00.000Z';

let dynamo: LocalDynamo;
let deps: Deps;
let handle: (event: unknown) => Promise<SesEventResult>;
let seq = 0;

beforeAll(async () => {
  dynamo = await startDynamo('ses-events-');
  deps = depsOver(dynamo, { clock: () => NOW, needs: sesEvents.needs });
  handle = toHandler(sesEvents, deps);
});
afterAll(async () => {
  deps?.dynamodb.destroy();
  await dynamo?.close();
});

/** A message of a new customer, claimed by a Send attempt (`sending`). */
async function claimedMessage(): Promise<LedgerKey> {
  const n = ++seq;
  const base = {
    messageId: `M-${n}`,
    customerId: `C-${n}`,
    journey: 'order_followup',
    triggerKey: `t-${n}`,
  } as const;
  await deps.stores.profiles.patch(base.customerId, {
    email: `c${n}@example.com`,
    timeZone: 'Europe/Berlin',
  });
  expect(await deps.stores.ledger.decide(base, 'sending', SENT_AT, {}, { claim: `exec-${n}#1` })).toBe(true);
  return base;
}

/** A message of a new customer that went out with variant A. */
async function sentMessage(): Promise<LedgerKey> {
  const base = await claimedMessage();
  const sent = await deps.stores.ledger.decide(
    base,
    'sent',
    SENT_AT,
    { variant: 'A', templateVersion: 'v000001' },
    { claim: `exec-${seq}#1` },
  );
  expect(sent).toBe(true);
  return base;
}

/** The same message after the Send attempt lost SES's answer. */
async function unknownMessage(): Promise<LedgerKey> {
  const base = await claimedMessage();
  const reason = 'an earlier send attempt stopped after claiming: SES may have accepted it';
  expect(
    await deps.stores.ledger.decide(base, 'unknown', SENT_AT, { reason }, { claim: `exec-${seq}#1` }),
  ).toBe(true);
  return base;
}

function sesEvent(messageId: string, eventType: string, time = '2026-12-01T10:01:00Z') {
  return {
    version: '0',
    'detail-type': `Email ${eventType}`,
    source: 'aws.ses',
    time,
    detail: {
      eventType,
      mail: { messageId: `ses-${messageId}`, timestamp: SENT_AT, tags: { message_id: [messageId] } },
    },
  };
}

describe('Use case: sesEvents, a send of unknown outcome', () => {
  it('is settled as sent by its delivery event, with the SES id and the reason in its history', async () => {
    // Prepare
    const { messageId } = await unknownMessage();

    // Act
    const result = await handle(sesEvent(messageId, 'Delivery'));

    // Assess
    expect(result).toMatchObject({ outcome: 'recorded', kind: 'delivered', settled: true });
    const entry = await deps.stores.ledger.get(messageId);
    expect(entry).toMatchObject({ decision: 'sent', sesMessageId: `ses-${messageId}` });
    expect(entry?.history?.map((s) => s.decision)).toEqual(['sending', 'unknown', 'sent']);
    expect(entry?.history?.at(-1)).toEqual({ decision: 'sent', at: SENT_AT, reason: SETTLED_BY_DELIVERY });
    expect(entry?.events?.delivered).toBe('2026-12-01T10:01:00.000Z');
  });

  it('is settled once: the delivery delivered again changes nothing more', async () => {
    // Prepare
    const { messageId } = await unknownMessage();
    await handle(sesEvent(messageId, 'Delivery'));

    // Act
    const again = await handle(sesEvent(messageId, 'Delivery'));

    // Assess
    expect(again.settled).toBeUndefined();
    expect((await deps.stores.ledger.get(messageId))?.history?.map((s) => s.decision)).toEqual([
      'sending',
      'unknown',
      'sent',
    ]);
  });

  it('is not settled by an open, and a claim still in flight is left to its holder', async () => {
    // Prepare
    const unknown = await unknownMessage();
    const inFlight = await claimedMessage();

    // Act
    const opened = await handle(sesEvent(unknown.messageId, 'Open'));
    const delivered = await handle(sesEvent(inFlight.messageId, 'Delivery'));

    // Assess
    expect(opened.settled).toBeUndefined();
    expect((await deps.stores.ledger.get(unknown.messageId))?.decision).toBe('unknown');
    expect(delivered.settled).toBeUndefined();
    expect((await deps.stores.ledger.get(inFlight.messageId))?.decision).toBe('sending');
  });

  it('is settled without its SES id once the customer was erased', async () => {
    // Prepare
    const base = await unknownMessage();
    await deps.stores.ledger.anonymize(base.customerId, base.messageId, '2026-12-01T10:02:00Z');

    // Act
    const result = await handle(sesEvent(base.messageId, 'Delivery'));

    // Assess
    expect(result.settled).toBe(true);
    const entry = await deps.stores.ledger.get(base.messageId);
    expect(entry?.decision).toBe('sent');
    expect(entry?.sesMessageId).toBeUndefined();
    expect(entry?.customerId).toBeUndefined();
  });
});

describe('Use case: sesEvents, the best send hour', () => {
  it('counts three opens of one customer processed at once, each under its local hour', async () => {
    // Prepare: three messages to one customer (Berlin: 10:01 UTC is 11 local)
    const first = await unknownMessage();
    const others = [`${first.messageId}-b`, `${first.messageId}-c`];
    for (const messageId of others)
      await deps.stores.ledger.decide({ ...first, messageId, triggerKey: messageId }, 'deferred', SENT_AT);

    // Act
    const results = await Promise.all([first.messageId, ...others].map((id) => handle(sesEvent(id, 'Open'))));

    // Assess
    expect(results.map((r) => r.outcome)).toEqual(['recorded', 'recorded', 'recorded']);
    expect((await deps.stores.profiles.get(first.customerId))?.engagementHours).toEqual({ '11': 3 });
  });

  it('does not count the same open twice when EventBridge delivers it again', async () => {
    // Prepare
    const { messageId, customerId } = await unknownMessage();
    await handle(sesEvent(messageId, 'Open'));

    // Act
    await handle(sesEvent(messageId, 'Open', '2026-12-01T10:03:00Z'));

    // Assess
    expect((await deps.stores.profiles.get(customerId))?.engagementHours).toEqual({ '11': 1 });
  });

  it('learns no send hour from a customer who turned tracking off, and still records the open', async () => {
    // Prepare: an email sent before they turned tracking off is opened after
    const { messageId, customerId } = await unknownMessage();
    await deps.stores.profiles.patch(customerId, {
      preferences: { frequency: 'normal', tracking: false, updatedAt: SENT_AT },
    });

    // Act
    const result = await handle(sesEvent(messageId, 'Open'));

    // Assess
    expect(result).toMatchObject({ outcome: 'recorded', kind: 'opened' });
    expect((await deps.stores.ledger.get(messageId))?.events?.opened).toBeDefined();
    expect((await deps.stores.profiles.get(customerId))?.engagementHours).toBeUndefined();
  });
});

describe('Use case: sesEvents, input', () => {
  it('refuses an event that is not an SES event, and ignores one that is not ours', async () => {
    await expect(handle({ detail: { eventType: 'Delivery' } })).rejects.toMatchObject({
      name: 'InvalidInputError',
    });
    expect(
      await handle({
        time: NOW.toISOString(),
        detail: { eventType: 'Delivery', mail: { messageId: 'ses-other' } },
      }),
    ).toEqual({ outcome: 'ignored' });
  });
});

describe('Use case: sesEvents, what a click is worth to the bandit', () => {
  const BASE = 'http://localhost:8787';
  const click = (messageId: string, link: string, time: string, variant: string) => {
    const e = sesEvent(messageId, 'Click', time);
    return {
      ...e,
      detail: {
        ...e.detail,
        mail: {
          ...e.detail.mail,
          tags: { ...e.detail.mail.tags, variant: [variant], template_version: ['v000001'] },
        },
        click: { link, userAgent: 'Mozilla/5.0 (iPhone)' },
      },
    };
  };

  it('lets a variant that drives unsubscribes lose to one that drives content clicks', async () => {
    // Prepare: three messages of variant U, each clicked on its unsubscribe link; one of variant C on content
    const unsubscribers = [await claimedMessage(), await claimedMessage(), await claimedMessage()];
    const reader = await claimedMessage();

    // Act
    for (const m of unsubscribers)
      await handle(click(m.messageId, `${BASE}/u/token-${m.messageId}`, '2026-12-01T10:05:00Z', 'U'));
    await handle(click(reader.messageId, 'https://shop.example/tea/sencha', '2026-12-01T10:05:00Z', 'C'));

    // Assess
    const keys = [banditKey('order_followup', 'U', 'v000001'), banditKey('order_followup', 'C', 'v000001')];
    const stats = await deps.stores.reputation.variantStats(keys);
    expect(stats[keys[0]!]?.successes ?? 0).toBe(0);
    expect(stats[keys[1]!]?.successes).toBe(1);
    // The unsubscribe click is kept as what it was, not as a click
    const entry = await deps.stores.ledger.get(unsubscribers[0]!.messageId);
    expect(Object.keys(entry?.events ?? {})).toEqual(['clicked_unsubscribe']);
  });
});

describe('Use case: sesEvents, the message counters', () => {
  it('counts the first of each kind, a person apart from machines, on the day the message was sent', async () => {
    // Prepare: a message sent with variant A
    const base = await sentMessage();
    const withAgent = (type: string, time: string, extra: object) => {
      const e = sesEvent(base.messageId, type, time);
      return { ...e, detail: { ...e.detail, ...extra } };
    };

    // Act: a delivery, a privacy-proxy pre-fetch, a person's open and click (twice), a click on unsubscribe
    await handle(sesEvent(base.messageId, 'Delivery', '2026-12-01T10:00:01Z'));
    await handle(withAgent('Open', '2026-12-01T10:00:02Z', { open: { userAgent: 'Mozilla/5.0' } }));
    await handle(withAgent('Open', '2026-12-02T07:00:00Z', { open: { userAgent: 'Mozilla/5.0 (iPhone)' } }));
    const content = { click: { link: 'https://shop.example/tea', userAgent: 'Mozilla/5.0 (iPhone)' } };
    await handle(withAgent('Click', '2026-12-02T07:01:00Z', content));
    await handle(withAgent('Click', '2026-12-02T07:02:00Z', content));
    await handle(
      withAgent('Click', '2026-12-02T07:03:00Z', {
        click: { link: `${deps.config.publicBaseUrl}/u/tok`, userAgent: 'Mozilla/5.0 (iPhone)' },
      }),
    );

    // Assess
    const row = (await deps.stores.stats.all()).find(
      (r) => r.journey === 'order_followup' && r.variant === 'A' && r.day === '2026-12-01',
    );
    expect(row?.counts).toMatchObject({
      triggered: 1,
      sent: 1,
      delivered: 1,
      opened_machine: 1,
      opened: 1,
      clicked: 1,
      clicked_opened: 1,
      clicked_unsubscribe: 1,
    });
  });
});

describe('Journey metrics', () => {
  it('are the counters a handler added, published once at the end of its invocation', async () => {
    // Prepare: the same use case over Deps whose metrics are kept in memory
    const metrics = memoryMetrics();
    const metered = depsOver(dynamo, { clock: () => NOW, needs: sesEvents.needs, metrics });
    const base = await sentMessage();

    // Act
    await toHandler(sesEvents, metered)(sesEvent(base.messageId, 'Delivery', '2026-12-01T10:00:01Z'));

    // Assess
    expect(metrics.counted).toEqual([{ journey: 'order_followup', metric: 'delivered', value: 1 }]);
    expect(metrics.flushes).toBe(1);
    metered.dynamodb.destroy();
  });
});
