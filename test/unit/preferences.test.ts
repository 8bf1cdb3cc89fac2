import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../functions/domain/ledger.js';
import type { Cart, Profile } from '../../functions/domain/model.js';
import {
  buildExport,
  consentAfterUndo,
  consentFromTopicsForm,
  fieldChangeFromForm,
  PreferenceFormError,
  pausedUntilFor,
  preferencesFromForm,
  timeZoneOptions,
  trackingFromForm,
  trackingOn,
} from '../../functions/domain/preferences.js';
import { mergeConsent } from '../../functions/domain/profile.js';

const NOW = new Date('2027-01-31T10:00:00Z');
const AT = NOW.toISOString();
const form = (entries: Record<string, string | string[]>) => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(entries))
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  return params;
};
const PROFILE: Profile = {
  customerId: 'C-1',
  email: 'ada@example.com',
  firstName: 'Ada',
  birthday: '1990-03-14',
  birthdayMd: '03-14',
  attributes: { tier: 'gold', 'shoe size': 38 },
};

describe('Function: pausedUntilFor', () => {
  it('adds two weeks in days and months by the calendar, clamping to the last day of a short month', () => {
    // Prepare / Act / Assess
    expect(pausedUntilFor('2w', NOW)).toBe('2027-02-14T10:00:00.000Z');
    expect(pausedUntilFor('1m', NOW)).toBe('2027-02-28T10:00:00.000Z');
    expect(pausedUntilFor('1m', new Date('2028-01-31T10:00:00Z'))).toBe('2028-02-29T10:00:00.000Z');
    expect(pausedUntilFor('2m', NOW)).toBe('2027-03-31T10:00:00.000Z');
    expect(pausedUntilFor('3m', new Date('2026-11-15T08:30:00Z'))).toBe('2027-02-15T08:30:00.000Z');
  });
});

describe('Function: preferencesFromForm', () => {
  it('reads normal, fewer, and a pause with its end', () => {
    // Prepare / Act / Assess
    expect(preferencesFromForm(form({ frequency: 'normal', pauseFor: '1m' }), NOW)).toEqual({
      frequency: 'normal',
      updatedAt: AT,
    });
    expect(preferencesFromForm(form({ frequency: 'fewer' }), NOW)).toEqual({
      frequency: 'fewer',
      updatedAt: AT,
    });
    expect(preferencesFromForm(form({ frequency: 'paused', pauseFor: '2w' }), NOW)).toEqual({
      frequency: 'paused',
      pausedUntil: '2027-02-14T10:00:00.000Z',
      updatedAt: AT,
    });
  });

  it('refuses an unknown frequency and a pause length outside 2 weeks to 3 months', () => {
    // Prepare / Act / Assess
    expect(() => preferencesFromForm(form({ frequency: 'never' }), NOW)).toThrow(PreferenceFormError);
    expect(() => preferencesFromForm(form({ frequency: 'paused', pauseFor: '6m' }), NOW)).toThrow(
      PreferenceFormError,
    );
    expect(() => preferencesFromForm(form({ frequency: 'paused', pauseFor: 'toString' }), NOW)).toThrow(
      PreferenceFormError,
    );
    expect(() => preferencesFromForm(form({ frequency: 'paused' }), NOW)).toThrow(PreferenceFormError);
  });
});

describe('Function: trackingFromForm', () => {
  it('stores tracking off and back on, keeping the frequency and any pause, and refuses anything else', () => {
    // Prepare
    const paused = { frequency: 'paused' as const, pausedUntil: '2027-03-01T00:00:00Z', updatedAt: 'x' };

    // Act
    const off = trackingFromForm(form({ tracking: 'off' }), NOW, paused);
    const on = trackingFromForm(form({ tracking: 'on' }), NOW, off);
    const fresh = trackingFromForm(form({ tracking: 'off' }), NOW, undefined);

    // Assess
    expect(off).toEqual({ ...paused, updatedAt: AT, tracking: false });
    expect(on).toEqual({ ...paused, updatedAt: AT, tracking: true });
    expect(fresh).toEqual({ frequency: 'normal', updatedAt: AT, tracking: false });
    for (const bad of [{}, { tracking: 'false' }, { tracking: 'yes' }] as Record<string, string>[])
      expect(() => trackingFromForm(form(bad), NOW, paused)).toThrow(PreferenceFormError);
  });

  it('is kept by the frequency form, and read as on by default only when the shop tracks something', () => {
    // Prepare / Act
    const fewer = preferencesFromForm(form({ frequency: 'fewer' }), NOW, {
      frequency: 'normal',
      updatedAt: 'x',
      tracking: false,
    });

    // Assess
    expect(fewer).toEqual({ frequency: 'fewer', updatedAt: AT, tracking: false });
    expect(trackingOn(undefined, { opens: true, clicks: false })).toBe(true);
    expect(trackingOn(fewer, { opens: true, clicks: true })).toBe(false);
    expect(
      trackingOn({ frequency: 'normal', updatedAt: 'x', tracking: true }, { opens: false, clicks: false }),
    ).toBe(false);
  });
});

