/**
 * Runs the simulated audience (local/audience.ts) inside embedded mode: when the SES stand-in accepts an
 * email, reads what a reader would see (the ledger entry's recommendations, the catalogue's categories, the
 * links in the HTML, the customer's time zone), lets the model decide its fate, and plays it out on the
 * simulated clock through the same doors as on AWS: SES events in the EventBridge shape SES publishes them, to
 * the ses-events handler; votes and unsubscribes as requests to the customer endpoints (customer-http); orders
 * as `order.placed` events on the bus, so intake, attribution and the thank-you run for them.
 */
import { v5 as uuidv5 } from 'uuid';
import type { Stores } from '../functions/app/deps.js';
import type { EngineConfig } from '../functions/domain/config.js';
import { linkKind } from '../functions/domain/engagement.js';
import type { LineItem } from '../functions/domain/events.js';
import type { LedgerEntry } from '../functions/domain/ledger.js';
import type { LinkKeys } from '../functions/domain/links.js';
import { SES_TAGS } from '../functions/domain/names.js';
import type { Product } from '../functions/domain/recommend.js';
import { resolveTimeZone } from '../functions/domain/time.js';
import {
  type Actor,
  type AudienceAction,
  type AudienceModel,
  type AudienceOptions,
  audienceModel,
  decideFate,
  type ReadEmail,
} from './audience.js';
import { itemOfOwnTaste } from './audience-taste.js';
import { claimsOf, codeShown, linksOf, oneClick } from './email-reading.js';
import { eventTime } from './handlers.js';
import type { AcceptedEmail } from './ses.js';

/** What the audience did in a run, as the people and machines did it (the engine's figures are its own). */
export interface AudienceStats {
  seed: number;
  emails: number;
  delivered: number;
  bounces: { hard: number; soft: number };
  complaints: number;
  opens: Record<Actor, number>;
  clicks: { person: number; scanner: number };
  votes: { up: number; down: number };
  unsubscribes: number;
  orders: number;
  revenue: number;
  /** Ids of the orders the audience placed (`AUD-...`). */
  orderIds: string[];
}

/** The runtime's doors the audience goes through. */
export interface AudienceHost {
  stores: Pick<Stores, 'ledger' | 'profiles' | 'products' | 'carts'>;
  config: Pick<EngineConfig, 'publicBaseUrl' | 'defaultTimeZone' | 'sender'>;
  account: string;
  region: string;
  /** The runtime's link keys: the reader learns which item a vote link is about by opening its token. */
  linkKeys(): Promise<LinkKeys>;
  at(time: Date, label: string, job: () => Promise<void>): void;
  /** An SES event as EventBridge delivers it: the ses-events handler, invoked asynchronously. */
  sesEvent(label: string, event: object): Promise<void>;
  /** A request to the customer endpoints (the function URL): the customer-http handler's answer. */
  request(event: object): Promise<{ statusCode?: number } | undefined>;
  /** Puts a shop event on the bus now. */
  publish(event: { id: string; source: string; 'detail-type': string; time: string; detail: object }): void;
  /** Something the audience tried failed (a customer-http error, a store read): kept, like a failed job. */
  failed(label: string, error: unknown): void;
}

/** What the driver keeps of an email while its reader's actions play out. */
interface ReadContext {
  email: AcceptedEmail;
  entry: LedgerEntry;
  products: Map<string, Product>;
  /** The gift code the email showed, if any. */
  code?: string;
}

const WEEK_MS = 7 * 86_400_000;
/** Namespace of the SES events' own ids (uuid v5 of message, type and number). */
const EVENT_NAMESPACE = '0f6d8a52-3c1b-4e8e-9a51-6c2f1d7b9e40';
const DETAIL_TYPES = {
  Delivery: 'Email Delivered',
  Bounce: 'Email Bounced',
  Complaint: 'Email Complaint Received',
  Open: 'Email Opened',
  Click: 'Email Clicked',
} as const;

