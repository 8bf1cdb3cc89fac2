/**
 * Hand-built stats rows for the KPI report's tests: order_followup with two variants whose click rates differ
 * (the bandit moves traffic from A to B over a week) and a holdout, cart_reminder without a holdout and with a
 * day of nothing delivered, birthday triggered but never sent (every rate over zero), winback with no traffic.
 */
import { NO_VARIANT, type StatsRow } from '../../functions/domain/stats.js';

/** The week the fixture's messages were sent. */
export const DAYS = [
  '2026-11-02',
  '2026-11-03',
  '2026-11-04',
  '2026-11-05',
  '2026-11-06',
  '2026-11-07',
  '2026-11-08',
];

/** 40 days after the last send: conversion and 30-day retention windows closed, 60 and 90 days not yet. */
export const AS_OF = new Date('2026-12-18T00:00:00.000Z');

/** Counters of `sent` messages of a variant with the given per-mille rates. */
function sends(sent: number, clickPerMille: number, i: number): Record<string, number> {
  const delivered = sent - 1;
  const opened = Math.round(delivered * 0.45);
  const clicked = Math.round((delivered * clickPerMille) / 1000);
  const orders = Math.round(clicked / 2);
  return {
    triggered: sent,
    sent,
    delivered,
    bounced_hard: 1,
    opened,
    opened_machine: Math.round(delivered * 0.12),
    clicked,
    clicked_opened: clicked,
    clicked_bot: i % 2,
    clicked_unsubscribe: i === 3 ? 1 : 0,
    unsubscribed: i === 3 ? 1 : 0,
    complained: i === 5 ? 1 : 0,
    voted_up: i % 3 === 0 ? 1 : 0,
    orders_click: orders,
    revenue_click: orders * 42.5,
    orders_view: i % 2,
    revenue_view: (i % 2) * 19.9,
    exposed_converted_treated: Math.round(sent * 0.13),
    exposed_revenue_treated: Math.round(sent * 0.13) * 40,
    retained30_treated: Math.round(sent * 0.3),
  };
}

export function fixtureRows(): StatsRow[] {
  const rows: StatsRow[] = [];
  DAYS.forEach((day, i) => {
    const a = 40 - 5 * i;
    const b = 10 + 6 * i;
    rows.push(
      { journey: 'order_followup', variant: 'A', version: 'v000001', day, counts: sends(a, 50, i) },
      { journey: 'order_followup', variant: 'B', version: 'v000001', day, counts: sends(b, 120, i) },
      {
        journey: 'order_followup',
        variant: NO_VARIANT,
        version: NO_VARIANT,
        day,
        counts: {
          triggered: 12,
          skipped: 12,
          skipped_holdout: 10,
          skipped_no_consent: 2,
          exposed_converted_holdout: 1,
          exposed_revenue_holdout: 35,
          retained30_holdout: 2,
        },
      },
    );
  });
  rows.push(
    {
      journey: 'cart_reminder',
      variant: 'A',
      version: 'v000002',
      day: DAYS[0]!,
      counts: {
        triggered: 20,
        sent: 20,
        delivered: 20,
        opened: 8,
        opened_machine: 3,
        clicked: 3,
        orders_click: 1,
        revenue_click: 25,
      },
    },
    {
      journey: 'cart_reminder',
      variant: NO_VARIANT,
      version: NO_VARIANT,
      day: DAYS[1]!,
      counts: { triggered: 4, skipped: 4, skipped_no_consent: 4 },
    },
    {
      journey: 'birthday',
      variant: NO_VARIANT,
      version: NO_VARIANT,
      day: DAYS[2]!,
      counts: { triggered: 3, skipped: 3, skipped_quiet_customer: 3 },
    },
  );
  return rows;
}
