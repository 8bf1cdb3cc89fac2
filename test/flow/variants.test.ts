/**
 * Template variants in embedded mode, through the real handlers: a journey with variants A and B picks one per
 * message (Thompson sampling, domain/bandit.ts), renders it, tags the email and the ledger entry with it, counts
 * the send per variant, and a first click through ses-events counts as that variant's success.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { banditKey } from '../../functions/domain/bandit.js';
import { parseConfig } from '../../functions/domain/config.js';
import { kpiReport } from '../../functions/domain/kpis.js';
import { type Embedded, startEmbedded } from '../../local/runtime.js';
import {
  customer,
  deliver,
  emailsTo,
  handlerOf,
  order,
  setRunning,
  shopEvent,
  stores,
  useEmbedded,
} from './helpers.js';

const sesEvents = handlerOf('ses-events');

// Holdout off and generous caps: every order gets its thank-you.
const CONFIG = { caps: { perDay: 10, perWeek: 20 }, holdout: { enabled: false } };
const CUSTOMERS = Array.from({ length: 12 }, (_, i) => `VAR-${i}`);

/** Variant B: the starter thank-you with another subject, published beside the current one. */
async function publishVariantB(): Promise<string> {
  const version = await stores().templates.publishVariantOf(
    'order_followup',
    'B',
    { subject: 'Variant B: thanks, {{ customer.firstName }}' },
    '2026-12-01T00:00:00Z',
  );
  expect(version).toBeDefined();
  return version!;
}

function click(tags: Record<string, string>, time: string) {
  return sesEvents({
    time,
    'detail-type': 'Email Click',
    detail: {
      eventType: 'Click',
      mail: {
        messageId: `ses-${tags.message_id}`,
        tags: Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, [v]])),
      },
    },
  });
}

describe('Workflow: template variants chosen by the bandit', () => {
  let embedded: Embedded;
  const versions: Record<string, string> = {};
  beforeAll(async () => {
    embedded = await startEmbedded({
      start: new Date('2026-12-01T00:00:00Z'),
      config: CONFIG,
      templatesDir: 'templates',
    });
    setRunning(embedded);
    // Variant B: the starter thank-you with another subject, pushed and published beside the current one.
    versions.A = (await stores().templates.published('order_followup'))!.version;
    versions.B = await publishVariantB();
  });
  afterAll(async () => embedded?.stop());

  it('reads every published variant with its template', async () => {
    const variants = await stores().templates.publishedVariants('order_followup');
    expect(Object.keys(variants).sort()).toEqual(['A', 'B']);
    expect(variants.A?.version).toBe(versions.A);
    expect(variants.B?.version).toBe(versions.B);
    expect(await stores().templates.publishedPointer('birthday')).toEqual({ A: expect.any(String) });
  });

  it('sends each thank-you with a variant: tagged, rendered, in the ledger and counted', async () => {
    await deliver(
      embedded,
      '2026-12-01T10:30:00Z',
      ...CUSTOMERS.map((c) => shopEvent('customer.upserted', '2026-12-01T09:00:00Z', customer(c))),
      ...CUSTOMERS.map((c, i) => shopEvent('order.placed', '2026-12-01T10:00:00Z', order(c, `VO-${i}`))),
    );
    const emails = (await Promise.all(CUSTOMERS.map((c) => emailsTo(embedded, c)))).flat();
    expect(emails).toHaveLength(CUSTOMERS.length);
    const sent: Record<string, number> = { A: 0, B: 0 };
    for (const email of emails) {
      const variant = email.tags.variant!;
      expect(['A', 'B']).toContain(variant);
      sent[variant] = (sent[variant] ?? 0) + 1;
      expect(email.tags.template_version).toBe(versions[variant]);
      if (variant === 'B') expect(email.subject).toMatch(/^Variant B: thanks/);
      else expect(email.subject).not.toMatch(/^Variant B/);
      const entry = await stores().ledger.get(email.tags.message_id!);
      expect(entry).toMatchObject({ decision: 'sent', variant, templateVersion: versions[variant] });
    }
    // With no history yet both variants get traffic (deterministic: message ids derive from the orders).
    expect(sent.A).toBeGreaterThan(0);
    expect(sent.B).toBeGreaterThan(0);
    const stats = await stores().reputation.variantStats([
      banditKey('order_followup', 'A', versions.A!),
      banditKey('order_followup', 'B', versions.B!),
    ]);
    expect(stats[banditKey('order_followup', 'A', versions.A!)]).toEqual({ sends: sent.A, successes: 0 });
    expect(stats[banditKey('order_followup', 'B', versions.B!)]).toEqual({ sends: sent.B, successes: 0 });
  });

  it('counts the first click of a message as a success of its variant, once', async () => {
    // Prepare: one email of each variant that went out
    const emails = (await Promise.all(CUSTOMERS.map((c) => emailsTo(embedded, c)))).flat();
    const picked = ['A', 'B']
      .map((v) => emails.find((e) => e.tags.variant === v))
      .filter((e) => e !== undefined);
    // Act: a click on each, then the same click again (a second click of one message)
    for (const email of picked) await click(email.tags, '2026-12-01T11:00:00Z');
    for (const email of picked) await click(email.tags, '2026-12-01T11:05:00Z');
    // Assess
    const keys = picked.map((e) => banditKey('order_followup', e.tags.variant!, e.tags.template_version!));
    const stats = await stores().reputation.variantStats(keys);
    expect(picked).toHaveLength(2);
    for (const key of keys) expect(stats[key]?.successes).toBe(1);
  });
});

