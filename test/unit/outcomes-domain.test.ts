import { describe, expect, it } from 'vitest';
import { type ExposureEntry, exposureOf, orderEffects } from '../../functions/domain/attribution.js';
import { DEFAULT_WINDOWS, kpiReport } from '../../functions/domain/kpis.js';
import {
  decisionCounts,
  decisionStats,
  messageStatsKey,
  type StatsRow,
} from '../../functions/domain/stats.js';

const sent = (
  id: string,
  at: string,
  events: Record<string, string> = {},
  journey = 'order_followup',
): ExposureEntry => ({
  messageId: id,
  journey: journey as ExposureEntry['journey'],
  decision: 'sent',
  variant: 'A',
  templateVersion: 'v000001',
  history: [
    { decision: 'sending', at },
    { decision: 'sent', at },
  ],
  events,
});
const held = (id: string, at: string, journey = 'winback'): ExposureEntry => ({
  messageId: id,
  journey: journey as ExposureEntry['journey'],
  decision: 'skipped',
  reason: 'holdout',
  history: [{ decision: 'skipped', at, reason: 'holdout' }],
  events: {},
});

describe('Function: decisionCounts', () => {
  it('counts a trigger once, at its first final decision, with the skip reason', () => {
    expect(decisionCounts('deferred', undefined, undefined)).toBeUndefined();
    expect(decisionCounts('sending', undefined, 'deferred')).toBeUndefined();
    expect(decisionCounts('sent', undefined, 'sending')).toEqual({ triggered: 1, sent: 1 });
    expect(decisionCounts('skipped', 'holdout', undefined)).toEqual({
      triggered: 1,
      skipped: 1,
      skipped_holdout: 1,
    });
  });

  it('moves a settled unknown to sent without counting the trigger again', () => {
    expect(decisionCounts('sent', undefined, 'unknown')).toEqual({ unknown: -1, sent: 1 });
    expect(decisionCounts('sent', undefined, 'sent')).toBeUndefined();
  });
});

describe('Function: decisionStats', () => {
  it('counts a send on its day, with the variant its claim recorded', () => {
    const counted = decisionStats(
      {
        journey: 'order_followup',
        decision: 'sending',
        variant: 'B',
        templateVersion: 'v000002',
        history: [{ decision: 'deferred', at: '2026-11-30T22:00:00.000Z' }],
      },
      { journey: 'order_followup', decision: 'sent', at: '2026-12-01T08:00:00.000Z' },
    );
    expect(counted).toEqual({
      key: { journey: 'order_followup', variant: 'B', version: 'v000002', day: '2026-12-01' },
      counts: { triggered: 1, sent: 1 },
    });
  });

  it('settles an unknown in the row it was counted in, whatever day the delivery came', () => {
    const counted = decisionStats(
      {
        journey: 'winback',
        decision: 'unknown',
        variant: 'A',
        templateVersion: 'v000001',
        history: [
          { decision: 'sending', at: '2026-12-01T23:59:00.000Z' },
          { decision: 'unknown', at: '2026-12-01T23:59:01.000Z' },
        ],
      },
      { journey: 'winback', decision: 'sent', at: '2026-12-02T00:00:05.000Z' },
    );
    expect(counted?.key.day).toBe('2026-12-01');
    expect(counted?.counts).toEqual({ unknown: -1, sent: 1 });
  });

  it('puts a skip before rendering in the row without a variant', () => {
    const counted = decisionStats(undefined, {
      journey: 'birthday',
      decision: 'skipped',
      reason: 'no_email_consent',
      at: '2026-12-01T09:00:00.000Z',
    });
    expect(counted?.key).toEqual({ journey: 'birthday', variant: '-', version: '-', day: '2026-12-01' });
  });
});