export class AudienceDriver {
  private readonly model: AudienceModel;
  /** Send times per address, for fatigue (emails in the 7 days before). */
  private readonly sends = new Map<string, number[]>();
  private readonly counts: AudienceStats;

  constructor(
    options: AudienceOptions,
    private readonly host: AudienceHost,
  ) {
    this.model = audienceModel(options);
    this.counts = {
      seed: this.model.seed,
      emails: 0,
      delivered: 0,
      bounces: { hard: 0, soft: 0 },
      complaints: 0,
      opens: { person: 0, proxy: 0, scanner: 0 },
      clicks: { person: 0, scanner: 0 },
      votes: { up: 0, down: 0 },
      unsubscribes: 0,
      orders: 0,
      revenue: 0,
      orderIds: [],
    };
  }

  /** SES accepted `email`: its fate is decided right after the current job (the send's ledger write). */
  accepted(email: AcceptedEmail): void {
    const messageId = email.tags[SES_TAGS.messageId];
    if (!messageId) return;
    this.host.at(new Date(email.sentAt), `audience reads ${messageId}`, () =>
      this.guard(`audience ${messageId}`, () => this.react(email, messageId)),
    );
  }

  stats(): AudienceStats {
    return structuredClone(this.counts);
  }

  private async react(email: AcceptedEmail, messageId: string): Promise<void> {
    const { stores, config } = this.host;
    const entry = await stores.ledger.get(messageId);
    const address = email.to[0];
    if (!entry?.customerId || !address) return;
    const cartId = entry.journey === 'cart_reminder' ? entry.triggerKey.split(':').at(-1) : undefined;
    const cart = cartId ? await stores.carts.get(cartId) : undefined;
    const recommended = entry.recommendations ?? [];
    const products = new Map(
      (await stores.products.getMany([...recommended, ...(cart?.items ?? []).map((i) => i.sku)])).map((p) => [
        p.sku,
        p,
      ]),
    );
    // A cart line the catalogue does not know is still an item the reader sees (and may click).
    for (const item of cart?.items ?? [])
      if (!products.has(item.sku)) products.set(item.sku, { ...item, orderCount: 0 });
    const profile = await stores.profiles.get(entry.customerId);
    const sentAt = new Date(email.sentAt);
    const keys = await this.host.linkKeys();
    this.counts.emails += 1;
    const code = codeShown(email, entry.code);
    const facts: ReadEmail = {
      messageId,
      customerId: entry.customerId,
      address,
      journey: entry.journey,
      ...(email.tags[SES_TAGS.variant] ? { variant: email.tags[SES_TAGS.variant] } : {}),
      sentAt,
      timeZone: resolveTimeZone(profile?.timeZone, config.defaultTimeZone),
      categories: [
        ...recommended.map((sku) => products.get(sku)?.category),
        ...(cart?.items ?? []).map((i) => products.get(i.sku)?.category ?? i.category),
      ].filter((c): c is string => c !== undefined),
      recommended: recommended.map((sku) => ({ sku, category: products.get(sku)?.category })),
      links: linksOf(email.html ?? '', config.publicBaseUrl, products, keys),
      ...oneClick(email),
      recentEmails: this.recentEmails(address, sentAt.getTime()),
      ...(code ? { code } : {}),
    };
    const fate = decideFate(this.model, facts);
    fate.actions.forEach((action, n) => {
      this.host.at(action.at, `audience ${action.type} ${messageId}`, () =>
        this.guard(`audience ${action.type} ${messageId}`, () =>
          this.play(action, n, { email, entry, products, ...(code ? { code } : {}) }),
        ),
      );
    });
  }

  /** Emails to the address in the 7 days before `at`; records this one. */
  private recentEmails(address: string, at: number): number {
    const times = this.sends.get(address) ?? [];
    const recent = times.filter((t) => t > at - WEEK_MS && t < at).length;
    times.push(at);
    this.sends.set(address, times);
    return recent;
  }

