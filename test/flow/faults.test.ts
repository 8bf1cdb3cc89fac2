/**
 * The promises under faults, through the real handlers and the synthesized state machine: whatever SES or a
 * crash does, at most one email per message id, every trigger ends as sent, skipped, cancelled, failed or
 * unknown with a reason, the outbox matches the sent decisions, and stored counters match a clean run.
 */
import { describe, expect, it } from 'vitest';
import { type DrillOutcome as Outcome, drillOrders as runOrders } from '../../local/drill.js';

/** The promises every scenario must keep. */
function expectPromisesKept(outcome: Outcome, orders: number): void {
  expect(outcome.check.problems).toEqual([]);
  expect(outcome.check.duplicateEmails).toBe(0);
  expect(outcome.check.silentLosses).toBe(0);
  expect(outcome.thankYous.filter(Boolean)).toHaveLength(orders);
  for (const entry of outcome.thankYous) {
    expect(['sent', 'skipped', 'cancelled', 'failed', 'unknown']).toContain(entry?.decision);
    if (entry?.decision !== 'sent') expect(entry?.reason).toBeTruthy();
  }
  expect(outcome.failureList).toEqual([]);
  // The counters the handlers kept one ADD at a time equal the ledger's recount, faults or not.
  expect(outcome.counters.differences).toEqual([]);
  expect(outcome.counters.compared).toBeGreaterThan(0);
}

const decisions = (outcome: Outcome) => outcome.thankYous.map((e) => e?.decision);
const count = (outcome: Outcome, decision: string) => decisions(outcome).filter((d) => d === decision).length;

describe('Faults: SES loses the answer', () => {
  it('accepted, then the connection reset: one email each, the lost answers recorded as unknown', async () => {
    const outcome = await runOrders(12, { ses: [{ mode: 'reset-after', every: 3, from: 1 }] });
    expectPromisesKept(outcome, 12);
    expect([...outcome.emailsByMessage.values()].every((n) => n === 1)).toBe(true);
    expect(outcome.emailsByMessage.size).toBe(12);
    expect(count(outcome, 'unknown')).toBe(4);
    expect(count(outcome, 'sent')).toBe(8);
    expect(outcome.check.unknown).toEqual({ recorded: 4, delivered: 4 });
  }, 60_000);

  it('accepted, then HTTP 500: never sent again, recorded as unknown', async () => {
    const outcome = await runOrders(8, { ses: [{ mode: 'error-after', every: 2, from: 2, count: 3 }] });
    expectPromisesKept(outcome, 8);
    expect(outcome.emailsByMessage.size).toBe(8);
    expect(count(outcome, 'unknown')).toBe(3);
    expect(outcome.thankYous.find((e) => e?.decision === 'unknown')?.reason).toMatch(/HTTP 500/);
  }, 60_000);

  it('reset before the request reached SES: no email, and the message says unknown rather than lying', async () => {
    const outcome = await runOrders(6, { ses: [{ mode: 'reset-before', every: 1, from: 3, count: 2 }] });
    expectPromisesKept(outcome, 6);
    expect(outcome.emailsByMessage.size).toBe(4);
    expect(count(outcome, 'unknown')).toBe(2);
    expect(outcome.check.unknown).toEqual({ recorded: 2, delivered: 0 });
  }, 60_000);

  it('a permanent rejection is failed with its reason and not retried', async () => {
    const outcome = await runOrders(4, { ses: [{ mode: 'reject', every: 4, from: 1 }] });
    expectPromisesKept(outcome, 4);
    expect(count(outcome, 'failed')).toBe(1);
    expect(outcome.thankYous.find((e) => e?.decision === 'failed')?.reason).toMatch(/^MessageRejected/);
  }, 60_000);
});

describe('Faults: the send handler crashes', () => {
  for (const retry of ['lambda', 'timeout'] as const) {
    it(`before SES, retried as a ${retry === 'lambda' ? 'Lambda error' : 'timeout'}: every message sent exactly once`, async () => {
      const outcome = await runOrders(8, {
        crash: [{ handler: 'send', point: 'before-ses', every: 2, retry }],
      });
      expectPromisesKept(outcome, 8);
      expect(outcome.emailsByMessage.size).toBe(8);
      expect(count(outcome, 'sent')).toBe(8);
    }, 60_000);

    it(`after SES, retried as a ${retry === 'lambda' ? 'Lambda error' : 'timeout'}: the retry sends nothing and records unknown`, async () => {
      const outcome = await runOrders(8, {
        crash: [{ handler: 'send', point: 'after-ses', every: 4, retry }],
      });
      expectPromisesKept(outcome, 8);
      expect(outcome.emailsByMessage.size).toBe(8);
      expect(count(outcome, 'unknown')).toBe(2);
      expect(outcome.thankYous.find((e) => e?.decision === 'unknown')?.reason).toMatch(/claim/);
    }, 60_000);
  }
});

describe('Faults: a throttle storm longer than the retry budget', () => {
  it('reschedules instead of failing, and every message goes once when the storm ends', async () => {
    // Send retries 6 times; 40 throttled calls in a row outlast that budget for several messages.
    const outcome = await runOrders(10, { ses: [{ mode: 'throttle', every: 1, from: 1, count: 40 }] });
    expectPromisesKept(outcome, 10);
    expect(count(outcome, 'sent')).toBe(10);
    expect(outcome.emailsByMessage.size).toBe(10);
    const rescheduled = outcome.thankYous.filter((e) =>
      e?.history?.some((h) => h.decision === 'deferred' && h.reason === 'throttled'),
    );
    expect(rescheduled.length).toBeGreaterThan(0);
  }, 120_000);
});

describe('Faults: DynamoDB throttles and fails', () => {
  it('retries what the SDK could not cure as TransientError: every message sent once, nothing failed', async () => {
    // Three bursts of 4 throttled UpdateItems in a row outlast the SDK's 3 attempts: the error reaches the
    // handlers, which the state machine (workflow steps) or Lambda's async retry (intake) run again.
    const burst = (from: number) => ({
      mode: 'throttle' as const,
      operation: 'UpdateItem',
      every: 30,
      from,
      count: 3,
    });
    const outcome = await runOrders(8, { dynamodb: [burst(20), burst(21), burst(22), burst(23)] });
    expectPromisesKept(outcome, 8);
    expect(outcome.stats.dynamodbFaults).toBeGreaterThanOrEqual(8);
    expect(count(outcome, 'sent')).toBe(8);
    expect(outcome.emailsByMessage.size).toBe(8);
  }, 120_000);
});
