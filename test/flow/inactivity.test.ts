/**
 * Win-back timing through the real sweeps: activity moves the customer's line without touching the
 * inactivity index; the daily sweep moves a stale key and sends exactly one win-back when the line is real.
 */
import { describe, expect, it } from 'vitest';
import { customer, deliver, emailsTo, shopEvent, stores, useEmbedded } from './helpers.js';

describe('Journey: win-back after inactivity (30 days here)', () => {
  const embedded = useEmbedded({
    start: new Date('2027-03-01T00:00:00Z'),
    config: { inactivityDays: 30 },
    templatesDir: 'templates',
  });

  it('moves a stale index key when the customer was active, then sends one win-back at the real line', async () => {
    // Prepare: signed up on Mar 1 (line Mar 31), active again on Mar 20 (real line Apr 19)
    await deliver(
      embedded,
      '2027-03-21T00:00:00Z',
      shopEvent('customer.upserted', '2027-03-01T10:00:00Z', customer('AWAY')),
      shopEvent('customer.activity', '2027-03-20T10:00:00Z', { customerId: 'AWAY', kind: 'page_view' }),
    );
    const keyAfterActivity = (await stores().profiles.get('AWAY'))?.inactiveOn;
    // Act: past the stale line
    await deliver(embedded, '2027-04-02T00:00:00Z');
    const keyAfterSweep = (await stores().profiles.get('AWAY'))?.inactiveOn;
    const sentByApril2 = (await emailsTo(embedded, 'AWAY')).length;
    // Act: past the real line, and a month more
    await deliver(embedded, '2027-05-25T00:00:00Z');
    // Assess
    expect(keyAfterActivity).toBe('2027-03-31');
    expect(keyAfterSweep).toBe('2027-04-19');
    expect(sentByApril2).toBe(0);
    const emails = await emailsTo(embedded, 'AWAY');
    expect(emails).toHaveLength(1);
    expect(emails[0]!.subject).toMatch(/anything we could do better/);
    expect(emails[0]!.sentAt.slice(0, 10)).toBe('2027-04-20');
  });
});
