import { describe, expect, it } from 'vitest';
import {
  type BanditPolicy,
  beta,
  chooseVariant,
  seededRandom,
  type VariantStats,
} from '../../functions/domain/bandit.js';
import { ConfigError, DEFAULT_CONFIG, parseConfig } from '../../functions/domain/config.js';

const POLICY: BanditPolicy = { enabled: true, explorationFloor: 0.05, reward: 'click' };

/** Simulated traffic: each send picks a variant, then a click happens with that variant's true rate. */
function simulate(rates: Record<string, number>, sends: number, policy: BanditPolicy = POLICY) {
  const stats: Record<string, VariantStats> = {};
  const outcome = seededRandom('traffic');
  const picks: string[] = [];
  for (let i = 0; i < sends; i++) {
    const variant = chooseVariant({ messageId: `m-${i}`, variants: Object.keys(rates), stats, policy });
    picks.push(variant);
    const s = stats[variant] ?? { sends: 0, successes: 0 };
    stats[variant] = s;
    s.sends++;
    if (outcome() < (rates[variant] ?? 0)) s.successes++;
  }
  return { picks, stats };
}

const shareOf = (picks: string[], variant: string) =>
  picks.filter((p) => p === variant).length / picks.length;

describe('Unit: bandit (Thompson sampling over template variants)', () => {
  it('is deterministic for a message id', () => {
    const stats = { A: { sends: 100, successes: 3 }, B: { sends: 100, successes: 4 } };
    const input = { variants: ['A', 'B'], stats, policy: POLICY };
    for (let i = 0; i < 50; i++) {
      const first = chooseVariant({ ...input, messageId: `id-${i}` });
      expect(chooseVariant({ ...input, messageId: `id-${i}` })).toBe(first);
      expect(chooseVariant({ ...input, variants: ['B', 'A'], messageId: `id-${i}` })).toBe(first);
    }
    const a = seededRandom('x');
    const b = seededRandom('x');
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });

  it('samples Beta with the right mean', () => {
    const random = seededRandom('beta');
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += beta(3, 7, random);
    expect(sum / 20_000).toBeCloseTo(0.3, 2);
  });

  it('converges to the better variant on simulated traffic (2% vs 6%)', () => {
    const { picks } = simulate({ A: 0.02, B: 0.06 }, 20_000);
    const last = picks.slice(-5_000);
    expect(shareOf(last, 'B')).toBeGreaterThan(0.8);
  });

  it('keeps exploring the worse variant above the floor', () => {
    const { picks } = simulate({ A: 0.02, B: 0.06 }, 20_000);
    // Half the 5% floor lands on each of the two variants.
    expect(shareOf(picks.slice(-5_000), 'A')).toBeGreaterThan(0.02);
  });

  it('without a floor, exploration of the worse variant fades further', () => {
    const floored = simulate({ A: 0.02, B: 0.06 }, 20_000);
    const bare = simulate({ A: 0.02, B: 0.06 }, 20_000, { ...POLICY, explorationFloor: 0 });
    expect(shareOf(bare.picks.slice(-5_000), 'A')).toBeLessThan(shareOf(floored.picks.slice(-5_000), 'A'));
  });

  it('always picks the default when disabled or alone', () => {
    const stats = { A: { sends: 1000, successes: 0 }, B: { sends: 1000, successes: 900 } };
    for (let i = 0; i < 100; i++) {
      const messageId = `off-${i}`;
      expect(
        chooseVariant({ messageId, variants: ['A', 'B'], stats, policy: { ...POLICY, enabled: false } }),
      ).toBe('A');
      expect(chooseVariant({ messageId, variants: ['A'], stats, policy: POLICY })).toBe('A');
    }
  });

  it('with a floor of 1 picks uniformly', () => {
    const { picks } = simulate({ A: 0.02, B: 0.06, C: 0.04 }, 3_000, { ...POLICY, explorationFloor: 1 });
    for (const v of ['A', 'B', 'C']) expect(shareOf(picks, v)).toBeGreaterThan(0.28);
  });

  it('is configured under bandit: on, 5% floor, clicks by default', () => {
    expect(DEFAULT_CONFIG.bandit).toEqual({ enabled: true, explorationFloor: 0.05, reward: 'click' });
    expect(parseConfig({ bandit: { reward: 'order' } }).bandit.reward).toBe('order');
    expect(() => parseConfig({ bandit: { reward: 'open' } })).toThrow(ConfigError);
    expect(() => parseConfig({ bandit: { explorationFloor: 0.9 } })).toThrow(/bandit\.explorationFloor/);
  });
});
