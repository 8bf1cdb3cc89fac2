/**
 * The preference center's rules, pure: reading its forms into consent, frequency and profile changes, the
 * length of a pause, and what a data export contains. The handler only loads, calls these, and stores.
 */
import { birthdayMonthDay } from './birthday.js';
import { InvalidInputError } from './errors.js';
import { type FeedbackVote, undoVote } from './feedback.js';
import type { LedgerDecision, LedgerEntry, LedgerStep } from './ledger.js';
import type { Cart, Consent, Preferences, Profile } from './model.js';
import { TOPICS, type Topic } from './names.js';
import type { ProfilePatch } from './profile.js';
import { resolveTimeZone } from './time.js';

/** Evidence stored with every consent change made here (GDPR Art. 7(1): who, when, source, wording). */
export const PREFERENCE_CENTER_EVIDENCE = {
  source: 'preference-center',
  textVersion: 'preference-center-v1',
} as const;

/** Evidence of a re-subscription from the page a one-click unsubscribe showed ("Undo"). */
export const UNDO_UNSUBSCRIBE_EVIDENCE = {
  source: 'undo_unsubscribe',
  textVersion: 'undo-unsubscribe-v1',
} as const;

/** What the one-click unsubscribe records, the only opt-out its page may undo. */
export const ONE_CLICK_UNSUBSCRIBE = { email: 'opted_out', source: 'one-click-unsubscribe' } as const;

/**
 * Why a form was refused, by code (the page shows it in the customer's language, see pages/strings); the
 * English text is the error's message, for logs and tests.
 */
export const FORM_ERRORS = {
  email_choice: 'Choose whether we may email you.',
  frequency_choice: 'Choose how often you want to hear from us.',
  pause_length: 'Choose how long to pause.',
  field_action: 'Choose save or delete.',
  field_not_editable: 'That detail cannot be changed here.',
  first_name: 'Enter a first name of 1 to 100 characters.',
  time_zone: 'Choose a time zone from the list.',
  birthday_missing: 'Choose the day and month of your birthday.',
  birthday_year: 'Enter the year as four digits.',
  birthday_date: 'That date does not exist. Check the day and month.',
  vote_target: 'That answer cannot be undone here.',
  vote_gone: 'We have no such answer from you any more: it may already be undone.',
  tracking_choice: 'Choose whether we may track opens and clicks.',
  nothing_to_undo:
    'There is no unsubscribe to undo any more. Choose what we email you about on your preferences page.',
} as const;
export type FormErrorCode = keyof typeof FORM_ERRORS;

/** A form that cannot be applied (a value out of range, an unknown field): shown back, nothing is changed. */
export class PreferenceFormError extends Error {
  readonly code: FormErrorCode;
  constructor(code: FormErrorCode, options?: { cause?: unknown }) {
    super(FORM_ERRORS[code], options);
    this.name = 'PreferenceFormError';
    this.code = code;
  }
}

/** Pause lengths offered, shortest two weeks, longest three months (their words: pages/strings). */
export const PAUSE_CHOICES = {
  '2w': { days: 14 },
  '1m': { months: 1 },
  '2m': { months: 2 },
  '3m': { months: 3 },
} as const satisfies Record<string, { days?: number; months?: number }>;
export type PauseChoice = keyof typeof PAUSE_CHOICES;

function isPauseChoice(value: string | null): value is PauseChoice {
  return value !== null && Object.hasOwn(PAUSE_CHOICES, value);
}

/** When a pause chosen at `now` ends: calendar months (Jan 31 + 1 month = Feb 28/29), or days. */
export function pausedUntilFor(choice: PauseChoice, now: Date): string {
  const pick: { days?: number; months?: number } = PAUSE_CHOICES[choice];
  const end = new Date(now.getTime());
  if (pick.days) end.setUTCDate(end.getUTCDate() + pick.days);
  if (pick.months) {
    const day = end.getUTCDate();
    end.setUTCDate(1);
    end.setUTCMonth(end.getUTCMonth() + pick.months);
    const lastDay = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 0)).getUTCDate();
    end.setUTCDate(Math.min(day, lastDay));
  }
  return end.toISOString();
}

/**
 * The topics form: `email` = 'opted_in' | 'opted_out' and one `topic` entry per ticked box. An unticked box
 * is an explicit `false` (a missing flag would mean "allowed"), so every topic is written each time.
 */
export function consentFromTopicsForm(form: URLSearchParams): Consent {
  const email = form.get('email');
  if (email !== null && email !== 'opted_in' && email !== 'opted_out')
    throw new PreferenceFormError('email_choice');
  const ticked = new Set(form.getAll('topic'));
  const topics = Object.fromEntries(TOPICS.map((t) => [t, ticked.has(t)])) as Record<Topic, boolean>;
  return { ...(email ? { email } : {}), topics, ...PREFERENCE_CENTER_EVIDENCE };
}

/**
 * The frequency form: `frequency` = normal | fewer | paused, and `pauseFor` (2w, 1m, 2m, 3m) for a pause. The
 * tracking choice in `current` is kept: the two are one stored value, changed by two forms.
 */
