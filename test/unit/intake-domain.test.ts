/** The pure rules behind intake: tombstone ids, patches that change nothing, the size limit, withdrawals. */
import { describe, expect, it } from 'vitest';
import { PROFILE_SIZE_LIMIT_BYTES } from '../../functions/domain/events.js';
import { addVote, type FeedbackVote } from '../../functions/domain/feedback.js';
import type { Profile } from '../../functions/domain/model.js';
import {
  describeWithdrawal,
  effectivePatch,
  patchedProfile,
  profileTooLarge,
  SALVAGED_WITHDRAWAL_SOURCE,
  withdrawalPatch,
} from '../../functions/domain/profile.js';
import {
  currentTombstoneId,
  isTombstoneKey,
  tombstoneExpiresAt,
  tombstoneId,
  tombstoneIds,
  tombstoneKey,
} from '../../functions/domain/tombstone.js';
import { orderClosesCart } from '../../functions/domain/triggers.js';

const profile: Profile = {
  customerId: 'c1',
  email: 'c1@example.com',
  firstName: 'Ada',
  consent: {
    email: 'opted_in',
    topics: { birthday: true, winback: true },
    source: 'checkout',
    textVersion: 'v2',
    updatedAt: '2026-01-01T00:00:00.000Z',
  },
  attributes: { tier: 'gold' },
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('Function: tombstoneId', () => {
  const secret = 's'.repeat(32);

  it('is a hex HMAC-SHA256 of the customer id: the same for the same key, unreadable without it', () => {
    const id = tombstoneId('Customer-Ada', secret);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(tombstoneId('Customer-Ada', secret)).toBe(id);
    expect(tombstoneId('Customer-Ada', 't'.repeat(32))).not.toBe(id);
    expect(tombstoneId('Customer-Bob', secret)).not.toBe(id);
    expect(id).not.toContain('Ada');
  });

  it('is written under the current key and looked up under every configured key (rotation)', () => {
    const keys = { current: 'k2', keys: { k1: 'a'.repeat(32), k2: 'b'.repeat(32) } };
    expect(currentTombstoneId('c1', keys)).toBe(tombstoneId('c1', 'b'.repeat(32)));
    expect(tombstoneIds('c1', keys)).toEqual([
      tombstoneId('c1', 'b'.repeat(32)),
      tombstoneId('c1', 'a'.repeat(32)),
    ]);
    expect(() => currentTombstoneId('c1', { current: 'gone', keys: {} })).toThrow('gone');
  });

  it('lives in its own key space, and lasts as long as rejected events (90 days)', () => {
    expect(tombstoneKey('ab')).toBe('erased#ab');
    expect(isTombstoneKey('erased#ab')).toBe(true);
    expect(isTombstoneKey('C-1')).toBe(false);
    expect(tombstoneExpiresAt(new Date('2026-12-01T00:00:00Z'))).toBe(
      Date.parse('2027-03-01T00:00:00Z') / 1000,
    );
  });
});

describe('Function: effectivePatch', () => {
  it('leaves out what is already stored, so a duplicate event writes nothing', () => {
    expect(
      effectivePatch(profile, {
        firstName: 'Ada',
        attributes: { tier: 'gold' },
        updatedAt: '2026-02-01T00:00:00.000Z',
      }),
    ).toEqual({});
    expect(effectivePatch(profile, { firstName: 'Bea', updatedAt: '2026-02-01T00:00:00.000Z' })).toEqual({
      firstName: 'Bea',
      updatedAt: '2026-02-01T00:00:00.000Z',
    });
  });

  it('keeps a removal only of something stored, and everything for a new profile', () => {
    expect(effectivePatch(profile, { inactiveOn: null, firstName: null })).toEqual({ firstName: null });
    expect(effectivePatch(undefined, { email: 'x@example.com', updatedAt: 't' })).toEqual({
      email: 'x@example.com',
      updatedAt: 't',
    });
  });
});

describe('Function: profileTooLarge', () => {
  it('estimates the stored profile plus the patch against the limit', () => {
    const fits = { attributes: { note: 'x'.repeat(1000) } };
    expect(profileTooLarge(profile, fits)).toBeUndefined();
    const huge = { attributes: { note: 'x'.repeat(PROFILE_SIZE_LIMIT_BYTES) } };
    expect(profileTooLarge(profile, huge)).toMatch(
      /^profile_too_large: the profile would be about \d+ bytes, over the 300000-byte limit/,
    );
  });

  it('counts what a patch removes as gone', () => {
    const big: Profile = { ...profile, firstName: 'x'.repeat(PROFILE_SIZE_LIMIT_BYTES) };
    expect(profileTooLarge(big, {})).toBeDefined();
    expect(profileTooLarge(big, { firstName: null })).toBeUndefined();
    expect(patchedProfile(big, { firstName: null })).not.toHaveProperty('firstName');
  });
});

describe('Function: withdrawalPatch', () => {
  it('applies only the withdrawal, with evidence: the event time and where it came from', () => {
    const withdrawal = {
      customerId: 'c1',
      consent: { email: 'opted_out' as const, topics: { birthday: false as const } },
    };
    expect(withdrawalPatch(profile, withdrawal, '2026-03-01T10:00:00.000Z')).toEqual({
      consent: {
        email: 'opted_out',
        topics: { birthday: false, winback: true },
        source: SALVAGED_WITHDRAWAL_SOURCE,
        textVersion: 'v2',
        updatedAt: '2026-03-01T10:00:00.000Z',
      },
      updatedAt: '2026-03-01T10:00:00.000Z',
    });
    expect(describeWithdrawal(withdrawal)).toBe('email opted out; topics off: birthday');
    expect(describeWithdrawal({ customerId: 'c1', consent: { topics: { winback: false } } })).toBe(
      'topics off: winback',
    );
  });
});

describe('Function: orderClosesCart', () => {
  it('closes carts not updated after the order, never a newer or an ordered one', () => {
    const at = '2026-12-01T10:00:00.000Z';
    expect(orderClosesCart(undefined, at)).toBe(true);
    expect(orderClosesCart({ status: 'open', updatedAt: '2026-12-01T09:00:00.000Z' }, at)).toBe(true);
    expect(orderClosesCart({ status: 'open', updatedAt: at }, at)).toBe(true);
    expect(orderClosesCart({ status: 'emptied', updatedAt: '2026-12-01T09:00:00.000Z' }, at)).toBe(true);
    expect(orderClosesCart({ status: 'open', updatedAt: '2026-12-01T11:00:00.000Z' }, at)).toBe(false);
    expect(orderClosesCart({ status: 'ordered', updatedAt: '2026-12-01T09:00:00.000Z' }, at)).toBe(false);
  });
});

describe('Function: addVote', () => {
  const vote = (v: 'up' | 'down', at: string): FeedbackVote => ({
    target: { kind: 'sku', id: 'S1' },
    vote: v,
    at,
    source: 'shop',
  });

  it('lets a later vote replace an earlier one, and a late redelivery of an older vote change nothing', () => {
    const votes = addVote([], vote('up', '2026-01-02T00:00:00Z'));
    expect(addVote(votes, vote('down', '2026-01-03T00:00:00Z'))).toEqual([
      vote('down', '2026-01-03T00:00:00Z'),
    ]);
    expect(addVote(votes, vote('down', '2026-01-01T00:00:00Z'))).toEqual(votes);
    expect(addVote(votes, vote('up', '2026-01-02T00:00:00Z'))).toEqual(votes);
  });
});
