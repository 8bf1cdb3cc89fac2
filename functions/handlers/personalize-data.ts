/**
 * What Personalize loads besides the profile: recommendation candidates from the catalogue, and the
 * published template (cached). Kept apart so the handler reads as the flow of the step.
 */
import { tasteOf } from '../domain/feedback.js';
import type { Profile, TemplateVersion } from '../domain/model.js';
import { ENV, type Journey } from '../domain/names.js';
import { recommend, type Scored } from '../domain/recommend.js';
import { db } from './deps.js';

/**
 * Candidates: what was bought together with the held items (their strongest partners), and what is popular
 * in their categories and in the categories the customer buys from or liked; the pure `recommend` ranks and
 * filters them with the customer's taste (votes) and recent purchases.
 */
export async function recommendationsFor(
  profile: Profile,
  heldSkus: string[],
  limit: number,
): Promise<Scored[]> {
  const { products } = db();
  const seeds = heldSkus.length ? await products.getMany(heldSkus) : [];
  const partners = seeds
    .flatMap((s) => Object.entries(s.coBought ?? {}))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([sku]) => sku);
  const taste = tasteOf(profile.feedback);
  const ownCategories = Object.entries(profile.purchasedCategories ?? {})
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([c]) => c);
  const categories = [
    ...seeds.map((s) => s.category).filter((c): c is string => Boolean(c)),
    ...ownCategories,
    ...taste.likedCategories,
  ];
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
  });
}

/**
 * Published templates are cached per container for a minute: they change when a marketer publishes, not
 * per message, and the item (compiled HTML plus its MJML source) costs several read units to fetch.
 */
const TEMPLATE_TTL_MS = 60_000;
const templateCache = new Map<
  string,
  { template: TemplateVersion | undefined; until: number; table: string }
>();

export async function publishedTemplate(journey: Journey): Promise<TemplateVersion | undefined> {
  const table = `${process.env.AWS_ENDPOINT_URL_DYNAMODB ?? ''}/${process.env[ENV.templatesTable] ?? ''}`;
  const cached = templateCache.get(journey);
  if (cached && cached.table === table && cached.until > Date.now()) return cached.template;
  const template = await db().templates.published(journey);
  templateCache.set(journey, { template, until: Date.now() + TEMPLATE_TTL_MS, table });
  return template;
}
