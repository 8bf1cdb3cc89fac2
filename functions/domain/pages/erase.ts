/** Erasure: a confirmation page (a GET changes nothing), and the page that confirms it was done. */
import { escapeHtml, page } from './layout.js';

/** What an erasure did, in numbers the customer can check against their export. */
export interface ErasureSummary {
  profile: boolean;
  carts: number;
  messages: number;
}

export function eraseConfirmPage(shopName: string, base: string, error?: string): string {
  return page(
    'Erase all your data',
    `<p>This erases everything ${escapeHtml(shopName)}’s email system stores about you:</p>
<ul class="plain"><li>your profile: email address, name, birthday, time zone, permissions and every other detail;</li>
<li>your carts;</li>
<li>your name and address on every email record. We keep only that an email of a kind was sent or not on a day, with no link to you, so our counts stay right.</li></ul>
<p>Emails already on their way are stopped. This cannot be undone. If you shop with us again, the shop may send us your details again.</p>
<p>Want to keep your data? <a href="${escapeHtml(`${base}/export`)}">Download it first</a>.</p>
<form method="post" action="${escapeHtml(`${base}/erase`)}">
<div class="option"><input type="checkbox" id="confirm" name="confirm" value="yes" required>
<label for="confirm">I understand that this erases all my data and cannot be undone</label></div>
<button type="submit" class="danger">Erase everything</button></form>
<p><a href="${escapeHtml(base)}">Back to your preferences</a></p>`,
    error ? { error } : {},
  );
}

export function erasedPage(shopName: string, summary: ErasureSummary): string {
  return page(
    'Your data is erased',
    `<p>${escapeHtml(shopName)}’s email system no longer holds your data:</p>
<ul class="plain"><li>profile: ${summary.profile ? 'deleted' : 'none was stored'};</li>
<li>carts deleted: ${summary.carts};</li>
<li>email records made anonymous: ${summary.messages}.</li></ul>
<p>No more emails will reach you from us, including any that were waiting. The links in our earlier emails no longer show anything.</p>`,
  );
}
