/**
 * The preference center: topics on and off, how often, what we know (with edit and delete), recent emails,
 * export and erase. Every form posts to its own path under the same signed token.
 */
import type { Caps } from '../caps.js';
import { effectiveCaps } from '../consent.js';
import type { LedgerEntry, Profile } from '../model.js';
import { TOPICS } from '../names.js';
import { PAUSE_CHOICES } from '../preferences.js';
import { dataSection, messagesSection } from './data.js';
import { TOPIC_HINTS, TOPIC_LABELS } from './labels.js';
import { escapeHtml, page, readableTime } from './layout.js';
import { votesSection } from './votes.js';

/** Everything the page shows, loaded by the handler. `base` is `/p/<token>`. */
export interface CenterView {
  shopName: string;
  base: string;
  profile: Profile;
  /** The shop's configured caps, to say what "normal" and "fewer" mean in numbers. */
  caps: Caps;
  messages: { entry: LedgerEntry; whyHref: string }[];
  timeZones: readonly string[];
  /** Which form was just saved (from `?saved=`); only known keys produce a notice. */
  saved?: string;
  error?: string;
  now: Date;
}

const SAVED: Record<string, string> = {
  topics: 'Saved: what we email you about.',
  frequency: 'Saved: how often we email you.',
  field: 'Saved: your details.',
  vote: 'Done: we forgot that answer, and our suggestions no longer follow it.',
};

export function preferenceCenterPage(view: CenterView): string {
  const notice = view.saved ? SAVED[view.saved] : undefined;
  const body = `<p>Choose what ${escapeHtml(view.shopName)} emails you about and how often, see what we know about you, download it, or erase it. Changes take effect at once.</p>
<nav aria-label="On this page"><ul class="plain">
<li><a href="#topics">What we email you about</a></li><li><a href="#frequency">How often</a></li>
<li><a href="#data">What we know about you</a></li><li><a href="#votes">Your answers about our suggestions</a></li>
<li><a href="#messages">Your recent emails</a></li>
<li><a href="#export">Download your data</a></li><li><a href="#erase">Erase everything</a></li></ul></nav>
${topicsSection(view)}
${frequencySection(view)}
${dataSection(view.base, view.profile, view.timeZones)}
${votesSection(view.base, view.profile.feedback)}
${messagesSection(view.messages)}
<section id="export" aria-labelledby="export-h"><h2 id="export-h">Download your data</h2>
<p>One file (JSON) with everything above, your carts, and every email decision with its history and the permission it relied on.</p>
<p><a href="${escapeHtml(`${view.base}/export`)}">Download all your data</a></p></section>
<section id="erase" aria-labelledby="erase-h"><h2 id="erase-h">Erase everything</h2>
<p>Deletes your profile and carts, stops every email on its way, and removes you from our email records. You will be asked to confirm.</p>
<p><a href="${escapeHtml(`${view.base}/erase`)}">Erase all my data…</a></p></section>`;
  return page('Your email preferences', body, {
    ...(notice ? { notice } : {}),
    ...(view.error ? { error: view.error } : {}),
  });
}

function topicsSection(view: CenterView): string {
  const consent = view.profile.consent;
  const optedIn = consent?.email === 'opted_in';
  const topics = TOPICS.map((topic) => {
    const on = consent?.topics?.[topic] !== false;
    return `<div class="option"><input type="checkbox" id="topic-${topic}" name="topic" value="${topic}"${on ? ' checked' : ''} aria-describedby="topic-${topic}-hint">
<label for="topic-${topic}">${escapeHtml(TOPIC_LABELS[topic])}</label><span class="hint" id="topic-${topic}-hint">${escapeHtml(TOPIC_HINTS[topic])}</span></div>`;
  }).join('\n');
  return `<section id="topics" aria-labelledby="topics-h"><h2 id="topics-h">What we email you about</h2>
<form method="post" action="${escapeHtml(`${view.base}/topics`)}">
<fieldset><legend>Marketing email from ${escapeHtml(view.shopName)}</legend>
<div class="option"><input type="radio" id="email-in" name="email" value="opted_in"${optedIn ? ' checked' : ''}><label for="email-in">Yes, send me the emails I tick below</label></div>
<div class="option"><input type="radio" id="email-out" name="email" value="opted_out"${optedIn ? '' : ' checked'}><label for="email-out">No marketing email at all</label></div>
</fieldset>
<fieldset><legend>Topics</legend>
${topics}
</fieldset>
<button type="submit">Save topics</button></form></section>`;
}

function frequencySection(view: CenterView): string {
  const prefs = view.profile.preferences;
  const pausedUntil = prefs?.frequency === 'paused' ? prefs.pausedUntil : undefined;
  const pausing = pausedUntil !== undefined && Date.parse(pausedUntil) > view.now.getTime();
  const current = pausing ? 'paused' : prefs?.frequency === 'fewer' ? 'fewer' : 'normal';
  const fewer = effectiveCaps(view.caps, { frequency: 'fewer', updatedAt: '' });
  const radio = (value: string, label: string, hint: string) =>
    `<div class="option"><input type="radio" id="frequency-${value}" name="frequency" value="${value}"${current === value ? ' checked' : ''} aria-describedby="frequency-${value}-hint">
<label for="frequency-${value}">${label}</label><span class="hint" id="frequency-${value}-hint">${hint}</span></div>`;
  const pauseOptions = Object.entries(PAUSE_CHOICES)
    .map(
      ([value, choice]) =>
        `<option value="${value}"${value === '1m' ? ' selected' : ''}>${choice.label}</option>`,
    )
    .join('');
  return `<section id="frequency" aria-labelledby="frequency-h"><h2 id="frequency-h">How often</h2>
${pausing ? `<p>Your emails are paused until <strong>${escapeHtml(readableTime(pausedUntil))}</strong>.</p>` : ''}
<form method="post" action="${escapeHtml(`${view.base}/frequency`)}">
<fieldset><legend>How often may we email you?</legend>
${radio('normal', 'Normal', `at most ${view.caps.perDay} a day and ${view.caps.perWeek} a week`)}
${radio('fewer', 'Fewer', `at most ${fewer.perDay} a day and ${fewer.perWeek} a week`)}
${radio('paused', 'Pause all marketing email', 'nothing until the pause ends; then as normal')}
<div class="option"><label for="pauseFor">Pause for</label> <select id="pauseFor" name="pauseFor">${pauseOptions}</select></div>
</fieldset>
<button type="submit">Save how often</button></form></section>`;
}
