/**
 * "What we know about you and how it shapes your emails" (every stored field with edit and delete forms) and
 * "Your recent emails", as the bodies of the preference center's collapsed sections.
 */
import type { LedgerEntry } from '../ledger.js';
import type { Profile } from '../model.js';
import { EDITABLE_FIELDS } from '../preferences.js';
import { monthNames, type PageContext, when } from './context.js';
import { type FieldFormat, type FieldRow, profileRows } from './fields.js';
import { decisionText } from './labels.js';
import { escapeHtml } from './layout.js';

/** Fields the customer may delete; attributes.<name> too. Email goes only with "erase everything". */
const DELETABLE = new Set<string>(['firstName', 'timeZone', 'birthday']);

/** The data section's body: one card per stored field (and per editable field, so it can be added). */
export function dataBody(
  format: FieldFormat,
  base: string,
  profile: Profile,
  timeZones: readonly string[],
): string {
  const rows = profileRows(profile, EDITABLE_FIELDS, format);
  const cards = rows.map((row, i) => fieldCard(format.ctx, base, row, i, profile, timeZones)).join('\n');
  return `<p>${escapeHtml(format.ctx.t.data.intro)}</p>
${cards}`;
}

function fieldCard(
  ctx: PageContext,
  base: string,
  row: FieldRow,
  i: number,
  profile: Profile,
  zones: readonly string[],
): string {
  const d = ctx.t.data;
  const id = `field-${i}`;
  const note = Object.hasOwn(d.notes, row.key) ? `<p class="meta">${escapeHtml(d.notes[row.key])}</p>` : '';
  return `<div class="field"><h3 id="${id}-h">${escapeHtml(row.label)}</h3>
<dl><dt>${escapeHtml(d.have)}</dt><dd>${row.value === undefined ? `<em>${escapeHtml(d.nothing)}</em>` : escapeHtml(row.value)}</dd>
<dt>${escapeHtml(d.from)}</dt><dd>${escapeHtml(row.source)}</dd>
<dt>${escapeHtml(d.uses)}</dt><dd>${escapeHtml(row.usedFor)}</dd></dl>${note}${fieldForm(ctx, base, row, id, profile, zones)}</div>`;
}

function fieldForm(
  ctx: PageContext,
  base: string,
  row: FieldRow,
  id: string,
  profile: Profile,
  zones: readonly string[],
): string {
  const d = ctx.t.data;
  const isAttribute = row.key.startsWith('attributes.');
  if (!isAttribute && !(EDITABLE_FIELDS as readonly string[]).includes(row.key)) return '';
  const stored = row.value !== undefined;
  const remove =
    stored && (isAttribute || DELETABLE.has(row.key))
      ? `<button type="submit" name="action" value="delete" class="secondary" aria-describedby="${id}-h">${escapeHtml(d.delete)}</button>`
      : '';
  const save = isAttribute
    ? ''
    : `<button type="submit" name="action" value="save" aria-describedby="${id}-h">${escapeHtml(d.save)}</button>`;
  return `<form method="post" action="${escapeHtml(`${base}/field`)}">
<input type="hidden" name="field" value="${escapeHtml(row.key)}">${editor(ctx, row.key, id, profile, zones)}${save}${remove}</form>`;
}

function editor(
  ctx: PageContext,
  key: string,
  id: string,
  profile: Profile,
  zones: readonly string[],
): string {
  const d = ctx.t.data;
  // A blank first choice: without it a browser preselects the first option, and "Save" would store it unasked.
  const choose = `<option value="">${escapeHtml(d.choose)}</option>`;
  if (key === 'firstName') {
    return `<div class="option"><label for="${id}-v">${escapeHtml(d.firstName)}</label><br>
<input type="text" id="${id}-v" name="value" value="${escapeHtml(profile.firstName)}" maxlength="100" autocomplete="given-name"></div>`;
  }
  if (key === 'timeZone') {
    const current = profile.timeZone ?? '';
    const options = zones
      .map((z) => `<option${z === current ? ' selected' : ''}>${escapeHtml(z)}</option>`)
      .join('');
    return `<div class="option"><label for="${id}-v">${escapeHtml(d.timeZone)}</label><br>
<select id="${id}-v" name="value">${zones.includes(current) ? '' : choose}${options}</select></div>`;
  }
  if (key === 'birthday') {
    const match = /^(\d{4}|-)-(\d{2})-(\d{2})$/.exec(profile.birthday ?? '');
    const [year, month, day] = [
      match?.[1] === '-' ? '' : (match?.[1] ?? ''),
      Number(match?.[2]),
      Number(match?.[3]),
    ];
    const monthOptions = monthNames(ctx)
      .map(
        (name, m) =>
          `<option value="${m + 1}"${m + 1 === month ? ' selected' : ''}>${escapeHtml(name)}</option>`,
      )
      .join('');
    const dayOptions = Array.from(
      { length: 31 },
      (_, n) => `<option${n + 1 === day ? ' selected' : ''}>${n + 1}</option>`,
    ).join('');
    return `<fieldset><legend>${escapeHtml(d.birthday)}</legend>
<div class="option row"><div><label for="${id}-d">${escapeHtml(d.day)}</label><br><select id="${id}-d" name="day">${choose}${dayOptions}</select></div>
<div><label for="${id}-m">${escapeHtml(d.month)}</label><br><select id="${id}-m" name="month">${choose}${monthOptions}</select></div></div>
<div class="option"><label for="${id}-y">${escapeHtml(d.year)}</label><br>
<input type="number" id="${id}-y" name="year" value="${escapeHtml(year)}" min="1900" max="2099" inputmode="numeric"></div></fieldset>`;
  }
  return '';
}

/** A customer's recent emails, each with a fresh link to its "why you got this" page. */
export function messagesBody(
  ctx: PageContext,
  messages: readonly { entry: LedgerEntry; whyHref: string }[],
): string {
  const m = ctx.t.messages;
  const items = messages
    .map(({ entry, whyHref }) => {
      const journey = ctx.t.journeys[entry.journey] ?? entry.journey;
      const date = when(ctx, entry.createdAt);
      const decision = decisionText(ctx.t, entry.decision, entry.reason);
      // Every link reads "Why?" on screen; the hidden rest names the email, so a list of links is not ten "Why?"s.
      return `<li><strong>${escapeHtml(journey)}</strong>, ${escapeHtml(date)}<br>${escapeHtml(decision)}. <a href="${escapeHtml(whyHref)}">${escapeHtml(m.why)}<span class="vh"> ${escapeHtml(`${journey}, ${date}`)}</span></a></li>`;
    })
    .join('\n');
  return `${items ? `<ul class="bare">${items}</ul>` : `<p>${escapeHtml(m.empty)}</p>`}
<p class="meta">${escapeHtml(m.note)}</p>`;
}
