/**
 * Honest engagement: which opens and clicks of one message a person made, and which a machine did (mail-privacy
 * proxies fetching images, security gateways following links). Machine events are counted apart, never as human
 * engagement; only a human click on a content link is a success for the bandit and the send hour.
 *
 * Sources for the rules and defaults (public descriptions; the thresholds are our choices, judged from them):
 * - Apple, "Mail Privacy Protection" (iOS 15 / macOS 12 and later): remote content is loaded privately in the
 *   background through Apple's relays, whether or not the message is read. SocketLabs, "Identifying Apple MPP
 *   opens": the download starts as soon as Mail fetches new messages; the request carries only `Mozilla/5.0`.
 *   Klaviyo and Braze likewise set Apple privacy opens / "machine opens" apart from estimated real opens.
 * - Gmail image proxy (Word to the Wise, "Gmail deploys image proxy servers", 2013; ScientiaMobile, "What is
 *   Google Image Proxy?"): images are fetched through `GoogleImageProxy` when the message is opened, so such an
 *   open is a person behind a proxy. Yahoo's `YahooMailProxy` proxies image loads in the same way.
 * - Security gateways (Microsoft Defender Safe Links, Proofpoint URL Defense, Mimecast URL Protect, Barracuda
 *   Link Protection): they follow every link of a message at delivery time, often within the same second, and
 *   some name themselves in the user agent (Suped and Arternal support notes on scanner clicks).
 */
import * as z from './zod.js';

export const engagementRulesSchema = z.strictObject({
  /**
   * An open this many seconds or less after delivery is a machine fetch. A person needs the mail client to
   * fetch the message, notice it and open it; security gateways and proxies fetch images at once. 2 s is
   * shorter than any plausible read, so it only catches machines; Apple's own pre-fetch is caught by its user
   * agent instead, since it can come much later than delivery.
   */
  machineOpenSeconds: z._default(z.number().check(z.minimum(0), z.maximum(3600)), 2),
  /**
   * A click this many seconds or less after delivery is a link scanner: gateways follow links before the
   * message reaches the inbox, typically within 1-5 s; a person has to open, read and choose a link first.
   */
  botClickSeconds: z._default(z.number().check(z.minimum(0), z.maximum(3600)), 10),
  /** This many distinct links of one message clicked within `scannerBurstSeconds` is a scanner burst. */
  scannerBurstLinks: z._default(z.number().check(z.int(), z.minimum(2), z.maximum(100)), 3),
  /** Window for a scanner burst: people do not open three different links of one email within 2 s. */
  scannerBurstSeconds: z._default(z.number().check(z.minimum(0), z.maximum(3600)), 2),
  /**
   * User agents of a privacy proxy pre-fetch, matched exactly (after trimming): Apple Mail Privacy
   * Protection sends a bare `Mozilla/5.0`, which no real browser or mail client sends.
   */
  proxyPrefetchUserAgents: z._default(z.array(z.string().check(z.minLength(1))), ['Mozilla/5.0']),
  /**
   * User-agent fragments (case-insensitive) of image proxies that fetch when a person opens the message:
   * such opens are human, marked `proxied` (their time and device are the proxy's, not the reader's).
   */
  humanProxyUserAgents: z._default(z.array(z.string().check(z.minLength(1))), [
    'GoogleImageProxy',
    'YahooMailProxy',
  ]),
  /**
   * User-agent fragments (case-insensitive) of link scanners and scripts; any open or click carrying one is
   * machine. Generic 'bot', 'crawler', 'spider' and 'scanner' cover self-declared robots; the vendor names
   * and 'urldefense' cover the gateways that announce themselves; HTTP libraries are never a reader.
   */
  scannerUserAgents: z._default(z.array(z.string().check(z.minLength(1))), [
    'bot',
    'crawler',
    'spider',
    'scanner',
    'Barracuda',
    'Proofpoint',
    'urldefense',
    'Mimecast',
    'python-requests',
    'curl/',
    'Go-http-client',
    'HeadlessChrome',
  ]),
});

export type EngagementRules = z.output<typeof engagementRulesSchema>;

/** The rules with every default, as documented in `engagementRulesSchema`. */
export const DEFAULT_ENGAGEMENT_RULES: EngagementRules = engagementRulesSchema.parse({});