describe('Function: exposureOf', () => {
  it('is treated when sent or unknown, holdout when held out, nothing otherwise', () => {
    expect(exposureOf(sent('m1', '2026-12-01T10:00:00.000Z'))).toEqual({
      group: 'treated',
      at: '2026-12-01T10:00:00.000Z',
    });
    expect(exposureOf(held('m2', '2026-12-01T11:00:00.000Z'))?.group).toBe('holdout');
    expect(exposureOf({ ...held('m3', '2026-12-01T11:00:00.000Z'), reason: 'capped_daily' })).toBeUndefined();
  });
});

describe('Function: orderEffects', () => {
  const order = { at: '2026-12-05T12:00:00.000Z', total: 80 };

  it('gives the order to the latest message a person clicked within the click window, once', () => {
    const older = sent('old', '2026-12-01T09:00:00.000Z', {
      delivered: '2026-12-01T09:00:01.000Z',
      clicked: '2026-12-02T10:00:00.000Z',
    });
    const newer = sent('new', '2026-12-03T09:00:00.000Z', {
      delivered: '2026-12-03T09:00:01.000Z',
      clicked: '2026-12-03T10:00:00.000Z',
    });
    const effects = orderEffects([older, newer], order, DEFAULT_WINDOWS);
    const attributed = effects.filter((e) => e.always.orders_click);
    expect(attributed.map((e) => e.entry.messageId)).toEqual(['new']);
    expect(attributed[0]?.always.revenue_click).toBe(80);
    expect(effects.some((e) => e.always.orders_view)).toBe(false);
  });

  it('falls back to view-through within a day of delivery, labelled apart', () => {
    const viewed = sent('v', '2026-12-05T08:00:00.000Z', { delivered: '2026-12-05T08:00:01.000Z' });
    const [effect] = orderEffects([viewed], order, DEFAULT_WINDOWS).filter((e) => e.always.orders_view);
    expect(effect?.always).toMatchObject({ orders_view: 1, revenue_view: 80 });
    expect(effect?.always.orders_click).toBeUndefined();
  });

  it('attributes nothing to a click six days old, nor to a message sent after the order', () => {
    const stale = sent('s', '2026-11-28T09:00:00.000Z', {
      delivered: '2026-11-28T09:00:01.000Z',
      clicked: '2026-11-29T11:59:59.000Z',
    });
    const later = sent('l', '2026-12-05T13:00:00.000Z', {
      delivered: '2026-12-05T13:00:01.000Z',
      clicked: '2026-12-05T13:01:00.000Z',
    });
    const effects = orderEffects([stale, later], order, DEFAULT_WINDOWS);
    expect(effects.some((e) => e.always.orders_click || e.always.orders_view)).toBe(false);
  });

  it('converts sent and held-out exposures alike within the conversion window, and retains them', () => {
    const treated = sent('t', '2026-12-02T09:00:00.000Z', {}, 'winback');
    const holdout = held('h', '2026-12-01T09:00:00.000Z', 'cart_reminder');
    const longAgo = held('a', '2026-10-01T09:00:00.000Z', 'birthday');
    const byId = Object.fromEntries(
      orderEffects([treated, holdout, longAgo], order, DEFAULT_WINDOWS).map((e) => [e.entry.messageId, e]),
    );
    expect(byId.t?.once.exposed_converted).toEqual({ exposed_converted_treated: 1 });
    expect(byId.t?.always.exposed_revenue_treated).toBe(80);
    expect(byId.h?.once.exposed_converted).toEqual({ exposed_converted_holdout: 1 });
    expect(Object.keys(byId.h?.once ?? {}).sort()).toEqual([
      'exposed_converted',
      'retained30',
      'retained60',
      'retained90',
    ]);
    // 65 days before the order: retained within 90 days only, and long past the conversion window.
    expect(Object.keys(byId.a?.once ?? {})).toEqual(['retained90']);
    expect(byId.a?.always).toEqual({});
  });
});

