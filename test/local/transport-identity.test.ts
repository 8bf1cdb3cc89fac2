/**
 * The memory transport (the default) changes how the handlers reach the stand-ins, never what a run produces:
 * a small demo shop runs once over HTTP (sockets, SigV4) and once in memory, and every output file must be
 * the same: the outbox (each email's recipients, subject, bodies and headers), the ledger, the outcome
 * counters, the rejected events and the summary. What differs between ANY two runs by design is normalized
 * first: each link token is sealed under a run's own random key with a random IV (so it is replaced by the
 * claims it carries), and MIME boundaries are random. Once with the simulated audience answering (SES
 * events, customer pages, audience orders), once with faults injected (SES resets before and after
 * acceptance, throttling, a 500 after acceptance, DynamoDB throttles and errors, crashes).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoShop } from '../../cli/demo-data.js';
import { runSession, type SessionInput, type SessionResult } from '../../cli/session.js';
import { type LinkKeys, parseLinkKeys, readLinkClaims } from '../../functions/domain/links.js';
import { parseFaults } from '../../local/faults.js';
import type { Embedded } from '../../local/runtime.js';
import type { Transport } from '../../local/transport.js';

const TEMPLATES = join(import.meta.dirname, '..', '..', 'templates');
const shop = generateDemoShop({ customers: 40, days: 2, seed: 7 });
const lines = (rows: object[]) => rows.map((value, i) => ({ line: i + 1, ok: true as const, value }));

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'transport-identity-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** An email as written, without what is random in every run: tokens become their claims, boundaries fixed. */
function normalized(eml: string, keys: LinkKeys): string {
  return eml
    .replace(/=\r?\n/g, '') // quoted-printable soft line breaks, which cut tokens at random places
    .replace(/local-1\.[A-Za-z0-9_-]+/g, (token) => {
      const read = readLinkClaims(token, keys);
      return read.ok ? `<token ${JSON.stringify(read.claims)}>` : `<unreadable token ${read.reason}>`;
    })
    .replace(/_NmP-[0-9a-f]+-Part/g, '_NmP-boundary-Part');
}

/** Every file a run wrote under `out`, by relative path (emails normalized). */
async function outputs(out: string, keys: LinkKeys): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(out, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const content = await readFile(path, 'utf8');
    files.set(path.slice(out.length + 1), path.endsWith('.eml') ? normalized(content, keys) : content);
  }
  return files;
}

async function run(
  transport: Transport,
  name: string,
  extra: Partial<SessionInput>,
): Promise<{ files: Map<string, string>; result: SessionResult }> {
  const out = join(root, `${name}-${transport}`);
  let keys: LinkKeys | undefined;
  const result = await runSession({
    profiles: lines(shop.profiles),
    events: lines(shop.events),
    start: shop.start,
    until: new Date(shop.until.getTime() + 43_200_000),
    config: { holdout: { share: 0.2 } },
    templatesDir: TEMPLATES,
    out,
    transport,
    ...extra,
    prepare: async (embedded) => {
      keys = parseLinkKeys(embedded.env.LINK_KEYS ?? '');
      await extra.prepare?.(embedded);
    },
  });
  if (!keys) throw new Error('the run never started');
  return { files: await outputs(out, keys), result };
}

/** Compares two runs file by file, naming the first file that differs. */
function expectSameOutputs(http: Map<string, string>, memory: Map<string, string>): void {
  expect([...memory.keys()].sort()).toEqual([...http.keys()].sort());
  for (const [path, content] of http) {
    expect({ path, content: memory.get(path) }).toEqual({ path, content });
  }
}

describe('Embedded mode: the memory transport against HTTP', () => {
  it('gives the same outbox, ledger, counters and summary with the audience answering', async () => {
    // Prepare
    const audience = {
      audience: { seed: 5, tastes: shop.tastes },
      prepare: async (embedded: Embedded) => {
        await embedded.stores.templates.publishVariantOf(
          'order_followup',
          'B',
          { subject: '{{ customer.firstName }}, thank you', author: 'test' },
          shop.start.toISOString(),
        );
      },
    } satisfies Partial<SessionInput>;

    // Act
    const http = await run('http', 'audience', audience);
    const memory = await run('memory', 'audience', audience);

    // Assess
    expect(http.result.emails).toBeGreaterThan(10);
    expect(http.result.stats.audience?.opens.person ?? 0).toBeGreaterThan(0);
    expect([...http.files.keys()].filter((path) => path.endsWith('.eml'))).toHaveLength(http.result.emails);
    expectSameOutputs(http.files, memory.files);
    expect(memory.result.stats).toEqual(http.result.stats);
    expect(memory.result.kpis).toEqual(http.result.kpis);
  }, 900_000);

  it('gives the same outputs when SES and DynamoDB fail and handlers crash', async () => {
    // Prepare
    const faults = parseFaults({
      ses: [
        { mode: 'reset-before', every: 7, from: 2, count: 2 },
        { mode: 'reset-after', every: 9, from: 3, count: 2 },
        { mode: 'error-after', every: 11, from: 5, count: 1 },
        { mode: 'throttle', every: 5, from: 4, count: 2 },
      ],
      // Few: the SDK's retries of these wait real time (its backoff), on both transports.
      dynamodb: [
        { mode: 'throttle', operation: 'UpdateItem', every: 13, count: 2 },
        { mode: 'error', operation: 'GetItem', every: 29, from: 10, count: 2 },
      ],
      crash: [{ handler: 'send', point: 'after-ses', every: 6, count: 2, retry: 'lambda' }],
    });

    // Act
    const http = await run('http', 'faults', { faults });
    const memory = await run('memory', 'faults', { faults });

    // Assess
    expect(http.result.stats.ses.faults).toBeGreaterThan(2);
    expect(http.result.stats.dynamodbFaults).toBeGreaterThan(1);
    expect(http.result.promises.unknown.recorded).toBeGreaterThan(0);
    expectSameOutputs(http.files, memory.files);
    expect(memory.result.stats).toEqual(http.result.stats);
  }, 900_000);
});
