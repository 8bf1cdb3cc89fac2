/**
 * The figures a marketer reads: per journey and variant, the field's four KPIs (open rate, click-through,
 * conversion, retention) with their counts, and the journey's uplift over its holdout with a 95% interval.
 * Pure: stats rows (domain/stats.ts) and an "as of" instant in, a report out. The same function serves a run's
 * summary.json, `reciprocity report` and (later) the studio.
 *
 * Honesty rules, in code below:
 * - Rates always come with their counts; a rate over zero is `null`, never 0% or NaN.
 * - Opens and clicks are a person's (machine opens and bot clicks are shown apart, never in the rates).
 * - Conversion per message is attributed: an order within `clickDays` of a person's click, or (labelled
 *   view-through, never added to it) within `viewDays` of delivery; one order to one message.
 * - Uplift compares exposures of the same kind: customers sent the journey against customers held out of it,
 *   each counted converted when they ordered within `conversionDays` of the moment of (would-be) sending;
 *   only days whose window has closed count, so both groups had the whole window.
 * - Retention: the share ordering again within 30/60/90 days of the message, treated against held out, over
 *   the days whose 30/60/90 days have passed (`matured: false` until one has).
 */
import type { Journey } from './names.js';
import { JOURNEYS } from './names.js';
import {
  type Counts,
  heldOutOf,
  NO_VARIANT,
  REDEMPTION_COUNTERS,
  RETENTION_DAYS,
  type StatsRow,
  treatedOf,
} from './stats.js';
import { type JourneyUplift, journeyUplift } from './uplift.js';

export interface AttributionWindows {
  /** An order within this many days after a person's click on content is a conversion of the message. */
  clickDays: number;
  /** An order within this many days after delivery, without a click, is a view-through conversion. */
  viewDays: number;
  /** An order within this many days after a (would-be) send converts the exposure: the uplift's outcome. */
  conversionDays: number;
}

export const DEFAULT_WINDOWS: AttributionWindows = { clickDays: 5, viewDays: 1, conversionDays: 5 };

/** A rate with what it is made of: `count` of `of`; `rate` is null when `of` is 0. */
export interface RateFigure {
  count: number;
  of: number;
  rate: number | null;
}

export interface MessageKpis {
  /** Final decisions: one per trigger. */
  triggered: number;
  sent: number;
  /** SES may have accepted them (the answer was lost): counted as sent for the treated group. */
  unknown: number;
  failed: number;
  cancelled: number;
  skipped: Record<string, number>;
  delivered: number;
  bounces: { hard: number; soft: number };
  complained: number;
  /** Unsubscribes through this message's links or its List-Unsubscribe header. */
  unsubscribed: number;
  /** Open rate: messages a person opened (first open each) of those delivered. */
  openRate: RateFigure;
  /** Click-through rate: messages with a person's click on content, of those delivered. */
  clickRate: RateFigure;
  /** Click-to-open: of the messages a person opened, the share they clicked. */
  clickToOpen: RateFigure;
  /** Counted apart, never as engagement. */
  machineOpens: number;
  botClicks: number;
  /** Clicks on our own links: unsubscribe, preferences, why, vote (never a success). */
  ownLinkClicks: Record<string, number>;
  votes: { up: number; down: number };
  /** Click-attributed orders (within clickDays of a person's click) per delivered message, and revenue. */
  conversionRate: RateFigure;
  revenue: number;
  /** View-through: orders within viewDays of delivery without a click. Shown apart, never added in. */
  viewThrough: { orders: number; revenue: number };
  complaintRate: RateFigure;
  bounceRate: RateFigure;
  unsubscribeRate: RateFigure;
  /**
   * Incentive codes redeemed: per delivered message (one code per message, redeemed once), the revenue of
   * the orders that used them, and how many of them were redeemed after their expiry (the shop's checkout
   * still took them). Counted apart from conversion: a code may be used without a click.
   */
  redemption: { rate: RateFigure; revenue: number; expired: number };
}

export interface VariantKpis extends MessageKpis {
  variant: string;
  version: string;
}

export interface RetentionFigure {
  days: number;
  treated: RateFigure;
  holdout: RateFigure;
  /** False until at least one day's cohort is older than `days`: no figure yet. */
  matured: boolean;
}