describe('Workflow: template variants rewarded by orders', () => {
  const embedded = useEmbedded({
    start: new Date('2026-12-01T00:00:00Z'),
    config: { ...CONFIG, bandit: { reward: 'order' } },
    templatesDir: 'templates',
  });
  beforeAll(async () => {
    await publishVariantB();
  });

  it('counts an order attributed to a message as its variant success, and a click not', async () => {
    // Prepare: a thank-you, clicked
    await deliver(
      embedded,
      '2026-12-01T10:30:00Z',
      shopEvent('customer.upserted', '2026-12-01T09:00:00Z', customer('VAR-ORDER')),
      shopEvent('order.placed', '2026-12-01T10:00:00Z', order('VAR-ORDER', 'VOO-1')),
    );
    const [email] = await emailsTo(embedded, 'VAR-ORDER');
    const key = banditKey('order_followup', email!.tags.variant!, email!.tags.template_version!);
    await click(email!.tags, '2026-12-01T11:00:00Z');
    const afterClick = (await stores().reputation.variantStats([key]))[key];
    // Act: the next order, within the attribution window
    await deliver(
      embedded,
      '2026-12-02T10:30:00Z',
      shopEvent('order.placed', '2026-12-02T10:00:00Z', order('VAR-ORDER', 'VOO-2')),
    );
    // Assess
    expect(afterClick).toEqual({ sends: 1, successes: 0 });
    expect((await stores().reputation.variantStats([key]))[key]?.successes).toBe(1);
    expect((await stores().ledger.get(email!.tags.message_id!))?.events?.ordered).toBe(
      '2026-12-02T10:00:00.000Z',
    );
  });
});

