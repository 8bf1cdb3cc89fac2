/** The "useful / not for me" pages: a GET only asks (link scanners must not vote); the POST records. */
import type { PageContext } from './context.js';
import { escapeHtml, page } from './layout.js';

export function voteConfirmPage(
  ctx: PageContext,
  input: { itemName: string; vote: 'up' | 'down'; action: string },
): string {
  const f = ctx.t.feedback;
  const down = input.vote === 'down';
  return page(
    ctx,
    down ? f.downTitle : f.upTitle,
    `<p>${escapeHtml(down ? f.downQuestion(input.itemName) : f.upQuestion(input.itemName))}</p>
<form method="post" action="${escapeHtml(input.action)}"><button type="submit">${escapeHtml(
      down ? f.downButton : f.upButton,
    )}</button></form>
<p>${escapeHtml(f.undoLater)}</p>`,
  );
}

export function votedPage(ctx: PageContext, input: { itemName: string; vote: 'up' | 'down' }): string {
  const f = ctx.t.feedback;
  const change = input.vote === 'down' ? f.downDone(input.itemName) : f.upDone(input.itemName);
  return page(ctx, f.thanksTitle, `<p>${escapeHtml(`${f.thanks(ctx.brand.name)} ${change} ${f.next}`)}</p>`);
}
