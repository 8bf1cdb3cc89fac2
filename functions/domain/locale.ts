/**
 * Languages and local formats. An email or page is written in one of the shop's languages (the customer's own
 * when it is shipped, else the shop's default), and its dates, times and money are formatted in the
 * customer's full locale tag and time zone (a "de-AT" customer reads German text with Austrian formats).
 */

/** The languages the starter templates and customer pages ship in. */
export const LOCALES = ['en', 'de', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

export interface ResolvedLocale {
  /** The language of the text: one of LOCALES. */
  language: Locale;
  /** The BCP 47 tag for Intl formats: the customer's own when it is of that language and valid. */
  tag: string;
}

function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}

function validTag(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

/** The language and format tag for a profile's `locale` ("de-DE", "fr", "pt-BR"), falling back to `fallback`. */
export function resolveLocale(profileLocale: string | undefined, fallback: Locale = 'en'): ResolvedLocale {
  const tag = profileLocale ? validTag(profileLocale.replace('_', '-')) : undefined;
  const language = tag?.split('-')[0]?.toLowerCase();
  if (tag && language && isLocale(language)) return { language, tag };
  return { language: fallback, tag: fallback };
}

type Format = Intl.NumberFormat | Intl.DateTimeFormat | Intl.DisplayNames;

/** Formatters are costly to build and a shop has a handful of locales: kept, bounded. */
const FORMATS = new Map<string, Format>();
const FORMATS_MAX = 500;

/**
 * The formatter kept under `key`, made by `make` the first time (a `make` that throws is not kept, so an
 * unknown tag or zone throws on every call, as building it would). `key` must name every option `make` uses.
 */
export function cachedFormat<T extends Format>(key: string, make: () => T): T {
  let format = FORMATS.get(key) as T | undefined;
  if (!format) {
    format = make();
    if (FORMATS.size >= FORMATS_MAX) FORMATS.clear();
    FORMATS.set(key, format);
  }
  return format;
}

/** Money in the locale's format ("12,50 €" in German, "€12.50" in English); unknown currency: "12.50 XYZ". */
export function formatMoney(amount: number, currency: string, tag: string): string {
  if (!Number.isFinite(amount)) return '';
  if (!/^[A-Z]{3}$/.test(currency)) return amount.toFixed(2);
  try {
    return cachedFormat(
      `n|${tag}|${currency}`,
      () => new Intl.NumberFormat(tag, { style: 'currency', currency }),
    ).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

/** A percentage in the locale's format ("15 %" in German, "15%" in English); an unknown tag: "15%". */
export function formatPercent(value: number, tag: string): string {
  try {
    return cachedFormat(
      `p|${tag}`,
      () => new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 2 }),
    ).format(value / 100);
  } catch {
    return `${value}%`;
  }
}

export type DateStyle = 'date' | 'dateTime' | 'time';

const DATE_OPTIONS: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  date: { day: 'numeric', month: 'long', year: 'numeric' },
  dateTime: { day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit' },
  time: { hour: 'numeric', minute: '2-digit' },
};

/** 24-hour locales write "09:05" (not "9:05"); 12-hour ones "9:05 AM". */
function dateOptions(tag: string, style: DateStyle): Intl.DateTimeFormatOptions {
  const options = DATE_OPTIONS[style];
  if (!options.hour) return options;
  const cycle = new Intl.DateTimeFormat(tag, { hour: 'numeric' }).resolvedOptions().hourCycle;
  return cycle === 'h23' || cycle === 'h24' ? { ...options, hour: '2-digit' } : options;
}

/**
 * A time as the customer reads it: in their time zone and locale ("3 December 2026, 09:00" / "3. Dezember
 * 2026 um 09:00"). An unreadable time is returned as given; an unknown zone falls back to UTC.
 */
export function formatInstant(
  iso: string | undefined,
  tag: string,
  timeZone: string,
  style: DateStyle = 'dateTime',
): string {
  const ms = iso ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) return iso ?? '';
  const make = (zone: string) =>
    cachedFormat(
      `d|${tag}|${zone}|${style}`,
      () => new Intl.DateTimeFormat(tag, { ...dateOptions(tag, style), timeZone: zone }),
    );
  try {
    return make(timeZone).format(ms);
  } catch {
    return make('UTC').format(ms);
  }
}

/** A local hour (0-23) as the locale writes it ("9 AM", "09:00", "09 h"). */
export function formatHour(hour: number, tag: string): string {
  const at = Date.UTC(2026, 0, 1, hour, 0);
  return formatInstant(new Date(at).toISOString(), tag, 'UTC', 'time');
}
