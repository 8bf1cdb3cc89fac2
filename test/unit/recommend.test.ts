import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addVote,
  type FeedbackVote,
  feedbackNotes,
  tasteOf,
  undoVote,
} from '../../functions/domain/feedback.js';
import { CANDIDATE_LIMITS, candidatePlan, recommend } from '../../functions/domain/recommend.js';
import { product } from './product-fixture.js';

const p = product;
const vote = (kind: 'sku' | 'category', id: string, v: 'up' | 'down', at: string): FeedbackVote => ({
  target: { kind, id },
  vote: v,
  at,
  source: 'email',
});

describe('Function: recommend', () => {
  const teapot = p('teapot', 'kitchen', 5, { coBought: { strainer: 8, mug: 2 } });
  const catalogue = [
    p('strainer', 'kitchen', 3),
    p('mug', 'kitchen', 20),
    p('sencha', 'tea', 50, { consumable: true }),
    p('kettle', 'kitchen', 40, { inStock: false }),
    p('novel', 'books', 60),
  ];

  it('ranks what is bought together above what is merely popular', () => {
    const picks = recommend({ seeds: [teapot], candidates: catalogue, taste: tasteOf(), limit: 3 });
    expect(picks.map((r) => r.sku)).toEqual(['strainer', 'mug', 'novel']);
    expect(picks[0]).toMatchObject({
      reason: 'bought_together',
      because: 'Often bought together with your items',
    });
  });

  it("follows the shop's own weights: with popularity counting most, the best seller comes first", () => {
    const picks = recommend({
      seeds: [teapot],
      candidates: catalogue,
      taste: tasteOf(),
      limit: 3,
      weights: { coPurchase: 0.1, popularity: 10 },
    });
    expect(picks.map((r) => r.sku)).toEqual(['novel', 'sencha', 'mug']);
  });

  it('says "new" for an item the shop added within 30 days when nothing personal picked it, never after', () => {
    // Prepare
    const now = new Date('2026-12-10T00:00:00Z');
    const candidates = [
      p('fresh', 'books', 1, { addedAt: '2026-12-01' }),
      p('old', 'books', 1, { addedAt: '2026-10-01' }),
      p('partner', 'kitchen', 1, { addedAt: '2026-12-05' }),
    ];
    // Act
    const picks = recommend({
      seeds: [p('teapot', 'kitchen', 5, { coBought: { partner: 3 } })],
      candidates,
      taste: tasteOf(),
      limit: 3,
      now,
    });
    const later = recommend({
      seeds: [],
      candidates,
      taste: tasteOf(),
      limit: 3,
      now: new Date('2027-02-01T00:00:00Z'),
    });
    // Assess
    expect(picks.map((r) => [r.sku, r.reason])).toEqual([
      ['partner', 'bought_together'],
      ['fresh', 'new'],
      ['old', 'popular'],
    ]);
    expect(picks[1]).not.toHaveProperty('addedAt');
    expect(later.map((r) => r.reason)).toEqual(['popular', 'popular', 'popular']);
  });

  it('never offers a disliked item, a disliked category, an out-of-stock item or what was just bought', () => {
    const taste = tasteOf([
      vote('sku', 'strainer', 'down', '2026-01-01'),
      vote('category', 'books', 'down', '2026-01-02'),
    ]);
    const picks = recommend({
      seeds: [teapot],
      candidates: catalogue,
      taste,
      recentlyBought: new Set(['mug', 'sencha']),
      limit: 5,
    });
    // sencha is consumable, so a recent purchase does not exclude it
    expect(picks.map((r) => r.sku)).toEqual(['sencha']);
  });

  it('lifts categories the customer liked', () => {
    const taste = tasteOf([vote('category', 'tea', 'up', '2026-01-01')]);
    const picks = recommend({
      seeds: [],
      candidates: [p('a', 'books', 10), p('b', 'tea', 9)],
      taste,
      limit: 1,
    });
    expect(picks[0]).toMatchObject({
      sku: 'b',
      reason: 'liked_category',
      because: 'From Tea, which you said you like',
    });
  });

  it('holds for any catalogue and votes: nothing disliked, out of stock or held ever comes back', () => {
    const sku = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
    const cat = fc.constantFrom('x', 'y', 'z');
    fc.assert(
      fc.property(
        fc.array(fc.record({ sku, category: cat, orderCount: fc.nat(100), inStock: fc.boolean() })),
        fc.array(
          fc.record({
            kind: fc.constantFrom('sku' as const, 'category' as const),
            id: fc.oneof(sku, cat),
            v: fc.constantFrom('up' as const, 'down' as const),
          }),
        ),
        fc.array(sku, { maxLength: 2 }),
        (products, votes, heldSkus) => {
          const taste = tasteOf(
            votes.reduce<FeedbackVote[]>(
              (all, v, i) =>
                addVote(all, vote(v.kind, v.id, v.v, `2026-01-${String(i + 1).padStart(2, '0')}`)),
              [],
            ),
          );
          const candidates = products.map((x) => p(x.sku, x.category, x.orderCount, { inStock: x.inStock }));
          const seeds = heldSkus.map((s) => p(s, 'x', 1));
          for (const r of recommend({ seeds, candidates, taste, limit: 10 })) {
            expect(taste.dislikedSkus.has(r.sku)).toBe(false);
            expect(taste.dislikedCategories.has(r.category ?? '')).toBe(false);
            expect(heldSkus).not.toContain(r.sku);
            expect(candidates.find((c) => c.sku === r.sku)?.inStock).not.toBe(false);
          }
        },
      ),
    );
  });
});

