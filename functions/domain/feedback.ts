/**
 * Feedback a customer gives (a vote on an item or a category, from an email link or the shop's own site),
 * and what it changes: the taste that recommendations respect, and the plain words the next email uses.
 */
import { EMAIL_STRINGS } from './i18n/email.js';
import { categoryName } from './i18n/reasons.js';
import type { Locale } from './locale.js';

export type Vote = 'up' | 'down';

export interface FeedbackVote {
  /** An item or a category, whichever the customer voted on. */
  target: { kind: 'sku' | 'category'; id: string; label?: string };
  vote: Vote;
  at: string;
  /** The message the vote came from, for attribution. */
  messageId?: string;
  source: 'email' | 'shop' | 'preference-center';
}

/** What recommendations must respect. */
export interface Taste {
  likedSkus: Set<string>;
  dislikedSkus: Set<string>;
  likedCategories: Set<string>;
  dislikedCategories: Set<string>;
}

const key = (v: FeedbackVote) => `${v.target.kind}:${v.target.id}`;

/**
 * Adds a vote; a later vote on the same target replaces the earlier one (a change of mind). A vote older than
 * the one already kept for its target (a late redelivery) changes nothing.
 */
export function addVote(votes: readonly FeedbackVote[], vote: FeedbackVote): FeedbackVote[] {
  const kept = votes.find((v) => key(v) === key(vote));
  if (kept && kept.at > vote.at) return [...votes];
  return [...votes.filter((v) => key(v) !== key(vote)), vote].sort((a, b) => a.at.localeCompare(b.at));
}

/** Removes the vote on a target (undo from the preference center). */
export function undoVote(votes: readonly FeedbackVote[], target: FeedbackVote['target']): FeedbackVote[] {
  return votes.filter((v) => !(v.target.kind === target.kind && v.target.id === target.id));
}

export function tasteOf(votes: readonly FeedbackVote[] = []): Taste {
  const taste: Taste = {
    likedSkus: new Set(),
    dislikedSkus: new Set(),
    likedCategories: new Set(),
    dislikedCategories: new Set(),
  };
  for (const v of votes) {
    const set =
      v.target.kind === 'sku'
        ? v.vote === 'up'
          ? taste.likedSkus
          : taste.dislikedSkus
        : v.vote === 'up'
          ? taste.likedCategories
          : taste.dislikedCategories;
    set.add(v.target.id);
  }
  return taste;
}

/**
 * The sentences the next email opens its recommendations with: one per vote given since the last message
 * (so a customer sees, once, that what they said changed something), none when there is nothing new.
 */
export function feedbackNotes(
  votes: readonly FeedbackVote[] = [],
  since: string | undefined,
  language: Locale = 'en',
): string[] {
  const words = EMAIL_STRINGS[language];
  return votes
    .filter((v) => !since || v.at > since)
    .map((v) => {
      const what =
        v.target.kind === 'category'
          ? categoryName(v.target.label ?? v.target.id)
          : (v.target.label ?? v.target.id);
      const note =
        v.target.kind === 'category'
          ? v.vote === 'down'
            ? words.noteCategoryDown
            : words.noteCategoryUp
          : v.vote === 'down'
            ? words.noteItemDown
            : words.noteItemUp;
      return note.replace('{what}', what);
    });
}

/** A vote from a `feedback.given` event (the shop's site) or a signed email link. */
export function voteFromEvent(
  detail: { sku?: string; category?: string; vote: Vote; messageId?: string },
  at: string,
  label?: string,
  source: FeedbackVote['source'] = 'shop',
): FeedbackVote {
  const target = detail.sku
    ? { kind: 'sku' as const, id: detail.sku }
    : { kind: 'category' as const, id: detail.category ?? '' };
  return {
    target: label ? { ...target, label } : target,
    vote: detail.vote,
    at,
    ...(detail.messageId ? { messageId: detail.messageId } : {}),
    source,
  };
}
