/**
 * "Shoppers like you" in embedded mode: the weekly peer sweep (Mondays 02:00 UTC) finds the customers whose purchases
 * look like Ada's, and her next thank-you suggests what they bought and she never did, saying why; before the
 * first sweep no email can.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { peerBucketKey } from '../../functions/domain/peers.js';
import { erase } from '../../functions/usecases/customer-erase.js';
import {
  customer,
  deliver,
  emailsTo,
  ledgerOf,
  line,
  placed,
  product,
  shopEvent,
  stores,
  useEmbedded,
} from './helpers.js';

const WHISK = line('WHISK-1', 'Matcha whisk', 'tools');
const TEAPOT = line('POT-1', 'Cast-iron teapot', 'kitchen');
const SENCHA = line('TEA-1', 'Sencha', 'tea');
const CANDLE = line('CANDLE-1', 'Beeswax candle', 'home');

describe('Journey: shoppers like you', () => {
  const embedded = useEmbedded({
    start: new Date('2026-12-01T00:00:00Z'),
    config: { holdout: { enabled: false }, caps: { perDay: 5, perWeek: 10 } },
    templatesDir: 'templates',
  });
  beforeAll(async () => {
    // Two customers buy the whisk and, in another order, the teapot (so no co-purchase links them); a third
    // buys only candles. Ada buys the whisk.
    await deliver(
      embedded,
      '2026-12-01T12:00:00Z',
      product('WHISK-1', 'Matcha whisk', 'tools'),
      product('POT-1', 'Cast-iron teapot', 'kitchen'),
      product('TEA-1', 'Sencha', 'tea'),
      product('CANDLE-1', 'Beeswax candle', 'home'),
      ...['KAI', 'LEA', 'ADA', 'MO'].map((id) =>
        shopEvent('customer.upserted', '2026-12-01T00:20:00Z', customer(id)),
      ),
      placed('KAI', 'K1', '2026-12-01T01:00:00Z', [WHISK]),
      placed('KAI', 'K2', '2026-12-01T01:30:00Z', [TEAPOT]),
      placed('LEA', 'L1', '2026-12-01T01:10:00Z', [WHISK]),
      placed('LEA', 'L2', '2026-12-01T01:40:00Z', [TEAPOT]),
      placed('MO', 'M1', '2026-12-01T01:20:00Z', [CANDLE]),
      placed('ADA', 'A1', '2026-12-01T11:00:00Z', [WHISK]),
    );
  });

  it("suggests, after Monday night's sweep, what the customers most like her bought, and says why", async () => {
    // Assess the first thank-you: before any sweep
    const [first] = await emailsTo(embedded, 'ADA');
    expect(first?.html).not.toContain('Bought by shoppers whose orders look like yours');

    // Act: Monday's 02:00 sweep (December 7), then Ada's second order
    await deliver(embedded, '2026-12-07T10:05:00Z', placed('ADA', 'A2', '2026-12-07T10:00:00Z', [SENCHA]));

    // Assess
    expect(await stores().peers.peerPicksOf('ADA')).toMatchObject({
      at: '2026-12-07T02:00:00.000Z',
      items: [['POT-1', 1]],
    });
    const emails = await emailsTo(embedded, 'ADA');
    expect(emails).toHaveLength(2);
    const html = emails[1]!.html!;
    const teapot = html.indexOf('Cast-iron teapot');
    expect(teapot).toBeGreaterThan(-1);
    expect(html.slice(teapot)).toContain('Bought by shoppers whose orders look like yours');
    // The ledger keeps the reason, for the "why you got this" page.
    const entry = (await ledgerOf('ADA')).find((e) => e.recommendations?.includes('POT-1'));
    expect(entry?.reasons?.[entry.recommendations!.indexOf('POT-1')]).toBe('shoppers_like_you');
  });

  it('refuses a shop event whose customer id would name a peer bucket, and keeps it with the reason', async () => {
    // Prepare: the bucket Ada's picks are in
    const bucket = peerBucketKey('ADA');
    const before = (await stores().rejected.all()).length;
    // Act
    await deliver(
      embedded,
      '2026-12-07T11:00:00Z',
      shopEvent(
        'customer.upserted',
        '2026-12-07T10:30:00Z',
        customer(bucket, { email: 'b@customers.example' }),
      ),
    );
    // Assess
    const rejected = (await stores().rejected.all()).slice(before);
    expect(rejected.map((r) => r.error)).toEqual([
      `detail.customerId: must not start with "peers#" (reserved)`,
    ]);
    expect(await stores().peers.peerPicksOf('ADA')).toBeDefined();
    expect(await stores().profiles.get(bucket)).toMatchObject({
      customerId: bucket,
      picks: expect.anything(),
    });
  });

  it('erases her picks with the rest of her data', async () => {
    // Prepare
    const held = await stores().peers.peerPicksOf('ADA');
    // Act
    const profile = (await stores().profiles.get('ADA'))!;
    await erase(embedded.deps, profile, new Date('2026-12-07T12:00:00Z'));
    // Assess
    expect(held).toBeDefined();
    expect(await stores().peers.peerPicksOf('ADA')).toBeUndefined();
  });
});
