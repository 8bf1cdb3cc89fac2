/**
 * The frequency cap holds when several sends to one customer race each other (e.g. a thank-you and a
 * cart reminder firing at once on separate Lambda containers): real Send handler, local DynamoDB.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { messageRequest } from '../../functions/domain/ids.js';
import type { Delivery, WorkflowState } from '../../functions/domain/model.js';
import {
  customer,
  deliver,
  emailsTo,
  handlerOf,
  ledgerOf,
  shopEvent,
  stores,
  useEmbedded,
} from './helpers.js';

const send = handlerOf('send');

function readyToSend(customerId: string, n: number): WorkflowState {
  const request = messageRequest({
    journey: 'order_followup',
    customerId,
    triggerKey: `order_followup:order:RACE-${n}`,
    triggeredAt: '2026-12-01T10:00:00.000Z',
  });
  return {
    ...request,
    personalized: {
      ok: true,
      to: `${customerId.toLowerCase()}@customers.example`,
      subject: `Thank you ${n}`,
      html: '<p>Thanks</p>',
      text: 'Thanks',
      templateVersion: 'v000001',
      recommendations: [],
      unsubscribeUrl: 'http://localhost:8787/u/token',
    },
    decision: { action: 'send', reason: 'allowed', consent: { email: 'opted_in' } },
  };
}

describe('Handler: send under concurrency', () => {
  // Holdout off: customer RACE falls in the default 5% order_followup holdout, which would hide the race.
  const embedded = useEmbedded({
    start: new Date('2026-12-01T09:00:00Z'),
    config: { holdout: { enabled: false } },
    templatesDir: 'templates',
  });
  beforeAll(async () => {
    await deliver(
      embedded,
      '2026-12-01T10:00:00Z',
      shopEvent('customer.upserted', '2026-12-01T09:30:00Z', customer('RACE')),
      shopEvent('customer.upserted', '2026-12-01T09:30:00Z', customer('TWICE')),
    );
  });

  it('lets exactly one of five simultaneous sends through a cap of one per day, and holds the others', async () => {
    // Act: five different thank-yous for one customer at the same instant
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => send({ state: readyToSend('RACE', n), execution: `exec-race-${n}` })),
    );
    // Assess
    const statuses = results.map((r: Delivery) => r.status).sort();
    expect(statuses).toEqual(['capped', 'capped', 'capped', 'capped', 'sent']);
    expect(await emailsTo(embedded, 'RACE')).toHaveLength(1);
    // Gestures are not dropped by the cap: each loser says when the day's slot frees up (the workflow's Defer
    // schedules it then) and records nothing itself.
    const sentAt = results.find((r: Delivery) => r.status === 'sent')?.sentAt ?? '';
    const freeAt = new Date(Date.parse(sentAt) + 86_400_000).toISOString();
    for (const held of results.filter((r: Delivery) => r.status === 'capped'))
      expect(held).toEqual({ status: 'capped', reason: 'capped_daily', until: freeAt });
    expect((await ledgerOf('RACE')).map((e) => e.decision)).toEqual(['sent']);
  });

  it('sends one email when the same message is sent twice at once (an at-least-once start)', async () => {
    const [a, b] = await Promise.all([
      send({ state: readyToSend('TWICE', 100), execution: 'exec-twice-a' }),
      send({ state: readyToSend('TWICE', 100), execution: 'exec-twice-b' }),
    ]);
    expect([a.status, b.status].sort()).toEqual(['duplicate', 'sent']);
    expect(await emailsTo(embedded, 'TWICE')).toHaveLength(1);
    expect(await ledgerOf('TWICE')).toMatchObject([{ decision: 'sent' }]);
  });

  it('never records a message as capped by its own twin: copies racing under a cap of one a day', async () => {
    const customers = ['TWIN1', 'TWIN2', 'TWIN3', 'TWIN4'];
    await deliver(
      embedded,
      '2026-12-01T10:10:00Z',
      ...customers.map((id) => shopEvent('customer.upserted', '2026-12-01T10:05:00Z', customer(id))),
    );
    const results = await Promise.all(
      customers.flatMap((id, i) =>
        [1, 2, 3].map((copy) => send({ state: readyToSend(id, 200 + i), execution: `exec-${id}-${copy}` })),
      ),
    );
    for (const id of customers) {
      expect(await emailsTo(embedded, id)).toHaveLength(1);
      expect(await ledgerOf(id)).toMatchObject([{ decision: 'sent' }]);
      // One message, one slot: the cap state counts it once.
      expect((await stores().profiles.get(id))?.recentSends).toHaveLength(1);
    }
    expect(results.filter((r: Delivery) => r.status === 'sent')).toHaveLength(customers.length);
  });
});
