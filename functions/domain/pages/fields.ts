/**
 * "What we know about you": every stored field as a row, in the customer's language: what it is, its value in
 * plain words (local times, item names, no codes), where it came from, what uses it. The words are typed over
 * every key of Profile (strings/fields-*.ts); stored keys the type does not know are still shown.
 */
import type { Profile } from '../model.js';
import { TOPICS } from '../names.js';
import {
  calendarDay,
  clockTime,
  dayCount,
  languageName,
  monthDay,
  type PageContext,
  when,
} from './context.js';
import { categoryName, consentSourceText, itemName } from './labels.js';
import { FIELDS_EN } from './strings/fields-en.js';

/** One row of the page: a stored value with its provenance, keyed by field name or `attributes.<name>`. */
export interface FieldRow {
  key: string;
  label: string;
  value: string | undefined;
  source: string;
  usedFor: string;
}

/** What the rows are shown with: the page's language and zone, and the names of the skus the profile holds. */
export interface FieldFormat {
  ctx: PageContext;
  productNames: Readonly<Record<string, string>>;
}

type Show = (p: Profile, f: FieldFormat) => string | undefined;

const times = (f: FieldFormat, list: readonly string[] | undefined) =>
  list?.map((iso) => when(f.ctx, iso)).join('; ');

function birthday(value: string | undefined, f: FieldFormat): string | undefined {
  const m = /^(\d{4}|-)-(\d{2})-(\d{2})$/.exec(value ?? '');
  if (!m) return value;
  return m[1] === '-' ? monthDay(f.ctx, Number(m[2]), Number(m[3])) : calendarDay(f.ctx, value);
}

/** The value of each field in words; a field not listed is shown as stored. */
const SHOW: Partial<Record<keyof Profile, Show>> = {
  birthday: (p, f) => birthday(p.birthday, f),
  birthdayMd: (p, f) => p.birthdayMd && birthday(`--${p.birthdayMd}`, f),
  locale: (p, f) => p.locale && languageName(f.ctx, p.locale),
  consent: showConsent,
  feedback: (p, f) =>
    p.feedback?.length
      ? p.feedback
          .map((v) => {
            const what =
              v.target.kind === 'sku'
                ? itemName(f.ctx.t, f.productNames, v.target.id, v.target.label)
                : (v.target.label ?? categoryName(v.target.id));
            return `${what}: ${v.vote === 'up' ? f.ctx.t.values.useful : f.ctx.t.values.notForMe}`;
          })
          .join(f.ctx.t.units.list)
      : undefined,
  purchasedCategories: (p, f) =>
    p.purchasedCategories && Object.keys(p.purchasedCategories).length
      ? Object.entries(p.purchasedCategories)
          .map(([c, n]) => `${categoryName(c)} (${f.ctx.t.units.times(n)})`)
          .join(f.ctx.t.units.list)
      : undefined,
  recentPurchases: (p, f) =>
    p.recentPurchases?.length
      ? [...new Set(p.recentPurchases.map((sku) => itemName(f.ctx.t, f.productNames, sku)))].join(
          f.ctx.t.units.list,
        )
      : undefined,
  purchaseHistory: (p, f) => {
    const items = Object.entries(p.purchaseHistory?.items ?? {});
    if (!items.length) return undefined;
    return items
      .map(([sku, [n]]) => [itemName(f.ctx.t, f.productNames, sku), n] as const)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([name, n]) => `${name} (${f.ctx.t.units.times(n)})`)
      .join(f.ctx.t.units.list);
  },
  peerPicks: (p, f) =>
    p.peerPicks?.items.length
      ? f.ctx.t.values.since(
          p.peerPicks.items.map(([sku]) => itemName(f.ctx.t, f.productNames, sku)).join(f.ctx.t.units.list),
          calendarDay(f.ctx, p.peerPicks.at.slice(0, 10)),
        )
      : undefined,
  preferences: (p, f) => {
    const prefs = p.preferences;
    if (!prefs) return undefined;
    const v = f.ctx.t.values;
    const often =
      prefs.frequency === 'paused'
        ? v.pausedUntil(when(f.ctx, prefs.pausedUntil))
        : prefs.frequency === 'fewer'
          ? v.fewer
          : v.normal;
    const tracking = prefs.tracking === undefined ? '' : `; ${prefs.tracking ? v.trackingOn : v.trackingOff}`;
    return `${often}${tracking}`;
  },
  lastActiveAt: (p, f) => p.lastActiveAt && when(f.ctx, p.lastActiveAt),
  lastOrderAt: (p, f) => p.lastOrderAt && when(f.ctx, p.lastOrderAt),
  inactiveOn: (p, f) => p.inactiveOn && calendarDay(f.ctx, p.inactiveOn),
  recentOrderTimes: (p, f) => (p.recentOrderTimes?.length ? times(f, p.recentOrderTimes) : undefined),
  orderGapDays: (p, f) =>
    p.orderGapDays === undefined
      ? undefined
      : p.orderGapDays < 0.5
        ? f.ctx.t.values.underADay
        : f.ctx.t.values.about(dayCount(f.ctx, p.orderGapDays)),
  engagementHours: (p, f) =>
    p.engagementHours && Object.keys(p.engagementHours).length
      ? Object.entries(p.engagementHours)
          .sort(([a], [b]) => Number(a) - Number(b))
          .map(([h, n]) => `${clockTime(f.ctx, Number(h))} (${f.ctx.t.units.times(n)})`)
          .join(f.ctx.t.units.list)
      : undefined,
  pendingGestures: (p, f) =>
    p.pendingGestures && Object.keys(p.pendingGestures).length
      ? Object.values(p.pendingGestures)
          .sort((a, b) => a.dueAt.localeCompare(b.dueAt))
          .map((g) => `${f.ctx.t.journeys[g.journey] ?? ''}, ${when(f.ctx, g.dueAt)}`)
          .join('; ')
      : undefined,
  suppressed: (p, f) =>
    p.suppressed &&
    f.ctx.t.values.stoppedSince(
      when(f.ctx, p.suppressed.at),
      f.ctx.t.values.suppressions[p.suppressed.reason] ?? f.ctx.t.values.suppressions.manual,
    ),
  softBounces: (p, f) =>
    p.softBounces && f.ctx.t.values.softBounces(p.softBounces.count, when(f.ctx, p.softBounces.lastAt)),
  recentSends: (p, f) => p.recentSends && (times(f, p.recentSends) || f.ctx.t.values.noneLastWeek),
  recentKinds: (p, f) =>
    p.recentKinds &&
    (p.recentKinds
      .map((k) => `${k.kind === 'ask' ? f.ctx.t.values.ask : f.ctx.t.values.gesture}, ${when(f.ctx, k.at)}`)
      .join('; ') ||
      f.ctx.t.values.noneRecently),
  lastMessage: (p, f) =>
    p.lastMessage &&
    `${f.ctx.t.journeys[p.lastMessage.journey] ?? f.ctx.t.journeys.order_followup}, ${when(f.ctx, p.lastMessage.sentAt)}`,
  createdAt: (p, f) => p.createdAt && when(f.ctx, p.createdAt),
  updatedAt: (p, f) => p.updatedAt && when(f.ctx, p.updatedAt),
};

