/**
 * Attribution: what a customer does soon after a message (a click, an order) is credited to that message, so
 * the engine learns which templates work. Pure: every instant is a parameter.
 */
import type { AttributionWindows } from './kpis.js';
import type { LedgerDecision, LedgerStep } from './ledger.js';
import type { Journey } from './names.js';
import { type Counts, RETENTION_DAYS } from './stats.js';

const DAY_MS = 86_400_000;

/** How long after a send a click or an order still counts for the message. */
export const ATTRIBUTION_WINDOW_MS = 7 * 86_400_000;

/** Whether something at `at` (ISO) is credited to a message sent at `sentAt` (ISO): not before, not too late. */
export function withinAttributionWindow(sentAt: string, at: string): boolean {
  const gap = Date.parse(at) - Date.parse(sentAt);
  return gap >= 0 && gap <= ATTRIBUTION_WINDOW_MS;
}

/** What an order's outcome computation needs of a ledger entry. */
export interface ExposureEntry {
  messageId: string;
  journey: Journey;
  decision: LedgerDecision;
  reason?: string;
  variant?: string;
  templateVersion?: string;
  history?: readonly LedgerStep[];
  events?: Readonly<Record<string, string>>;
  createdAt?: string;
}

export type ExposureGroup = 'treated' | 'holdout';

/**
 * A message is an exposure of its journey's experiment: `treated` when it went out (sent, or `unknown`: it may
 * have), `holdout` when the customer was held out of it. Anything else (capped, no consent, cancelled) is
 * neither: those customers were not reachable, and the holdout is a sample of reachable customers only.
 * The exposure's time is its send (or would-be send): the time of that decision.
 */
export function exposureOf(entry: ExposureEntry): { group: ExposureGroup; at: string } | undefined {
  const group: ExposureGroup | undefined =
    entry.decision === 'sent' || entry.decision === 'unknown'
      ? 'treated'
      : entry.decision === 'skipped' && entry.reason === 'holdout'
        ? 'holdout'
        : undefined;
  if (!group) return undefined;
  const step = entry.history?.find((s) => s.decision === entry.decision || s.decision === 'unknown');
  const at = step?.at ?? entry.createdAt;
  return at ? { group, at } : undefined;
}

/** One change an order makes to a message's record: ledger events set once, and counters added. */
export interface OrderEffect {
  entry: ExposureEntry;
  /** Ledger events to set (first time wins); the counters below are added only for those newly set. */
  once: Record<string, Counts>;
  /** Counters added whatever the ledger held (revenue within a window: every order counts). */
  always: Counts;
}

/**
 * What one order means for the customer's recent messages (pure; `entries` are the customer's messages of
 * the last RETENTION_DAYS + the longest window, in any order):
 * - attribution: the latest message a person clicked (content) within `clickDays` before the order gets it
 *   (`orders_click`, `revenue_click`); failing that, the latest delivered within `viewDays` (`orders_view`,
 *   `revenue_view`, labelled view-through). One order, at most one message.
 * - uplift: every exposure (sent or held out) within `conversionDays` before the order converted
 *   (`exposed_converted_<group>`, once per exposure) and earns its revenue (`exposed_revenue_<group>`).
 * - retention: every exposure 30, 60 or 90 days or less before the order is retained (`retained<N>_<group>`,
 *   once per exposure and N).
 */
export function orderEffects(
  entries: readonly ExposureEntry[],
  order: { at: string; total: number },
  windows: AttributionWindows,
): OrderEffect[] {
  const orderMs = Date.parse(order.at);
  const effects = new Map<string, OrderEffect>();
  const effectOf = (entry: ExposureEntry) => {
    let effect = effects.get(entry.messageId);
    if (!effect) {
      effect = { entry, once: {}, always: {} };
      effects.set(entry.messageId, effect);
    }
    return effect;
  };
  const within = (at: string | undefined, days: number) => {
    if (!at) return false;
    const gap = orderMs - Date.parse(at);
    return gap >= 0 && gap <= days * DAY_MS;
  };
  const latest = (pick: (e: ExposureEntry) => string | undefined, days: number) =>
    entries
      .filter((e) => e.decision === 'sent' || e.decision === 'unknown')
      .map((e) => ({ e, at: pick(e) }))
      .filter((x) => within(x.at, days))
      .sort((a, b) => (b.at ?? '').localeCompare(a.at ?? '') || a.e.messageId.localeCompare(b.e.messageId))[0]
      ?.e;
  const byClick = latest((e) => e.events?.clicked, windows.clickDays);
  const byView = byClick ? undefined : latest((e) => e.events?.delivered, windows.viewDays);
  const attributed = byClick ?? byView;
  if (attributed) {
    const via = byClick ? 'click' : 'view';
    const effect = effectOf(attributed);
    effect.always[`orders_${via}`] = 1;
    effect.always[`revenue_${via}`] = order.total;
    // The first attributed order of a message is the one that may reward its variant (bandit reward 'order').
    effect.once.ordered = {};
  }
  for (const entry of entries) {
    const exposure = exposureOf(entry);
    if (!exposure || !within(exposure.at, RETENTION_DAYS[RETENTION_DAYS.length - 1] ?? 90)) continue;
    if (Date.parse(exposure.at) >= orderMs) continue;
    const group = exposure.group;
    if (within(exposure.at, windows.conversionDays)) {
      const effect = effectOf(entry);
      effect.once.exposed_converted = { [`exposed_converted_${group}`]: 1 };
      effect.always[`exposed_revenue_${group}`] = order.total;
    }
    for (const days of RETENTION_DAYS) {
      if (!within(exposure.at, days)) continue;
      effectOf(entry).once[`retained${days}`] = { [`retained${days}_${group}`]: 1 };
    }
  }
  return [...effects.values()];
}
