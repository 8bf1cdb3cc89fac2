import { describe, expect, it } from 'vitest';
import {
  claimExecution,
  claimToken,
  claimVerdict,
  FINAL_DECISIONS,
  LEDGER_DECISIONS,
  mayFollow,
} from '../../functions/domain/ledger.js';

const now = new Date('2026-12-01T12:00:00Z');
const ABANDON = 5 * 60_000;

describe('Function: mayFollow (the ledger transition table)', () => {
  it('lets a send claim only a message nobody holds: new, deferred or throttled', () => {
    expect(['new', 'deferred', 'throttled'].every((from) => mayFollow(from as never, 'sending'))).toBe(true);
    for (const from of ['sending', 'sent', 'unknown', 'skipped', 'cancelled', 'failed'] as const)
      expect(mayFollow(from, 'sending')).toBe(false);
  });

  it('never lets a skip or a cancel overwrite a claim, unless the skip is the claim holder re-checking', () => {
    expect(mayFollow('sending', 'skipped')).toBe(false);
    expect(mayFollow('sending', 'cancelled')).toBe(false);
    expect(mayFollow('sending', 'cancelled', true)).toBe(false);
    expect(mayFollow('sending', 'skipped', true)).toBe(true);
  });

  it('writes what follows a claim (sent, throttled, unknown, failed) only for its holder', () => {
    for (const to of ['sent', 'throttled', 'unknown', 'failed'] as const) {
      expect(mayFollow('sending', to)).toBe(false);
      expect(mayFollow('sending', to, true)).toBe(true);
    }
  });

  it('settles an unknown outcome as sent for anyone (an SES delivery event), and nothing else over it', () => {
    expect(mayFollow('unknown', 'sent')).toBe(true);
    for (const to of LEDGER_DECISIONS.filter((d) => d !== 'sent'))
      expect(mayFollow('unknown', to, true)).toBe(false);
  });

  it('changes nothing once a message was sent, skipped, cancelled or failed', () => {
    for (const from of ['sent', 'skipped', 'cancelled', 'failed'] as const)
      for (const to of LEDGER_DECISIONS) expect(mayFollow(from, to, true)).toBe(false);
    expect(FINAL_DECISIONS).toEqual(['sent', 'unknown', 'skipped', 'cancelled', 'failed']);
  });
});

describe('Function: claimVerdict', () => {
  const claim = claimToken('arn:exec:1', 'request-a');

  it('claims a new, deferred or throttled message, and leaves a decided one alone', () => {
    expect(claimVerdict({ entry: undefined, execution: 'x', now, abandonAfterMs: ABANDON })).toBe('claim');
    expect(
      claimVerdict({ entry: { decision: 'deferred' }, execution: 'x', now, abandonAfterMs: ABANDON }),
    ).toBe('claim');
    expect(claimVerdict({ entry: { decision: 'sent' }, execution: 'x', now, abandonAfterMs: ABANDON })).toBe(
      'done',
    );
    expect(
      claimVerdict({ entry: { decision: 'unknown' }, execution: 'x', now, abandonAfterMs: ABANDON }),
    ).toBe('done');
  });

  it("says unknown for this execution's own claim: an earlier attempt may have called SES", () => {
    const entry = { decision: 'sending' as const, claim, claimedAt: now.toISOString() };
    expect(claimVerdict({ entry, execution: 'arn:exec:1', now, abandonAfterMs: ABANDON })).toBe('unknown');
  });

  it("leaves another execution's fresh claim to it, and resolves an abandoned one as unknown", () => {
    const fresh = {
      decision: 'sending' as const,
      claim,
      claimedAt: new Date(now.getTime() - 60_000).toISOString(),
    };
    const old = {
      decision: 'sending' as const,
      claim,
      claimedAt: new Date(now.getTime() - ABANDON - 1).toISOString(),
    };
    expect(claimVerdict({ entry: fresh, execution: 'arn:exec:2', now, abandonAfterMs: ABANDON })).toBe(
      'in_flight',
    );
    expect(claimVerdict({ entry: old, execution: 'arn:exec:2', now, abandonAfterMs: ABANDON })).toBe(
      'unknown',
    );
  });

  it('keeps the execution in the token, whatever the attempt', () => {
    expect(claimExecution(claimToken('arn:aws:states:x:express:sm:name#odd', 'req'))).toBe(
      'arn:aws:states:x:express:sm:name#odd',
    );
  });
});