function showConsent(p: Profile, f: FieldFormat): string | undefined {
  const c = p.consent;
  if (!c) return undefined;
  const { t } = f.ctx;
  const email =
    c.email === 'opted_in'
      ? t.values.consentYes
      : c.email === 'opted_out'
        ? t.values.consentNo
        : t.values.consentNone;
  const evidence = [
    c.email && c.source ? consentSourceText(t, c.source) : undefined,
    c.updatedAt ? t.values.consentOn(when(f.ctx, c.updatedAt)) : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const topics = TOPICS.filter((topic) => c.topics?.[topic] !== undefined)
    .map((topic) => `${t.topics[topic]}: ${c.topics?.[topic] ? t.values.on : t.values.off}`)
    .join(t.units.list);
  return `${email}${evidence ? ` ${evidence}` : ''}.${topics ? ` ${t.values.topicsList(topics)}` : ''}`;
}

/**
 * The rows for a stored profile: every described field that holds a value (editable ones always, so they can
 * be added), one row per free-form attribute, and any stored key the catalogue does not know, so nothing
 * stored is ever hidden from the customer.
 */
export function profileRows(
  profile: Profile,
  alwaysShow: readonly string[],
  format: FieldFormat,
): FieldRow[] {
  const { t } = format.ctx;
  const rows: FieldRow[] = [];
  const stored = profile as unknown as Record<string, unknown>;
  for (const key of Object.keys(FIELDS_EN) as (keyof Profile)[]) {
    if (key === 'attributes') continue;
    const raw = stored[key];
    const show = SHOW[key];
    const value = show ? show(profile, format) : raw === undefined || raw === null ? undefined : String(raw);
    if (value === undefined && !alwaysShow.includes(key)) continue;
    const words = t.fields[key];
    rows.push({ key, label: words.label, value, source: words.source, usedFor: words.usedFor });
  }
  for (const [name, value] of Object.entries(profile.attributes ?? {})) {
    const { source, usedFor } = t.fields.attributes;
    rows.push({
      key: `attributes.${name}`,
      label: name,
      value: value === null ? '' : String(value),
      source,
      usedFor,
    });
  }
  for (const key of Object.keys(stored)) {
    if (Object.hasOwn(FIELDS_EN, key)) continue;
    const value = JSON.stringify(stored[key]);
    const known = Object.hasOwn(t.data.internal, key) ? t.data.internal[key] : undefined;
    rows.push(
      known
        ? { key, value, ...known }
        : { key, label: key, value, source: t.data.unknownSource, usedFor: t.data.unknownUse },
    );
  }
  return rows;
}