export interface DailyPoint {
  day: string;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  converted: number;
  heldOut: number;
  /** Messages sent per variant that day (the bandit's shares over time). */
  variants: Record<string, number>;
}

export interface JourneyKpis extends MessageKpis {
  journey: Journey;
  /** Per template variant and version, busiest first. */
  variants: VariantKpis[];
  /** triggered -> sent -> delivered -> opened -> clicked -> converted. */
  funnel: { stage: string; count: number }[];
  /**
   * Treated vs held out on conversion within conversionDays of the (would-be) send, over matured days only;
   * `undefined` while the journey has no holdout at all.
   */
  uplift: (JourneyUplift & { revenueTreated: number; revenueHoldout: number }) | undefined;
  retention: RetentionFigure[];
  daily: DailyPoint[];
}

export interface KpiReport {
  /** The instant the figures are as of (ISO): the end of a run, or now. */
  asOf: string;
  windows: AttributionWindows;
  journeys: JourneyKpis[];
  /** Every journey together. */
  total: MessageKpis;
  /** How many opens and clicks were classed machine or bot, against the human ones. */
  classified: { humanOpens: number; machineOpens: number; humanClicks: number; botClicks: number };
}

const DAY_MS = 86_400_000;

export function rateOf(count: number, of: number): RateFigure {
  return { count, of, rate: of > 0 ? count / of : null };
}

function add(into: Counts, from: Counts): Counts {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
  return into;
}

