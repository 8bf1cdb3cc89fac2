/** "What we know about you and how it shapes your emails": every stored field with edit and delete forms. */
import type { LedgerEntry, Profile } from '../model.js';
import { EDITABLE_FIELDS } from '../preferences.js';
import { type FieldRow, profileRows } from './fields.js';
import { DECISION_LABELS, JOURNEY_LABELS } from './labels.js';
import { escapeHtml, MONTHS, readableTime } from './layout.js';

/** Fields the customer may delete; attributes.<name> too. Email goes only with "erase everything". */
const DELETABLE = new Set<string>(['firstName', 'timeZone', 'birthday']);

// A blank first choice: without it a browser preselects the first option, and "Save" would store it unasked.
const CHOOSE = '<option value="">Choose…</option>';

const NOTES: Record<string, string> = {
  email: 'To change it, update your account with the shop. To remove it, erase everything (below).',
  consent: 'Change it under “What we email you about” above.',
  preferences: 'Change it under “How often” above.',
  feedback: 'See what each answer changes, and undo it, under “Your answers about our suggestions” below.',
};

/** The data section: one card per stored field (and per editable field, so it can be added). */
export function dataSection(base: string, profile: Profile, timeZones: readonly string[]): string {
  const rows = profileRows(profile, EDITABLE_FIELDS);
  const cards = rows.map((row, i) => fieldCard(base, row, i, profile, timeZones)).join('\n');
  return `<section id="data" aria-labelledby="data-h"><h2 id="data-h">What we know about you and how it shapes your emails</h2>
<p>This is everything we store about you: each detail, where it came from, and what uses it.</p>
${cards}</section>`;
}

function fieldCard(
  base: string,
  row: FieldRow,
  i: number,
  profile: Profile,
  zones: readonly string[],
): string {
  const id = `field-${i}`;
  const note = NOTES[row.key] ? `<p class="meta">${escapeHtml(NOTES[row.key])}</p>` : '';
  return `<div class="field"><h3 id="${id}-h">${escapeHtml(row.label)}</h3>
<dl><dt>What we have</dt><dd>${row.value === undefined ? '<em>Nothing stored</em>' : escapeHtml(row.value)}</dd>
<dt>Where it came from</dt><dd>${escapeHtml(row.source)}</dd>
<dt>What uses it</dt><dd>${escapeHtml(row.usedFor)}</dd></dl>${note}${fieldForm(base, row, id, profile, zones)}</div>`;
}

function fieldForm(
  base: string,
  row: FieldRow,
  id: string,
  profile: Profile,
  zones: readonly string[],
): string {
  const isAttribute = row.key.startsWith('attributes.');
  if (!isAttribute && !(EDITABLE_FIELDS as readonly string[]).includes(row.key)) return '';
  const stored = row.value !== undefined;
  const remove =
    stored && (isAttribute || DELETABLE.has(row.key))
      ? `<button type="submit" name="action" value="delete" class="secondary" aria-describedby="${id}-h">Delete</button>`
      : '';
  const save = isAttribute
    ? ''
    : `<button type="submit" name="action" value="save" aria-describedby="${id}-h">Save</button>`;
  return `<form method="post" action="${escapeHtml(`${base}/field`)}">
<input type="hidden" name="field" value="${escapeHtml(row.key)}">${editor(row.key, id, profile, zones)}${save}${remove}</form>`;
}

function editor(key: string, id: string, profile: Profile, zones: readonly string[]): string {
  if (key === 'firstName') {
    return `<div class="option"><label for="${id}-v">First name</label><br>
<input type="text" id="${id}-v" name="value" value="${escapeHtml(profile.firstName)}" maxlength="100" autocomplete="given-name"></div>`;
  }
  if (key === 'timeZone') {
    const current = profile.timeZone ?? '';
    const options = zones
      .map((z) => `<option${z === current ? ' selected' : ''}>${escapeHtml(z)}</option>`)
      .join('');
    return `<div class="option"><label for="${id}-v">Time zone</label><br>
<select id="${id}-v" name="value">${zones.includes(current) ? '' : CHOOSE}${options}</select></div>`;
  }
  if (key === 'birthday') {
    const match = /^(\d{4}|-)-(\d{2})-(\d{2})$/.exec(profile.birthday ?? '');
    const [year, month, day] = [
      match?.[1] === '-' ? '' : (match?.[1] ?? ''),
      Number(match?.[2]),
      Number(match?.[3]),
    ];
    const monthOptions = MONTHS.map(
      (name, m) => `<option value="${m + 1}"${m + 1 === month ? ' selected' : ''}>${name}</option>`,
    ).join('');
    const dayOptions = Array.from(
      { length: 31 },
      (_, d) => `<option${d + 1 === day ? ' selected' : ''}>${d + 1}</option>`,
    ).join('');
    return `<fieldset><legend>Birthday</legend>
<div class="option"><label for="${id}-d">Day</label> <select id="${id}-d" name="day">${CHOOSE}${dayOptions}</select>
<label for="${id}-m">Month</label> <select id="${id}-m" name="month">${CHOOSE}${monthOptions}</select></div>
<div class="option"><label for="${id}-y">Year (optional)</label><br>
<input type="number" id="${id}-y" name="year" value="${escapeHtml(year)}" min="1900" max="2099" inputmode="numeric"></div></fieldset>`;
  }
  return '';
}

/** A customer's recent messages, each with a fresh link to its "why you got this" page. */
export function messagesSection(messages: readonly { entry: LedgerEntry; whyHref: string }[]): string {
  const items = messages
    .map(({ entry, whyHref }) => {
      const reason =
        entry.decision === 'skipped' && entry.reason ? ` (${entry.reason.replaceAll('_', ' ')})` : '';
      return `<li>${escapeHtml(readableTime(entry.createdAt))}: ${escapeHtml(JOURNEY_LABELS[entry.journey] ?? entry.journey)}, ${escapeHtml(DECISION_LABELS[entry.decision] ?? entry.decision)}${escapeHtml(reason)}. <a href="${escapeHtml(whyHref)}">Why?</a></li>`;
    })
    .join('\n');
  return `<section id="messages" aria-labelledby="messages-h"><h2 id="messages-h">Your recent emails</h2>
${items ? `<ul class="plain">${items}</ul>` : '<p>We have no record of emails to you.</p>'}
<p class="meta">Each “Why?” page shows what triggered the email, what data it used and the permission it relied on.</p></section>`;
}
