/**
 * The one TTL cache: values loaded on a miss and kept for `ttlMs`, per Deps (a WeakMap keyed by the Deps value,
 * so two runtimes in one process never share an entry). For data that changes when a person acts (a template
 * published, a key rotated) or slowly (the bandit's counts).
 */
import type { Deps } from './deps.js';

export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly wallClock: () => number = Date.now,
  ) {}

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.until > this.wallClock()) return hit.value;
    const value = await load();
    this.entries.set(key, { value, until: this.wallClock() + this.ttlMs });
    return value;
  }
}

/** A cache that belongs to one Deps value, made on first use. */
export function cachePer<V>(ttlMs: number): (deps: Deps) => TtlCache<V> {
  const caches = new WeakMap<Deps, TtlCache<V>>();
  return (deps) => {
    let cache = caches.get(deps);
    if (!cache) {
      // On the use case's clock: the system clock on AWS, the simulated one in embedded mode, so what a cached
      // value decides (a template variant's pick) is the same in every run of the same input, however fast.
      cache = new TtlCache<V>(ttlMs, () => deps.clock().getTime());
      caches.set(deps, cache);
    }
    return cache;
  };
}
