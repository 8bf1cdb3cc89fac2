/**
 * What Personalize loads besides the profile: recommendation candidates from the catalogue, the published
 * template variants and the bandit's counters for them (both cached). Kept apart so the handler reads as the flow of the step.
 */

import type { Deps } from '../app/deps.js';
import { cachePer } from '../app/ttl-cache.js';
import { banditKey, type VariantStats } from '../domain/bandit.js';
import { tasteOf } from '../domain/feedback.js';
import type { Profile, TemplateVersion } from '../domain/model.js';
import type { Journey } from '../domain/names.js';
import { candidatePlan, recommend, type Scored } from '../domain/recommend.js';

/**
 * Candidates: what was bought together with the held items (their strongest partners), and what is popular
 * in their categories and in the categories the customer buys from or liked; the pure `recommend` ranks and
 * filters them with the customer's taste (votes) and recent purchases.
 */
export async function recommendationsFor(
  deps: Deps,
  profile: Profile,
  heldSkus: string[],
  limit: number,
): Promise<Scored[]> {
  const { products } = deps.stores;
  const seeds = heldSkus.length ? await products.getMany(heldSkus) : [];
  const taste = tasteOf(profile.feedback);
  const { partners, categories } = candidatePlan({
    seeds,
    purchasedCategories: profile.purchasedCategories ?? {},
    likedCategories: taste.likedCategories,
  });
  const [coBought, popular] = await Promise.all([
    partners.length ? products.getMany(partners) : [],
    categories.length ? products.popularIn(categories) : [],
  ]);
  return recommend({
    seeds,
    candidates: [...coBought, ...popular],
    taste,
    purchasedCategories: profile.purchasedCategories ?? {},
    recentlyBought: new Set(profile.recentPurchases ?? []),
    limit,
    now: deps.clock(),
  });
}

/**
 * Published templates are cached per container for a minute: they change when a marketer publishes, not
 * per message, and the item (compiled HTML plus its MJML source) costs several read units to fetch. All of a
 * journey's variants come together: the pointer and each published version.
 */
const templateCache = cachePer<Record<string, TemplateVersion>>(60_000);

export async function publishedVariants(
  deps: Deps,
  journey: Journey,
): Promise<Record<string, TemplateVersion>> {
  return templateCache(deps).get(journey, () => deps.stores.templates.publishedVariants(journey));
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
