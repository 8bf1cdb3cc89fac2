/** How events change a stored profile. Returns patches (attributes to set), so writers never clobber each other. */
import { birthdayMonthDay } from './birthday.js';
import type { EngineConfig } from './config.js';
import type { CustomerUpserted } from './events.js';
import { adaptiveInactivityDays, inactiveOnDay, medianGapDays, recentOrderTimes } from './inactivity.js';
import type { Consent, Profile } from './model.js';

/** Attributes to set on a profile; `null` removes the attribute. */
export type ProfilePatch = { [K in keyof Profile]?: Profile[K] | null };

/** Merges a customer.upserted detail into a profile: absent fields keep their stored value. */
export function upsertPatch(
  existing: Profile | undefined,
  detail: CustomerUpserted,
  at: string,
  config: EngineConfig,
): ProfilePatch {
  const patch: ProfilePatch = { email: detail.email, updatedAt: at };
  if (!existing) patch.createdAt = at;
  if (detail.firstName !== undefined) patch.firstName = detail.firstName;
  if (detail.locale !== undefined) patch.locale = detail.locale;
  if (detail.timeZone !== undefined) patch.timeZone = detail.timeZone;
  if (detail.birthday !== undefined) {
    patch.birthday = detail.birthday;
    patch.birthdayMd = birthdayMonthDay(detail.birthday);
  }
  if (detail.attributes !== undefined) patch.attributes = { ...existing?.attributes, ...detail.attributes };
  if (detail.consent !== undefined) patch.consent = mergeConsent(existing?.consent, detail.consent, at);
  // A new customer starts an activity clock, so a signup that never comes back is eventually won back.
  if (!existing?.lastActiveAt) Object.assign(patch, activityPatch(existing, at, config));
  return patch;
}

/** Consent changes keep their evidence: when, from where, which wording. */
export function mergeConsent(existing: Consent | undefined, given: Consent, at: string): Consent {
  const merged: Consent = { ...existing };
  if (given.email !== undefined) merged.email = given.email;
  if (given.topics !== undefined) merged.topics = { ...existing?.topics, ...given.topics };
  if (given.source !== undefined) merged.source = given.source;
  if (given.textVersion !== undefined) merged.textVersion = given.textVersion;
  merged.updatedAt = at;
  return merged;
}

/**
 * Activity moves the last-active time forward (never back: events may arrive out of order), at day
 * precision: inactivity is counted in days, and a busy customer's every click would otherwise rewrite the
 * profile. The inactivity index key (`inactiveOn`) is set once and moved lazily by the daily sweep when it
 * finds the customer was active since (see `inactivityCheck`): one index move per inactivity period instead
 * of one per active day.
 */
export function activityPatch(existing: Profile | undefined, at: string, config: EngineConfig): ProfilePatch {
  const last = existing?.lastActiveAt;
  if (last && last >= at) return {};
  const days = adaptiveInactivityDays(existing?.orderGapDays, config);
  const line = inactiveOnDay(at, days);
  if (last && inactiveOnDay(last, days) === line) return {};
  return { lastActiveAt: at, ...(existing?.inactiveOn ? {} : { inactiveOn: line }) };
}

/**
 * What the daily sweep does with a customer found under yesterday's inactivity key: start the win-back if
 * their line really fell on that day, or move the key to their real line (they were active since).
 */
export function inactivityCheck(
  profile: Pick<Profile, 'lastActiveAt' | 'inactiveOn' | 'orderGapDays'>,
  day: string,
  config: EngineConfig,
): { action: 'winback' } | { action: 'rekey'; inactiveOn: string } | { action: 'none' } {
  if (!profile.lastActiveAt) return { action: 'none' };
  const line = inactiveOnDay(profile.lastActiveAt, adaptiveInactivityDays(profile.orderGapDays, config));
  if (line <= day) return { action: 'winback' };
  return { action: 'rekey', inactiveOn: line };
}

const RECENT_PURCHASES = 20;

/** What an order teaches about taste: category counts, and the items just bought (newest last). */
export function purchasePatch(
  existing: Profile | undefined,
  items: readonly { sku: string; category?: string }[],
): ProfilePatch {
  const categories = { ...existing?.purchasedCategories };
  for (const item of items)
    if (item.category) categories[item.category] = (categories[item.category] ?? 0) + 1;
  const skus = items.map((i) => i.sku);
  const kept = (existing?.recentPurchases ?? []).filter((s) => !skus.includes(s));
  return { purchasedCategories: categories, recentPurchases: [...kept, ...skus].slice(-RECENT_PURCHASES) };
}

/**
 * Everything an order changes on the profile, as the one patch ingest already writes: activity, taste, and
 * the order times behind the customer's median order gap (adaptive inactivity). The index key is left to the
 * sweep's lazy move when the line goes later, but moved here when a shorter gap brings it earlier: the
 * sweep only reads the key's day, so a key after the real line would send the win-back late.
 */
export function orderPatch(
  existing: Profile | undefined,
  at: string,
  items: readonly { sku: string; category?: string }[],
  config: EngineConfig,
): ProfilePatch {
  // A profile stored before order times were kept still knows its last order: a gap from the next one.
  const known = existing?.recentOrderTimes ?? (existing?.lastOrderAt ? [existing.lastOrderAt] : []);
  const times = recentOrderTimes(known, at);
  const gap = medianGapDays(times);
  const patch: ProfilePatch = {
    ...activityPatch(existing, at, config),
    ...purchasePatch(existing, items),
    lastOrderAt: at,
    recentOrderTimes: times,
    ...(gap === undefined ? {} : { orderGapDays: gap }),
  };
  const lastActiveAt = [existing?.lastActiveAt, at]
    .filter((t): t is string => Boolean(t))
    .sort()
    .at(-1)!;
  const line = inactiveOnDay(lastActiveAt, adaptiveInactivityDays(gap, config));
  const key = patch.inactiveOn ?? existing?.inactiveOn;
  if (key && line < key) patch.inactiveOn = line;
  return patch;
}