export function preferencesFromForm(form: URLSearchParams, now: Date, current?: Preferences): Preferences {
  const frequency = form.get('frequency');
  const updatedAt = now.toISOString();
  const tracking = current?.tracking === undefined ? {} : { tracking: current.tracking };
  if (frequency === 'normal' || frequency === 'fewer') return { frequency, updatedAt, ...tracking };
  if (frequency !== 'paused') throw new PreferenceFormError('frequency_choice');
  const pauseFor = form.get('pauseFor');
  if (!isPauseChoice(pauseFor)) throw new PreferenceFormError('pause_length');
  return { frequency, pausedUntil: pausedUntilFor(pauseFor, now), updatedAt, ...tracking };
}

/**
 * The tracking form: `tracking` = off | on, for this customer's emails (open pixel and click redirect); the
 * frequency and any pause in `current` are kept. Absent preferences start as 'normal'.
 */
export function trackingFromForm(form: URLSearchParams, now: Date, current?: Preferences): Preferences {
  const choice = form.get('tracking');
  if (choice !== 'on' && choice !== 'off') throw new PreferenceFormError('tracking_choice');
  return {
    frequency: current?.frequency ?? 'normal',
    ...(current?.pausedUntil ? { pausedUntil: current.pausedUntil } : {}),
    updatedAt: now.toISOString(),
    tracking: choice === 'on',
  };
}

/** Whether this customer's emails track opens and clicks: their own choice, else the shop's default. */
export function trackingOn(
  preferences: Preferences | undefined,
  shop: { opens: boolean; clicks: boolean },
): boolean {
  if (!shop.opens && !shop.clicks) return false;
  return preferences?.tracking ?? true;
}

/**
 * The consent an "Undo" on the unsubscribed page gives back: opted in again, with its own evidence, topics as
 * they were. Only the one-click unsubscribe itself can be undone this way (an opt-out given any other way,
 * or one already undone, is not the page's to reverse: null when it was already undone, refused otherwise).
 */
export function consentAfterUndo(current: Consent | undefined): Consent | null {
  if (current?.email === 'opted_in' && current.source === UNDO_UNSUBSCRIBE_EVIDENCE.source) return null;
  if (current?.email !== 'opted_out' || current.source !== ONE_CLICK_UNSUBSCRIBE.source)
    throw new PreferenceFormError('nothing_to_undo');
  return { email: 'opted_in', ...UNDO_UNSUBSCRIBE_EVIDENCE };
}

/** Fields a customer may change here, and those they may delete (attributes.<name> too). */
export const EDITABLE_FIELDS = ['firstName', 'timeZone', 'birthday'] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];
const MAX_NAME_LENGTH = 100;

/** What the field form asks for: a profile patch, or removing one free-form attribute. */
export type FieldChange =
  | { kind: 'patch'; field: EditableField; patch: ProfilePatch }
  | { kind: 'removeAttribute'; key: string };

/**
 * The field form: `field` (firstName, timeZone, birthday or attributes.<name>), `action` (save or delete),
 * and the value (`value`, or `month`, `day` and optional `year` for a birthday). Deleting a birthday also
 * removes its index key, so the birthday sweep no longer finds the customer.
 */
export function fieldChangeFromForm(form: URLSearchParams, profile: Profile, at: string): FieldChange {
  const field = form.get('field') ?? '';
  const action = form.get('action');
  if (action !== 'save' && action !== 'delete') throw new PreferenceFormError('field_action');
  if (field.startsWith('attributes.')) {
    const key = field.slice('attributes.'.length);
    if (action !== 'delete' || !profile.attributes || !Object.hasOwn(profile.attributes, key))
      throw new PreferenceFormError('field_not_editable');
    return { kind: 'removeAttribute', key };
  }
  if (!(EDITABLE_FIELDS as readonly string[]).includes(field))
    throw new PreferenceFormError('field_not_editable');
  const name = field as EditableField;
  if (action === 'delete') {
    const patch: ProfilePatch = { [name]: null, updatedAt: at };
    if (name === 'birthday') patch.birthdayMd = null;
    return { kind: 'patch', field: name, patch };
  }
  return { kind: 'patch', field: name, patch: { ...savedValue(name, form), updatedAt: at } };
}

/**
 * The profile patch a field change writes. Removing a free-form attribute rewrites the attributes map without
 * it (written under the profile's optimistic lock, so a shop update of other attributes is not lost); the
 * last one removed removes the map.
 */
export function fieldChangePatch(change: FieldChange, profile: Profile, at: string): ProfilePatch {
  if (change.kind === 'patch') return change.patch;
  const rest = { ...profile.attributes };
  delete rest[change.key];
  return { attributes: Object.keys(rest).length > 0 ? rest : null, updatedAt: at };
}

