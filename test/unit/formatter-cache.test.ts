/**
 * Intl formatters are built once per locale (and zone) and kept: the local scheduler's wall clock, the customer
 * pages' month and language names, the gift's percentage. Same words as before, far fewer constructions.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { codeTerms } from '../../functions/domain/incentives.js';
import { formatPercent } from '../../functions/domain/locale.js';
import type { IssuedCode } from '../../functions/domain/model.js';
import {
  languageName,
  monthDay,
  monthNames,
  type PageContext,
} from '../../functions/domain/pages/context.js';
import { zonedToUtc } from '../../local/zoned-time.js';

type IntlClass = 'DateTimeFormat' | 'NumberFormat' | 'DisplayNames';
const ORIGINAL = {
  DateTimeFormat: Intl.DateTimeFormat,
  NumberFormat: Intl.NumberFormat,
  DisplayNames: Intl.DisplayNames,
};

/** The arguments of each construction of an Intl class from now on (the class itself still does the work). */
function countBuilds(name: IntlClass): unknown[][] {
  const builds: unknown[][] = [];
  const counting = new Proxy(ORIGINAL[name], {
    construct(target, args, newTarget) {
      builds.push(args);
      return Reflect.construct(target, args, newTarget);
    },
  });
  Object.assign(Intl, { [name]: counting });
  return builds;
}

const page = (tag: string) => ({ tag }) as PageContext;

describe('Formatter caches', () => {
  afterEach(() => {
    Object.assign(Intl, ORIGINAL);
  });

  it('build the scheduler wall clock once per time zone (local/zoned-time.ts)', () => {
    // Prepare
    const builds = countBuilds('DateTimeFormat');

    // Act
    const summer = zonedToUtc('2026-07-01T09:00:00', 'Pacific/Chatham');
    const winter = zonedToUtc('2026-01-01T09:00:00', 'Pacific/Chatham');
    const gap = zonedToUtc('2026-09-27T02:50:00', 'Pacific/Chatham');

    // Assess
    expect(summer.toISOString()).toBe('2026-06-30T20:15:00.000Z');
    expect(winter.toISOString()).toBe('2025-12-31T19:15:00.000Z');
    // 02:50 falls in the hour skipped at 02:45: read as 03:50 daylight time (+13:45).
    expect(gap.toISOString()).toBe('2026-09-26T14:05:00.000Z');
    const chatham = builds.filter(
      (args) => (args[1] as Intl.DateTimeFormatOptions)?.timeZone === 'Pacific/Chatham',
    );
    expect(chatham).toHaveLength(1);
  });

  it('still refuse an unknown time zone on every call', () => {
    // Act
    const act = () => zonedToUtc('2026-07-01T09:00:00', 'Mars/Olympus_Mons');

    // Assess
    expect(act).toThrow(RangeError);
    expect(act).toThrow(RangeError);
  });

  it('build month and language names once per locale (domain/pages/context.ts)', () => {
    // Prepare
    const dates = countBuilds('DateTimeFormat');
    const names = countBuilds('DisplayNames');
    const ctx = page('de-CH');

    // Act
    const days = [monthDay(ctx, 3, 14), monthDay(ctx, 12, 1)];
    const months = [monthNames(ctx), monthNames(ctx)];
    const languages = [languageName(ctx, 'fr-FR'), languageName(ctx, 'en')];

    // Assess
    expect(days).toEqual(['14. März', '1. Dezember']);
    expect(months[0]).toHaveLength(12);
    expect(months[1]![0]).toBe('Januar');
    expect(languages).toEqual(['Französisch (Frankreich)', 'Englisch']);
    expect(dates.filter((args) => args[0] === 'de-CH')).toHaveLength(2);
    expect(names.filter((args) => args[0] === 'de-CH')).toHaveLength(1);
  });

  it('word a language tag it cannot read as given', () => {
    // Act
    const name = languageName(page('en'), 'not a tag!');

    // Assess
    expect(name).toBe('not a tag!');
  });

  it('build the gift percentage once per locale, in the same words (domain/incentives.ts)', () => {
    // Prepare
    const builds = countBuilds('NumberFormat');
    const code: IssuedCode = {
      code: 'G-1',
      kind: 'percent',
      value: 12.5,
      currency: 'EUR',
      expiresAt: '2026-12-31T23:59:59.999Z',
    };

    // Act
    const terms = [
      codeTerms(code, 'de', 'de-AT', 'UTC'),
      codeTerms({ ...code, value: 15 }, 'de', 'de-AT', 'UTC'),
    ];

    // Assess
    expect(terms[0]).toMatch(/^12,5\s%/);
    expect(terms[1]).toMatch(/^15\s%/);
    expect(formatPercent(15, 'en-GB')).toBe('15%');
    expect(formatPercent(15, 'xx-invalid-!')).toBe('15%');
    const percent = builds.filter((args) => (args[1] as Intl.NumberFormatOptions)?.style === 'percent');
    expect(percent.filter((args) => args[0] === 'de-AT')).toHaveLength(1);
  });
});
