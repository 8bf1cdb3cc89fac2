/** Pages about one message's unsubscribe link (confirm, done with its undo, undone) and a refused link. */
import type { PageContext } from './context.js';
import { escapeHtml, page, simplePage } from './layout.js';

const link = (href: string | undefined, text: string) =>
  href ? `<p><a href="${escapeHtml(href)}">${escapeHtml(text)}</a></p>` : '';

/** A GET never unsubscribes (link scanners fetch GETs): it shows a button that POSTs. */
export function unsubscribeConfirmPage(ctx: PageContext, action: string): string {
  const u = ctx.t.unsubscribe;
  const fewer = ctx.links.preferences
    ? `<p>${escapeHtml(u.fewer)} <a href="${escapeHtml(ctx.links.preferences)}">${escapeHtml(u.fewerLink)}</a>.</p>`
    : '';
  return page(
    ctx,
    u.confirmTitle(ctx.brand.name),
    `<p>${escapeHtml(u.confirmText(ctx.brand.name))}</p>
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">${escapeHtml(u.button)}</button></form>
${fewer}`,
  );
}

/**
 * After the opt-out: it took effect at once, and it can be undone from here with one POST under the same
 * token (`undoAction`, absent when there is no customer to re-subscribe), or refined in the preference center.
 */
export function unsubscribedPage(ctx: PageContext, undoAction: string | undefined): string {
  const u = ctx.t.unsubscribe;
  const undo = undoAction
    ? `<form method="post" action="${escapeHtml(undoAction)}"><p>${escapeHtml(u.undoText)}</p>
<button type="submit" class="secondary">${escapeHtml(u.undoButton)}</button></form>`
    : '';
  return page(
    ctx,
    u.doneTitle,
    `<p>${escapeHtml(u.doneText(ctx.brand.name))}</p>
${undo}
${link(ctx.links.preferences, u.preferencesLink)}`,
  );
}

/** After the undo: subscribed again, as before; or why there was nothing to undo (`error`). */
export function resubscribedPage(ctx: PageContext, error?: string): string {
  const u = ctx.t.unsubscribe;
  if (error) return page(ctx, u.doneTitle, link(ctx.links.preferences, u.againPreferences), { error });
  return page(
    ctx,
    u.againTitle,
    `<p>${escapeHtml(u.againText(ctx.brand.name))}</p>
${link(ctx.links.preferences, u.againPreferences)}`,
  );
}

export function invalidLinkPage(ctx: PageContext): string {
  return simplePage(ctx, ctx.t.frame.invalidTitle, ctx.t.frame.invalid);
}
