/**
 * A simulated audience for embedded mode: what the people behind the addresses, and the machines in front of
 * their mailboxes, do with each email SES accepted. Pure: an email's facts and a seed in, its fate out (the
 * SES events SES would publish, the customer's requests to our links, a later order). local/audience-driver.ts
 * gathers the facts, schedules the fate on the simulated clock and hands each event to the real handlers.
 *
 * Every draw is a hash of (seed, key, what), like domain/holdout.ts, never a shared random stream, so a
 * decision does not depend on the order emails are processed in, and the same seed gives the same run.
 *
 * The model (DEFAULT_AUDIENCE_RATES holds every number; `rates` overrides them):
 * - Mailboxes, fixed per address: 30% are behind a privacy proxy (Apple Mail Privacy Protection: every
 *   delivered email is "opened" 1 s after delivery with the bare `Mozilla/5.0` user agent, whatever the
 *   person does, and the person's own opens are never seen since Apple fetched the images once); 8% are
 *   behind a link scanner (a security gateway fetches the images and follows every link 1-2 s after delivery,
 *   our own links with a GET, which must change nothing); 0.8% no longer exist (every email hard-bounces).
 * - Delivery 1-4 s after the send, except 1% soft bounces (mailbox full), reported 2-6 h later.
 * - Hidden tastes: 1-2 favourite categories per customer (given, e.g. the demo shop's, else each category
 *   is a favourite with probability 0.3, hashed from the customer id). An email's fit is the share of its
 *   featured items (recommendations, cart lines) in those categories; 0.25 when it features none.
 * - A person reads the email with p = read[journey] x hour factor x 1 / (1 + 0.3 x emails in the 7 days
 *   before it). Hour factor by local arrival hour: 00-05 0.6, 06-09 1.1, 10-17 1.0, 18-21 1.2, 22-23 0.8.
 *   Reading happens 2 min + an exponential wait (mean 3 h) after delivery; the open is seen unless a privacy
 *   proxy sits in front.
 * - A reader clicks a content link with p = (0.05 + 0.30 x fit) x variantLift[variant] (B: 1.5, so the
 *   bandit has a better variant to find), favouring links to items of their favourite categories.
 * - A reader votes with p = 0.15 (on one item, or two with p = 0.3): up on a favourite category, else down,
 *   through the email's feedback link (a click, the confirmation page's GET, then its POST).
 * - A reader unsubscribes with p = 0.01 x (1 + 0.5 x recent emails) x (1 - 0.6 x fit): 60% with the mail
 *   client's one-click button (RFC 8058 POST to the List-Unsubscribe URL), 40% by the footer link.
 * - Complaints (the spam button) come with p = 0.0005 x (1 + 0.5 x recent emails), whether read or not, and
 *   end the person's interest in that email.
 * - Orders: after a content click with p = 0.15 + 0.25 x fit, 15 min + an exponential wait (mean 20 h)
 *   later; after a read without a click ("view-through") with p = 0.015 + 0.03 x fit, 1 h + (mean 30 h)
 *   later; both at most 5 days later. A cart reminder's order buys the cart; otherwise the clicked item,
 *   plus another favourite recommendation with p = 0.3 (else a favourite or the first recommendation).
 *   An email that shows a gift code and features nothing (a birthday wish) leads to an order of the reader's
 *   own taste (local/audience-driver.ts picks a popular item of a favourite category); any order after an
 *   email with a code carries that code (`discountCodes`).
 * Held-out customers get no email, so they answer nothing: the journeys' uplift is what these answers add.
 */
import { createHash } from 'node:crypto';
import { localHour } from '../functions/domain/send-time.js';
import {
  type AudienceAction,
  type AudienceModel,
  type EmailFacts,
  type EmailLink,
  type Fate,
  type Mailbox,
  PERSON_AGENTS,
  PRIVACY_PROXY_USER_AGENT,
  SCANNER_USER_AGENTS,
} from './audience-rates.js';

export * from './audience-rates.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NEUTRAL_FIT = 0.25;
const MAX_ORDER_DELAY = 5 * DAY;