function savedValue(field: EditableField, form: URLSearchParams): ProfilePatch {
  if (field === 'firstName') {
    const value = (form.get('value') ?? '').trim();
    if (!value || value.length > MAX_NAME_LENGTH) throw new PreferenceFormError('first_name');
    return { firstName: value };
  }
  if (field === 'timeZone') {
    const value = form.get('value') ?? '';
    // resolveTimeZone falls back for anything Intl does not know: a mismatch means the zone is not real.
    if (resolveTimeZone(value, '') !== value || !timeZoneOptions().includes(value))
      throw new PreferenceFormError('time_zone');
    return { timeZone: value };
  }
  if (!form.get('day') || !form.get('month')) throw new PreferenceFormError('birthday_missing');
  const pad = (value: string | null) => (value ?? '').trim().padStart(2, '0');
  const year = (form.get('year') ?? '').trim();
  if (year && !/^(19|20)\d\d$/.test(year)) throw new PreferenceFormError('birthday_year');
  const birthday = `${year || '-'}-${pad(form.get('month'))}-${pad(form.get('day'))}`;
  try {
    return { birthday, birthdayMd: birthdayMonthDay(birthday) };
  } catch (cause) {
    if (cause instanceof InvalidInputError) throw new PreferenceFormError('birthday_date', { cause });
    throw cause;
  }
}

const MAX_TARGET_ID_LENGTH = 200;

/**
 * The undo form of "Your answers about our suggestions": `kind` (sku or category) and `id` of the target.
 * Returns the votes without that answer. An answer that is not there (undone in another tab, or a stale page
 * sent again) is reported rather than silently "saved", so the notice never claims a change that did not
 * happen.
 */
export function votesAfterUndoForm(form: URLSearchParams, votes: readonly FeedbackVote[]): FeedbackVote[] {
  const kind = form.get('kind');
  const id = form.get('id') ?? '';
  if ((kind !== 'sku' && kind !== 'category') || !id || id.length > MAX_TARGET_ID_LENGTH)
    throw new PreferenceFormError('vote_target');
  const remaining = undoVote(votes, { kind, id });
  if (remaining.length === votes.length) throw new PreferenceFormError('vote_gone');
  return remaining;
}

let zones: string[] | undefined;
/** IANA time zones the runtime knows, sorted, with UTC first (Intl leaves UTC out of its list). */
export function timeZoneOptions(): string[] {
  zones ??= ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
  return zones;
}

/** Everything stored about one customer, as they download it (GDPR Art. 15 and 20). */
export interface DataExport {
  exportedAt: string;
  shop: string;
  about: string;
  profile: Profile;
  carts: Cart[];
  messages: LedgerEntry[];
}

/**
 * Assembles the export from what was loaded for the customer. Anything not theirs is dropped here too, so a
 * stale index row can never put another customer's cart or message into the file.
 */
export function buildExport(input: {
  profile: Profile;
  carts: Cart[];
  messages: LedgerEntry[];
  exportedAt: Date;
  shopName: string;
}): DataExport {
  const { customerId } = input.profile;
  return {
    exportedAt: input.exportedAt.toISOString(),
    shop: input.shopName,
    about:
      'Everything this shop’s email system stores about you: your profile, your carts, and every email ' +
      'decision with its history and the permission it relied on.',
    profile: input.profile,
    carts: input.carts.filter((c) => c.customerId === customerId),
    messages: input.messages
      .filter((m) => m.customerId === customerId)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
  };
}

/** Decisions that a later run may still turn into a send (a deferral firing, a throttled retry). */
const OPEN_DECISIONS: readonly LedgerDecision[] = ['deferred', 'throttled'];

/**
 * A reason without personal data: our own codes (topic_off, quiet_hours) stay; a provider's message
 * ("MessageRejected: ... ada@example.com") is cut to its error name, anything else becomes 'redacted'.
 */
export function scrubReason(reason: string | undefined): string | undefined {
  if (!reason || /^[a-z_]+$/.test(reason)) return reason;
  return /^([A-Za-z]+)(?::|$)/.exec(reason)?.[1] ?? 'redacted';
}

/**
 * What an erased ledger entry keeps: journey, decisions and times (for aggregate counts), with reasons
 * scrubbed and a trigger key that no longer names an order, cart or customer. An open entry is closed as
 * cancelled/erased, so a schedule that fires later finds it decided and can neither send nor record.
 */
export function erasedEntry(
  entry: LedgerEntry,
  at: string,
): Pick<LedgerEntry, 'decision' | 'reason' | 'history' | 'triggerKey'> {
  const history: LedgerStep[] = (entry.history ?? []).map((step) => {
    const reason = scrubReason(step.reason);
    return { decision: step.decision, at: step.at, ...(reason ? { reason } : {}) };
  });
  const triggerKey = `${entry.journey}:erased`;
  if (OPEN_DECISIONS.includes(entry.decision)) {
    const step: LedgerStep = { decision: 'cancelled', at, reason: 'erased' };
    return { decision: 'cancelled', reason: 'erased', history: [...history, step], triggerKey };
  }
  const reason = scrubReason(entry.reason);
  return { decision: entry.decision, ...(reason ? { reason } : {}), history, triggerKey };
}
