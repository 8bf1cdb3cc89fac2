/**
 * "Where your data goes": who handles the data (the shop; AWS as host and sender, in its region), what our
 * emails track and why, and how long each kind is kept, from the shop's own settings. A public page linked
 * from every footer, and a collapsed section of the preference center with the customer's tracking switch.
 */
import type { PageContext } from './context.js';
import { dayCount } from './context.js';
import { escapeHtml, page } from './layout.js';

/** The shop's settings the section states. */
export interface DataUseView {
  /** The AWS region the data lives in (e.g. eu-central-1); unknown: said in general words. */
  region?: string | undefined;
  retention: { messagesDays: number; cartsDays: number; statsDays: number };
  /** The shop's tracking default. */
  tracking: { opens: boolean; clicks: boolean };
}

/** Where each AWS region is, by its usual place name (the same in the three languages). */
const REGION_PLACES: Record<string, string> = {
  'us-east-1': 'Virginia, USA',
  'us-east-2': 'Ohio, USA',
  'us-west-1': 'California, USA',
  'us-west-2': 'Oregon, USA',
  'ca-central-1': 'Montréal',
  'sa-east-1': 'São Paulo',
  'eu-west-1': 'Dublin',
  'eu-west-2': 'London',
  'eu-west-3': 'Paris',
  'eu-central-1': 'Frankfurt',
  'eu-central-2': 'Zürich',
  'eu-north-1': 'Stockholm',
  'eu-south-1': 'Milano',
  'eu-south-2': 'Aragón',
  'ap-south-1': 'Mumbai',
  'ap-southeast-1': 'Singapore',
  'ap-southeast-2': 'Sydney',
  'ap-northeast-1': 'Tokyo',
  'ap-northeast-2': 'Seoul',
};

/** The section's text, without the switch; `level` is its headings' (3 inside the center, 2 on its own page). */
export function dataUseBody(ctx: PageContext, view: DataUseView, level: 2 | 3 = 3): string {
  const h = (text: string) => `<h${level}>${escapeHtml(text)}</h${level}>`;
  const d = ctx.t.dataUse;
  const region =
    view.region && /^[a-z]{2}(-[a-z]+)+-\d$/.test(view.region)
      ? d.region(REGION_PLACES[view.region], view.region)
      : d.regionUnknown;
  const tracked = [view.tracking.opens ? d.opens : '', view.tracking.clicks ? d.clicks : ''].filter(Boolean);
  const tracking = tracked.length
    ? `<ul class="plain">${tracked.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul><p>${escapeHtml(d.why)}</p>`
    : `<p>${escapeHtml(d.noTracking)}</p>`;
  const keep = [
    d.keepProfile,
    d.keepMessages(dayCount(ctx, view.retention.messagesDays)),
    d.keepCarts(dayCount(ctx, view.retention.cartsDays)),
    d.keepStats(dayCount(ctx, view.retention.statsDays)),
  ];
  return `${h(d.whoHeading)}
<p>${escapeHtml(d.controller(ctx.brand.legalName))}</p>
<p>${escapeHtml(d.aws(region))}</p>
<p><strong>${escapeHtml(d.never)}</strong></p>
${h(d.trackHeading)}
${tracking}
${h(d.keepHeading)}
<ul class="plain">${keep.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>`;
}

/**
 * The customer's own tracking switch: one button that posts the opposite of the current state to
 * `<base>/tracking`. When the shop tracks nothing there is nothing to switch.
 */
export function trackingSwitch(ctx: PageContext, base: string, on: boolean, view: DataUseView): string {
  const d = ctx.t.dataUse;
  if (!view.tracking.opens && !view.tracking.clicks) return `<p>${escapeHtml(d.shopOff)}</p>`;
  const [state, effect, value, label] = on
    ? [d.trackingIsOn, d.offEffect, 'off', d.turnOff]
    : [d.trackingIsOff, '', 'on', d.turnOn];
  return `<h3 id="tracking-h">${escapeHtml(d.switchHeading)}</h3>
<p id="tracking-state"><strong>${escapeHtml(state)}</strong>${effect ? ` ${escapeHtml(effect)}` : ''}</p>
<form method="post" action="${escapeHtml(`${base}/tracking`)}"><input type="hidden" name="tracking" value="${value}">
<button type="submit" class="secondary" aria-describedby="tracking-state">${escapeHtml(label)}</button></form>`;
}

/** The public page (no token, no customer): the same words, and where the switch is. */
export function dataUsePage(ctx: PageContext, view: DataUseView): string {
  const d = ctx.t.dataUse;
  const switchNote =
    view.tracking.opens || view.tracking.clicks ? `<p>${escapeHtml(d.switchElsewhere)}</p>` : '';
  return page(
    ctx,
    d.title,
    `<p>${escapeHtml(d.intro(ctx.brand.name))}</p>\n${dataUseBody(ctx, view, 2)}${switchNote}`,
  );
}
