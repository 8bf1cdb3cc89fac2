/**
 * The preference center: the choices people come for (email yes or no, topics, how often) open at the top;
 * everything else collapsed below (what we know, answers about suggestions, recent emails, where the data
 * goes with the tracking switch, download, erase), so the page is short on a phone and works without
 * JavaScript. Every form posts to its own path under the same signed token.
 */
import type { Caps } from '../caps.js';
import { effectiveCaps } from '../consent.js';
import type { LedgerEntry } from '../ledger.js';
import type { Profile } from '../model.js';
import { TOPICS } from '../names.js';
import { PAUSE_CHOICES, trackingOn } from '../preferences.js';
import { type PageContext, when } from './context.js';
import { dataBody, messagesBody } from './data.js';
import { type DataUseView, dataUseBody, trackingSwitch } from './data-use.js';
import { collapsible, escapeHtml, page } from './layout.js';
import { votesBody } from './votes.js';

/** Everything the page shows, loaded by the handler. `base` is `/p/<token>`. */
export interface CenterView {
  base: string;
  profile: Profile;
  /** The shop's configured caps, to say what "normal" and "fewer" mean in numbers. */
  caps: Caps;
  messages: { entry: LedgerEntry; whyHref: string }[];
  timeZones: readonly string[];
  /** Names of the items the profile mentions (recent purchases, votes), by sku. */
  productNames: Readonly<Record<string, string>>;
  dataUse: DataUseView;
  /** Which form was just saved (from `?saved=`); only known keys produce a notice. */
  saved?: string | undefined;
  error?: string | undefined;
  /** The form an error is about, so its section is open. */
  errorIn?: string | undefined;
  /** A section to open (`?show=`, e.g. the why page's "turn tracking off" link opens "where"). */
  show?: string | undefined;
  now: Date;
}

/** The collapsed section a form lives in, opened when the page comes back from it. */
const SECTION_OF: Record<string, string> = { field: 'data', vote: 'votes', tracking: 'where' };
const SECTIONS = ['data', 'votes', 'messages', 'where', 'export', 'erase'];

export function preferenceCenterPage(ctx: PageContext, view: CenterView): string {
  const { t } = ctx;
  const c = t.center;
  const notice = view.saved && Object.hasOwn(c.saved, view.saved) ? c.saved[view.saved] : undefined;
  const from = (view.error ? view.errorIn : view.saved) ?? '';
  const open = Object.hasOwn(SECTION_OF, from) ? SECTION_OF[from] : SECTIONS.find((id) => id === view.show);
  const format = { ctx, productNames: view.productNames };
  const on = trackingOn(view.profile.preferences, view.dataUse.tracking);
  const sections = [
    collapsible(
      'data',
      t.data.heading,
      dataBody(format, view.base, view.profile, view.timeZones),
      open === 'data',
    ),
    collapsible(
      'votes',
      t.votes.heading,
      votesBody(ctx, view.base, view.profile.feedback, view.productNames),
      open === 'votes',
    ),
    collapsible('messages', t.messages.heading, messagesBody(ctx, view.messages), open === 'messages'),
    collapsible(
      'where',
      t.dataUse.title,
      `${trackingSwitch(ctx, view.base, on, view.dataUse)}\n${dataUseBody(ctx, view.dataUse)}`,
      open === 'where',
    ),
    collapsible(
      'export',
      c.exportHeading,
      `<p>${escapeHtml(c.exportText)}</p>
<p><a href="${escapeHtml(`${view.base}/export`)}">${escapeHtml(c.exportLink)}</a></p>`,
      open === 'export',
    ),
    collapsible(
      'erase',
      c.eraseHeading,
      `<p>${escapeHtml(c.eraseText)}</p>
<p><a href="${escapeHtml(`${view.base}/erase`)}">${escapeHtml(c.eraseLink)}</a></p>`,
      open === 'erase',
    ),
  ];
  const body = `<p>${escapeHtml(c.intro(ctx.brand.name))}</p>
${topicsSection(ctx, view)}
${frequencySection(ctx, view)}
<section aria-labelledby="more-h"><h2 id="more-h">${escapeHtml(c.moreHeading)}</h2><p class="meta">${escapeHtml(c.moreIntro)}</p>
${sections.join('\n')}</section>`;
  return page(ctx, c.title, body, { notice, error: view.error });
}