describe('Function: consentAfterUndo', () => {
  it('undoes a one-click unsubscribe with its own evidence, once, and nothing else', () => {
    // Prepare
    const unsubscribed = {
      email: 'opted_out' as const,
      source: 'one-click-unsubscribe',
      topics: { winback: false },
    };

    // Act
    const given = consentAfterUndo(unsubscribed);
    const merged = mergeConsent(unsubscribed, given!, AT);

    // Assess
    expect(given).toEqual({
      email: 'opted_in',
      source: 'undo_unsubscribe',
      textVersion: 'undo-unsubscribe-v1',
    });
    expect(merged).toEqual({ ...given, topics: { winback: false }, updatedAt: AT });
    expect(consentAfterUndo(merged)).toBeNull();
    for (const other of [
      undefined,
      { email: 'opted_out' as const, source: 'preference-center' },
      { email: 'opted_in' as const, source: 'checkout' },
    ])
      expect(() => consentAfterUndo(other), JSON.stringify(other)).toThrow('There is no unsubscribe to undo');
  });
});

describe('Function: consentFromTopicsForm', () => {
  it('writes every topic, an unticked box as an explicit false, with preference-center evidence', () => {
    // Prepare
    const existing = {
      email: 'opted_in' as const,
      source: 'checkout',
      textVersion: 'v1',
      topics: { winback: true },
    };

    // Act
    const merged = mergeConsent(
      existing,
      consentFromTopicsForm(form({ email: 'opted_in', topic: ['birthday', 'winback', 'not_a_topic'] })),
      AT,
    );

    // Assess
    expect(merged).toEqual({
      email: 'opted_in',
      topics: { cart_reminders: false, order_followups: false, birthday: true, winback: true },
      source: 'preference-center',
      textVersion: 'preference-center-v1',
      updatedAt: AT,
    });
  });

  it('records an opt-out, and refuses an email value it does not know', () => {
    // Prepare / Act / Assess
    expect(consentFromTopicsForm(form({ email: 'opted_out' })).email).toBe('opted_out');
    expect(() => consentFromTopicsForm(form({ email: 'maybe' }))).toThrow(PreferenceFormError);
  });
});

