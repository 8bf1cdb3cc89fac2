/**
 * Gifts that are real, through the synthesized state machine and the real handlers: a thank-you journey whose
 * incentive draws from a pool of the shop's codes. Each pool code appears in exactly one email, whatever runs
 * twice (duplicate executions racing the first, Send crashing and retried), a code of a message that was not
 * sent goes back to the pool, and an exhausted pool sends without a code. An order with the code shows on the
 * message's ledger entry and in the results (redeemed, with its revenue), and the counters check stays exact.
 */
import { describe, expect, it } from 'vitest';
import { checkCounters } from '../../cli/counters-check.js';
import { kpiReport } from '../../functions/domain/kpis.js';
import { orderFollowupRequest } from '../../functions/domain/triggers.js';
import type { LocalEmail } from '../../local/ses.js';
import { customer, deliver, emailsTo, ledgerOf, order, shopEvent, stores, useEmbedded } from './helpers.js';

const POOL = ['THANKS-7Q2A', 'THANKS-9M4C', 'THANKS-K3XP'];
const CONFIG = {
  caps: { perDay: 10, perWeek: 20 },
  holdout: { enabled: false },
  balance: { enabled: false },
  incentives: { order_followup: { kind: 'percent', value: 10, validDays: 30, source: 'pool' } },
};
const CUSTOMERS = ['G1', 'G2', 'G3', 'G4', 'G5'];
const body = (email: LocalEmail) => `${email.text ?? ''}\n${email.html ?? ''}`;

describe('Incentives: pool codes in emails', () => {
  const embedded = useEmbedded({
    start: new Date('2026-12-01T00:00:00Z'),
    config: CONFIG,
    templatesDir: 'templates',
    // Every second Send attempt crashes before SES and is retried: a retry must keep the message's code.
    faults: {
      ses: [],
      dynamodb: [],
      crash: [{ handler: 'send', point: 'before-ses', every: 2, retry: 'lambda' }],
    },
  });

  it('puts each pool code in exactly one email, sends the rest without one, and gives back unsent codes', async () => {
    // Prepare: three codes; a customer without consent orders first (claims a code, is skipped, gives it back).
    await stores().codes.importPool('order_followup', POOL, '2026-12-01T00:00:00.000Z');
    const noConsent = shopEvent(
      'customer.upserted',
      '2026-12-01T08:00:00Z',
      customer('GX', { consent: { email: 'opted_out' } }),
    );
    await deliver(
      embedded,
      '2026-12-01T09:10:00Z',
      noConsent,
      shopEvent('order.placed', '2026-12-01T09:00:00Z', order('GX', 'O-GX')),
    );
    const events = CUSTOMERS.flatMap((id, i) => [
      shopEvent('customer.upserted', '2026-12-01T08:00:00Z', customer(id)),
      shopEvent('order.placed', `2026-12-01T10:0${i}:00Z`, order(id, `O-${id}`)),
    ]);
    for (const e of events) embedded.publish(e);
    // Duplicate executions of two thank-yous, racing the ones intake starts.
    for (const id of ['G1', 'G2'])
      await embedded.deps.workflow.start(
        orderFollowupRequest(order(id, `O-${id}`), `2026-12-01T10:0${CUSTOMERS.indexOf(id)}:00.000Z`),
      );
    await embedded.runUntil(new Date('2026-12-01T11:00:00Z'));
    // And every thank-you once more, after they went out: a late duplicate of each.
    const requests = embedded
      .executions()
      .map((e) => e.input as { journey?: string; customerId?: string })
      .filter((input) => input.journey === 'order_followup' && input.customerId !== 'GX');
    for (const input of requests) await embedded.deps.workflow.start(input as never);
    await embedded.runUntil(new Date('2026-12-01T12:00:00Z'));

    // Act
    const emails = (await Promise.all(CUSTOMERS.map((id) => emailsTo(embedded, id)))).flat();

    // Assess: one email per customer, three of them with a code, each code in exactly one email.
    expect(emails).toHaveLength(CUSTOMERS.length);
    for (const code of POOL)
      expect(
        emails.filter((e) => body(e).includes(code)),
        code,
      ).toHaveLength(1);
    const withCode = emails.filter((e) => POOL.some((code) => body(e).includes(code)));
    expect(withCode).toHaveLength(3);
    for (const email of emails)
      expect(POOL.filter((code) => body(email).includes(code)).length).toBeLessThanOrEqual(1);
    // The email states the code's terms with it.
    expect(body(withCode[0]!)).toMatch(
      /10% off your next order, valid until December 31, 2026\. Single use\./,
    );
    // The ledger says which code each message carried: the one in its email, and none for the others.
    for (const email of emails) {
      const entry = (await stores().ledger.get(email.tags.message_id!))!;
      const shown = POOL.find((code) => body(email).includes(code));
      expect(entry.code, email.to[0]).toBe(shown);
    }
    // The skipped customer got no email, and their claim went back (it is in someone's email above).
    expect(await emailsTo(embedded, 'GX')).toHaveLength(0);
    const [skipped] = await ledgerOf('GX');
    expect(skipped).toMatchObject({ decision: 'skipped' });
    expect((await stores().codes.claimOf(skipped!.messageId))?.state).toBe('released');
    // Every pool code is held by the message whose email shows it.
    for (const code of POOL) {
      const item = await stores().codes.get(code);
      const email = emails.find((e) => body(e).includes(code))!;
      expect(item?.messageId, code).toBe(email.tags.message_id);
    }
  }, 120_000);

  it('records an order with the code on the message and in the results, once', async () => {
    // Prepare: the customer whose email carried the first code orders with it (twice delivered, and the
    // shop's own code beside it).
    const emails = (await Promise.all(CUSTOMERS.map((id) => emailsTo(embedded, id)))).flat();
    const email = emails.find((e) => body(e).includes(POOL[0]!))!;
    const entry = (await stores().ledger.get(email.tags.message_id!))!;
    const redeem = shopEvent('order.placed', '2026-12-03T10:00:00Z', {
      ...order(entry.customerId, 'O-REDEEM'),
      total: 40,
      discountCodes: [POOL[0]!.toLowerCase(), 'SHOP-WINTER'],
    });

    // Act
    await deliver(embedded, '2026-12-03T11:00:00Z', redeem, { ...redeem, id: `${redeem.id}-again` });

    // Assess
    const after = (await stores().ledger.get(entry.messageId))!;
    expect(after.events?.redeemed).toBe('2026-12-03T10:00:00.000Z');
    expect(await stores().codes.get(POOL[0]!)).toMatchObject({ redeemedOrder: 'O-REDEEM' });
    const rows = await stores().stats.all();
    const thanks = kpiReport(rows, new Date('2026-12-03T11:00:00Z')).journeys.find(
      (j) => j.journey === 'order_followup',
    )!;
    expect(thanks.redemption.rate.count).toBe(1);
    expect(thanks.redemption.revenue).toBe(40);
    expect(checkCounters(await stores().ledger.all(), rows).differences).toEqual([]);
  }, 120_000);
});
