/** Fixtures of the customer-page tests: a profile with every field, a page context, a center view. */
import { DEFAULT_CONFIG, type EngineConfig, parseConfig } from '../../functions/domain/config.js';
import type { Profile } from '../../functions/domain/model.js';
import type { CenterView } from '../../functions/domain/pages/center.js';
import { type PageContext, pageContext } from '../../functions/domain/pages/context.js';
import { timeZoneOptions } from '../../functions/domain/preferences.js';

export const NOW = new Date('2026-12-01T12:00:00Z');

// Required<Profile>: adding a field to Profile breaks this fixture until it is filled in, and the catalogue
// (typed over keyof Profile in every language) until the field is described.
export const FULL: Required<Profile> = {
  customerId: 'C-1',
  email: 'ada@example.com',
  firstName: 'Ada',
  locale: 'en-GB',
  timeZone: 'Pacific/Auckland',
  birthday: '1990-03-14',
  birthdayMd: '03-14',
  consent: {
    email: 'opted_in',
    topics: { winback: false },
    source: 'checkout',
    textVersion: 'v1',
    updatedAt: '2026-11-01T09:00:00Z',
  },
  attributes: { tier: 'gold' },
  lastActiveAt: '2026-11-30T10:00:00Z',
  lastOrderAt: '2026-11-29T10:00:00Z',
  inactiveOn: '2027-01-29',
  recentOrderTimes: ['2026-10-30T10:00:00Z', '2026-11-29T10:00:00Z'],
  orderGapDays: 30,
  engagementHours: { '19': 5, '8': 1 },
  pendingGestures: {
    'M-9': { journey: 'birthday', dueAt: '2027-03-13T20:00:00Z', until: '2027-03-16T20:00:00Z' },
  },
  suppressed: { reason: 'hard_bounce', at: '2026-11-30T11:00:00Z' },
  softBounces: { count: 1, lastAt: '2026-11-30T10:30:00Z' },
  recentSends: ['2026-11-30T10:00:00Z'],
  recentKinds: [{ at: '2026-11-30T10:00:00Z', kind: 'gesture' }],
  capVersion: 3,
  feedback: [
    {
      target: { kind: 'sku', id: 'SKU-1', label: 'Earl <b>Grey</b>' },
      vote: 'down',
      at: '2026-11-30T12:00:00Z',
      source: 'email',
    },
  ],
  purchasedCategories: { 'loose-tea': 2 },
  recentPurchases: ['SKU-2'],
  purchaseHistory: { orders: 2, lastDay: 20_786, items: { 'SKU-2': [2, 20_756, 20_786] } },
  peerPicks: { at: '2026-11-30T03:00:00Z', items: [['SKU-3', 1]] },
  lastMessage: {
    messageId: 'M-1',
    journey: 'order_followup',
    sentAt: '2026-11-30T10:00:00Z',
    recommendations: [],
  },
  preferences: {
    frequency: 'paused',
    pausedUntil: '2027-01-01T12:00:00Z',
    updatedAt: '2026-12-01T11:00:00Z',
  },
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-12-01T11:00:00Z',
};

/** The page context for a profile (default config unless given). */
export function ctxFor(
  profile: Pick<Profile, 'locale' | 'timeZone'> | undefined,
  config: EngineConfig = DEFAULT_CONFIG,
): PageContext {
  return pageContext({ config, profile, preferencesHref: '/p/TOKEN' });
}

/** A config with the given overrides over the defaults. */
export const configWith = (overrides: object): EngineConfig => parseConfig(overrides);

export function view(profile: Profile, extra: Partial<CenterView> = {}): CenterView {
  return {
    base: '/p/TOKEN',
    profile,
    caps: { perDay: 1, perWeek: 3 },
    messages: [],
    timeZones: timeZoneOptions(),
    productNames: { 'SKU-2': 'Sencha' },
    dataUse: {
      region: 'eu-central-1',
      retention: { messagesDays: 400, cartsDays: 90, statsDays: 730 },
      tracking: { opens: true, clicks: true },
    },
    now: NOW,
    ...extra,
  };
}

/** The inner HTML of a collapsed section of the preference center. */
export const sectionOf = (html: string, id: string) =>
  new RegExp(`<details id="${id}"[\\s\\S]*?</details>`).exec(html)?.[0] ?? '';

/** The page's text as a reader sees it: tags dropped, entities of our escaping decoded. */
export const textOf = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
    .replace(/\s+/g, ' ');
