/** Pages about one message: one-click unsubscribe (confirm and done), "why you got this", a refused link. */
import type { LedgerEntry } from '../model.js';
import { DECISION_LABELS } from './labels.js';
import { escapeHtml, page, readableTime } from './layout.js';

/** A GET never unsubscribes (link scanners fetch GETs): it shows a button that POSTs. */
export function unsubscribeConfirmPage(shopName: string, action: string): string {
  return page(
    `Unsubscribe from ${shopName}`,
    `<p>Click the button and you will get no more marketing email from ${escapeHtml(shopName)}. It takes effect at once.</p>
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Unsubscribe</button></form>`,
  );
}

export function unsubscribedPage(shopName: string): string {
  return page(
    'You are unsubscribed',
    `<p>You will get no more marketing email from ${escapeHtml(shopName)}. Messages already on their way are stopped too.</p>
<p>Changed your mind? Opting in again is as easy: ask us, or tick the box the next time you order.</p>`,
  );
}

export function invalidLinkPage(): string {
  return page(
    'This link does not work',
    '<p>The link is not valid or has expired. Use the link in a more recent email.</p>',
  );
}

const TRIGGERS: Record<string, string> = {
  cart_reminder: 'You left items in your cart and did not come back to it for a while.',
  order_followup: 'You placed an order, and we wanted to say thank you.',
  birthday: 'It was your birthday, which you shared with us.',
  winback: 'We had not seen you for a while.',
};

/** "Why you got this": the trigger, the data used, the consent relied on, the template and version. */
export function whyPage(entry: LedgerEntry, shopName: string): string {
  const consent = entry.consent;
  // What happened to the message, in the customer's words: the claim and retry steps are the engine's own
  // business, and technical error texts say nothing to a customer (the decision's label says what matters).
  const steps = (entry.history ?? [])
    .filter((h) => h.decision !== 'sending' && h.decision !== 'throttled')
    .map((h) => {
      const reason = h.reason && /^[a-z_]+$/.test(h.reason) ? ` (${h.reason.replaceAll('_', ' ')})` : '';
      return `<li>${escapeHtml(readableTime(h.at))}: ${escapeHtml(DECISION_LABELS[h.decision] ?? h.decision)}${escapeHtml(reason)}</li>`;
    })
    .join('');
  return page(
    'Why you got this email',
    `<dl>
<dt>What happened</dt><dd>${escapeHtml(TRIGGERS[entry.journey] ?? entry.journey)}</dd>
<dt>What we used</dt><dd>Your first name and time zone (so it arrives at a sensible hour)${
      entry.journey === 'order_followup' || entry.journey === 'cart_reminder' ? ', the items involved' : ''
    }${entry.recommendations?.length ? ', and what is popular in the categories you shopped' : ''}.</dd>
<dt>The permission it relied on</dt><dd>${
      consent?.email === 'opted_in'
        ? `You opted in to email${consent.source ? ` via ${escapeHtml(consent.source)}` : ''}${
            consent.updatedAt ? ` on ${escapeHtml(consent.updatedAt.slice(0, 10))}` : ''
          }${consent.textVersion ? ` (wording ${escapeHtml(consent.textVersion)})` : ''}.`
        : 'None recorded.'
    }</dd>
<dt>Message</dt><dd>${escapeHtml(entry.journey)} template ${escapeHtml(entry.templateVersion ?? '')}, id ${escapeHtml(entry.messageId)}</dd>
<dt>History</dt><dd><ul>${steps}</ul></dd>
</dl><p>${escapeHtml(shopName)} never sells or shares this data.</p>`,
  );
}