function messageKpis(c: Counts): MessageKpis {
  const n = (k: string) => c[k] ?? 0;
  const skipped: Record<string, number> = {};
  for (const [k, v] of Object.entries(c))
    if (k.startsWith('skipped_') && v) skipped[k.slice('skipped_'.length)] = v;
  const ownLinkClicks: Record<string, number> = {};
  for (const kind of ['unsubscribe', 'preferences', 'why', 'vote']) {
    const v = n(`clicked_${kind}`);
    if (v) ownLinkClicks[kind] = v;
  }
  const delivered = n('delivered');
  const reached = treatedOf(c);
  return {
    triggered: n('triggered'),
    sent: n('sent'),
    unknown: n('unknown'),
    failed: n('failed'),
    cancelled: n('cancelled'),
    skipped,
    delivered,
    bounces: { hard: n('bounced_hard'), soft: n('bounced_soft') },
    complained: n('complained'),
    unsubscribed: n('unsubscribed'),
    openRate: rateOf(n('opened'), delivered),
    clickRate: rateOf(n('clicked'), delivered),
    clickToOpen: rateOf(n('clicked_opened'), n('opened')),
    machineOpens: n('opened_machine'),
    botClicks: n('clicked_bot'),
    ownLinkClicks,
    votes: { up: n('voted_up'), down: n('voted_down') },
    conversionRate: rateOf(n('orders_click'), delivered),
    revenue: round2(n('revenue_click')),
    viewThrough: { orders: n('orders_view'), revenue: round2(n('revenue_view')) },
    complaintRate: rateOf(n('complained'), delivered),
    bounceRate: rateOf(n('bounced_hard') + n('bounced_soft'), reached),
    unsubscribeRate: rateOf(n('unsubscribed'), delivered),
    redemption: {
      rate: rateOf(n(REDEMPTION_COUNTERS.redeemed), delivered),
      revenue: round2(n(REDEMPTION_COUNTERS.revenue)),
      expired: n(REDEMPTION_COUNTERS.expired),
    },
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Whether a day's cohort has had `days` whole days by `asOf` (its last instant plus the window). */
function matured(day: string, days: number, asOf: Date): boolean {
  return Date.parse(`${day}T00:00:00.000Z`) + DAY_MS + days * DAY_MS <= asOf.getTime();
}

export function kpiReport(
  rows: readonly StatsRow[],
  asOf: Date,
  windows: AttributionWindows = DEFAULT_WINDOWS,
): KpiReport {
  const journeys: JourneyKpis[] = [];
  const all: Counts = {};
  for (const journey of JOURNEYS) {
    const mine = rows.filter((r) => r.journey === journey);
    const total: Counts = {};
    const byVariant = new Map<string, { variant: string; version: string; counts: Counts }>();
    const byDay = new Map<string, DailyPoint>();
    const exposure = {
      treated: 0,
      treatedConverted: 0,
      treatedRevenue: 0,
      held: 0,
      heldConverted: 0,
      heldRevenue: 0,
    };
    const retention = RETENTION_DAYS.map((days) => ({ days, t: 0, tr: 0, h: 0, hr: 0, matured: false }));
    for (const row of mine) {
      add(total, row.counts);
      const c = row.counts;
      if (row.variant !== NO_VARIANT || treatedOf(c) > 0) {
        const id = `${row.variant}#${row.version}`;
        const v = byVariant.get(id) ?? { variant: row.variant, version: row.version, counts: {} };
        add(v.counts, c);
        byVariant.set(id, v);
      }
      const point = byDay.get(row.day) ?? {
        day: row.day,
        sent: 0,
        delivered: 0,
        opened: 0,
        clicked: 0,
        converted: 0,
        heldOut: 0,
        variants: {},
      };
      point.sent += c.sent ?? 0;
      point.delivered += c.delivered ?? 0;
      point.opened += c.opened ?? 0;
      point.clicked += c.clicked ?? 0;
      point.converted += c.orders_click ?? 0;
      point.heldOut += heldOutOf(c);
      if (row.variant !== NO_VARIANT && c.sent)
        point.variants[row.variant] = (point.variants[row.variant] ?? 0) + c.sent;
      byDay.set(row.day, point);
      if (matured(row.day, windows.conversionDays, asOf)) {
        exposure.treated += treatedOf(c);
        exposure.treatedConverted += c.exposed_converted_treated ?? 0;
        exposure.treatedRevenue += c.exposed_revenue_treated ?? 0;
        exposure.held += heldOutOf(c);
        exposure.heldConverted += c.exposed_converted_holdout ?? 0;
        exposure.heldRevenue += c.exposed_revenue_holdout ?? 0;
      }
      for (const r of retention) {
        if (!matured(row.day, r.days, asOf)) continue;
        r.matured = true;
        r.t += treatedOf(c);
        r.tr += c[`retained${r.days}_treated`] ?? 0;
        r.h += heldOutOf(c);
        r.hr += c[`retained${r.days}_holdout`] ?? 0;
      }
    }
    add(all, total);
    const kpis = messageKpis(total);
    const hasHoldout = mine.some((r) => heldOutOf(r.counts) > 0);
    const uplift = hasHoldout
      ? {
          ...journeyUplift(
            { conversions: exposure.treatedConverted, customers: exposure.treated },
            { conversions: exposure.heldConverted, customers: exposure.held },
            { revenueTreated: exposure.treatedRevenue, revenueHoldout: exposure.heldRevenue },
          ),
          revenueTreated: round2(exposure.treatedRevenue),
          revenueHoldout: round2(exposure.heldRevenue),
          // Customers exist, but none has had the whole window yet: say that, not "no customers".
          ...(exposure.treated === 0 || exposure.held === 0
            ? {
                verdict: `Not yet: no ${exposure.treated === 0 ? 'send' : 'held-out customer'} has had its ${windows.conversionDays} days to order`,
              }
            : {}),
        }
      : undefined;
    journeys.push({
      journey,
      ...kpis,
      variants: [...byVariant.values()]
        .map((v) => ({ variant: v.variant, version: v.version, ...messageKpis(v.counts) }))
        .sort(
          (a, b) =>
            b.sent - a.sent || a.variant.localeCompare(b.variant) || a.version.localeCompare(b.version),
        ),
      funnel: [
        { stage: 'triggered', count: kpis.triggered },
        { stage: 'sent', count: kpis.sent + kpis.unknown },
        { stage: 'delivered', count: kpis.delivered },
        { stage: 'opened', count: kpis.openRate.count },
        { stage: 'clicked', count: kpis.clickRate.count },
        { stage: 'converted', count: kpis.conversionRate.count },
      ],
      uplift,
      retention: retention.map((r) => ({
        days: r.days,
        treated: rateOf(r.tr, r.t),
        holdout: rateOf(r.hr, r.h),
        matured: r.matured,
      })),
      daily: [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day)),
    });
  }
  return {
    asOf: asOf.toISOString(),
    windows,
    journeys,
    total: messageKpis(all),
    classified: {
      humanOpens: all.opened ?? 0,
      machineOpens: all.opened_machine ?? 0,
      humanClicks: all.clicked ?? 0,
      botClicks: all.clicked_bot ?? 0,
    },
  };
}
