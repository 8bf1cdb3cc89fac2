/**
 * "Your answers about our suggestions": every vote the customer gave, what it changes in plain words, and a
 * form to undo it. Votes come from email links and the shop's site, so this is the one place a customer can
 * see them all and take one back (the email links only ever add).
 */
import type { FeedbackVote } from '../feedback.js';
import { type PageContext, when } from './context.js';
import { categoryName, itemName } from './labels.js';
import { escapeHtml } from './layout.js';

/** What a vote is about, by name: the item's label or catalogue name, or the category in words. */
function targetName(ctx: PageContext, vote: FeedbackVote, names: Readonly<Record<string, string>>): string {
  return vote.target.kind === 'sku'
    ? itemName(ctx.t, names, vote.target.id, vote.target.label)
    : (vote.target.label ?? categoryName(vote.target.id));
}

/** What a vote changes in the emails, and what undoing it changes back: the customer's own words, not ours. */
function effect(ctx: PageContext, vote: FeedbackVote, what: string) {
  const v = ctx.t.votes;
  if (vote.target.kind === 'category')
    return vote.vote === 'down' ? v.categoryDown(what) : v.categoryUp(what);
  return vote.vote === 'down' ? v.itemDown(what) : v.itemUp(what);
}

/** The body of the preference center's section; `base` is `/p/<token>`. Newest answer first. */
export function votesBody(
  ctx: PageContext,
  base: string,
  votes: readonly FeedbackVote[] = [],
  names: Readonly<Record<string, string>> = {},
): string {
  const v = ctx.t.votes;
  const items = [...votes]
    .sort((a, b) => b.at.localeCompare(a.at))
    .map((vote, i) => voteItem(ctx, base, vote, i, targetName(ctx, vote, names)))
    .join('\n');
  const list = items ? `<ul class="bare">${items}</ul>` : `<p>${escapeHtml(v.empty)}</p>`;
  return `<p>${escapeHtml(v.intro)}</p>
${list}`;
}

function voteItem(ctx: PageContext, base: string, vote: FeedbackVote, i: number, what: string): string {
  const v = ctx.t.votes;
  const { said, changes, undo } = effect(ctx, vote, what);
  const id = `vote-${i}`;
  const source = Object.hasOwn(v.sources, vote.source) ? v.sources[vote.source] : v.sources.shop;
  // Each button says "Undo" on screen; its accessible name names the answer, so a screen reader's list of
  // buttons is not ten identical "Undo"s (the visible word stays at the start: WCAG 2.5.3 label in name).
  return `<li class="field"><p id="${id}-said"><strong>${escapeHtml(said)}</strong> (${escapeHtml(source)}, ${escapeHtml(when(ctx, vote.at))}).</p>
<p>${escapeHtml(changes)}</p>
<form method="post" action="${escapeHtml(`${base}/vote`)}">
<input type="hidden" name="kind" value="${escapeHtml(vote.target.kind)}"><input type="hidden" name="id" value="${escapeHtml(vote.target.id)}">
<p class="meta" id="${id}-undo">${escapeHtml(v.ifUndo(undo))}</p>
<button type="submit" class="secondary" aria-label="${escapeHtml(v.undoAria(what))}" aria-describedby="${id}-said ${id}-undo">${escapeHtml(v.undo)}</button></form></li>`;
}
