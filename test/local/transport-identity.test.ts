/**
 * The memory transport (the default) changes how the handlers reach the stand-ins, never what a run produces:
 * a small demo shop runs once over HTTP (sockets, SigV4) and once in memory, and every output file must be
 * the same: the outbox (each email's recipients, subject, bodies and headers), the ledger, the outcome
 * counters, the rejected events and the summary. What differs between ANY two runs by design is normalized
 * first: each link token is sealed under a run's own random key with a random IV (so it is replaced by the
 * claims it carries), and MIME boundaries are random. Once with the simulated audience answering (SES
 * events, customer pages, audience orders), once with faults injected (SES resets before and after
 * acceptance, throttling, a 500 after acceptance, DynamoDB throttles and errors, crashes). The run and the
 * normalizing are in ./run-outputs.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInput } from '../../cli/session.js';
import type { Transport } from '../../local/transport.js';
import { expectSameOutputs, injectedFaults, runShop, withAudience } from './run-outputs.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'transport-identity-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const run = (transport: Transport, name: string, extra: Partial<SessionInput>) =>
  runShop(join(root, `${name}-${transport}`), { transport, ...extra });

describe('Embedded mode: the memory transport against HTTP', () => {
  it('gives the same outbox, ledger, counters and summary with the audience answering', async () => {
    // Prepare
    const audience = withAudience;

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
    const faults = injectedFaults;

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
