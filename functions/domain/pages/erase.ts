/** Erasure: a confirmation page (a GET changes nothing), and the page that confirms it was done. */
import type { PageContext } from './context.js';
import { escapeHtml, page } from './layout.js';

/** What an erasure did, in numbers the customer can check against their export. */
export interface ErasureSummary {
  profile: boolean;
  carts: number;
  messages: number;
}

export function eraseConfirmPage(ctx: PageContext, base: string, error?: string): string {
  const e = ctx.t.erase;
  return page(
    ctx,
    e.confirmTitle,
    `<p>${escapeHtml(e.confirmIntro(ctx.brand.name))}</p>
<ul class="plain">${e.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('\n')}</ul>
<p>${escapeHtml(e.stopped)}</p>
<p>${escapeHtml(e.keepFirst)} <a href="${escapeHtml(`${base}/export`)}">${escapeHtml(e.downloadFirst)}</a>.</p>
<form method="post" action="${escapeHtml(`${base}/erase`)}">
<div class="option check"><input type="checkbox" id="confirm" name="confirm" value="yes" required>
<label for="confirm">${escapeHtml(e.confirmLabel)}</label></div>
<button type="submit" class="danger">${escapeHtml(e.button)}</button></form>
<p><a href="${escapeHtml(base)}">${escapeHtml(e.back)}</a></p>`,
    { error },
  );
}

/** Said in the erased customer's language; the footer links nowhere personal (nothing is left to show). */
export function erasedPage(ctx: PageContext, summary: ErasureSummary): string {
  const e = ctx.t.erase;
  return page(
    ctx,
    e.doneTitle,
    `<p>${escapeHtml(e.doneIntro(ctx.brand.name))}</p>
<ul class="plain"><li>${escapeHtml(summary.profile ? e.profileDeleted : e.profileNone)}</li>
<li>${escapeHtml(e.carts(summary.carts))}</li>
<li>${escapeHtml(e.messages(summary.messages))}</li></ul>
<p>${escapeHtml(e.doneText)}</p>`,
  );
}