/** What a link in our email leads to: the shop's content, or one of the customer endpoint's routes. */
export const LINK_KINDS = ['content', 'unsubscribe', 'preferences', 'why', 'vote'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

/** The customer endpoint's routes (see usecases/customer-http.ts and domain/links.ts). */
const ROUTE_KINDS: Record<string, LinkKind> = { u: 'unsubscribe', p: 'preferences', why: 'why', f: 'vote' };

/**
 * Kind of a clicked link: a route of the customer endpoint under `publicBaseUrl` (`/u/`, `/p/`, `/why/`,
 * `/f/`), else content. The scheme is ignored (a redirect to https is the same link); an unparseable URL is
 * content, since only our own routes are known not to be.
 */
export function linkKind(url: string, publicBaseUrl: string): LinkKind {
  const link = parse(url);
  const base = parse(publicBaseUrl);
  if (!link || !base || link.host !== base.host) return 'content';
  const prefix = base.pathname.replace(/\/+$/, '');
  if (!link.pathname.startsWith(`${prefix}/`)) return 'content';
  const route = link.pathname.slice(prefix.length + 1).split('/')[0] ?? '';
  return ROUTE_KINDS[route] ?? 'content';
}

export interface EngagementEvent {
  kind: 'open' | 'click';
  /** ISO timestamp of the open or click (SES event time). */
  at: string;
  userAgent?: string;
  /** The clicked link (clicks only). */
  url?: string;
}

export type EngagementReason =
  | 'human'
  | 'proxy_prefetch'
  | 'too_soon_after_delivery'
  | 'scanner_burst'
  | 'scanner_user_agent';

export type ClassifiedEvent = EngagementEvent & {
  human: boolean;
  reason: EngagementReason;
  /** A human open seen through an image proxy (Gmail, Yahoo): counted, but its time and device are the proxy's. */
  proxied?: true;
  /** Clicks with a URL only. */
  linkKind?: LinkKind;
};

/** True only for a human click on a content link: the one event that rewards a variant or a send hour. */
export function countsAsSuccess(event: ClassifiedEvent): boolean {
  return event.kind === 'click' && event.human && event.linkKind === 'content';
}

/**
 * Classifies one message's opens and clicks as human or machine, in input order. Without a delivery time the
 * timing rules do not apply; an unreadable timestamp escapes the timing and burst rules but not the user-agent
 * ones. The first matching rule is the reason: user agent, then timing, then burst.
 */
export function classifyEngagement(
  events: readonly EngagementEvent[],
  deliveredAt: string | undefined,
  rules: EngagementRules,
  publicBaseUrl: string,
): ClassifiedEvent[] {
  const delivered = time(deliveredAt);
  const burst = burstClicks(events, rules);
  return events.map((event, index) => {
    const kind =
      event.kind === 'click' && event.url !== undefined ? linkKind(event.url, publicBaseUrl) : undefined;
    const withKind = kind === undefined ? {} : { linkKind: kind };
    const reason = machineReason(event, delivered, rules, burst.has(index));
    if (reason) return { ...event, ...withKind, human: false, reason };
    const proxied = event.kind === 'open' && matchesAny(event.userAgent, rules.humanProxyUserAgents);
    return { ...event, ...withKind, human: true, reason: 'human', ...(proxied ? { proxied: true } : {}) };
  });
}

function machineReason(
  event: EngagementEvent,
  delivered: number | undefined,
  rules: EngagementRules,
  inBurst: boolean,
): Exclude<EngagementReason, 'human'> | undefined {
  const agent = event.userAgent?.trim();
  if (event.kind === 'open' && agent !== undefined && rules.proxyPrefetchUserAgents.includes(agent))
    return 'proxy_prefetch';
  if (matchesAny(agent, rules.scannerUserAgents)) return 'scanner_user_agent';
  const at = time(event.at);
  if (delivered !== undefined && at !== undefined) {
    // Before delivery can only be clock skew between SES's systems: as soon as it gets.
    const seconds = (at - delivered) / 1000;
    const limit = event.kind === 'open' ? rules.machineOpenSeconds : rules.botClickSeconds;
    if (seconds <= limit) return 'too_soon_after_delivery';
  }
  if (inBurst) return 'scanner_burst';
  return undefined;
}

/** Indexes of clicks inside a window of `scannerBurstSeconds` holding `scannerBurstLinks` distinct links. */
function burstClicks(events: readonly EngagementEvent[], rules: EngagementRules): Set<number> {
  const clicks = events
    .map((event, index) => ({ index, at: time(event.at), url: event.url }))
    .filter((c): c is { index: number; at: number; url: string } => {
      return events[c.index]?.kind === 'click' && c.at !== undefined && c.url !== undefined;
    })
    .sort((a, b) => a.at - b.at);
  const found = new Set<number>();
  // A message has a handful of clicks: a window per starting click is plenty fast.
  for (let start = 0; start < clicks.length; start++) {
    const first = clicks[start]!;
    let end = start;
    while (end + 1 < clicks.length && clicks[end + 1]!.at - first.at <= rules.scannerBurstSeconds * 1000)
      end++;
    const window = clicks.slice(start, end + 1);
    if (new Set(window.map((c) => c.url)).size >= rules.scannerBurstLinks)
      for (const c of window) found.add(c.index);
  }
  return found;
}

function matchesAny(agent: string | undefined, fragments: readonly string[]): boolean {
  if (!agent) return false;
  const lower = agent.toLowerCase();
  return fragments.some((f) => lower.includes(f.toLowerCase()));
}

function time(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