function topicsSection(ctx: PageContext, view: CenterView): string {
  const c = ctx.t.center;
  const consent = view.profile.consent;
  const optedIn = consent?.email === 'opted_in';
  const topics = TOPICS.map((topic) => {
    const on = consent?.topics?.[topic] !== false;
    return `<div class="option"><input type="checkbox" id="topic-${topic}" name="topic" value="${topic}"${on ? ' checked' : ''} aria-describedby="topic-${topic}-hint">
<label for="topic-${topic}">${escapeHtml(ctx.t.topics[topic])}</label><span class="hint" id="topic-${topic}-hint">${escapeHtml(ctx.t.topicHints[topic])}</span></div>`;
  }).join('\n');
  return `<section id="topics" aria-labelledby="topics-h"><h2 id="topics-h">${escapeHtml(c.topicsHeading)}</h2>
<form method="post" action="${escapeHtml(`${view.base}/topics`)}">
<fieldset><legend>${escapeHtml(c.emailLegend(ctx.brand.name))}</legend>
<div class="option"><input type="radio" id="email-in" name="email" value="opted_in"${optedIn ? ' checked' : ''}><label for="email-in">${escapeHtml(c.emailYes)}</label></div>
<div class="option"><input type="radio" id="email-out" name="email" value="opted_out"${optedIn ? '' : ' checked'}><label for="email-out">${escapeHtml(c.emailNo)}</label></div>
</fieldset>
<fieldset><legend>${escapeHtml(c.topicsLegend)}</legend>
${topics}
</fieldset>
<button type="submit">${escapeHtml(c.saveTopics)}</button></form></section>`;
}

function frequencySection(ctx: PageContext, view: CenterView): string {
  const c = ctx.t.center;
  const prefs = view.profile.preferences;
  const pausedUntil = prefs?.frequency === 'paused' ? prefs.pausedUntil : undefined;
  const pausing = pausedUntil !== undefined && Date.parse(pausedUntil) > view.now.getTime();
  const current = pausing ? 'paused' : prefs?.frequency === 'fewer' ? 'fewer' : 'normal';
  const fewer = effectiveCaps(view.caps, { frequency: 'fewer', updatedAt: '' });
  const radio = (value: string, label: string, hint: string) =>
    `<div class="option"><input type="radio" id="frequency-${value}" name="frequency" value="${value}"${current === value ? ' checked' : ''} aria-describedby="frequency-${value}-hint">
<label for="frequency-${value}">${escapeHtml(label)}</label><span class="hint" id="frequency-${value}-hint">${escapeHtml(hint)}</span></div>`;
  const pauseOptions = Object.keys(PAUSE_CHOICES)
    .map(
      (value) =>
        `<option value="${value}"${value === '1m' ? ' selected' : ''}>${escapeHtml(c.pauseLabels[value as keyof typeof PAUSE_CHOICES])}</option>`,
    )
    .join('');
  const paused = pausing
    ? `<p><strong>${escapeHtml(c.pausedUntil(when(ctx, pausedUntil)))}</strong></p>`
    : '';
  return `<section id="frequency" aria-labelledby="frequency-h"><h2 id="frequency-h">${escapeHtml(c.frequencyHeading)}</h2>
${paused}<form method="post" action="${escapeHtml(`${view.base}/frequency`)}">
<fieldset><legend>${escapeHtml(c.frequencyLegend)}</legend>
${radio('normal', c.normal, c.atMost(view.caps.perDay, view.caps.perWeek))}
${radio('fewer', c.fewer, c.atMost(fewer.perDay, fewer.perWeek))}
${radio('paused', c.pause, c.pauseHint)}
<div class="option sub"><label for="pauseFor">${escapeHtml(c.pauseFor)}</label> <select id="pauseFor" name="pauseFor">${pauseOptions}</select></div>
</fieldset>
<button type="submit">${escapeHtml(c.saveFrequency)}</button></form></section>`;
}
