/** The "useful / not for me" pages: a GET only asks (link scanners must not vote); the POST records. */
import { escapeHtml, page } from './layout.js';

export function voteConfirmPage(input: { itemName: string; vote: 'up' | 'down'; action: string }): string {
  const question =
    input.vote === 'down'
      ? `Not for you? We will leave ${escapeHtml(input.itemName)} out of the emails we send you.`
      : `Useful? We will look for more like ${escapeHtml(input.itemName)}.`;
  return page(
    input.vote === 'down' ? 'Not for you?' : 'Was this useful?',
    `<p>${question}</p>
<form method="post" action="${escapeHtml(input.action)}"><button type="submit">${
      input.vote === 'down' ? 'Yes, leave it out' : 'Yes, it was useful'
    }</button></form>
<p>You can see and undo every answer on your preferences page.</p>`,
  );
}

export function votedPage(input: { itemName: string; vote: 'up' | 'down'; shopName: string }): string {
  const change =
    input.vote === 'down'
      ? `${escapeHtml(input.itemName)} will not appear in our suggestions again.`
      : `We will suggest more like ${escapeHtml(input.itemName)}.`;
  return page(
    'Thank you',
    `<p>Thanks for telling ${escapeHtml(input.shopName)}. ${change} Your next email will say what changed.</p>`,
  );
}