describe('Workflow: a variant that drives unsubscribes loses to one that drives reading', () => {
  const embedded = useEmbedded({
    start: new Date('2026-12-01T00:00:00Z'),
    config: CONFIG,
    templatesDir: 'templates',
  });
  beforeAll(async () => {
    await publishVariantB();
  });

  const linkClick = (tags: Record<string, string>, link: string, time: string) =>
    sesEvents({
      time,
      'detail-type': 'Email Click',
      detail: {
        eventType: 'Click',
        mail: {
          messageId: `ses-${tags.message_id}`,
          timestamp: '2026-12-01T10:00:00.000Z',
          tags: Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, [v]])),
        },
        click: { link, userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)' },
      },
    });
  // An order whose item links to the shop: the thank-you shows it, so a reader has something to click.
  const linkedOrder = (c: string, id: string) => ({
    ...order(c, id),
    items: [{ ...order(c, id).items[0]!, url: 'https://shop.example/p/TEA-1' }],
  });
  const hrefs = (html: string) =>
    [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

  it('every A reader clicks unsubscribe, every second B reader clicks an item: B wins the next day', async () => {
    // Prepare: a day of thank-yous, both variants
    const day1 = Array.from({ length: 16 }, (_, i) => `UNS-${i}`);
    await deliver(
      embedded,
      '2026-12-01T10:30:00Z',
      ...day1.map((c) => shopEvent('customer.upserted', '2026-12-01T09:00:00Z', customer(c))),
      ...day1.map((c, i) => shopEvent('order.placed', '2026-12-01T10:00:00Z', linkedOrder(c, `UO-${i}`))),
    );
    const emails = (await Promise.all(day1.map((c) => emailsTo(embedded, c)))).flat();
    const { publicBaseUrl } = parseConfig(CONFIG);
    let bReaders = 0;
    // Act: A's readers click its unsubscribe link (more clicks, none of them reading); half of B's click an item
    for (const email of emails) {
      const links = hrefs(email.html ?? '');
      if (email.tags.variant === 'A') {
        const unsubscribe = links.find((l) => l.startsWith(`${publicBaseUrl}/u/`));
        expect(unsubscribe).toBeDefined();
        await linkClick(email.tags, unsubscribe!, '2026-12-01T12:00:00Z');
      } else if (bReaders++ % 2 === 0) {
        const content = links.find((l) => l.startsWith('https://') && !l.startsWith(publicBaseUrl));
        expect(content).toBeDefined();
        await linkClick(email.tags, content!, '2026-12-01T12:00:00Z');
      }
    }
    const sentA = emails.filter((e) => e.tags.variant === 'A').length;
    expect(sentA).toBeGreaterThan(bReaders / 2);

    // Assess: the bandit rewarded only reading, and the report says why
    const report = kpiReport(await stores().stats.all(), new Date('2026-12-02T00:00:00Z'));
    const variants = report.journeys.find((j) => j.journey === 'order_followup')?.variants ?? [];
    const a = variants.find((v) => v.variant === 'A');
    const b = variants.find((v) => v.variant === 'B');
    expect(a?.ownLinkClicks.unsubscribe).toBe(sentA);
    expect(a?.clickRate.count).toBe(0);
    expect(b?.clickRate.count).toBe(Math.ceil(bReaders / 2));
    expect(b?.ownLinkClicks.unsubscribe).toBeUndefined();
    const versionOf = (v: string) => variants.find((x) => x.variant === v)!.version;
    const keys = [
      banditKey('order_followup', 'A', versionOf('A')),
      banditKey('order_followup', 'B', versionOf('B')),
    ];
    const stats = await stores().reputation.variantStats(keys);
    expect(stats[keys[0]!]?.successes).toBe(0);
    expect(stats[keys[1]!]?.successes).toBe(Math.ceil(bReaders / 2));

    // And the next day's thank-yous go mostly with B
    const day2 = Array.from({ length: 16 }, (_, i) => `UNS2-${i}`);
    await deliver(
      embedded,
      '2026-12-02T10:30:00Z',
      ...day2.map((c) => shopEvent('customer.upserted', '2026-12-02T09:00:00Z', customer(c))),
      ...day2.map((c, i) => shopEvent('order.placed', '2026-12-02T10:00:00Z', linkedOrder(c, `UO2-${i}`))),
    );
    const next = (await Promise.all(day2.map((c) => emailsTo(embedded, c)))).flat();
    const nextB = next.filter((e) => e.tags.variant === 'B').length;
    expect(next).toHaveLength(16);
    expect(nextB).toBeGreaterThan(next.length - nextB);
  });
});
