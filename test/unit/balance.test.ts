import { describe, expect, it } from 'vitest';
import { balanceAllows, pruneKinds, recordKind } from '../../functions/domain/balance.js';
import { DEFAULT_CONFIG, type EngineConfig, parseConfig } from '../../functions/domain/config.js';
import { decide } from '../../functions/domain/consent.js';
import type { Profile, SentKind } from '../../functions/domain/model.js';
import type { Journey } from '../../functions/domain/names.js';

// 12:00 in Berlin: outside quiet hours
const NOW = new Date('2026-01-15T11:00:00Z');
const DAY = 86_400_000;
const POLICY = { maxAskLead: 2, windowDays: 30 };
// The holdout is tested on its own; here it must not hide the balance.
const CONFIG: EngineConfig = parseConfig({ holdout: { enabled: false }, caps: { perDay: 10, perWeek: 20 } });

const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();
const ask = (days: number): SentKind => ({ at: daysAgo(days), kind: 'ask' });
const gesture = (days: number): SentKind => ({ at: daysAgo(days), kind: 'gesture' });

function run(
  recentKinds: SentKind[],
  journey: Journey = 'cart_reminder',
  config = CONFIG,
  now = NOW,
  // The cap's own record, as Send writes it alongside recentKinds.
  recentSends: string[] = [],
) {
  const profile: Profile = {
    customerId: 'C-1',
    email: 'ada@example.com',
    timeZone: 'Europe/Berlin',
    consent: { email: 'opted_in' },
    recentKinds,
    recentSends,
  };
  return decide({ journey, profile, now, triggeredAt: now, config });
}

describe('Function: balanceAllows', () => {
  it("lets a new customer's first and second asks go and holds the third without a gesture", () => {
    expect(balanceAllows('cart_reminder', [], NOW, POLICY)).toBe(true);
    expect(balanceAllows('cart_reminder', [ask(3)], NOW, POLICY)).toBe(true);
    expect(balanceAllows('winback', [ask(3), ask(1)], NOW, POLICY)).toBe(false);
  });

  it('lets a gesture restore room for one more ask', () => {
    expect(balanceAllows('cart_reminder', [ask(5), ask(3), gesture(2)], NOW, POLICY)).toBe(true);
    expect(balanceAllows('cart_reminder', [ask(5), ask(3), gesture(2), ask(1)], NOW, POLICY)).toBe(false);
  });

  it('never holds back a gesture, however far asks ran ahead', () => {
    const many = [ask(6), ask(5), ask(4), ask(3), ask(2)];
    expect(balanceAllows('order_followup', many, NOW, POLICY)).toBe(true);
    expect(balanceAllows('birthday', many, NOW, POLICY)).toBe(true);
  });

  it('counts only the window: asks older than windowDays no longer weigh', () => {
    expect(balanceAllows('cart_reminder', [ask(31), ask(30), ask(1)], NOW, POLICY)).toBe(true);
    expect(balanceAllows('cart_reminder', [ask(29), ask(1)], NOW, POLICY)).toBe(false);
    // ... and neither do old gestures: a gesture long ago does not license asks today.
    expect(balanceAllows('cart_reminder', [gesture(40), ask(2), ask(1)], NOW, POLICY)).toBe(false);
  });

  it('follows the configured lead: 0 allows no ask before a gesture', () => {
    expect(balanceAllows('cart_reminder', [], NOW, { maxAskLead: 0, windowDays: 30 })).toBe(false);
    expect(balanceAllows('cart_reminder', [gesture(1)], NOW, { maxAskLead: 0, windowDays: 30 })).toBe(true);
  });
});

describe('Function: pruneKinds / recordKind', () => {
  it('drops entries outside the window, in the future or unreadable, and sorts the rest', () => {
    // Prepare
    const stored = [
      ask(1),
      gesture(40),
      { at: new Date(NOW.getTime() + DAY).toISOString(), kind: 'ask' },
      { at: 'yesterday', kind: 'ask' },
      { at: daysAgo(2), kind: 'favour' },
      gesture(10),
    ] as SentKind[];
    // Act / Assess
    expect(pruneKinds(stored, NOW, 30)).toEqual([gesture(10), ask(1)]);
  });

  it("appends this send's class to the pruned list", () => {
    expect(recordKind([ask(40), ask(2)], 'birthday', NOW, 30)).toEqual([
      ask(2),
      { at: NOW.toISOString(), kind: 'gesture' },
    ]);
    expect(recordKind([], 'winback', NOW, 30)).toEqual([{ at: NOW.toISOString(), kind: 'ask' }]);
  });
});

describe('Function: decide with the give/ask balance', () => {
  it('skips a third ask with reason ask_balance and sends a gesture', () => {
    expect(run([ask(3), ask(1)])).toMatchObject({ action: 'skip', reason: 'ask_balance' });
    expect(run([ask(3), ask(1)], 'order_followup')).toMatchObject({ action: 'send' });
  });

  it('reports caps before the balance, and the balance before quiet hours (no deferral of a held-back ask)', () => {
    // Prepare: a cap of 2 a day already used; 23:00 in Berlin
    const tight = parseConfig({ holdout: { enabled: false }, caps: { perDay: 2, perWeek: 20 } });
    const night = new Date('2026-01-15T22:00:00Z');
    // Act / Assess
    const sends = [ask(0.1), ask(0.05)];
    const capped = run(
      sends,
      'cart_reminder',
      tight,
      NOW,
      sends.map((s) => s.at),
    );
    expect(capped.reason).toBe('capped_daily');
    expect(run([ask(3), ask(1)], 'cart_reminder', CONFIG, night)).toMatchObject({
      action: 'skip',
      reason: 'ask_balance',
    });
  });

  it('sends the third ask when the policy is off, exactly as before', () => {
    const off = parseConfig({ ...CONFIG, balance: { enabled: false } });
    expect(run([ask(3), ask(1)], 'cart_reminder', off)).toMatchObject({ action: 'send', reason: 'allowed' });
  });

  it('is configurable, with documented defaults', () => {
    expect(DEFAULT_CONFIG.balance).toEqual({ enabled: true, maxAskLead: 2, windowDays: 30 });
    expect(parseConfig({ balance: { maxAskLead: 1 } }).balance).toEqual({
      enabled: true,
      maxAskLead: 1,
      windowDays: 30,
    });
    expect(() => parseConfig({ balance: { windowDays: 0 } })).toThrow(/balance/);
  });
});