/** A uniform number in [0, 1), fixed for (seed, key, what): 48 bits of SHA-256, as domain/holdout.ts. */
export function uniform(seed: number, key: string, what: string): number {
  const digest = createHash('sha256').update(`audience:${seed}:${key}:${what}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/** The fixed traits of an address's mailbox. */
export function mailboxOf(model: AudienceModel, address: string): Mailbox {
  const { seed, rates } = model;
  return {
    privacyProxy: uniform(seed, address, 'privacy-proxy') < rates.privacyProxyShare,
    linkScanner: uniform(seed, address, 'link-scanner') < rates.linkScannerShare,
    deadAddress: uniform(seed, address, 'dead') < rates.deadAddressShare,
  };
}

/** Whether a category is one of the customer's hidden favourites. */
export function likes(model: AudienceModel, customerId: string, category: string | undefined): boolean {
  if (category === undefined) return false;
  const given = model.tastes[customerId];
  if (given) return given.includes(category);
  return uniform(model.seed, customerId, `taste:${category}`) < model.rates.tasteShare;
}

/** Share of the featured categories the customer likes; NEUTRAL_FIT when the email features none. */
export function fitOf(model: AudienceModel, customerId: string, categories: readonly string[]): number {
  if (categories.length === 0) return NEUTRAL_FIT;
  return categories.filter((c) => likes(model, customerId, c)).length / categories.length;
}

/** Arrival-hour factor of the read chance: nights are low, mornings and evenings high. */
export function hourFactor(hour: number): number {
  if (hour < 6) return 0.6;
  if (hour < 10) return 1.1;
  if (hour < 18) return 1.0;
  if (hour < 22) return 1.2;
  return 0.8;
}

const clamp = (p: number) => Math.min(1, Math.max(0, p));

/** What a reader sees in an email: its facts, and the gift code it shows, if any. */
export interface ReadEmail extends EmailFacts {
  code?: string;
}

/** Decides everything that happens to one accepted email (see the model at the top of this file). */
export function decideFate(model: AudienceModel, facts: ReadEmail): Fate {
  const { seed, rates } = model;
  const key = facts.messageId;
  const draw = (what: string) => uniform(seed, key, what);
  /** An exponential wait with the given mean, from a draw (capped at 10 means). */
  const wait = (what: string, mean: number) => Math.min(10 * mean, -Math.log(1 - draw(what)) * mean);
  const after = (from: Date, ms: number) => new Date(from.getTime() + Math.round(ms / SECOND) * SECOND);
  const mailbox = mailboxOf(model, facts.address);
  const fit = fitOf(model, facts.customerId, facts.categories);
  const recent = facts.recentEmails;
  const sent = facts.sentAt;
  const actions: AudienceAction[] = [];
  const none = { read: 0, click: 0, vote: 0, unsubscribe: 0, complaint: 0 };

  if (mailbox.deadAddress) {
    const at = after(sent, (2 + Math.floor(draw('bounce-delay') * 3)) * SECOND);
    actions.push({ type: 'bounce', at, bounceType: 'Permanent', subType: 'NoEmail' });
    return { mailbox, fit, chances: none, actions };
  }
  if (draw('soft-bounce') < rates.softBounce) {
    const at = after(sent, 2 * HOUR + draw('soft-bounce-delay') * 4 * HOUR);
    actions.push({ type: 'bounce', at, bounceType: 'Transient', subType: 'MailboxFull' });
    return { mailbox, fit, chances: none, actions };
  }
  const delivered = after(sent, (1 + Math.floor(draw('delivery-delay') * 4)) * SECOND);
  actions.push({ type: 'delivery', at: delivered });

  if (mailbox.privacyProxy)
    actions.push({
      type: 'open',
      at: after(delivered, SECOND),
      userAgent: PRIVACY_PROXY_USER_AGENT,
      by: 'proxy',
    });
  if (mailbox.linkScanner) actions.push(...scan(model, facts, delivered));

  const hour = localHour(delivered, facts.timeZone);
  const fatigue = 1 / (1 + rates.fatiguePerEmail * recent);
  const chances = {
    read: clamp((rates.read[facts.journey] ?? rates.readDefault) * hourFactor(hour) * fatigue),
    click: clamp((rates.clickBase + rates.clickPerFit * fit) * (model.variantLift[facts.variant ?? ''] ?? 1)),
    vote: clamp(rates.vote),
    unsubscribe: clamp(rates.unsubscribe * (1 + rates.unsubscribeFatigue * recent) * (1 - 0.6 * fit)),
    complaint: clamp(rates.complaint * (1 + 0.5 * recent)),
  };
  if (draw('complaint') < chances.complaint) {
    actions.push({
      type: 'complaint',
      at: after(delivered, 10 * MINUTE + wait('complaint-delay', 6 * HOUR)),
    });
    return { mailbox, fit, chances, actions: byTime(actions) };
  }
  if (draw('read') >= chances.read) return { mailbox, fit, chances, actions: byTime(actions) };

  const agents = PERSON_AGENTS[Math.floor(uniform(seed, facts.address, 'agents') * PERSON_AGENTS.length)]!;
  const read = after(delivered, 2 * MINUTE + wait('read-delay', 3 * HOUR));
  if (!mailbox.privacyProxy) actions.push({ type: 'open', at: read, userAgent: agents.open, by: 'person' });
  const person = { userAgent: agents.click, by: 'person' as const };

  let clicked: EmailLink | undefined;
  let clickedAt: Date | undefined;
  const content = facts.links.filter((l) => l.kind === 'content');
  if (content.length > 0 && draw('click') < chances.click) {
    clicked = pickWeighted(content, draw('click-link'), (l) =>
      l.sku === undefined ? 0.5 : likes(model, facts.customerId, l.category) ? 3 : 1,
    );
    clickedAt = after(read, 20 * SECOND + wait('click-delay', MINUTE));
    actions.push({ type: 'click', at: clickedAt, link: clicked, ...person });
  }
  if (draw('vote') < chances.vote) actions.push(...votes(model, facts, read, person));
  if (draw('unsubscribe') < chances.unsubscribe) actions.push(...unsubscribe(facts, read, draw, person));

  const order = decideOrder(model, facts, fit, clicked, clickedAt, read);
  if (order) actions.push(order);
  return { mailbox, fit, chances, actions: byTime(actions) };
}

/** A link scanner: the images, then every link within about a second, our own pages with a GET. */
function scan(model: AudienceModel, facts: EmailFacts, delivered: Date): AudienceAction[] {
  const userAgent =
    SCANNER_USER_AGENTS[
      Math.floor(uniform(model.seed, facts.address, 'scanner-agent') * SCANNER_USER_AGENTS.length)
    ]!;
  const start = delivered.getTime() + SECOND;
  const actions: AudienceAction[] = [{ type: 'open', at: new Date(start), userAgent, by: 'scanner' }];
  facts.links.forEach((link, i) => {
    // Spread over one second: inside the engagement rules' burst window and far inside botClickSeconds.
    const at = new Date(start + Math.floor((i * SECOND) / Math.max(1, facts.links.length)));
    actions.push({ type: 'click', at, link, userAgent, by: 'scanner' });
    if (link.kind !== 'content')
      actions.push({ type: 'request', at, url: link.url, method: 'GET', by: 'scanner' });
  });
  return actions;
}

/** Votes on one or two recommended items: up on a favourite category, down otherwise. */
function votes(
  model: AudienceModel,
  facts: EmailFacts,
  read: Date,
  person: { userAgent: string; by: 'person' },
): AudienceAction[] {
  const voteLinks = facts.links.filter((l) => l.kind === 'vote' && l.sku !== undefined);
  const skus = [...new Set(voteLinks.map((l) => l.sku!))];
  if (skus.length === 0) return [];
  const draw = (what: string) => uniform(model.seed, facts.messageId, what);
  const first = Math.floor(draw('vote-item') * skus.length);
  const chosen = draw('vote-two') < 0.3 && skus.length > 1 ? [first, (first + 1) % skus.length] : [first];
  return chosen.flatMap((index, n) => {
    const sku = skus[index]!;
    const category = facts.recommended.find((r) => r.sku === sku)?.category;
    const vote = likes(model, facts.customerId, category) ? 'up' : 'down';
    const link = voteLinks.find((l) => l.sku === sku && l.vote === vote);
    if (!link) return [];
    const at = new Date(read.getTime() + (40 + 30 * n + Math.floor(draw(`vote-delay-${n}`) * 60)) * SECOND);
    return followLink(link, at, 5, person);
  });
}

/**
 * A person clicks one of our links, its page opens, and `buttonAfterSeconds` later they press its button (our
 * pages act only on the POST, so a scanner's GET changes nothing).
 */
function followLink(
  link: EmailLink,
  at: Date,
  buttonAfterSeconds: number,
  person: { userAgent: string; by: 'person' },
): AudienceAction[] {
  return [
    { type: 'click', at, link, ...person },
    { type: 'request', at, url: link.url, method: 'GET', by: 'person' },
    {
      type: 'request',
      at: new Date(at.getTime() + buttonAfterSeconds * SECOND),
      url: link.url,
      method: 'POST',
      by: 'person',
    },
  ];
}

/** The mail client's one-click button (RFC 8058), or the footer link and its page's button. */
function unsubscribe(
  facts: EmailFacts,
  read: Date,
  draw: (what: string) => number,
  person: { userAgent: string; by: 'person' },
): AudienceAction[] {
  const at = new Date(read.getTime() + (15 + Math.floor(draw('unsubscribe-delay') * 45)) * SECOND);
  const footer = facts.links.find((l) => l.kind === 'unsubscribe');
  if (facts.oneClickUnsubscribe && (draw('unsubscribe-how') < 0.6 || !footer)) {
    const body = 'List-Unsubscribe=One-Click';
    return [{ type: 'request', at, url: facts.oneClickUnsubscribe, method: 'POST', body, by: 'person' }];
  }
  return footer ? followLink(footer, at, 8, person) : [];
}

/** A later order: after a click on content, or (less likely) after reading alone. */
function decideOrder(
  model: AudienceModel,
  facts: ReadEmail,
  fit: number,
  clicked: EmailLink | undefined,
  clickedAt: Date | undefined,
  read: Date,
): AudienceAction | undefined {
  const { rates, seed } = model;
  const draw = (what: string) => uniform(seed, facts.messageId, what);
  const wait = (what: string, mean: number) => -Math.log(1 - draw(what)) * mean;
  const chance = clickedAt
    ? rates.orderAfterClick + rates.orderAfterClickPerFit * fit
    : rates.viewThrough + rates.viewThroughPerFit * fit;
  if (draw('order') >= clamp(chance)) return undefined;
  const from = clickedAt ?? read;
  const delay = clickedAt
    ? 15 * MINUTE + wait('order-delay', 20 * HOUR)
    : HOUR + wait('order-delay', 30 * HOUR);
  const at = new Date(from.getTime() + Math.round(Math.min(MAX_ORDER_DELAY, delay) / SECOND) * SECOND);
  if (facts.journey === 'cart_reminder') return { type: 'order', at, skus: [], fromCart: true };
  const favourites = facts.recommended.filter((r) => likes(model, facts.customerId, r.category));
  const skus = clicked?.sku ? [clicked.sku] : [];
  const extra = favourites.find((r) => !skus.includes(r.sku));
  if (extra && (skus.length === 0 || draw('order-extra') < 0.3)) skus.push(extra.sku);
  if (skus.length === 0 && facts.recommended[0]) skus.push(facts.recommended[0].sku);
  // A gift with nothing featured: the reader uses it on something of their own taste (the driver picks it).
  if (skus.length === 0 && facts.code) return { type: 'order', at, skus, fromCart: false };
  return skus.length ? { type: 'order', at, skus, fromCart: false } : undefined;
}

function pickWeighted<T>(items: readonly T[], u: number, weight: (item: T) => number): T {
  const total = items.reduce((sum, item) => sum + weight(item), 0);
  let left = u * total;
  for (const item of items) {
    left -= weight(item);
    if (left < 0) return item;
  }
  return items[items.length - 1]!;
}

/** In time order; the sort is stable, so same-instant actions keep the order they were decided in. */
function byTime(actions: AudienceAction[]): AudienceAction[] {
  return [...actions].sort((a, b) => a.at.getTime() - b.at.getTime());
}
