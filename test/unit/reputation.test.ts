import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamo.js';
import { ReputationStore } from '../../functions/adapters/reputation.js';
import { DEFAULT_CONFIG, parseConfig } from '../../functions/domain/config.js';
import type { Decision } from '../../functions/domain/model.js';
import {
  applyGuard,
  bucketOf,
  countSoftBounce,
  evaluateGuard,
  NO_OUTCOMES,
  type OutcomeCounts,
  type ReputationGuard,
  sumCounts,
  windowBuckets,
} from '../../functions/domain/reputation.js';

const POLICY = DEFAULT_CONFIG.reputation;
const counts = (c: Partial<OutcomeCounts>): OutcomeCounts => ({ ...NO_OUTCOMES, ...c });
const PAUSED: ReputationGuard = {
  paused: true,
  since: '2026-12-01T10:00:00.000Z',
  reason: 'bounce_rate',
  bounceRate: 0.06,
  complaintRate: 0,
  outcomes: 400,
};

describe('Function: evaluateGuard', () => {
  it('defaults to a 24 h window, 200 outcomes, 5% bounces and 0.1% complaints', () => {
    expect(POLICY).toEqual({ windowHours: 24, minSample: 200, maxBounceRate: 0.05, maxComplaintRate: 0.001 });
  });

  it('pauses at exactly 5% hard bounces, not just below', () => {
    // Act
    const at = evaluateGuard({
      counts: counts({ delivered: 190, bounced: 10 }),
      paused: false,
      policy: POLICY,
    });
    const below = evaluateGuard({
      counts: counts({ delivered: 191, bounced: 9 }),
      paused: false,
      policy: POLICY,
    });
    // Assess
    expect(at).toMatchObject({
      action: 'pause',
      reason: 'bounce_rate',
      rates: { outcomes: 200, bounceRate: 0.05 },
    });
    expect(below.action).toBe('keep');
  });

  it('pauses at 0.1% complaints over all outcomes', () => {
    const verdict = evaluateGuard({
      counts: counts({ delivered: 1000, complained: 1 }),
      paused: false,
      policy: POLICY,
    });
    expect(verdict).toMatchObject({ action: 'pause', reason: 'complaint_rate' });
    expect(verdict.rates.complaintRate).toBeCloseTo(0.001);
  });

  it('counts soft bounces as outcomes but not towards the bounce rate, as SES does', () => {
    const verdict = evaluateGuard({
      counts: counts({ delivered: 150, softBounced: 50 }),
      paused: false,
      policy: POLICY,
    });
    expect(verdict).toMatchObject({ action: 'keep', rates: { outcomes: 200, bounceRate: 0 } });
  });

  it('decides nothing below the minimum sample, however bad the rate', () => {
    // Act
    const trip = evaluateGuard({
      counts: counts({ delivered: 100, bounced: 99 }),
      paused: false,
      policy: POLICY,
    });
    const clear = evaluateGuard({ counts: counts({ delivered: 199 }), paused: true, policy: POLICY });
    // Assess: 199 outcomes either way
    expect(trip.action).toBe('keep');
    expect(clear.action).toBe('keep');
  });

  it('resumes only when both rates are below half their limits (hysteresis)', () => {
    const verdict = (c: Partial<OutcomeCounts>) =>
      evaluateGuard({ counts: counts(c), paused: true, policy: POLICY }).action;
    // 4% bounces: below the limit, not below half of it
    expect(verdict({ delivered: 960, bounced: 40 })).toBe('keep');
    expect(verdict({ delivered: 975, bounced: 25 })).toBe('keep');
    expect(verdict({ delivered: 976, bounced: 24 })).toBe('resume');
    // bounces fine, complaints at 0.05% of 4000: not below half
    expect(verdict({ delivered: 4000, complained: 2 })).toBe('keep');
    expect(verdict({ delivered: 4001, complained: 1 })).toBe('resume');
  });

  it('follows a configured policy', () => {
    const policy = parseConfig({ reputation: { minSample: 10, maxBounceRate: 0.2 } }).reputation;
    expect(
      evaluateGuard({ counts: counts({ delivered: 8, bounced: 2 }), paused: false, policy }).action,
    ).toBe('pause');
  });
});

describe('Function: windowBuckets', () => {
  it('names the UTC hour buckets of the window, oldest first, ending with the current hour', () => {
    const at = new Date('2026-12-01T01:59:59.999Z');
    expect(bucketOf(at)).toBe('2026-12-01T01');
    expect(windowBuckets(at, 3)).toEqual(['2026-11-30T23', '2026-12-01T00', '2026-12-01T01']);
    expect(windowBuckets(at, 24)).toHaveLength(24);
    expect(windowBuckets(at, 24)[0]).toBe('2026-11-30T02');
  });

  it('sums buckets with missing counters as zero', () => {
    expect(sumCounts([{ delivered: 3 }, { bounced: 1, delivered: 1 }, {}])).toEqual(
      counts({ delivered: 4, bounced: 1 }),
    );
  });
});