describe('Function: fieldChangeFromForm', () => {
  it('saves a trimmed first name and refuses an empty or overlong one', () => {
    // Prepare / Act
    const saved = fieldChangeFromForm(
      form({ field: 'firstName', action: 'save', value: '  Grace ' }),
      PROFILE,
      AT,
    );

    // Assess
    expect(saved).toEqual({
      kind: 'patch',
      field: 'firstName',
      patch: { firstName: 'Grace', updatedAt: AT },
    });
    for (const value of ['   ', 'x'.repeat(101)]) {
      expect(() =>
        fieldChangeFromForm(form({ field: 'firstName', action: 'save', value }), PROFILE, AT),
      ).toThrow(PreferenceFormError);
    }
  });

  it('accepts only IANA zones from the list', () => {
    // Prepare / Act
    const saved = fieldChangeFromForm(
      form({ field: 'timeZone', action: 'save', value: 'Asia/Tokyo' }),
      PROFILE,
      AT,
    );

    // Assess
    expect(saved).toMatchObject({ patch: { timeZone: 'Asia/Tokyo' } });
    expect(timeZoneOptions()).toContain('UTC');
    for (const value of ['Europe/Atlantis', 'asia/tokyo', '']) {
      expect(() =>
        fieldChangeFromForm(form({ field: 'timeZone', action: 'save', value }), PROFILE, AT),
      ).toThrow(PreferenceFormError);
    }
  });

  it('saves a birthday with or without the year, with its index key, and refuses a date that does not exist', () => {
    // Prepare
    const birthday = (extra: Record<string, string>) =>
      fieldChangeFromForm(form({ field: 'birthday', action: 'save', ...extra }), PROFILE, AT);

    // Act / Assess
    expect(birthday({ day: '9', month: '7', year: '1985' })).toMatchObject({
      patch: { birthday: '1985-07-09', birthdayMd: '07-09' },
    });
    expect(birthday({ day: '29', month: '2', year: '' })).toMatchObject({
      patch: { birthday: '--02-29', birthdayMd: '02-29' },
    });
    expect(() => birthday({ day: '30', month: '2' })).toThrow(PreferenceFormError);
    expect(() => birthday({ day: '', month: '2' })).toThrow('Choose the day and month of your birthday.');
    expect(() => birthday({ day: '29', month: '2', year: '2023' })).toThrow(PreferenceFormError);
    expect(() => birthday({ day: '1', month: '1', year: '85' })).toThrow(PreferenceFormError);
  });

  it('deletes a birthday together with its index key, so the birthday sweep no longer finds the customer', () => {
    // Prepare / Act
    const change = fieldChangeFromForm(form({ field: 'birthday', action: 'delete' }), PROFILE, AT);

    // Assess
    expect(change).toEqual({
      kind: 'patch',
      field: 'birthday',
      patch: { birthday: null, birthdayMd: null, updatedAt: AT },
    });
  });

  it('deletes a stored attribute by name, and nothing the profile does not hold', () => {
    // Prepare / Act
    const change = fieldChangeFromForm(
      form({ field: 'attributes.shoe size', action: 'delete' }),
      PROFILE,
      AT,
    );

    // Assess
    expect(change).toEqual({ kind: 'removeAttribute', key: 'shoe size' });
    for (const field of ['attributes.missing', 'attributes.__proto__', 'attributes.tier']) {
      const action = field === 'attributes.tier' ? 'save' : 'delete';
      expect(() => fieldChangeFromForm(form({ field, action }), PROFILE, AT)).toThrow(PreferenceFormError);
    }
  });

  it('refuses fields that are not the customer’s to edit here, and a missing action', () => {
    // Prepare / Act / Assess
    for (const field of ['email', 'customerId', 'consent', 'recentSends', 'suppressed']) {
      expect(() => fieldChangeFromForm(form({ field, action: 'delete' }), PROFILE, AT)).toThrow(
        PreferenceFormError,
      );
    }
    expect(() => fieldChangeFromForm(form({ field: 'firstName', value: 'X' }), PROFILE, AT)).toThrow(
      PreferenceFormError,
    );
  });
});

describe('Function: buildExport', () => {
  it('contains the profile, carts and messages of this customer only, messages oldest first', () => {
    // Prepare
    const cart = (cartId: string, customerId: string): Cart => ({
      cartId,
      customerId,
      status: 'open',
      items: [],
      currency: 'EUR',
      total: 0,
      updatedAt: AT,
    });
    const message = (messageId: string, customerId: string, createdAt: string): LedgerEntry => ({
      messageId,
      customerId,
      journey: 'order_followup',
      triggerKey: `order_followup:order:${messageId}`,
      decision: 'sent',
      createdAt,
      updatedAt: createdAt,
      history: [{ decision: 'sent', at: createdAt }],
      consent: { email: 'opted_in', source: 'checkout' },
    });

    // Act
    const data = buildExport({
      profile: PROFILE,
      carts: [cart('K-1', 'C-1'), cart('K-2', 'C-2')],
      messages: [
        message('M-2', 'C-1', '2027-01-02T00:00:00Z'),
        message('M-X', 'C-2', '2027-01-01T00:00:00Z'),
        message('M-1', 'C-1', '2027-01-01T00:00:00Z'),
      ],
      exportedAt: NOW,
      shopName: 'Demo Shop',
    });

    // Assess
    expect(data.profile).toEqual(PROFILE);
    expect(data.carts.map((c) => c.cartId)).toEqual(['K-1']);
    expect(data.messages.map((m) => m.messageId)).toEqual(['M-1', 'M-2']);
    expect(data.messages[0]).toMatchObject({
      history: [{ decision: 'sent' }],
      consent: { source: 'checkout' },
    });
    expect(JSON.stringify(data)).not.toContain('C-2');
  });
});
