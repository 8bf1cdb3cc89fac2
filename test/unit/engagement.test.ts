import { describe, expect, it } from 'vitest';
import {
  type ClassifiedEvent,
  classifyEngagement,
  countsAsSuccess,
  DEFAULT_ENGAGEMENT_RULES,
  type EngagementEvent,
  engagementRulesSchema,
  LINK_KINDS,
  linkKind,
} from '../../functions/domain/engagement.js';

const BASE = 'https://go.shop.example';
const DELIVERED = '2026-03-02T09:00:00.000Z';
const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';
const GMAIL_PROXY =
  'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';

/** An ISO time this many seconds after delivery. */
function secondsIn(seconds: number): string {
  return new Date(Date.parse(DELIVERED) + seconds * 1000).toISOString();
}

function classify(events: EngagementEvent[], rules = DEFAULT_ENGAGEMENT_RULES): ClassifiedEvent[] {
  return classifyEngagement(events, DELIVERED, rules, BASE);
}

describe('Function: linkKind', () => {
  it.each([
    [`${BASE}/u/kid.payload.sig`, 'unsubscribe'],
    [`${BASE}/p/kid.payload.sig`, 'preferences'],
    [`${BASE}/why/kid.payload.sig`, 'why'],
    [`${BASE}/f/kid.payload.sig`, 'vote'],
    ['http://go.shop.example/u/kid.payload.sig', 'unsubscribe'],
    ['https://shop.example/products/earl-grey', 'content'],
    [`${BASE}/products/u/earl-grey`, 'content'],
    ['https://evil.example/u/kid.payload.sig', 'content'],
    ['not a url', 'content'],
  ])('%s is %s', (url, kind) => {
    expect(linkKind(url, BASE)).toBe(kind);
  });

  it('honours a base URL with a path prefix', () => {
    expect(linkKind('https://api.example/prod/why/t', 'https://api.example/prod/')).toBe('why');
    expect(linkKind('https://api.example/why/t', 'https://api.example/prod')).toBe('content');
  });

  it('names exactly the five kinds', () => {
    expect(LINK_KINDS).toEqual(['content', 'unsubscribe', 'preferences', 'why', 'vote']);
  });
});

describe('Function: classifyEngagement (opens)', () => {
  it('classes an Apple Mail Privacy Protection open 1 s after delivery as a machine pre-fetch', () => {
    // Act
    const [open] = classify([{ kind: 'open', at: secondsIn(1), userAgent: 'Mozilla/5.0' }]);
    // Assess
    expect(open).toMatchObject({ human: false, reason: 'proxy_prefetch' });
  });

  it('classes an Apple proxy open as machine however late it comes', () => {
    const [open] = classify([{ kind: 'open', at: secondsIn(5 * 3600), userAgent: 'Mozilla/5.0' }]);
    expect(open).toMatchObject({ human: false, reason: 'proxy_prefetch' });
  });

  it('classes a Gmail proxy open an hour later as human, marked proxied', () => {
    const [open] = classify([{ kind: 'open', at: secondsIn(3600), userAgent: GMAIL_PROXY }]);
    expect(open).toEqual(expect.objectContaining({ human: true, reason: 'human', proxied: true }));
  });

  it('classes any open within machineOpenSeconds (2 s) of delivery as machine, a real browser included', () => {
    const [soon, later] = classify([
      { kind: 'open', at: secondsIn(2), userAgent: IPHONE_SAFARI },
      { kind: 'open', at: secondsIn(3), userAgent: IPHONE_SAFARI },
    ]);
    expect(soon).toMatchObject({ human: false, reason: 'too_soon_after_delivery' });
    expect(later).toMatchObject({ human: true, reason: 'human' });
    expect(later?.proxied).toBeUndefined();
  });

  it('applies no timing rule without a delivery time', () => {
    const [open] = classifyEngagement(
      [{ kind: 'open', at: DELIVERED, userAgent: IPHONE_SAFARI }],
      undefined,
      DEFAULT_ENGAGEMENT_RULES,
      BASE,
    );
    expect(open).toMatchObject({ human: true, reason: 'human' });
  });
});

