/**
 * Why one suggestion was picked, in each language: shown beside it in the email and on the "why you got
 * this" page, from the reason the engine really used (domain/recommend.ts). `{category}` is the category's
 * display name.
 */
import type { Locale } from '../locale.js';
import type { ReasonKind } from '../model.js';

export const REASON_WORDS: Record<Locale, Record<ReasonKind, string>> = {
  en: {
    bought_together: 'Often bought together with your items',
    liked_category: 'From {category}, which you said you like',
    bought_category: 'From {category}, which you have bought before',
    popular: 'Popular with other customers right now',
    new: 'New in the shop',
  },
  de: {
    bought_together: 'Wird oft zusammen mit Ihren Artikeln gekauft',
    liked_category: 'Aus {category}, das Ihnen gefällt, wie Sie uns sagten',
    bought_category: 'Aus {category}, wo Sie schon gekauft haben',
    popular: 'Gerade beliebt bei anderen Kundinnen und Kunden',
    new: 'Neu im Shop',
  },
  fr: {
    bought_together: 'Souvent acheté avec vos articles',
    liked_category: 'Dans {category}, que vous nous avez dit aimer',
    bought_category: 'Dans {category}, où vous avez déjà acheté',
    popular: 'Apprécié en ce moment par d’autres clients',
    new: 'Nouveau dans la boutique',
  },
};

/**
 * A category slug as words: "garden-tools" -> "Garden tools". Shops send slugs or names; a name is kept as
 * it is, a slug is made readable, so "you like garden" never reads as a sentence fragment.
 */
export function categoryName(category: string | undefined): string {
  if (!category) return '';
  if (/[A-Z ]/.test(category)) return category;
  const words = category.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function reasonWords(kind: ReasonKind, language: Locale, category?: string): string {
  return REASON_WORDS[language][kind].replace(
    '{category}',
    categoryName(category) || REASON_WORDS[language].popular,
  );
}
