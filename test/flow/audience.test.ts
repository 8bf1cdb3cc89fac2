/**
 * The simulated audience in embedded mode, through the real handlers: SES events reach the ledger (people's
 * opens and clicks apart from privacy proxies' and link scanners'), votes and unsubscribes go through the
 * customer endpoints, the audience's orders through order intake (each with its thank-you), the exactly-once
 * check still holds, two runs with one seed are the same, and recorded SES events replay from a file.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../../cli/errors.js';
import { checkPromises, type PromiseCheck } from '../../cli/promises.js';
import { readSesEvents } from '../../cli/run.js';
import { summarize } from '../../cli/summary.js';
import { messageIdFor, triggerKeys } from '../../functions/domain/ids.js';
import type { LedgerEntry } from '../../functions/domain/ledger.js';
import type { Profile } from '../../functions/domain/model.js';
import type { AudienceOptions } from '../../local/audience.js';
import type { AudienceStats } from '../../local/audience-driver.js';
import { customer, order } from '../../local/drill.js';
import { parseFaults } from '../../local/faults.js';
import { type EmbeddedOptions, type JobFailure, type ShopEvent, startEmbedded } from '../../local/runtime.js';
import type { LocalEmail } from '../../local/ses.js';
import { type SynthesizedWorkflow, synthWorkflow } from '../../local/synth.js';

const START = '2026-12-01T00:00:00Z';
const UNTIL = '2026-12-05T00:00:00Z';
const CUSTOMERS = Array.from({ length: 24 }, (_, i) => `AUD${i + 1}`);
/** Every order gets its thank-you, and the audience's orders theirs. */
const CONFIG = { caps: { perDay: 5, perWeek: 12 }, holdout: { enabled: false }, balance: { enabled: false } };
/** Rates raised so a small shop shows every path (the defaults are for 1,000s of customers). */
const AUDIENCE: AudienceOptions = {
  seed: 3,
  rates: {
    linkScannerShare: 0.25,
    deadAddressShare: 0,
    softBounce: 0,
    complaint: 0,
    read: { order_followup: 0.95 },
    clickBase: 0.5,
    vote: 0.4,
    unsubscribe: 0.08,
    orderAfterClick: 0.7,
  },
};

const product = (sku: string, name: string, category: string) => ({
  sku,
  name,
  category,
  price: 10,
  inStock: true,
  url: `https://shop.example/p/${sku}`,
});
const CATALOGUE = [
  product('TEA-1', 'Sencha', 'tea'),
  product('TEA-2', 'Earl Grey', 'tea'),
  product('TEA-3', 'Assam', 'tea'),
  product('POT-1', 'Teapot', 'kitchen'),
  product('POT-2', 'Strainer', 'kitchen'),
  product('BOOK-1', 'The Tea Atlas', 'books'),
];

function shop(): ShopEvent[] {
  const event = (id: string, type: string, time: string, detail: object): ShopEvent => ({
    id,
    source: 'flow.shop',
    'detail-type': type,
    time,
    detail,
  });
  return [
    ...CATALOGUE.map((p) => event(`p-${p.sku}`, 'product.upserted', '2026-12-01T00:10:00Z', p)),
    ...CUSTOMERS.map((c) => event(`c-${c}`, 'customer.upserted', '2026-12-01T09:00:00Z', customer(c))),
    ...CUSTOMERS.map((c, i) =>
      event(`o-${c}`, 'order.placed', '2026-12-01T12:00:00Z', order(c, `O-${i + 1}`)),
    ),
  ];
}

interface Outcome {
  emails: LocalEmail[];
  ledger: LedgerEntry[];
  profiles: (Profile | undefined)[];
  audience?: AudienceStats;
  failures: JobFailure[];
  check: PromiseCheck;
}

let workflow: SynthesizedWorkflow;

async function run(options: Partial<EmbeddedOptions>): Promise<Outcome> {
  const embedded = await startEmbedded({
    start: new Date(START),
    config: CONFIG,
    templatesDir: 'templates',
    workflow,
    ...options,
  });
  try {
    for (const e of shop()) embedded.publish(e);
    await embedded.runUntil(new Date(UNTIL));
    const [emails, ledger, profiles] = await Promise.all([
      embedded.emails(),
      embedded.stores.ledger.all(),
      Promise.all(CUSTOMERS.map((c) => embedded.stores.profiles.get(c))),
    ]);
    const audience = embedded.stats().audience;
    return {
      emails,
      ledger,
      profiles,
      ...(audience ? { audience } : {}),
      failures: embedded.failures(),
      check: checkPromises(emails, ledger),
    };
  } finally {
    await embedded.stop();
  }
}

