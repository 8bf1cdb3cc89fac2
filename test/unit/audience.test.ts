import { describe, expect, it } from 'vitest';
import {
  classifyEngagement,
  countsAsSuccess,
  DEFAULT_ENGAGEMENT_RULES,
} from '../../functions/domain/engagement.js';
import { feedbackLinks, type LinkKeys } from '../../functions/domain/links.js';
import {
  type AudienceAction,
  type AudienceOptions,
  audienceModel,
  decideFate,
  type EmailFacts,
  type EmailLink,
  fitOf,
  hourFactor,
  likes,
  PERSON_AGENTS,
} from '../../local/audience.js';
import { linksOf } from '../../local/email-reading.js';

const BASE = 'http://localhost:8787';
const SENT = new Date('2026-12-01T10:00:00Z');
const LINKS: EmailLink[] = [
  { url: 'https://shop.example/p/TEA-1', kind: 'content', sku: 'TEA-1', category: 'tea' },
  { url: 'https://shop.example/p/POT-1', kind: 'content', sku: 'POT-1', category: 'kitchen' },
  { url: `${BASE}/f/k.up-tea.s`, kind: 'vote', sku: 'TEA-1', category: 'tea', vote: 'up' },
  { url: `${BASE}/f/k.down-tea.s`, kind: 'vote', sku: 'TEA-1', category: 'tea', vote: 'down' },
  { url: `${BASE}/f/k.up-pot.s`, kind: 'vote', sku: 'POT-1', category: 'kitchen', vote: 'up' },
  { url: `${BASE}/f/k.down-pot.s`, kind: 'vote', sku: 'POT-1', category: 'kitchen', vote: 'down' },
  { url: `${BASE}/why/k.why.s`, kind: 'why' },
  { url: `${BASE}/p/k.prefs.s`, kind: 'preferences' },
  { url: `${BASE}/u/k.unsub.s`, kind: 'unsubscribe' },
];

/** A thank-you to a tea lover, recommending a tea and a teapot; `extra` overrides facts. */
function facts(messageId: string, extra: Partial<EmailFacts> = {}): EmailFacts {
  return {
    messageId,
    customerId: 'C1',
    address: 'c1@customers.example',
    journey: 'order_followup',
    sentAt: SENT,
    timeZone: 'Europe/Berlin',
    categories: ['tea', 'kitchen'],
    recommended: [
      { sku: 'TEA-1', category: 'tea' },
      { sku: 'POT-1', category: 'kitchen' },
    ],
    links: LINKS,
    oneClickUnsubscribe: `${BASE}/u/k.unsub.s`,
    recentEmails: 0,
    ...extra,
  };
}

const TEA_LOVER: AudienceOptions = { tastes: { C1: ['tea'] } };
/** No bounces and no complaints: every email reaches a reader who may act on it. */
const ALWAYS_DELIVERED = { deadAddressShare: 0, softBounce: 0, complaint: 0 };
const ids = (n: number, prefix = 'M') => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const count = (actions: AudienceAction[], pick: (a: AudienceAction) => boolean) =>
  actions.filter(pick).length;
const delivery = (actions: AudienceAction[]) => actions.find((a) => a.type === 'delivery')!.at.toISOString();

/** Over many emails: how many had an action of this kind. */
function share(options: AudienceOptions, extra: Partial<EmailFacts>, pick: (a: AudienceAction) => boolean) {
  const model = audienceModel(options);
  const emails = ids(3000);
  return emails.filter((id) => decideFate(model, facts(id, extra)).actions.some(pick)).length / emails.length;
}
const personContentClick = (a: AudienceAction) =>
  a.type === 'click' && a.by === 'person' && a.link.kind === 'content';
const personOpen = (a: AudienceAction) => a.type === 'open' && a.by === 'person';