describe('Function: feedbackNotes', () => {
  const votes = [
    {
      ...vote('sku', 'SKU-1', 'down', '2026-02-01T10:00:00Z'),
      target: { kind: 'sku' as const, id: 'SKU-1', label: 'Earl Grey' },
    },
    vote('category', 'coffee', 'up', '2026-02-03T10:00:00Z'),
  ];

  it('says what changed for each vote since the last message, and nothing when there is none', () => {
    expect(feedbackNotes(votes, '2026-01-31T00:00:00Z')).toEqual([
      'You told us Earl Grey wasn’t for you, so we left it out.',
      'You told us you like Coffee, so we picked more of it.',
    ]);
    expect(feedbackNotes(votes, '2026-02-02T00:00:00Z')).toHaveLength(1);
    expect(feedbackNotes(votes, '2026-02-04T00:00:00Z')).toEqual([]);
    expect(feedbackNotes([], undefined)).toEqual([]);
  });

  it('keeps one vote per target (a change of mind replaces it) and undoes it', () => {
    const changed = addVote(votes, vote('sku', 'SKU-1', 'up', '2026-02-05T00:00:00Z'));
    expect(changed.filter((v) => v.target.id === 'SKU-1').map((v) => v.vote)).toEqual(['up']);
    expect(undoVote(changed, { kind: 'sku', id: 'SKU-1' }).map((v) => v.target.id)).toEqual(['coffee']);
  });
});

describe('Function: candidatePlan', () => {
  it('reads at most 8 co-purchase partners and 3 own categories, strongest first, whatever the history', () => {
    const coBought = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`P${i}`, i]));
    const purchasedCategories = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`cat${i}`, i]));
    const plan = candidatePlan({
      seeds: [{ category: 'tea', coBought }],
      purchasedCategories,
      likedCategories: new Set(['garden']),
    });
    expect(plan.partners).toEqual(['P19', 'P18', 'P17', 'P16', 'P15', 'P14', 'P13', 'P12']);
    expect(plan.categories).toEqual(['tea', 'cat9', 'cat8', 'cat7', 'garden']);
    expect(CANDIDATE_LIMITS).toEqual({ partners: 8, ownCategories: 3 });
  });
});