/** What must be equal between two runs: link tokens aside (each runtime signs with a fresh key). */
function comparable(outcome: Outcome) {
  const untokened = (text: string | undefined) => text?.replace(/\/(u|p|why|f)\/[\w.-]+/g, '/$1/<token>');
  return {
    emails: outcome.emails.map((e) => ({
      to: e.to,
      subject: e.subject,
      sentAt: e.sentAt,
      tags: e.tags,
      html: untokened(e.html),
      text: untokened(e.text),
    })),
    ledger: [...outcome.ledger]
      .sort((a, b) => a.messageId.localeCompare(b.messageId))
      .map((e) => ({
        messageId: e.messageId,
        decision: e.decision,
        reason: e.reason,
        variant: e.variant,
        recommendations: e.recommendations,
        events: e.events,
        history: e.history?.map((h) => `${h.decision}@${h.at}`),
      })),
    summary: summarize(outcome.ledger),
    audience: outcome.audience,
    profiles: outcome.profiles.map((p) => ({ consent: p?.consent?.email, feedback: p?.feedback })),
  };
}

describe('Embedded mode: the simulated audience', () => {
  let first: Outcome;
  let second: Outcome;
  beforeAll(async () => {
    workflow = await synthWorkflow();
    first = await run({ audience: AUDIENCE });
    second = await run({ audience: AUDIENCE });
  });

  it("brings SES events to the ledger: deliveries, people's opens and clicks, and machines' apart", () => {
    // Assess
    expect(first.failures).toEqual([]);
    const kinds = new Set(first.ledger.flatMap((e) => Object.keys(e.events ?? {})));
    for (const kind of ['delivered', 'opened', 'opened_machine', 'clicked', 'clicked_bot'])
      expect(kinds, kind).toContain(kind);
    const sent = first.ledger.filter((e) => e.decision === 'sent');
    expect(sent.every((e) => e.events?.delivered !== undefined)).toBe(true);
    expect(first.audience).toMatchObject({ emails: sent.length, delivered: sent.length });
  });

  it("puts the audience's orders through order intake, each with its own thank-you", () => {
    // Assess
    const orderIds = first.audience?.orderIds ?? [];
    expect(orderIds.length).toBeGreaterThan(0);
    for (const orderId of orderIds) {
      const messageId = messageIdFor(triggerKeys.orderFollowup(orderId));
      const thankYou = first.ledger.find((e) => e.messageId === messageId);
      expect(thankYou, orderId).toBeDefined();
      if (thankYou?.decision === 'sent')
        expect(first.emails.some((e) => e.tags.message_id === messageId)).toBe(true);
    }
    const sentForAudience = orderIds.filter(
      (id) =>
        first.ledger.find((e) => e.messageId === messageIdFor(triggerKeys.orderFollowup(id)))?.decision ===
        'sent',
    );
    expect(sentForAudience.length).toBeGreaterThan(0);
  });

  it('records votes through the feedback links, on the profile and the message', () => {
    // Assess
    const votes = first.profiles.flatMap((p) => p?.feedback ?? []);
    expect(votes.length).toBeGreaterThan(0);
    expect(votes.every((v) => v.source === 'email')).toBe(true);
    expect(first.ledger.some((e) => Object.keys(e.events ?? {}).some((k) => k.startsWith('vote_')))).toBe(
      true,
    );
    // A profile keeps one vote per item: a second answer on the same item (from a later email) replaces it.
    const stats = first.audience!;
    expect(stats.votes.up + stats.votes.down).toBeGreaterThanOrEqual(votes.length);
  });

  it('unsubscribes through the one-click POST or the footer link, and sends nothing after it', () => {
    // Assess
    const optedOut = first.profiles.filter((p) => p?.consent?.email === 'opted_out');
    expect(optedOut.length).toBe(first.audience?.unsubscribes);
    expect(optedOut.length).toBeGreaterThan(0);
    for (const p of optedOut) {
      const at = p!.consent!.updatedAt ?? '';
      const later = first.emails.filter((e) => e.to.includes(p!.email) && e.sentAt > at);
      expect(later).toEqual([]);
    }
  });

  it('still sends every message at most once and loses none', () => {
    // Assess
    expect(first.check).toMatchObject({ duplicateEmails: 0, silentLosses: 0 });
    expect(first.emails.length).toBeGreaterThan(CUSTOMERS.length);
  });

  it('gives the same emails, ledger, summary and answers in two runs with the same seed', () => {
    // Assess
    expect(comparable(second)).toEqual(comparable(first));
  });

  it('settles sends of unknown outcome by their delivery, and the check still holds', async () => {
    // Act: SES accepts every 4th email but the answer is lost
    const faulted = await run({
      audience: AUDIENCE,
      faults: parseFaults({ ses: [{ mode: 'reset-after', every: 4 }] }),
      logLevel: 'SILENT',
    });
    // Assess
    const settled = faulted.ledger.filter((e) => e.history?.some((h) => h.decision === 'unknown'));
    expect(settled.length).toBeGreaterThan(0);
    expect(settled.every((e) => e.decision === 'sent' && e.events?.delivered !== undefined)).toBe(true);
    expect(faulted.check).toMatchObject({ duplicateEmails: 0, silentLosses: 0, unknown: { recorded: 0 } });
  });

  it('is off unless asked for: no SES event reaches the ledger', async () => {
    // Act
    const quiet = await run({});
    // Assess
    expect(quiet.ledger.flatMap((e) => Object.keys(e.events ?? {}))).toEqual([]);
    expect(quiet.audience).toBeUndefined();
    expect(quiet.emails.length).toBe(CUSTOMERS.length);
  });
});