describe('Function: decideFate', () => {
  it('decides the same fate for the same seed and email, and another one for another seed', () => {
    // Prepare
    const model = audienceModel({ seed: 7 });
    // Act
    const first = ids(200).map((id) => decideFate(model, facts(id)));
    const again = ids(200)
      .reverse()
      .map((id) => decideFate(audienceModel({ seed: 7 }), facts(id)))
      .reverse();
    const other = ids(200).map((id) => decideFate(audienceModel({ seed: 8 }), facts(id)));
    // Assess
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it('has a privacy-proxy mailbox open every delivered email at once, classified as a machine open', () => {
    // Prepare
    const model = audienceModel({ rates: { privacyProxyShare: 1, deadAddressShare: 0, softBounce: 0 } });
    for (const id of ids(100)) {
      // Act
      const { actions } = decideFate(model, facts(id));
      const opens = actions.filter((a) => a.type === 'open');
      // Assess: exactly one open, the proxy's, about a second after delivery; the person's opens are unseen
      expect(opens).toHaveLength(1);
      const [open] = opens;
      expect(open).toMatchObject({ by: 'proxy', userAgent: 'Mozilla/5.0' });
      expect(open!.at.getTime() - Date.parse(delivery(actions))).toBeLessThanOrEqual(1000);
      const [judged] = classifyEngagement(
        [{ kind: 'open', at: open!.at.toISOString(), userAgent: (open as { userAgent: string }).userAgent }],
        delivery(actions),
        DEFAULT_ENGAGEMENT_RULES,
        BASE,
      );
      expect(judged).toMatchObject({ human: false, reason: 'proxy_prefetch' });
    }
  });

  it('has a link scanner follow every link within two seconds of delivery, all classified as bots', () => {
    // Prepare
    const model = audienceModel({
      rates: { linkScannerShare: 1, privacyProxyShare: 0, deadAddressShare: 0, softBounce: 0, complaint: 0 },
    });
    for (const id of ids(50)) {
      // Act
      const { actions } = decideFate(model, facts(id));
      const clicks = actions.filter((a) => a.type === 'click' && a.by === 'scanner');
      // Assess
      expect(clicks.map((c) => (c as { link: EmailLink }).link.url).sort()).toEqual(
        LINKS.map((l) => l.url).sort(),
      );
      for (const c of clicks)
        expect(c.at.getTime() - Date.parse(delivery(actions))).toBeLessThanOrEqual(2000);
      const judged = classifyEngagement(
        clicks.map((c) => ({
          kind: 'click' as const,
          at: c.at.toISOString(),
          userAgent: (c as { userAgent: string }).userAgent,
          url: (c as { link: EmailLink }).link.url,
        })),
        delivery(actions),
        DEFAULT_ENGAGEMENT_RULES,
        BASE,
      );
      expect(judged.every((e) => !e.human)).toBe(true);
      // Its GETs of our pages (vote, unsubscribe) ask, and never post.
      const requests = actions.filter((a) => a.type === 'request' && a.by === 'scanner');
      expect(requests.every((r) => (r as { method: string }).method === 'GET')).toBe(true);
    }
  });

  it("classes a person's opens and content clicks as human, and the click as a success", () => {
    // Prepare
    const model = audienceModel({
      ...TEA_LOVER,
      rates: {
        ...ALWAYS_DELIVERED,
        privacyProxyShare: 0,
        linkScannerShare: 0,
        read: { order_followup: 1 },
        clickBase: 1,
      },
    });
    for (const id of ids(50)) {
      // Act
      const { actions } = decideFate(model, facts(id));
      const seen = actions
        .filter((a) => a.type === 'open' || a.type === 'click')
        .map((a) => ({
          kind: a.type === 'open' ? ('open' as const) : ('click' as const),
          at: a.at.toISOString(),
          userAgent: (a as { userAgent: string }).userAgent,
          ...(a.type === 'click' ? { url: a.link.url } : {}),
        }));
      const judged = classifyEngagement(seen, delivery(actions), DEFAULT_ENGAGEMENT_RULES, BASE);
      // Assess
      expect(judged.every((e) => e.human)).toBe(true);
      expect(judged.some(countsAsSuccess)).toBe(true);
    }
  });

  it('clicks a better-fitting email more often, and variant B more often than A', () => {
    // Act
    const fitting = share(TEA_LOVER, { categories: ['tea', 'tea'] }, personContentClick);
    const unfitting = share(TEA_LOVER, { categories: ['kitchen', 'kitchen'] }, personContentClick);
    const variantA = share(TEA_LOVER, { variant: 'A' }, personContentClick);
    const variantB = share(TEA_LOVER, { variant: 'B' }, personContentClick);
    // Assess
    expect(fitting).toBeGreaterThan(unfitting * 2);
    expect(variantB).toBeGreaterThan(variantA * 1.2);
  });

  it('reads less under fatigue (emails in the last 7 days) and at night', () => {
    // Prepare: no privacy proxies, so every read shows as an open
    const options: AudienceOptions = { rates: { privacyProxyShare: 0 } };
    // Act
    const fresh = share(options, { recentEmails: 0 }, personOpen);
    const tired = share(options, { recentEmails: 4 }, personOpen);
    // 03:00 in Berlin, against 19:00
    const night = share(options, { sentAt: new Date('2026-12-01T02:00:00Z') }, personOpen);
    const evening = share(options, { sentAt: new Date('2026-12-01T18:00:00Z') }, personOpen);
    // Assess
    expect(tired).toBeLessThan(fresh * 0.6);
    expect(night).toBeLessThan(evening * 0.65);
    expect(hourFactor(3)).toBeLessThan(hourFactor(19));
  });

  it('votes up on a favourite category and down on another, through the link, its page and its POST', () => {
    // Prepare
    const model = audienceModel({ ...TEA_LOVER, rates: { read: { order_followup: 1 }, vote: 1 } });
    // Act
    const requests = ids(200).flatMap((id) =>
      decideFate(model, facts(id)).actions.filter((a) => a.type === 'request' && a.by === 'person'),
    );
    // Assess
    const posted = requests
      .filter((r) => (r as { method: string }).method === 'POST')
      .map((r) => (r as { url: string }).url);
    expect(posted).toContain(`${BASE}/f/k.up-tea.s`);
    expect(posted).toContain(`${BASE}/f/k.down-pot.s`);
    expect(posted).not.toContain(`${BASE}/f/k.down-tea.s`);
    expect(posted).not.toContain(`${BASE}/f/k.up-pot.s`);
  });

  it('unsubscribes by the one-click POST or the footer link, more under fatigue', () => {
    // Prepare: fatigue left out of the read chance, to see its effect on a reader
    const options: AudienceOptions = {
      rates: { read: { order_followup: 1 }, unsubscribe: 0.05, fatiguePerEmail: 0 },
    };
    const unsubscribes = (a: AudienceAction) =>
      a.type === 'request' && a.method === 'POST' && a.url === `${BASE}/u/k.unsub.s`;
    // Act
    const fresh = share(options, { recentEmails: 0 }, unsubscribes);
    const tired = share(options, { recentEmails: 4 }, unsubscribes);
    const oneClick = ids(3000)
      .flatMap((id) => decideFate(audienceModel(options), facts(id)).actions)
      .filter((a) => a.type === 'request' && a.body === 'List-Unsubscribe=One-Click');
    // Assess
    expect(tired).toBeGreaterThan(fresh * 1.5);
    expect(oneClick.length).toBeGreaterThan(0);
  });

  it('orders within five days of a click, the clicked item or a favourite', () => {
    // Prepare
    const model = audienceModel({
      ...TEA_LOVER,
      rates: { ...ALWAYS_DELIVERED, read: { order_followup: 1 }, clickBase: 1 },
    });
    // Act
    const fates = ids(500).map((id) => decideFate(model, facts(id)));
    // Assess
    const orders = fates.flatMap((f) => {
      const click = f.actions.find(personContentClick);
      return f.actions.flatMap((a) => (a.type === 'order' ? [{ order: a, click }] : []));
    });
    expect(orders.length).toBeGreaterThan(50);
    for (const { order, click } of orders) {
      expect(click).toBeDefined();
      expect(order.at.getTime() - click!.at.getTime()).toBeLessThanOrEqual(5 * 86_400_000);
      expect(order.skus.length).toBeGreaterThan(0);
      const clicked = (click as { link: EmailLink }).link.sku;
      expect(order.skus[0] === clicked || order.skus.includes('TEA-1')).toBe(true);
    }
  });

  it('orders the cart after a cart reminder', () => {
    // Prepare
    const model = audienceModel({ rates: { read: { cart_reminder: 1 }, clickBase: 1, orderAfterClick: 1 } });
    // Act
    const fate = decideFate(model, facts('cart-1', { journey: 'cart_reminder', recommended: [] }));
    // Assess
    expect(fate.actions.filter((a) => a.type === 'order')).toMatchObject([{ fromCart: true, skus: [] }]);
  });

  it('hard-bounces every email to a dead address, and nothing else happens to it', () => {
    // Prepare
    const model = audienceModel({ rates: { deadAddressShare: 1 } });
    // Act
    const { actions } = decideFate(model, facts('dead-1'));
    // Assess
    expect(actions).toMatchObject([{ type: 'bounce', bounceType: 'Permanent' }]);
  });

  it('keeps a realistic mix with the defaults: about 30% proxies, few bounces, rare complaints', () => {
    // Prepare
    const model = audienceModel();
    const fates = ids(4000).map((id, i) => decideFate(model, facts(id, { address: `a${i}@x.example` })));
    const all = fates.flatMap((f) => f.actions);
    // Assess
    const proxies = fates.filter((f) => f.mailbox.privacyProxy).length / fates.length;
    expect(proxies).toBeGreaterThan(0.25);
    expect(proxies).toBeLessThan(0.35);
    expect(count(all, (a) => a.type === 'bounce') / fates.length).toBeLessThan(0.03);
    expect(count(all, (a) => a.type === 'complaint') / fates.length).toBeLessThan(0.003);
  });
});

describe('Function: likes and fitOf', () => {
  it('uses the given tastes, else a stable hash of the customer and category', () => {
    const model = audienceModel(TEA_LOVER);
    expect(likes(model, 'C1', 'tea')).toBe(true);
    expect(likes(model, 'C1', 'kitchen')).toBe(false);
    expect(fitOf(model, 'C1', ['tea', 'kitchen'])).toBe(0.5);
    expect(likes(model, 'C2', 'tea')).toBe(likes(audienceModel(), 'C2', 'tea'));
    expect(fitOf(model, 'C1', [])).toBe(0.25);
  });
});

describe('Function: linksOf', () => {
  it('reads the links of an email in order, each once, with the item and the answer of vote links', () => {
    // Prepare: a real vote link (its token is encrypted: only the runtime's keys tell the item)
    const keys: LinkKeys = { current: 'k1', keys: { k1: 'k'.repeat(32) } };
    const vote = feedbackLinks({
      baseUrl: BASE,
      keys,
      customerId: 'C1',
      messageId: 'M1',
      sku: 'TEA-1',
      now: new Date('2026-12-01T10:00:00Z'),
      ttlDays: 60,
    }).notForMe;
    const html = `<a href="https://shop.example/p/TEA-1">Tea</a> <a href="${vote}">Not for me</a>
      <a href="https://shop.example/p/TEA-1">again</a> <a href="${BASE}/u/k.x.sig">Unsubscribe</a> <a href="mailto:x@y">m</a>`;
    const products = new Map([
      [
        'TEA-1',
        {
          sku: 'TEA-1',
          name: 'Sencha',
          price: 10,
          category: 'tea',
          url: 'https://shop.example/p/TEA-1',
          orderCount: 0,
        },
      ],
    ]);
    // Act
    const links = linksOf(html, BASE, products, keys);
    const stranger = linksOf(html, BASE, products, { current: 'k2', keys: { k2: 'z'.repeat(32) } });
    // Assess
    expect(links).toEqual([
      { url: 'https://shop.example/p/TEA-1', kind: 'content', sku: 'TEA-1', category: 'tea' },
      { url: vote, kind: 'vote', sku: 'TEA-1', category: 'tea', vote: 'down' },
      { url: `${BASE}/u/k.x.sig`, kind: 'unsubscribe' },
    ]);
    expect(stranger[1]).toEqual({ url: vote, kind: 'vote' });
  });
});

describe('Constant: PERSON_AGENTS', () => {
  it('never carries a fragment the engagement rules take for a scanner', () => {
    const fragments = DEFAULT_ENGAGEMENT_RULES.scannerUserAgents.map((f) => f.toLowerCase());
    for (const agent of PERSON_AGENTS.flatMap((a) => [a.open, a.click]))
      expect(fragments.filter((f) => agent.toLowerCase().includes(f))).toEqual([]);
  });
});
