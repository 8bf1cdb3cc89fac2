/**
 * For the identity tests (transport-identity, dynamo-backends): one small demo shop run through runSession,
 * every file it wrote read back with what differs between ANY two runs by design normalized (each link token
 * is sealed under a run's own random key with a random IV, so it is replaced by the claims it carries; MIME
 * boundaries are random), and two runs compared file by file.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { generateDemoShop } from '../../cli/demo-data.js';
import { runSession, type SessionInput, type SessionResult } from '../../cli/session.js';
import { type LinkKeys, parseLinkKeys, readLinkClaims } from '../../functions/domain/links.js';
import { parseFaults } from '../../local/faults.js';
import type { Embedded } from '../../local/runtime.js';

export const TEMPLATES = join(import.meta.dirname, '..', '..', 'templates');
export const shop = generateDemoShop({ customers: 40, days: 2, seed: 7 });
const lines = (rows: object[]) => rows.map((value, i) => ({ line: i + 1, ok: true as const, value }));

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

/** The demo shop for two days and a half, into `out`, with `extra` on top of the common input. */
export async function runShop(
  out: string,
  extra: Partial<SessionInput>,
): Promise<{ files: Map<string, string>; result: SessionResult }> {
  let keys: LinkKeys | undefined;
  const result = await runSession({
    profiles: lines(shop.profiles),
    events: lines(shop.events),
    start: shop.start,
    until: new Date(shop.until.getTime() + 43_200_000),
    config: { holdout: { share: 0.2 } },
    templatesDir: TEMPLATES,
    out,
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
export function expectSameOutputs(expected: Map<string, string>, actual: Map<string, string>): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [path, content] of expected) {
    expect({ path, content: actual.get(path) }).toEqual({ path, content });
  }
}

/** The simulated audience answering (SES events, customer pages, audience orders), and a variant B to pick. */
export const withAudience = {
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

/** SES resets before and after acceptance, throttling, a 500 after acceptance, DynamoDB throttles and errors, crashes. */
export const injectedFaults = parseFaults({
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
