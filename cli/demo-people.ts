/** Who the demo shop's customers are: their time zones, the language each zone speaks, their first names. */

export const TIME_ZONES = [
  'Europe/Berlin',
  'Europe/London',
  'Europe/Madrid',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'America/Sao_Paulo',
  'America/Mexico_City',
  'Asia/Tokyo',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Dubai',
  'Australia/Sydney',
  'Pacific/Auckland',
  'Europe/Paris',
  'Africa/Johannesburg',
];
/**
 * The language customers in a zone use, so the demo shows German and French mail and pages (and a Spanish
 * customer falling back to English); other zones read English in their own formats.
 */
const LOCALE_OF_ZONE: Record<string, string> = {
  'Europe/Berlin': 'de-DE',
  'Europe/Paris': 'fr-FR',
  'Europe/Madrid': 'es-ES',
  'Europe/London': 'en-GB',
  'America/New_York': 'en-US',
  'America/Chicago': 'en-US',
  'America/Los_Angeles': 'en-US',
  'Australia/Sydney': 'en-AU',
};

export const FIRST_NAMES = [
  'Ada',
  'Ben',
  'Chen',
  'Dara',
  'Emil',
  'Fatima',
  'Goro',
  'Hana',
  'Ivan',
  'Jaya',
  'Kofi',
  'Lena',
  'Mateo',
  'Nia',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sven',
  'Tomoko',
  'Uma',
  'Viktor',
  'Wen',
  'Yusuf',
  'Zoe',
];

/** A customer's zone and locale: the language of their zone, else English. */
export function zoneAndLocale(timeZone: string | undefined): { timeZone?: string; locale: string } {
  return timeZone ? { timeZone, locale: LOCALE_OF_ZONE[timeZone] ?? 'en' } : { locale: 'en' };
}
