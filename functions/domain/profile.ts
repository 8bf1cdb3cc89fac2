/** How events change a stored profile. Returns patches (attributes to set), so writers never clobber each other. */
import { isDeepStrictEqual } from 'node:util';
import { birthdayMonthDay } from './birthday.js';
import type { EngineConfig } from './config.js';
import {
  type CustomerUpserted,
  PROFILE_SIZE_LIMIT_BYTES,
  profileSizeBytes,
  type Withdrawal,
} from './events.js';
import { adaptiveInactivityDays, inactiveOnDay, medianGapDays, recentOrderTimes } from './inactivity.js';
import type { Consent, Profile } from './model.js';
import { recordPurchase } from './purchase-history.js';

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

type PurchaseFields = 'purchasedCategories' | 'recentPurchases' | 'purchaseHistory';

/**
 * What an order placed at `at` teaches: category counts, the items just bought (newest last), and each
 * item's purchase rhythm (domain/purchase-history.ts).
 */
export function purchasePatch(
  existing: Pick<Profile, PurchaseFields> | undefined,
  at: string,
  items: readonly { sku: string; category?: string }[],
): Required<Pick<Profile, PurchaseFields>> {
  const categories = { ...existing?.purchasedCategories };
  for (const item of items)
    if (item.category) categories[item.category] = (categories[item.category] ?? 0) + 1;
  const skus = items.map((i) => i.sku);
  const kept = (existing?.recentPurchases ?? []).filter((s) => !skus.includes(s));
  return {
    purchasedCategories: categories,
    recentPurchases: [...kept, ...skus].slice(-RECENT_PURCHASES),
    purchaseHistory: recordPurchase(existing?.purchaseHistory, at, skus),
  };
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
    ...purchasePatch(existing, at, items),
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

/**
 * The part of a patch that changes something: attributes already holding the value are left out, and a patch
 * that would change nothing but `updatedAt` is empty. A duplicate event then writes nothing at all.
 */
export function effectivePatch(existing: Profile | undefined, patch: ProfilePatch): ProfilePatch {
  const out: ProfilePatch = {};
  for (const [key, value] of Object.entries(patch) as [keyof Profile, unknown][]) {
    if (value === undefined) continue;
    const stored = existing?.[key];
    if (value === null ? stored === undefined : isDeepStrictEqual(stored, value)) continue;
    (out as Record<string, unknown>)[key] = value;
  }
  if (existing && Object.keys(out).every((key) => key === 'updatedAt')) return {};
  return out;
}

/** The profile as it would be stored after the patch (`null` removes). */
export function patchedProfile(existing: Profile | undefined, patch: ProfilePatch): Partial<Profile> {
  const out: Record<string, unknown> = { ...existing };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (value !== undefined) out[key] = value;
  }
  return out as Partial<Profile>;
}

/**
 * Why a patch may not be written because the profile would grow past PROFILE_SIZE_LIMIT_BYTES (estimated
 * from the stored profile plus the patch), or undefined when it fits.
 */
export function profileTooLarge(existing: Profile | undefined, patch: ProfilePatch): string | undefined {
  const size = profileSizeBytes(patchedProfile(existing, patch));
  if (size <= PROFILE_SIZE_LIMIT_BYTES) return undefined;
  return `profile_too_large: the profile would be about ${size} bytes, over the ${PROFILE_SIZE_LIMIT_BYTES}-byte limit (nothing was written)`;
}

/** The consent evidence source of a withdrawal kept from an event that was otherwise rejected. */
export const SALVAGED_WITHDRAWAL_SOURCE = 'withdrawal salvaged from a rejected event';

/**
 * A consent withdrawal (opt-out, topics off) salvaged from a rejected `customer.upserted`, as a patch of the
 * stored profile; the evidence says when (the event's time) and that it came from a rejected event.
 */
export function withdrawalPatch(existing: Profile, withdrawal: Withdrawal, at: string): ProfilePatch {
  const consent = mergeConsent(
    existing.consent,
    { ...withdrawal.consent, source: SALVAGED_WITHDRAWAL_SOURCE },
    at,
  );
  return { consent, updatedAt: at };
}

/** The withdrawal in words, for the reject's reason ("email opted out; topics off: birthday"). */
export function describeWithdrawal(withdrawal: Withdrawal): string {
  const parts: string[] = [];
  if (withdrawal.consent.email) parts.push('email opted out');
  const topics = Object.keys(withdrawal.consent.topics ?? {});
  if (topics.length) parts.push(`topics off: ${topics.join(', ')}`);
  return parts.join('; ');
}