describe('Function: applyGuard', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  const triggeredAt = new Date('2026-12-01T09:00:00Z');
  const send: Decision = { action: 'send', reason: 'allowed', consent: null };
  const input = (guard: ReputationGuard | undefined) => ({ guard, now, triggeredAt, maxDeferralHours: 72 });

  it('defers a message that could go by one hour while paused', () => {
    expect(applyGuard(send, input(PAUSED))).toEqual({
      action: 'defer',
      reason: 'reputation_paused',
      until: '2026-12-01T11:00:00.000Z',
      consent: null,
    });
  });

  it('changes nothing when the guard is absent or resumed', () => {
    expect(applyGuard(send, input(undefined))).toBe(send);
    expect(applyGuard(send, input({ ...PAUSED, paused: false, resumedAt: now.toISOString() }))).toBe(send);
  });

  it('keeps a skip (consent outranks reputation), and a deferral that ends after the hour', () => {
    const skip: Decision = { action: 'skip', reason: 'opted_out', consent: null };
    const quiet: Decision = {
      action: 'defer',
      reason: 'quiet_hours',
      until: '2026-12-01T20:00:00.000Z',
      consent: null,
    };
    expect(applyGuard(skip, input(PAUSED))).toBe(skip);
    const shortQuiet = { ...quiet, until: '2026-12-01T10:30:00.000Z' };
    expect(applyGuard(quiet, input(PAUSED))).toBe(quiet);
    expect(applyGuard(shortQuiet, input(PAUSED))).toMatchObject({
      reason: 'reputation_paused',
      until: '2026-12-01T11:00:00.000Z',
    });
  });

  it('skips as expired when the hour would outlive maxDeferralHours', () => {
    const late = { ...input(PAUSED), triggeredAt: new Date('2026-11-28T10:30:00Z') };
    expect(applyGuard(send, late)).toEqual({ action: 'skip', reason: 'expired', consent: null });
  });
});

describe('Function: countSoftBounce', () => {
  const base = { at: '2026-12-01T10:00:00.000Z', limit: 3, alreadySuppressed: false, deliveredSince: false };

  it('counts soft bounces in a row and suppresses at the limit, with reason and time', () => {
    // Act
    const first = countSoftBounce({ ...base, previous: undefined });
    const third = countSoftBounce({
      ...base,
      previous: { count: 2, lastAt: '2026-11-30T10:00:00.000Z' },
      detail: 'MailboxFull',
    });
    // Assess
    expect(first).toEqual({ next: { count: 1, lastAt: base.at } });
    expect(third.next.count).toBe(3);
    expect(third.suppression).toEqual({
      reason: 'soft_bounces',
      at: base.at,
      detail: '3 soft bounces in a row (last: MailboxFull)',
    });
  });

  it('starts again at one after a delivery', () => {
    const outcome = countSoftBounce({
      ...base,
      previous: { count: 2, lastAt: '2026-11-30T10:00:00.000Z' },
      deliveredSince: true,
    });
    expect(outcome).toEqual({ next: { count: 1, lastAt: base.at } });
  });

  it('never replaces an existing suppression', () => {
    const outcome = countSoftBounce({
      ...base,
      previous: { count: 5, lastAt: '2026-11-30T10:00:00.000Z' },
      alreadySuppressed: true,
    });
    expect(outcome.suppression).toBeUndefined();
    expect(outcome.next.count).toBe(6);
  });
});

describe('Class: ReputationStore', () => {
  const ddb = mockClient(DynamoDBDocumentClient);
  afterEach(() => ddb.reset());
  const store = (wall: { ms: number }) =>
    new ReputationStore(documentClient(new DynamoDBClient({ region: 'us-east-1' })), 'reputation', {
      wallClock: () => wall.ms,
    });

  it('counts with one ADD to the current hour and returns that bucket', async () => {
    // Prepare
    ddb.on(UpdateCommand).resolves({ Attributes: { bucket: '2026-12-01T10', delivered: 7, bounced: 1 } });
    // Act
    const current = await store({ ms: 0 }).count('delivered', new Date('2026-12-01T10:30:00Z'));
    // Assess
    expect(current).toEqual(counts({ delivered: 7, bounced: 1 }));
    const input = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.Key).toEqual({ bucket: '2026-12-01T10' });
    expect(input.UpdateExpression).toBe('ADD #k :one SET expiresAt = if_not_exists(expiresAt, :exp)');
    expect(input.ExpressionAttributeNames).toEqual({ '#k': 'delivered' });
    expect(input.ConditionExpression).toBeUndefined();
  });

  it('reads the guard at most once a minute, by either clock', async () => {
    // Prepare
    ddb.on(GetCommand).resolves({ Item: { bucket: 'guard', ...PAUSED } });
    const wall = { ms: 1_000_000 };
    const reputation = store(wall);
    const t0 = new Date('2026-12-01T10:00:00Z');
    // Act
    const first = await reputation.guard(t0);
    await reputation.guard(new Date(t0.getTime() + 59_000));
    wall.ms += 60_000;
    await reputation.guard(new Date(t0.getTime() + 59_000));
    await reputation.guard(new Date(t0.getTime() + 60_000 + 59_000 + 60_000));
    // Assess: first read, wall minute passed, simulated minute passed
    expect(first).toEqual(PAUSED);
    expect(ddb.commandCalls(GetCommand)).toHaveLength(3);
  });

  it('reads the finished hours of the window once per hour', async () => {
    // Prepare
    ddb
      .on(BatchGetCommand)
      .resolves({ Responses: { reputation: [{ bucket: '2026-12-01T09', delivered: 5 }] } });
    const reputation = store({ ms: 0 });
    // Act
    const past = await reputation.pastCounts(new Date('2026-12-01T10:05:00Z'), 24);
    await reputation.pastCounts(new Date('2026-12-01T10:55:00Z'), 24);
    await reputation.pastCounts(new Date('2026-12-01T11:00:00Z'), 24);
    // Assess
    expect(past).toEqual(counts({ delivered: 5 }));
    const calls = ddb.commandCalls(BatchGetCommand);
    expect(calls).toHaveLength(2);
    const keys = calls[0]!.args[0].input.RequestItems!.reputation!.Keys!;
    expect(keys).toHaveLength(23);
    expect(keys.at(-1)).toEqual({ bucket: '2026-12-01T09' });
  });
});
