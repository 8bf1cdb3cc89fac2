/**
 * "Your answers about our suggestions": every vote the customer gave, what it changes in plain words, and a
 * form to undo it. Votes come from email links and the shop's site, so this is the one place a customer can
 * see them all and take one back (the email links only ever add).
 */
import type { FeedbackVote } from '../feedback.js';
import { escapeHtml, readableTime } from './layout.js';

const SOURCES: Record<FeedbackVote['source'], string> = {
  email: 'from a link in one of our emails',
  shop: 'on the shop’s website',
  'preference-center': 'on this page',
};

/** What a vote changes in the emails, and what undoing it changes back: the customer's own words, not ours. */
function effect(vote: FeedbackVote): { said: string; changes: string; undo: string } {
  const what = vote.target.label ?? vote.target.id;
  if (vote.target.kind === 'category') {
    return vote.vote === 'down'
      ? {
          said: `You said the category ${what} is not for you`,
          changes: `We suggest nothing from ${what}.`,
          undo: `${what} may be suggested again.`,
        }
      : {
          said: `You said you like the category ${what}`,
          changes: `We pick more from ${what}.`,
          undo: `We stop picking more from ${what}.`,
        };
  }
  return vote.vote === 'down'
    ? {
        said: `You said ${what} is not for you`,
        changes: `We leave ${what} out of our suggestions.`,
        undo: `${what} may be suggested again.`,
      }
    : {
        said: `You said ${what} was useful`,
        changes: `We look for more like ${what}.`,
        undo: `We stop looking for more like ${what}.`,
      };
}

/** The section of the preference center; `base` is `/p/<token>`. Newest answer first. */
export function votesSection(base: string, votes: readonly FeedbackVote[] = []): string {
  const items = [...votes]
    .sort((a, b) => b.at.localeCompare(a.at))
    .map((vote, i) => voteItem(base, vote, i))
    .join('\n');
  const list = items
    ? `<ul style="list-style:none;padding:0">${items}</ul>`
    : '<p>You have not told us anything about our suggestions yet. Each one in our emails has “Useful” and “Not for me” links.</p>';
  return `<section id="votes" aria-labelledby="votes-h"><h2 id="votes-h">Your answers about our suggestions</h2>
<p>What you told us about the items and categories we suggest, and what it changes. Undo an answer and we forget it.</p>
${list}</section>`;
}

function voteItem(base: string, vote: FeedbackVote, i: number): string {
  const { said, changes, undo } = effect(vote);
  const what = vote.target.label ?? vote.target.id;
  const id = `vote-${i}`;
  // Each button says "Undo" on screen; its accessible name names the answer, so a screen reader's list of
  // buttons is not ten identical "Undo"s (the visible word stays at the start: WCAG 2.5.3 label in name).
  return `<li class="field"><p id="${id}-said"><strong>${escapeHtml(said)}</strong> (${escapeHtml(SOURCES[vote.source] ?? vote.source)}, ${escapeHtml(readableTime(vote.at))}).</p>
<p>${escapeHtml(changes)}</p>
<form method="post" action="${escapeHtml(`${base}/vote`)}">
<input type="hidden" name="kind" value="${escapeHtml(vote.target.kind)}"><input type="hidden" name="id" value="${escapeHtml(vote.target.id)}">
<p class="meta" id="${id}-undo">${escapeHtml(`If you undo it: ${undo}`)}</p>
<button type="submit" class="secondary" aria-label="${escapeHtml(`Undo your answer about ${what}`)}" aria-describedby="${id}-said ${id}-undo">Undo</button></form></li>`;
}