describe('Function: classifyEngagement (clicks)', () => {
  it('classes three links clicked within 1 s as a scanner burst, all three machine', () => {
    // Prepare: well after botClickSeconds, so only the burst rule can catch them
    const clicks: EngagementEvent[] = [
      { kind: 'click', at: secondsIn(600), url: 'https://shop.example/a', userAgent: IPHONE_SAFARI },
      { kind: 'click', at: secondsIn(600.4), url: 'https://shop.example/b', userAgent: IPHONE_SAFARI },
      { kind: 'click', at: secondsIn(601), url: `${BASE}/u/token`, userAgent: IPHONE_SAFARI },
    ];
    // Act
    const result = classify(clicks);
    // Assess
    expect(result.map((c) => [c.human, c.reason])).toEqual([
      [false, 'scanner_burst'],
      [false, 'scanner_burst'],
      [false, 'scanner_burst'],
    ]);
  });

  it('leaves two links within 2 s, or three spread over 10 s, to a human', () => {
    const two = classify([
      { kind: 'click', at: secondsIn(600), url: 'https://shop.example/a' },
      { kind: 'click', at: secondsIn(601), url: 'https://shop.example/b' },
      { kind: 'click', at: secondsIn(601.5), url: 'https://shop.example/a' },
    ]);
    const spread = classify([
      { kind: 'click', at: secondsIn(600), url: 'https://shop.example/a' },
      { kind: 'click', at: secondsIn(605), url: 'https://shop.example/b' },
      { kind: 'click', at: secondsIn(610), url: 'https://shop.example/c' },
    ]);
    expect([...two, ...spread].every((c) => c.human)).toBe(true);
  });

  it('classes a click within botClickSeconds (10 s) of delivery as a link scanner', () => {
    const [soon, later] = classify([
      { kind: 'click', at: secondsIn(10), url: 'https://shop.example/a', userAgent: IPHONE_SAFARI },
      { kind: 'click', at: secondsIn(11), url: 'https://shop.example/a', userAgent: IPHONE_SAFARI },
    ]);
    expect(soon).toMatchObject({ human: false, reason: 'too_soon_after_delivery' });
    expect(later).toMatchObject({ human: true, reason: 'human' });
  });

  it.each([
    'Mozilla/5.0 (compatible; Barracuda Sentinel)',
    'Proofpoint URL Defense',
    'Mozilla/5.0 (compatible; Googlebot/2.1)',
    'python-requests/2.31.0',
  ])('classes a click by "%s" an hour later as a scanner', (userAgent) => {
    const [click] = classify([
      { kind: 'click', at: secondsIn(3600), url: 'https://shop.example/a', userAgent },
    ]);
    expect(click).toMatchObject({ human: false, reason: 'scanner_user_agent' });
  });

  it('counts a human unsubscribe click as human but not as a success', () => {
    const [click] = classify([
      { kind: 'click', at: secondsIn(120), url: `${BASE}/u/token`, userAgent: IPHONE_SAFARI },
    ]);
    expect(click).toMatchObject({ human: true, linkKind: 'unsubscribe' });
    expect(countsAsSuccess(click!)).toBe(false);
  });

  it('counts a content click 2 minutes after delivery as a success', () => {
    const [click] = classify([
      { kind: 'click', at: secondsIn(120), url: 'https://shop.example/earl-grey', userAgent: IPHONE_SAFARI },
    ]);
    expect(click).toMatchObject({ human: true, reason: 'human', linkKind: 'content' });
    expect(countsAsSuccess(click!)).toBe(true);
  });

  it('never counts preference, why or vote clicks, a machine content click, or an open', () => {
    const events = classify([
      { kind: 'click', at: secondsIn(120), url: `${BASE}/p/token` },
      { kind: 'click', at: secondsIn(300), url: `${BASE}/why/token` },
      { kind: 'click', at: secondsIn(600), url: `${BASE}/f/token` },
      { kind: 'click', at: secondsIn(5), url: 'https://shop.example/earl-grey' },
      { kind: 'open', at: secondsIn(900), userAgent: IPHONE_SAFARI },
    ]);
    expect(events.map(countsAsSuccess)).toEqual([false, false, false, false, false]);
    expect(events.slice(0, 3).every((e) => e.human)).toBe(true);
  });
});

describe('Function: engagementRulesSchema', () => {
  it('defaults every key', () => {
    expect(DEFAULT_ENGAGEMENT_RULES).toMatchObject({
      machineOpenSeconds: 2,
      botClickSeconds: 10,
      scannerBurstLinks: 3,
      scannerBurstSeconds: 2,
      proxyPrefetchUserAgents: ['Mozilla/5.0'],
      humanProxyUserAgents: ['GoogleImageProxy', 'YahooMailProxy'],
    });
    expect(DEFAULT_ENGAGEMENT_RULES.scannerUserAgents).toContain('urldefense');
  });

  it('refuses unknown keys and nonsense values', () => {
    expect(engagementRulesSchema.safeParse({ botClickSecs: 5 }).success).toBe(false);
    expect(engagementRulesSchema.safeParse({ scannerBurstLinks: 1 }).success).toBe(false);
    expect(engagementRulesSchema.safeParse({ machineOpenSeconds: -1 }).success).toBe(false);
  });

  it('changes the outcome when configured: with botClickSeconds 0 a click 5 s in is human', () => {
    const rules = engagementRulesSchema.parse({ botClickSeconds: 0 });
    const [click] = classify([{ kind: 'click', at: secondsIn(5), url: 'https://shop.example/a' }], rules);
    expect(click).toMatchObject({ human: true, reason: 'human' });
  });
});