describe('Function: kpiReport', () => {
  const row = (
    day: string,
    variant: string,
    counts: Record<string, number>,
    journey = 'order_followup',
  ): StatsRow => ({
    journey: journey as StatsRow['journey'],
    variant,
    version: variant === '-' ? '-' : 'v000001',
    day,
    counts,
  });

  it('shows rates with their counts and never divides by zero', () => {
    const report = kpiReport(
      [
        row('2026-12-01', 'A', {
          triggered: 10,
          sent: 10,
          delivered: 8,
          opened: 4,
          clicked: 2,
          opened_machine: 3,
          clicked_bot: 1,
          orders_click: 1,
          revenue_click: 42.5,
        }),
      ],
      new Date('2026-12-10T00:00:00.000Z'),
    );
    const j = report.journeys.find((x) => x.journey === 'order_followup');
    expect(j?.openRate).toEqual({ count: 4, of: 8, rate: 0.5 });
    expect(j?.clickRate).toEqual({ count: 2, of: 8, rate: 0.25 });
    expect(j?.conversionRate.count).toBe(1);
    expect(j?.revenue).toBe(42.5);
    expect(report.classified).toEqual({ humanOpens: 4, machineOpens: 3, humanClicks: 2, botClicks: 1 });
    const quiet = report.journeys.find((x) => x.journey === 'birthday');
    expect(quiet?.openRate).toEqual({ count: 0, of: 0, rate: null });
    expect(quiet?.uplift).toBeUndefined();
  });

  it('compares treated and held out over the days whose window has closed, by hand: 56/70 vs 48/80', () => {
    const rows = [
      row(
        '2026-12-01',
        'A',
        { sent: 70, exposed_converted_treated: 56, exposed_revenue_treated: 5600 },
        'winback',
      ),
      row(
        '2026-12-01',
        '-',
        { skipped: 80, skipped_holdout: 80, exposed_converted_holdout: 48, exposed_revenue_holdout: 4000 },
        'winback',
      ),
      // Too recent on 2026-12-05 (its 5 days have not passed): left out of the uplift.
      row('2026-12-04', 'A', { sent: 1000, exposed_converted_treated: 0 }, 'winback'),
    ];
    const uplift = kpiReport(rows, new Date('2026-12-07T00:00:00.000Z')).journeys.find(
      (j) => j.journey === 'winback',
    )?.uplift;
    expect(uplift?.treated).toMatchObject({ conversions: 56, customers: 70 });
    expect(uplift?.holdout).toMatchObject({ conversions: 48, customers: 80 });
    expect(uplift?.absoluteLift.difference).toBeCloseTo(0.2, 10);
    expect(uplift?.absoluteLift.low).toBeCloseTo(0.0524, 4);
    expect(uplift?.absoluteLift.high).toBeCloseTo(0.3339, 4);
    // 80 per treated customer against 50 per held-out one, over 70 treated customers.
    expect(uplift?.incrementalRevenue).toBeCloseTo(2100, 6);
  });

  it('says retention is not known until a cohort is old enough', () => {
    const rows = [
      row('2026-12-01', 'A', { sent: 10, retained30_treated: 3 }),
      row('2026-12-01', '-', { skipped_holdout: 5, retained30_holdout: 1 }),
    ];
    const early = kpiReport(rows, new Date('2026-12-20T00:00:00.000Z')).journeys.find(
      (j) => j.journey === 'order_followup',
    );
    expect(early?.retention[0]).toMatchObject({ days: 30, matured: false });
    const late = kpiReport(rows, new Date('2027-01-01T00:00:00.000Z')).journeys.find(
      (j) => j.journey === 'order_followup',
    );
    expect(late?.retention[0]).toEqual({
      days: 30,
      matured: true,
      treated: { count: 3, of: 10, rate: 0.3 },
      holdout: { count: 1, of: 5, rate: 0.2 },
    });
  });

  it('keys a message by the day of its first final decision', () => {
    expect(messageStatsKey(sent('m', '2026-12-03T23:00:00.000Z'), '2026-12-09T00:00:00.000Z').day).toBe(
      '2026-12-03',
    );
  });
});
