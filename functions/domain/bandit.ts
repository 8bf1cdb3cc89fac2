/**
 * Template variants chosen per send by Thompson sampling: each variant's reward rate (clicks or attributed
 * orders per send) has the posterior Beta(1 + successes, 1 + failures); every send draws one sample per
 * variant and takes the highest. With probability `explorationFloor` a send instead picks a variant uniformly,
 * so a variant that started unlucky keeps getting a share of traffic and can recover.
 *
 * Deterministic for a message id: the random numbers come from a PRNG seeded with SHA-256 of the id, so a
 * retried or replayed Personalize picks the same variant (given the same stats).
 *
 * Own code rather than a dependency: no small, well-kept npm package offers seeded Beta sampling (the
 * usual ones draw from Math.random or pull in a whole statistics library); Marsaglia-Tsang Gamma sampling
 * plus a 32-bit PRNG is some forty lines, and keeps the Lambda bundle small.
 */
import { createHash } from 'node:crypto';

/** The variant that is the journey's `current` published version. */
export const DEFAULT_VARIANT = 'A';

/** What a variant name may be: it travels as an SES message tag (letters, digits, `_`, `-`). */
export const VARIANT_NAME = /^[A-Za-z0-9_-]{1,32}$/;

export type BanditReward = 'click' | 'order';

export interface BanditPolicy {
  enabled: boolean;
  /** Share of sends (0-1) that pick a variant uniformly at random. */
  explorationFloor: number;
  reward: BanditReward;
}

export interface VariantStats {
  sends: number;
  successes: number;
}

/** A uniform [0, 1) generator. */
export type Random = () => number;

/** sfc32 (Small Fast Counting, 32-bit state words): fast, passes PractRand, trivially seedable. */
function sfc32(a: number, b: number, c: number, d: number): Random {
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** A PRNG seeded from SHA-256 of `seed`: the same seed always gives the same sequence. */
export function seededRandom(seed: string): Random {
  const hash = createHash('sha256').update(seed).digest();
  const next = sfc32(hash.readUInt32LE(0), hash.readUInt32LE(4), hash.readUInt32LE(8), hash.readUInt32LE(12));
  for (let i = 0; i < 12; i++) next(); // mix the seed in before the first draw
  return next;
}

/** A standard normal draw (Box-Muller; 1 - u keeps the log finite). */
function normal(random: Random): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A Gamma(shape, 1) draw for shape >= 1 (Marsaglia and Tsang, 2000); shapes below 1 use the boost. */
export function gamma(shape: number, random: Random): number {
  if (shape < 1) return gamma(shape + 1, random) * (1 - random()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random();
    if (u < 1 - 0.0331 * x ** 4) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A Beta(alpha, beta) draw as X / (X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta). */
export function beta(alpha: number, betaShape: number, random: Random): number {
  const x = gamma(alpha, random);
  const y = gamma(betaShape, random);
  return x / (x + y);
}

export interface ChooseInput {
  messageId: string;
  /** The journey's published variant names (the default among them). */
  variants: readonly string[];
  /** Counters per variant; a missing variant has no history yet. */
  stats: Readonly<Record<string, VariantStats | undefined>>;
  policy: BanditPolicy;
}

/**
 * The variant a message goes out with. The default when the bandit is off or there is nothing to choose
 * from; otherwise Thompson sampling with the exploration floor, all draws from the message id's PRNG.
 */
export function chooseVariant(input: ChooseInput): string {
  const names = [...new Set(input.variants)].sort();
  const fallback = names.includes(DEFAULT_VARIANT) ? DEFAULT_VARIANT : (names[0] ?? DEFAULT_VARIANT);
  if (!input.policy.enabled || names.length < 2) return fallback;
  const random = seededRandom(`bandit:${input.messageId}`);
  if (random() < input.policy.explorationFloor) {
    return names[Math.min(names.length - 1, Math.floor(random() * names.length))] as string;
  }
  let best = fallback;
  let bestDraw = -1;
  for (const name of names) {
    const s = input.stats[name];
    const successes = Math.max(0, s?.successes ?? 0);
    const failures = Math.max(0, (s?.sends ?? 0) - successes);
    const draw = beta(1 + successes, 1 + failures, random);
    if (draw > bestDraw) {
      best = name;
      bestDraw = draw;
    }
  }
  return best;
}

/** The counters' key in the reputation table: per journey, variant and template version. */
export function banditKey(journey: string, variant: string, templateVersion: string): string {
  return `bandit#${journey}#${variant}#${templateVersion}`;
}
