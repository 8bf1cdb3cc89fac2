/**
 * "Why you got this email", from what the engine really used, as stored on the message's ledger entry: the
 * trigger, each suggestion with its own reason, how the send time was chosen, whether the email was tracked,
 * the consent relied on, any code it carried, and what happened, in plain words and local times. Entries
 * written before the engine stored reasons, send time and tracking still read well: the page says less.
 */
import { reasonWords } from '../i18n/reasons.js';
import type { LedgerEntry } from '../ledger.js';
import { clockTime, type PageContext, when } from './context.js';
import { consentSourceText, decisionText, itemName } from './labels.js';
import { escapeHtml, page } from './layout.js';

export interface WhyView {
  entry: LedgerEntry;
  /** The catalogue's entries for the email's suggestions, by sku (a missing one reads "an item no longer…"). */
  products: Readonly<Record<string, { name: string; category?: string | undefined }>>;
  /** The shop's rules the page quotes. */
  settings: {
    quietHours: { start: string; end: string };
    cartDelayMinutes: number;
    tracking: { opens: boolean; clicks: boolean };
  };
  /** The tracking switch in the preference center, when the page may link to it. */
  trackingHref?: string | undefined;
}

export function whyPage(ctx: PageContext, view: WhyView): string {
  const { t } = ctx;
  const w = t.why;
  const { entry } = view;
  const rows: [string, string][] = [
    [w.startedHeading, `<p>${escapeHtml(w.triggers[entry.journey] ?? '')}</p>`],
  ];
  const suggestions = suggestionsOf(ctx, view);
  if (suggestions) rows.push([w.suggestionsHeading, suggestions]);
  const timing = timingOf(ctx, view);
  if (timing) rows.push([w.whenHeading, timing]);
  rows.push([w.trackingHeading, trackingOf(ctx, view)]);
  rows.push([w.permissionHeading, `<p>${escapeHtml(permissionOf(ctx, entry))}</p>`]);
  if (entry.code) rows.push([w.codeHeading, `<p>${escapeHtml(w.code(entry.code))}</p>`]);
  const steps = historyOf(ctx, entry);
  if (steps) rows.push([w.historyHeading, steps]);
  const summary = w.summary(t.journeys[entry.journey] ?? '', when(ctx, entry.createdAt, 'date'));
  return page(
    ctx,
    w.title,
    `<p>${escapeHtml(summary)}</p>
<dl>${rows.map(([dt, dd]) => `<dt>${escapeHtml(dt)}</dt><dd>${dd}</dd>`).join('\n')}</dl>
<p>${escapeHtml(w.never(ctx.brand.name))}</p>`,
  );
}

/** Each suggestion by name with the reason the engine gave it; without stored reasons, one general line. */
function suggestionsOf(ctx: PageContext, view: WhyView): string | undefined {
  const skus = view.entry.recommendations ?? [];
  if (!skus.length) return undefined;
  const reasons = view.entry.reasons;
  const names = Object.fromEntries(Object.entries(view.products).map(([sku, p]) => [sku, p.name]));
  const perItem = reasons?.length === skus.length;
  const items = skus.map((sku, i) => {
    const name = escapeHtml(itemName(ctx.t, names, sku));
    const kind = perItem ? reasons[i] : undefined;
    const why = kind ? reasonWords(kind, ctx.language, view.products[sku]?.category) : undefined;
    return `<li><strong>${name}</strong>${why ? `: ${escapeHtml(why)}` : ''}</li>`;
  });
  return `<ul class="plain">${items.join('')}</ul>${perItem ? '' : `<p>${escapeHtml(ctx.t.why.suggestionsOld)}</p>`}`;
}

/** How the send time was chosen: by the journey's rule, the stored send-hour choice, and quiet hours. */
function timingOf(ctx: PageContext, view: WhyView): string | undefined {
  const w = ctx.t.why;
  const { entry, settings } = view;
  const lines: string[] = [];
  if (entry.journey === 'cart_reminder') lines.push(w.cartDelay(duration(ctx, settings.cartDelayMinutes)));
  if (entry.journey === 'order_followup') lines.push(w.rightAfter);
  if (entry.sendTime) {
    const hour = clockTime(ctx, entry.sendTime.hour);
    lines.push(entry.sendTime.source === 'engagement' ? w.engagement(hour) : w.usual(hour));
  }
  if (!lines.length) return undefined;
  const { start, end } = settings.quietHours;
  if (start !== end) lines.push(w.quiet(clockTime(ctx, start), clockTime(ctx, end)));
  return lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('');
}

/** Minutes as the language says them, in hours when they are whole hours. */
function duration(ctx: PageContext, minutes: number): string {
  return minutes % 60 === 0 ? ctx.t.units.hours(minutes / 60) : ctx.t.units.minutes(minutes);
}

function trackingOf(ctx: PageContext, view: WhyView): string {
  const w = ctx.t.why;
  const shopTracks = view.settings.tracking.opens || view.settings.tracking.clicks;
  // An entry from before tracking was recorded: what the shop does by default, since that is what applied.
  const tracked = view.entry.tracking ?? shopTracks;
  const text =
    view.entry.tracking === undefined
      ? shopTracks
        ? w.trackedUnknown
        : w.notTracked
      : tracked
        ? w.tracked
        : w.notTracked;
  const off =
    tracked && view.trackingHref
      ? ` <a href="${escapeHtml(view.trackingHref)}">${escapeHtml(w.trackingOff)}</a>`
      : '';
  return `<p>${escapeHtml(text)}${off}</p>`;
}

function permissionOf(ctx: PageContext, entry: LedgerEntry): string {
  const consent = entry.consent;
  if (consent?.email !== 'opted_in') return ctx.t.why.noPermission;
  const date = consent.updatedAt ? when(ctx, consent.updatedAt, 'date') : undefined;
  return ctx.t.why.permission(consentSourceText(ctx.t, consent.source), date);
}

/** What happened, in the customer's words: the claim and retry steps are the engine's own business. */
function historyOf(ctx: PageContext, entry: LedgerEntry): string | undefined {
  const steps = (entry.history ?? [])
    .filter((h) => h.decision !== 'sending' && h.decision !== 'throttled')
    .map((h) => `<li>${escapeHtml(`${when(ctx, h.at)}: ${decisionText(ctx.t, h.decision, h.reason)}`)}</li>`);
  return steps.length ? `<ul class="plain">${steps.join('')}</ul>` : undefined;
}
