/**
 * What every customer page is written for: the shop's brand, the customer's language and time zone, the words
 * in that language, and the links in the footer. Built once per request from the config and the profile (or,
 * without a profile, the language the browser asks for).
 */
import { type Brand, resolveBrand } from '../brand.js';
import type { EngineConfig } from '../config.js';
import {
  cachedFormat,
  type DateStyle,
  formatHour,
  formatInstant,
  LOCALES,
  type Locale,
  resolveLocale,
} from '../locale.js';
import type { Profile } from '../model.js';
import { resolveTimeZone } from '../time.js';
import { type PageStrings, STRINGS } from './strings/index.js';

export interface PageContext {
  brand: Brand;
  language: Locale;
  /** BCP 47 tag for dates and numbers (the customer's own, e.g. "de-AT"). */
  tag: string;
  timeZone: string;
  t: PageStrings;
  /** Footer links: where your data goes (always), the preference center when the page may offer it. */
  links: { dataUse: string; preferences?: string };
}

/** The public "where your data goes" page; `?lang=` keeps the language of the page that linked it. */
export const DATA_USE_PATH = '/privacy';

export interface ContextInput {
  config: Pick<EngineConfig, 'brand' | 'sender' | 'defaultLocale' | 'defaultTimeZone'>;
  profile?: Pick<Profile, 'locale' | 'timeZone'> | undefined;
  /** The request's Accept-Language header, used when there is no profile. */
  acceptLanguage?: string | undefined;
  /** A `lang` query parameter (one of LOCALES), used when there is no profile. */
  lang?: string | undefined;
  preferencesHref?: string | undefined;
}

export function pageContext(input: ContextInput): PageContext {
  const { config, profile } = input;
  const { language, tag } = profile
    ? resolveLocale(profile.locale, config.defaultLocale)
    : browserLocale(input.lang, input.acceptLanguage, config.defaultLocale);
  return {
    brand: resolveBrand(config),
    language,
    tag,
    timeZone: resolveTimeZone(profile?.timeZone, config.defaultTimeZone),
    t: STRINGS[language],
    links: {
      dataUse: `${DATA_USE_PATH}?lang=${language}`,
      ...(input.preferencesHref ? { preferences: input.preferencesHref } : {}),
    },
  };
}

/** The first shipped language among `lang` and the Accept-Language list (by weight), else the default. */
export function browserLocale(
  lang: string | undefined,
  acceptLanguage: string | undefined,
  fallback: Locale,
): { language: Locale; tag: string } {
  if (lang && (LOCALES as readonly string[]).includes(lang)) return { language: lang as Locale, tag: lang };
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .slice(0, 20)
    .map((part, i) => {
      const [range = '', ...params] = part.trim().split(';');
      const q = Number(
        params
          .find((p) => p.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? 1,
      );
      return { range: range.trim(), q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((r) => r.range && r.range !== '*' && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { range } of ranked) {
    const resolved = resolveLocale(range, fallback);
    if (range.toLowerCase().startsWith(resolved.language)) return resolved;
  }
  return { language: fallback, tag: fallback };
}

/** A time as the customer reads it, in their zone and locale. */
export function when(ctx: PageContext, iso: string | undefined, style: DateStyle = 'dateTime'): string {
  return formatInstant(iso, ctx.tag, ctx.timeZone, style);
}

/** A calendar day ("2027-01-29") in the customer's words, with no time zone shift. */
export function calendarDay(ctx: PageContext, day: string | undefined): string {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return day ?? '';
  return formatInstant(`${day}T12:00:00Z`, ctx.tag, 'UTC', 'date');
}

/** A day of a month without a year ("14 March"). */
export function monthDay(ctx: PageContext, month: number, day: number): string {
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31)) return '';
  return cachedFormat(
    `monthDay|${ctx.tag}`,
    () => new Intl.DateTimeFormat(ctx.tag, { day: 'numeric', month: 'long', timeZone: 'UTC' }),
  ).format(Date.UTC(2000, month - 1, day, 12));
}

/** The month names of the customer's language, January first. */
export function monthNames(ctx: PageContext): string[] {
  const format = cachedFormat(
    `month|${ctx.tag}`,
    () => new Intl.DateTimeFormat(ctx.tag, { month: 'long', timeZone: 'UTC' }),
  );
  return Array.from({ length: 12 }, (_, m) => format.format(Date.UTC(2000, m, 15)));
}

/** A local hour (0-23) or a "HH:MM" clock time as the locale writes it. */
export function clockTime(ctx: PageContext, time: number | string): string {
  if (typeof time === 'number') return formatHour(time, ctx.tag);
  const [h, m] = time.split(':').map(Number) as [number, number];
  return formatInstant(new Date(Date.UTC(2026, 0, 1, h, m)).toISOString(), ctx.tag, 'UTC', 'time');
}

/** A language tag ("de-DE") as words in the customer's language ("German (Germany)"). */
export function languageName(ctx: PageContext, tag: string): string {
  try {
    const names = cachedFormat(
      `language|${ctx.tag}`,
      () => new Intl.DisplayNames(ctx.tag, { type: 'language' }),
    );
    return names.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** Whole days as the language says them ("1 day", "2 days"). */
export function dayCount(ctx: PageContext, days: number): string {
  return ctx.t.units.days(Math.round(days));
}