describe('Embedded mode: recorded SES events replayed (--ses-events FILE)', () => {
  const thankYou = (n: number) => messageIdFor(triggerKeys.orderFollowup(`O-${n}`));
  const sesEvent = (messageId: string, eventType: string, time: string, extra: object = {}) => ({
    version: '0',
    id: `${messageId}-${eventType}`,
    'detail-type': `Email ${eventType}`,
    source: 'aws.ses',
    time,
    detail: {
      eventType,
      mail: {
        messageId: `ses-${messageId}`,
        timestamp: '2026-12-01T12:00:00.000Z',
        tags: { message_id: [messageId], 'ses:configuration-set': ['reciprocity-local'] },
      },
      ...extra,
    },
  });
  const IPHONE =
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';

  it('hands each event to the ses-events handler at its own time', async () => {
    // Prepare: a file of events for thank-yous the run sends (message ids are UUID v5 of their trigger)
    const dir = await mkdtemp(join(tmpdir(), 'ses-events-'));
    const file = join(dir, 'ses-events.jsonl');
    const lines = [
      sesEvent(thankYou(1), 'Delivery', '2026-12-01T12:00:04Z'),
      sesEvent(thankYou(1), 'Open', '2026-12-01T14:00:00Z', { open: { userAgent: IPHONE } }),
      sesEvent(thankYou(1), 'Click', '2026-12-01T14:01:00Z', {
        click: { userAgent: IPHONE, link: 'https://shop.example/p/TEA-2' },
      }),
      sesEvent(thankYou(2), 'Delivery', '2026-12-01T12:00:04Z'),
      sesEvent(thankYou(2), 'Open', '2026-12-01T12:00:05Z', { open: { userAgent: 'Mozilla/5.0' } }),
      sesEvent(thankYou(3), 'Bounce', '2026-12-01T15:00:00Z', {
        bounce: { bounceType: 'Permanent', bounceSubType: 'NoEmail' },
      }),
    ];
    await writeFile(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    workflow ??= await synthWorkflow();

    // Act
    const replayed = await run({ sesEvents: await readSesEvents(file) });

    // Assess
    expect(replayed.failures).toEqual([]);
    const entry = (n: number) => replayed.ledger.find((e) => e.messageId === thankYou(n));
    expect(entry(1)?.events).toEqual({
      delivered: '2026-12-01T12:00:04.000Z',
      opened: '2026-12-01T14:00:00.000Z',
      clicked: '2026-12-01T14:01:00.000Z',
    });
    expect(entry(2)?.events).toEqual({
      delivered: '2026-12-01T12:00:04.000Z',
      opened_machine: '2026-12-01T12:00:05.000Z',
    });
    expect(entry(3)?.events).toEqual({ bounced: '2026-12-01T15:00:00.000Z' });
    expect(replayed.profiles[2]?.suppressed).toMatchObject({ reason: 'hard_bounce' });
    expect(replayed.audience).toBeUndefined();
  });

  it('refuses a line that is not an SES event, naming the file and line', async () => {
    // Prepare
    const dir = await mkdtemp(join(tmpdir(), 'ses-events-'));
    const file = join(dir, 'bad.jsonl');
    await writeFile(
      file,
      `${JSON.stringify(sesEvent(thankYou(1), 'Delivery', '2026-12-01T12:00:04Z'))}\n{"time":"x"}\n`,
    );
    // Act
    const reading = readSesEvents(file);
    // Assess
    await expect(reading).rejects.toBeInstanceOf(CliError);
    await expect(reading).rejects.toThrow(/bad\.jsonl:2: not an SES event/);
  });
});
