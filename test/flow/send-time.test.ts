/**
 * Send time and adaptive inactivity through the real handlers in embedded mode: opens recorded by ses-events
 * move a customer's birthday and win-back to the hour they read email; a customer's own order rhythm moves
 * their win-back line (a frequent buyer at the floor, a rare buyer at k x their median gap).
 */
import { describe, expect, it } from 'vitest';
import { importProfiles } from '../../cli/profiles-import.js';
import { parseConfig } from '../../functions/domain/config.js';
import type { Embedded } from '../../local/runtime.js';
import { customer, deliver, emailsTo, handlerOf, order, shopEvent, stores, useEmbedded } from './helpers.js';

const sesEvents = handlerOf('ses-events');

// Caps raised so five thank-yous in a week all go out (each is a message the customer can open).
const CONFIG = { inactivityDays: 30, caps: { perDay: 5, perWeek: 20 } };
const days = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const mar = (d: number, time: string) => `2027-03-${String(d).padStart(2, '0')}T${time}Z`;
const subjects = async (embedded: Embedded, id: string, pattern: RegExp) =>
  (await emailsTo(embedded, id)).filter((e) => pattern.test(e.subject));

describe('Journey: send time and adaptive inactivity (floor 30 days here)', () => {
  const embedded = useEmbedded({
    start: new Date('2027-03-01T00:00:00Z'),
    config: CONFIG,
    templatesDir: 'templates',
  });

  it('sends birthday and win-back at the hour a customer opens email, others at the usual hour', async () => {
    // Prepare: BEST gets five thank-yous (Mar 2-6) and opens each at 19:10 Berlin (18:10 UTC, CET);
    // PLAIN shares the birthday and has no history.
    await deliver(
      embedded,
      mar(7, '00:00:00'),
      shopEvent('customer.upserted', mar(1, '10:00:00'), customer('BEST', { birthday: '1990-03-10' })),
      shopEvent('customer.upserted', mar(1, '10:00:00'), customer('PLAIN', { birthday: '--03-10' })),
      ...days(2, 6).map((d) => shopEvent('order.placed', mar(d, '10:00:00'), order('BEST', `O-BEST-${d}`))),
    );
    const thanks = await emailsTo(embedded, 'BEST');
    for (const email of thanks) {
      const open = (time: string) =>
        sesEvents({
          time,
          detail: {
            eventType: 'Open',
            mail: { messageId: 'ses', tags: { message_id: [email.tags.message_id!] } },
          },
        });
      await open(`${email.sentAt.slice(0, 10)}T18:10:00Z`);
      await open(`${email.sentAt.slice(0, 10)}T20:30:00Z`); // a second open of one message counts once
    }
    const histogram = (await stores().profiles.get('BEST'))?.engagementHours;

    // Act: through the birthday and past both win-back lines
    await deliver(embedded, '2027-04-08T00:00:00Z');

    // Assess
    expect(thanks).toHaveLength(5);
    expect(histogram).toEqual({ '19': 5 });
    const [bestBirthday] = await subjects(embedded, 'BEST', /birthday/i);
    const [plainBirthday] = await subjects(embedded, 'PLAIN', /birthday/i);
    expect(bestBirthday?.sentAt).toBe('2027-03-10T18:00:00.000Z'); // 19:00 Berlin
    expect(plainBirthday?.sentAt).toBe('2027-03-10T08:00:00.000Z'); // 09:00 Berlin
    // BEST ordered daily (line at the 30-day floor after Mar 6): swept Apr 6 00:05 UTC, scheduled to 19:00
    // Berlin (CEST now). PLAIN (line Mar 31) goes when quiet hours end, as before.
    const [bestWinback] = await subjects(embedded, 'BEST', /anything we could do better/);
    const [plainWinback] = await subjects(embedded, 'PLAIN', /anything we could do better/);
    expect(bestWinback?.sentAt).toBe('2027-04-06T17:00:00.000Z');
    expect(plainWinback?.sentAt).toBe('2027-04-01T06:00:00.000Z');
  });

  it('wins back a frequent buyer at the floor and a rare buyer at k x their median order gap', async () => {
    // Prepare: OFTEN orders every 10 days live (k x 10 = 20 < 30: the floor); RARE is imported with orders
    // every 50 days up to Apr 8 (line 100 days later, Jul 17).
    const cfg = parseConfig(CONFIG);
    const rareOrders = ['2026-10-01', '2026-11-20', '2027-01-09', '2027-02-28', '2027-04-08'].map((d, i) => ({
      ...order('RARE', `O-RARE-${i}`),
      placedAt: `${d}T10:00:00Z`,
    }));
    const imported = await importProfiles(
      [{ line: 1, ok: true, value: { ...customer('RARE'), orders: rareOrders } }],
      {
        at: new Date('2027-04-08T00:00:00Z'),
        config: cfg,
        source: 'test',
        stores: stores(),
      },
    );
    await deliver(
      embedded,
      '2027-04-29T00:00:00Z',
      shopEvent('customer.upserted', '2027-04-08T09:00:00Z', customer('OFTEN')),
      ...[8, 18, 28].map((d) =>
        shopEvent(
          'order.placed',
          `2027-04-${String(d).padStart(2, '0')}T10:00:00Z`,
          order('OFTEN', `O-OFTEN-${d}`),
        ),
      ),
    );
    const rare = await stores().profiles.get('RARE');
    const often = await stores().profiles.get('OFTEN');

    // Act: past OFTEN's line (May 28) and RARE's (Jul 17)
    await deliver(embedded, '2027-07-20T00:00:00Z');

    // Assess
    expect(imported.imported).toBe(1);
    expect(rare).toMatchObject({ orderGapDays: 50, inactiveOn: '2027-07-17' });
    expect(rare?.recentOrderTimes).toHaveLength(5);
    expect(often?.orderGapDays).toBe(10);
    const [oftenWinback, ...moreOften] = await subjects(embedded, 'OFTEN', /anything we could do better/);
    const [rareWinback, ...moreRare] = await subjects(embedded, 'RARE', /anything we could do better/);
    expect(oftenWinback?.sentAt.slice(0, 10)).toBe('2027-05-29');
    expect(rareWinback?.sentAt.slice(0, 10)).toBe('2027-07-18');
    expect([...moreOften, ...moreRare]).toHaveLength(0);
  });
});
