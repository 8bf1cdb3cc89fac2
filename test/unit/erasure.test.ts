/** Erasure of ledger entries: what stays for aggregate counts, what goes, and how open messages close. */
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../functions/domain/ledger.js';
import { erasedEntry } from '../../functions/domain/preferences.js';

const AT = '2027-01-31T10:00:00.000Z';

describe('Function: erasedEntry', () => {
  const entry = (decision: LedgerEntry['decision'], reason?: string): LedgerEntry => ({
    messageId: 'M-1',
    customerId: 'C-1',
    journey: 'order_followup',
    triggerKey: 'order_followup:order:O-C-1-7',
    decision,
    ...(reason ? { reason } : {}),
    createdAt: '2027-01-01T00:00:00Z',
    updatedAt: '2027-01-01T00:00:00Z',
    history: [
      { decision: 'deferred', at: '2027-01-01T00:00:00Z', reason: 'quiet_hours' },
      ...(decision === 'deferred'
        ? []
        : [{ decision, at: '2027-01-01T07:00:00Z', ...(reason ? { reason } : {}) }]),
    ],
  });

  it('closes an open entry as cancelled/erased, keeping its decisions and times', () => {
    // Prepare / Act
    const erased = erasedEntry(entry('deferred', 'quiet_hours'), AT);

    // Assess
    expect(erased).toEqual({
      decision: 'cancelled',
      reason: 'erased',
      triggerKey: 'order_followup:erased',
      history: [
        { decision: 'deferred', at: '2027-01-01T00:00:00Z', reason: 'quiet_hours' },
        { decision: 'cancelled', at: AT, reason: 'erased' },
      ],
    });
    expect(erasedEntry(entry('throttled', 'TooManyRequests'), AT).decision).toBe('cancelled');
  });

  it('keeps a finished decision but cuts provider messages, which may quote the address, to their error name', () => {
    // Prepare
    const failed = entry('failed', 'MessageRejected: identities failed the check: ada@example.com');

    // Act
    const erased = erasedEntry(failed, AT);

    // Assess
    expect(erased).toMatchObject({
      decision: 'failed',
      reason: 'MessageRejected',
      triggerKey: 'order_followup:erased',
    });
    expect(JSON.stringify(erased)).not.toMatch(/ada@|O-C-1/);
    expect(erasedEntry(entry('skipped', 'topic_off'), AT).reason).toBe('topic_off');
    expect(erasedEntry(entry('failed', 'Error: boom ada@example.com'), AT).reason).toBe('Error');
    expect(erasedEntry(entry('failed', 'ada@example.com bounced'), AT).reason).toBe('redacted');
  });
});