  private async play(action: AudienceAction, n: number, ctx: ReadContext): Promise<void> {
    const { email } = ctx;
    const c = this.counts;
    switch (action.type) {
      case 'delivery':
        c.delivered += 1;
        return this.ses(email, 'Delivery', action.at, n, {
          delivery: {
            timestamp: action.at.toISOString(),
            processingTimeMillis: action.at.getTime() - Date.parse(email.sentAt),
            recipients: email.to,
            smtpResponse: '250 2.0.0 OK',
            reportingMTA: 'a8-1.smtp-out.amazonses.com',
          },
        });
      case 'bounce':
        if (action.bounceType === 'Permanent') c.bounces.hard += 1;
        else c.bounces.soft += 1;
        return this.ses(email, 'Bounce', action.at, n, {
          bounce: {
            bounceType: action.bounceType,
            bounceSubType: action.subType,
            bouncedRecipients: email.to.map((emailAddress) => ({
              emailAddress,
              action: 'failed',
              status: action.bounceType === 'Permanent' ? '5.1.1' : '4.2.2',
            })),
            timestamp: action.at.toISOString(),
            feedbackId: uuidv5(`${email.sesMessageId}:bounce`, EVENT_NAMESPACE),
          },
        });
      case 'complaint':
        c.complaints += 1;
        return this.ses(email, 'Complaint', action.at, n, {
          complaint: {
            complainedRecipients: email.to.map((emailAddress) => ({ emailAddress })),
            timestamp: action.at.toISOString(),
            feedbackId: uuidv5(`${email.sesMessageId}:complaint`, EVENT_NAMESPACE),
            complaintFeedbackType: 'abuse',
          },
        });
      case 'open':
        c.opens[action.by] += 1;
        // Tracking off for this email (the customer's choice): SES added no pixel, so no one learns of it.
        if (!email.tracking.opens) return;
        return this.ses(email, 'Open', action.at, n, {
          open: { timestamp: action.at.toISOString(), userAgent: action.userAgent, ipAddress: '192.0.2.1' },
        });
      case 'click':
        if (action.by === 'scanner') c.clicks.scanner += 1;
        else c.clicks.person += 1;
        // Without SES's redirect the link goes straight to its page: the click is nobody's record.
        if (!email.tracking.clicks) return;
        return this.ses(email, 'Click', action.at, n, {
          click: {
            timestamp: action.at.toISOString(),
            userAgent: action.userAgent,
            ipAddress: '192.0.2.1',
            link: action.link.url,
            linkTags: {},
          },
        });
      case 'request':
        return this.request(action);
      case 'order':
        return this.order(action, n, ctx);
    }
  }

  /** An SES event of the message in the shape EventBridge delivers it (source aws.ses). */
  private ses(
    email: AcceptedEmail,
    eventType: keyof typeof DETAIL_TYPES,
    at: Date,
    n: number,
    detail: object,
  ): Promise<void> {
    const configurationSet = email.configurationSet ?? '';
    const tags: Record<string, string[]> = {
      'ses:configuration-set': [configurationSet],
      'ses:from-domain': [email.from.replace(/^.*@/, '').replace(/>$/, '')],
      ...Object.fromEntries(Object.entries(email.tags).map(([name, value]) => [name, [value]])),
    };
    const { account, region } = this.host;
    const event = {
      version: '0',
      id: uuidv5(`${email.sesMessageId}:${eventType}:${n}`, EVENT_NAMESPACE),
      'detail-type': DETAIL_TYPES[eventType],
      source: 'aws.ses',
      account,
      time: eventTime(at),
      region,
      resources: [`arn:aws:ses:${region}:${account}:configuration-set/${configurationSet}`],
      detail: {
        eventType,
        mail: {
          timestamp: email.sentAt,
          source: email.from,
          sendingAccountId: account,
          messageId: email.sesMessageId,
          destination: email.to,
          headersTruncated: false,
          commonHeaders: { from: [email.from], to: email.to, subject: email.subject },
          tags,
        },
        ...detail,
      },
    };
    return this.host.sesEvent(`ses ${eventType} ${email.sesMessageId}`, event);
  }

