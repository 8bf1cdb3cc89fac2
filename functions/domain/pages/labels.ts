/** Plain words for the engine's own codes: a decision with its reason, where a consent came from, an item. */

import { categoryName } from '../i18n/reasons.js';
import type { LedgerDecision } from '../ledger.js';
import type { PageStrings } from './strings/index.js';

/** A decision as the customer reads it, with its reason when it is one of ours ("not sent: you had paused…"). */
export function decisionText(t: PageStrings, decision: LedgerDecision, reason?: string): string {
  const label = Object.hasOwn(t.decisions, decision) ? t.decisions[decision] : t.decisions.skipped;
  // Free-text reasons (a provider's error) say nothing to a customer; codes we do not know are left out.
  const why = reason && Object.hasOwn(t.reasons, reason) ? t.reasons[reason] : undefined;
  return why && decision !== 'sent' && decision !== 'unknown' ? `${label}: ${why}` : label;
}

/** Where a consent was given, in words; a source we do not know is "through the shop", never its code. */
export function consentSourceText(t: PageStrings, source: string | undefined): string {
  return source && Object.hasOwn(t.consentSources, source)
    ? (t.consentSources[source] as string)
    : t.consentSourceOther;
}

/** An item by name: its vote label, else the catalogue's name, else "an item no longer in the shop". */
export function itemName(
  t: PageStrings,
  names: Readonly<Record<string, string>>,
  sku: string,
  label?: string,
): string {
  return label ?? (Object.hasOwn(names, sku) ? (names[sku] as string) : t.values.unknownItem);
}

export { categoryName };
