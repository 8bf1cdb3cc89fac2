/**
 * What Personalize loads besides the profile: recommendation candidates from the catalogue, the published
 * template variants and the bandit's counters for them (both cached). Kept apart so the handler reads as the flow of the step.
 */

import type { Deps } from '../app/deps.js';
import { cachePer } from '../app/ttl-cache.js';
import { banditKey, type VariantStats } from '../domain/bandit.js';
import type { Reorders } from '../domain/config.js';
import type { Profile, TemplateVersion } from '../domain/model.js';
import type { Journey } from '../domain/names.js';
import type { RecommendWeights } from '../domain/recommend.js';
import type { Suggestion } from '../domain/suggest.js';
import { suggestionsFor } from './suggestions.js';

/** The suggestions of one message (usecases/suggestions.ts) over the product table. */
export function recommendationsFor(
  deps: Deps,
  profile: Profile,
  heldSkus: string[],
  limit: number,
  buyAgainSlots: number,
  shop: { reorders: Reorders; weights?: Partial<RecommendWeights> },
): Promise<Suggestion[]> {
  return suggestionsFor(deps.stores.products, {
    profile,
    heldSkus,
    limit,
    buyAgainSlots,
    reorders: shop.reorders,
    ...(shop.weights ? { weights: shop.weights } : {}),
    now: deps.clock(),
  });
}

/**
 * Published templates: the pointer (which version each variant runs, a small item) is cached per container
 * for a minute, so a publish reaches every container within a minute. Versions are immutable, so a version is
 * fetched once per container and kept: the item (compiled HTML of every language plus its MJML source) costs
 * many read units, and re-reading it every minute was most of the engine's read bill.
 */
const pointerCache = cachePer<Record<string, string>>(60_000);
const versionCaches = new WeakMap<Deps, Map<string, TemplateVersion | undefined>>();
/** Versions kept per container: a few journeys x variants x the versions published during its life. */
const VERSIONS_KEPT = 64;

export async function publishedVariants(
  deps: Deps,
  journey: Journey,
): Promise<Record<string, TemplateVersion>> {
  const pointer = await pointerCache(deps).get(journey, () =>
    deps.stores.templates.publishedPointer(journey),
  );
  const versions = [...new Set(Object.values(pointer))];
  const loaded = new Map(
    await Promise.all(versions.map(async (v) => [v, await cachedVersion(deps, journey, v)] as const)),
  );
  const out: Record<string, TemplateVersion> = {};
  for (const [variant, version] of Object.entries(pointer)) {
    const template = loaded.get(version);
    if (template) out[variant] = template;
  }
  return out;
}

async function cachedVersion(
  deps: Deps,
  journey: Journey,
  version: string,
): Promise<TemplateVersion | undefined> {
  let cache = versionCaches.get(deps);
  if (!cache) {
    cache = new Map();
    versionCaches.set(deps, cache);
  }
  const key = `${journey}#${version}`;
  if (cache.has(key)) return cache.get(key);
  const stored = await deps.stores.templates.get(journey, version);
  // Only what rendering needs: the editable sources (MJML, partials) stay in the table.
  const template = stored && withoutSources(stored);
  // A version that is not there is not cached: it may be a pointer read before its version was written.
  if (template) {
    if (cache.size >= VERSIONS_KEPT) cache.delete(cache.keys().next().value as string);
    cache.set(key, template);
  }
  return template;
}

function withoutSources(stored: TemplateVersion & { partials?: unknown }): TemplateVersion {
  const { mjml: _mjml, partials: _partials, locales, ...rest } = stored;
  if (!locales) return rest;
  const rendered: TemplateVersion['locales'] = {};
  for (const [language, { mjml: _source, ...content }] of Object.entries(locales))
    rendered[language as keyof typeof rendered] = content;
  return { ...rest, locales: rendered };
}

/**
 * The bandit's counters for a journey's variants, one BatchGet cached per container for a minute (like the
 * templates): a minute-old view of thousands of sends chooses as well as a fresh one. Read only for journeys
 * with more than one variant.
 */
const statsCache = cachePer<Record<string, VariantStats>>(60_000);

export async function variantStats(
  deps: Deps,
  journey: Journey,
  variants: Record<string, TemplateVersion>,
): Promise<Record<string, VariantStats>> {
  const keyOf = Object.fromEntries(
    Object.entries(variants).map(([name, t]) => [name, banditKey(journey, name, t.version)]),
  );
  const keys = Object.values(keyOf).sort();
  const stats = await statsCache(deps).get(keys.join(','), () => deps.stores.reputation.variantStats(keys));
  return Object.fromEntries(
    Object.entries(keyOf).map(([name, key]) => [name, stats[key] ?? { sends: 0, successes: 0 }]),
  );
}
