/** Retention: item expiries as TTL reads them, and the days a counters check may still recount (pure). */
import { describe, expect, it } from 'vitest';
import { checkCounters } from '../../cli/counters-check.js';
import type { LedgerEntry } from '../../functions/domain/ledger.js';
import { expiresAt, recountableSince } from '../../functions/domain/retention.js';
import type { StatsRow } from '../../functions/domain/stats.js';

const DAY_S = 86_400;
const RETENTION = { messagesDays: 400, statsDays: 730 };

describe('Function: expiresAt', () => {
  it('adds whole days to a time or to a day, in epoch seconds', () => {
    const at = Date.parse('2026-12-01T10:00:00.000Z') / 1000;
    expect(expiresAt('2026-12-01T10:00:00.000Z', 400)).toBe(at + 400 * DAY_S);
    expect(expiresAt('2026-12-01T10:00:00.250+01:00', 1)).toBe(at - 3600 + DAY_S);
    // A stats row's day counts from its UTC midnight.
    expect(expiresAt('2026-12-01', 730)).toBe(Date.parse('2026-12-01T00:00:00Z') / 1000 + 730 * DAY_S);
  });

  it('refuses a time it cannot read', () => {
    expect(() => expiresAt('yesterday', 1)).toThrow(/expiry/);
  });
});

describe('Function: recountableSince', () => {
  it('starts after the older messages may have expired, allowing for their deferral', () => {
    // now - 400 d = 2025-10-27T12:00Z; + 72 h = 2025-10-30T12:00Z: the first whole day after is Oct 31.
    expect(recountableSince(new Date('2026-12-01T12:00:00Z'), RETENTION, 72)).toBe('2025-10-31');
  });

  it('starts after the counter rows expired when they are kept for less time than the messages', () => {
    const since = recountableSince(
      new Date('2026-12-01T12:00:00Z'),
      { messagesDays: 400, statsDays: 60 },
      72,
    );
    expect(since).toBe('2026-10-03');
  });
});

function sentOn(day: string, n: number): LedgerEntry {
  const at = `${day}T10:00:00.000Z`;
  return {
    messageId: `m-${day}-${n}`,
    customerId: `c-${n}`,
    journey: 'order_followup',
    triggerKey: `order_followup:order:${day}-${n}`,
    decision: 'sent',
    variant: 'A',
    templateVersion: 'v000001',
    createdAt: at,
    updatedAt: at,
    history: [{ decision: 'sent', at }],
  };
}

function row(day: string, sent: number): StatsRow {
  return {
    journey: 'order_followup',
    variant: 'A',
    version: 'v000001',
    day,
    counts: { triggered: sent, sent },
  };
}

describe('Function: checkCounters under retention', () => {
  const at = { now: new Date('2026-12-01T12:00:00Z'), retention: RETENTION, maxDeferralHours: 72 };

  it('leaves out a day whose messages expired, and says from which day it compared', () => {
    // Prepare: two sends on a day 401 days ago, of which the ledger kept none; one recent send
    const ledger = [sentOn('2026-11-30', 1)];
    const rows = [row('2025-10-26', 2), row('2026-11-30', 1)];

    // Act
    const check = checkCounters(ledger, rows, at);

    // Assess
    expect(check.differences).toEqual([]);
    expect(check.since).toBe('2025-10-31');
  });

  it('still finds a difference on a day retention cannot have cut', () => {
    const check = checkCounters([sentOn('2026-11-30', 1)], [row('2026-11-30', 2)], at);
    expect(check.differences).toContainEqual(expect.objectContaining({ counter: 'sent', counted: 2 }));
    expect(check.since).toBeUndefined();
  });

  it('stands the newest ledger write in for now when no time is given', () => {
    const check = checkCounters([sentOn('2026-11-30', 1)], [row('2025-10-01', 5), row('2026-11-30', 1)]);
    expect(check).toMatchObject({ differences: [], since: '2025-10-30' });
  });
});
