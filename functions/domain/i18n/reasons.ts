/**
 * Why one suggestion was picked, in each language: shown beside it in the email and on the "why you got
 * this" page, from the reason the engine really used (domain/recommend.ts). `{category}` is the category's
 * display name.
 */
import type { Locale } from '../locale.js';
import type { ReasonKind } from '../model.js';

export const REASON_WORDS: Record<Locale, Record<ReasonKind, string>> = {
  en: {
    buy_again: 'You have bought this before',
    bought_together: 'Often bought together with your items',
    shoppers_like_you: 'Bought by shoppers whose orders look like yours',
    liked_category: 'From {category}, which you said you like',
    bought_category: 'From {category}, which you have bought before',
    popular: 'Popular with other customers right now',
    new: 'New in the shop',
  },
  de: {
    buy_again: 'Das haben Sie schon einmal gekauft',
    bought_together: 'Wird oft zusammen mit Ihren Artikeln gekauft',
    shoppers_like_you: 'Gekauft von Kundinnen und Kunden, die ähnlich bestellen wie Sie',
    liked_category: 'Aus {category}, das Ihnen gefällt, wie Sie uns sagten',
    bought_category: 'Aus {category}, wo Sie schon gekauft haben',
    popular: 'Gerade beliebt bei anderen Kundinnen und Kunden',
    new: 'Neu im Shop',
  },
  fr: {
    buy_again: 'Vous l’avez déjà acheté',
    bought_together: 'Souvent acheté avec vos articles',
    shoppers_like_you: 'Acheté par des clients dont les commandes ressemblent aux vôtres',
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

/** A re-order's rhythm as the email states it: how often they buy it, or how many times they did. */
export interface RhythmView {
  timesBought: number;
  /** Their typical days between purchases of it (from two purchases on). */
  typicalDays?: number;
}

type Period = { unit: 'day' | 'week' | 'month'; n: number };

/** Days as a person says them: days under two weeks, weeks under two months, months beyond. */
export function periodOf(days: number): Period {
  if (days < 13.5) return { unit: 'day', n: Math.max(1, Math.round(days)) };
  if (days < 59.5) return { unit: 'week', n: Math.round(days / 7) };
  return { unit: 'month', n: Math.round(days / 30.4) };
}

const RHYTHM_WORDS: Record<Locale, { every: (p: Period) => string; times: (n: number) => string }> = {
  en: {
    every: ({ unit, n }) =>
      n === 1 ? `You buy this about every ${unit}` : `You buy this about every ${n} ${unit}s`,
    times: (n) => `You have bought this ${n} times`,
  },
  de: {
    every: ({ unit, n }) => {
      if (n === 1)
        return `Sie kaufen das etwa ${{ day: 'jeden Tag', week: 'jede Woche', month: 'jeden Monat' }[unit]}`;
      return `Sie kaufen das etwa alle ${n} ${{ day: 'Tage', week: 'Wochen', month: 'Monate' }[unit]}`;
    },
    times: (n) => `Sie haben das schon ${n}-mal gekauft`,
  },
  fr: {
    every: ({ unit, n }) => {
      if (n === 1)
        return `Vous en achetez environ ${{ day: 'chaque jour', week: 'chaque semaine', month: 'chaque mois' }[unit]}`;
      const words = {
        day: `tous les ${n} jours`,
        week: `toutes les ${n} semaines`,
        month: `tous les ${n} mois`,
      };
      return `Vous en achetez environ ${words[unit]}`;
    },
    times: (n) => `Vous l’avez acheté ${n} fois`,
  },
};

/**
 * Why one suggestion is there, in the email's language. A re-order with its rhythm says it in numbers
 * ("You buy this about every 3 weeks"); without one (the why page reads only the reason) it says that they
 * bought it before.
 */
export function reasonWords(
  kind: ReasonKind,
  language: Locale,
  category?: string,
  rhythm?: RhythmView,
): string {
  if (kind === 'buy_again' && rhythm) {
    const words = RHYTHM_WORDS[language];
    if (rhythm.typicalDays !== undefined) return words.every(periodOf(rhythm.typicalDays));
    if (rhythm.timesBought > 1) return words.times(rhythm.timesBought);
  }
  return REASON_WORDS[language][kind].replace(
    '{category}',
    categoryName(category) || REASON_WORDS[language].popular,
  );
}
