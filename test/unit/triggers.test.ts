import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../../functions/domain/config.js';
import { messageIdFor, scheduleName, triggerKeys } from '../../functions/domain/ids.js';
import { activityPatch, inactivityCheck, upsertPatch } from '../../functions/domain/profile.js';
import { pickRecommendations } from '../../functions/domain/recommend.js';
import {
  cartFromEvent,
  cartReminderCheck,
  cartReminderDueAt,
  orderFollowupRequest,
  winbackCheck,
} from '../../functions/domain/triggers.js';

describe('Function: triggers', () => {
  it('derives the same message id for the same trigger, and another for another', () => {
    const a = orderFollowupRequest(
      {
        customerId: 'c1',
        orderId: 'o1',
        items: [{ sku: 's', name: 'n', price: 1, quantity: 1 }],
        currency: 'EUR',
        total: 1,
      },
      '2026-11-25T10:00:00.000Z',
    );
    expect(a.messageId).toBe(messageIdFor('order_followup:order:o1'));
    expect(messageIdFor(triggerKeys.birthday('c1', 2026))).not.toBe(
      messageIdFor(triggerKeys.birthday('c1', 2027)),
    );
  });

  it('makes the cart reminder due cartDelayMinutes after the last update', () => {
    expect(cartReminderDueAt('2026-11-25T10:00:00.000Z', DEFAULT_CONFIG).toISOString()).toBe(
      '2026-11-25T11:00:00.000Z',
    );
  });

  it('re-checks a reminder at fire time: ordered, emptied and superseded carts get none', () => {
    const cart = cartFromEvent(
      {
        customerId: 'c1',
        cartId: 'k1',
        items: [{ sku: 's', name: 'n', price: 1, quantity: 1 }],
        currency: 'EUR',
        total: 1,
      },
      '2026-11-25T10:00:00.000Z',
    );
    expect(cartReminderCheck(cart, { updatedAt: cart.updatedAt })).toEqual({ ok: true });
    expect(cartReminderCheck({ ...cart, status: 'ordered' }, cart)).toEqual({
      ok: false,
      reason: 'cart_ordered',
    });
    expect(cartReminderCheck({ ...cart, status: 'emptied' }, cart)).toEqual({
      ok: false,
      reason: 'cart_emptied',
    });
    expect(cartReminderCheck({ ...cart, updatedAt: '2026-11-25T10:30:00.000Z' }, cart)).toEqual({
      ok: false,
      reason: 'superseded',
    });
    expect(cartReminderCheck(undefined, cart)).toEqual({ ok: false, reason: 'cart_missing' });
    expect(
      cartFromEvent({ customerId: 'c1', cartId: 'k1', items: [], currency: 'EUR', total: 0 }, cart.updatedAt)
        .status,
    ).toBe('emptied');
  });

  it('keeps schedule names within the Scheduler limits', () => {
    expect(scheduleName('cart', 'k/1 ü')).toBe('cart-k_1__');
    expect(scheduleName('defer', 'x'.repeat(100))).toMatch(/^defer-[0-9a-f-]{36}$/);
  });
});

describe('Function: upsertPatch', () => {
  it('merges partial updates and keeps consent evidence', () => {
    const first = upsertPatch(
      undefined,
      {
        customerId: 'c1',
        email: 'a@b.example',
        birthday: '1990-02-28',
        consent: { email: 'opted_in', source: 'checkout', textVersion: 'v3' },
      },
      '2026-01-01T00:00:00.000Z',
      DEFAULT_CONFIG,
    );
    expect(first).toMatchObject({
      birthdayMd: '02-28',
      createdAt: '2026-01-01T00:00:00.000Z',
      lastActiveAt: '2026-01-01T00:00:00.000Z',
      inactiveOn: '2026-03-02',
    });
    const second = upsertPatch(
      {
        customerId: 'c1',
        email: 'a@b.example',
        consent: first.consent!,
        lastActiveAt: '2026-01-01T00:00:00.000Z',
      },
      { customerId: 'c1', email: 'a@b.example', consent: { topics: { winback: false } } },
      '2026-02-01T00:00:00.000Z',
      DEFAULT_CONFIG,
    );
    expect(second.consent).toEqual({
      email: 'opted_in',
      source: 'checkout',
      textVersion: 'v3',
      topics: { winback: false },
      updatedAt: '2026-02-01T00:00:00.000Z',
    });
    expect(second.firstName).toBeUndefined();
    expect(second.lastActiveAt).toBeUndefined();
  });

  it('never moves the last activity back (out-of-order events)', () => {
    expect(
      activityPatch(
        { customerId: 'c', email: 'e', lastActiveAt: '2026-02-01T00:00:00.000Z' },
        '2026-01-01T00:00:00.000Z',
        DEFAULT_CONFIG,
      ),
    ).toEqual({});
  });
});

describe('Function: pickRecommendations', () => {
  it('ranks by popularity and never offers what the customer holds or what is out of stock', () => {
    const picks = pickRecommendations(
      [
        { sku: 'a', name: 'A', price: 1, orderCount: 5 },
        { sku: 'b', name: 'B', price: 1, orderCount: 9 },
        { sku: 'c', name: 'C', price: 1, orderCount: 7, inStock: false },
        { sku: 'd', name: 'D', price: 1, orderCount: 8 },
        { sku: 'b', name: 'B', price: 1, orderCount: 9 },
      ],
      new Set(['d']),
      2,
    );
    expect(picks.map((p) => p.sku)).toEqual(['b', 'a']);
  });
});

describe('Function: inactivityCheck', () => {
  const config = DEFAULT_CONFIG; // 60 days

  it('starts the win-back when the line really fell on the swept day, and moves a stale key otherwise', () => {
    expect(inactivityCheck({ lastActiveAt: '2026-01-06T12:00:00.000Z' }, '2026-03-07', config)).toEqual({
      action: 'winback',
    });
    expect(inactivityCheck({ lastActiveAt: '2026-02-01T08:00:00.000Z' }, '2026-03-07', config)).toEqual({
      action: 'rekey',
      inactiveOn: '2026-04-02',
    });
    expect(inactivityCheck({}, '2026-03-07', config)).toEqual({ action: 'none' });
  });

  it('writes activity once per day and never moves the index key itself', () => {
    const existing = {
      customerId: 'c',
      email: 'e',
      lastActiveAt: '2026-01-06T12:00:00.000Z',
      inactiveOn: '2026-03-07',
    };
    expect(activityPatch(existing, '2026-01-06T18:00:00.000Z', config)).toEqual({});
    expect(activityPatch(existing, '2026-01-08T09:00:00.000Z', config)).toEqual({
      lastActiveAt: '2026-01-08T09:00:00.000Z',
    });
    expect(activityPatch(undefined, '2026-01-08T09:00:00.000Z', config)).toEqual({
      lastActiveAt: '2026-01-08T09:00:00.000Z',
      inactiveOn: '2026-03-09',
    });
  });
});

describe('Function: winbackCheck', () => {
  const cfg = parseConfig({ inactivityDays: 60, inactivity: { k: 0 } });

  it('still wants the win-back while the customer stays away', () => {
    const profile = { lastActiveAt: '2026-10-01T10:00:00.000Z' };
    expect(winbackCheck(profile, '2026-11-30', cfg)).toEqual({ ok: true });
  });

  it('drops it when they came back after the sweep saw them (their line moved past this spell)', () => {
    const profile = { lastActiveAt: '2026-12-01T08:00:00.000Z' };
    expect(winbackCheck(profile, '2026-11-30', cfg)).toEqual({ ok: false, reason: 'customer_active_again' });
  });
});