  /** A page fetched or a form posted on our customer endpoints, as a function URL hands it over. */
  private async request(action: Extract<AudienceAction, { type: 'request' }>): Promise<void> {
    const url = new URL(action.url);
    const base = new URL(this.host.config.publicBaseUrl);
    const prefix = base.pathname.replace(/\/+$/, '');
    const rawPath = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
    const answer = await this.host.request({
      version: '2.0',
      rawPath,
      rawQueryString: url.search.slice(1),
      headers: {
        host: base.host,
        ...(action.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      requestContext: { http: { method: action.method, path: rawPath } },
      ...(action.body ? { body: action.body, isBase64Encoded: false } : {}),
      isBase64Encoded: false,
    });
    if (action.method !== 'POST' || action.by !== 'person' || answer?.statusCode !== 200) return;
    const kind = linkKind(action.url, this.host.config.publicBaseUrl);
    if (kind === 'unsubscribe') this.counts.unsubscribes += 1;
    if (kind === 'vote') {
      const vote = claimsOf(action.url, await this.host.linkKeys())?.data?.vote;
      if (vote === 'up' || vote === 'down') this.counts.votes[vote] += 1;
    }
  }

  /**
   * The order the email led to, on the bus now: the cart (cart reminders) or the items, at today's prices, or
   * for a gift that featured nothing, an item of the reader's taste; with the email's code, if it showed one.
   */
  private async order(
    action: Extract<AudienceAction, { type: 'order' }>,
    n: number,
    ctx: ReadContext,
  ): Promise<void> {
    const { entry } = ctx;
    const products = new Map(ctx.products);
    if (!action.fromCart && action.skus.length === 0) {
      const pick = await itemOfOwnTaste(this.model, this.host.stores, entry, `${n}`);
      if (!pick) return;
      products.set(pick.sku, pick);
      action = { ...action, skus: [pick.sku] };
    }
    const orderId = `AUD-${uuidv5(`${entry.messageId}:order:${n}`, EVENT_NAMESPACE).slice(0, 13)}`;
    const currency = this.host.config.sender.currency;
    let detail: { items: LineItem[]; currency: string; total: number; cartId?: string } | undefined;
    if (action.fromCart) {
      const cartId = entry.triggerKey.split(':').at(-1);
      const cart = cartId ? await this.host.stores.carts.get(cartId) : undefined;
      // Bought already, emptied, or gone: nothing left to buy.
      if (cart?.status !== 'open' || cart.items.length === 0) return;
      detail = { items: cart.items, currency: cart.currency, total: cart.total, cartId: cart.cartId };
    } else {
      const items = action.skus.flatMap((sku) => {
        const p = products.get(sku);
        if (!p) return [];
        return [
          {
            sku,
            name: p.name,
            price: p.price,
            quantity: 1,
            ...(p.category ? { category: p.category } : {}),
            ...(p.url ? { url: p.url } : {}),
          },
        ];
      });
      if (items.length === 0) return;
      const total = Math.round(items.reduce((sum, i) => sum + i.price * i.quantity, 0) * 100) / 100;
      detail = { items, currency, total };
    }
    this.counts.orders += 1;
    this.counts.revenue = Math.round((this.counts.revenue + detail.total) * 100) / 100;
    this.counts.orderIds.push(orderId);
    this.host.publish({
      id: `audience-${orderId}`,
      source: 'reciprocity.audience',
      'detail-type': 'order.placed',
      time: eventTime(action.at),
      detail: {
        customerId: entry.customerId,
        orderId,
        ...detail,
        ...(ctx.code ? { discountCodes: [ctx.code] } : {}),
      },
    });
  }

  private async guard(label: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.host.failed(label, error);
    }
  }
}
