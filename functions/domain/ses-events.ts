/**
 * What an SES configuration-set event means, pure: which ledger event it records, which reputation counter
 * it moves, whether it suppresses the address or counts toward the soft-bounce limit, whether it tells the
 * customer's reading hour, whether its click rewards the template variant (inside the attribution window),
 * and whether it proves that a send of unknown outcome went out. The ses-events use case only loads and
 * stores around these answers.
 */
import { withinAttributionWindow } from './attribution.js';
import type { BanditPolicy } from './bandit.js';
import {
  classifyEngagement,
  countsAsSuccess,
  DEFAULT_ENGAGEMENT_RULES,
  type EngagementRules,
} from './engagement.js';
import type { LedgerEntry } from './ledger.js';
import type { Suppression } from './model.js';
import { SES_TAGS } from './names.js';
import type { OutcomeKind } from './reputation.js';
import * as z from './zod.js';

const isoTime = z
  .string()
  .check(z.refine((value) => !Number.isNaN(Date.parse(value)), 'must be a date and time'));

/** An SES event as EventBridge delivers it (only the fields the engine reads; the rest is ignored). */
export const sesEventSchema = z.object({
  time: isoTime,
  detail: z.object({
    eventType: z.string(),
    mail: z.object({
      messageId: z.string(),
      /** When SES accepted the message: its send time. */
      timestamp: z.optional(isoTime),
      tags: z.optional(z.record(z.string(), z.array(z.string()))),
    }),
    bounce: z.optional(z.object({ bounceType: z.string(), bounceSubType: z.optional(z.string()) })),
    complaint: z.optional(z.object({ complaintFeedbackType: z.optional(z.string()) })),
    open: z.optional(z.object({ userAgent: z.optional(z.string()) })),
    click: z.optional(z.object({ link: z.optional(z.string()), userAgent: z.optional(z.string()) })),
  }),
});
export type SesEvent = z.infer<typeof sesEventSchema>;

/** The ledger event each SES event type records (the first of each kind per message is kept). */
export const SES_EVENT_KINDS: Readonly<Record<string, string>> = {
  Send: 'accepted',
  Delivery: 'delivered',
  Bounce: 'bounced',
  Complaint: 'complained',
  Reject: 'rejected',
  Open: 'opened',
  Click: 'clicked',
  DeliveryDelay: 'delayed',
  RenderingFailure: 'rendering_failed',
};

/** Why an SES event settles a message whose send outcome was unknown (the `sent` step's reason). */
export const SETTLED_BY_DELIVERY = 'settled by SES delivery event';

export interface SesEventMeaning {
  /** Our message id, from the message's SES tags; absent: not a message of ours. */
  messageId?: string;
  /** SES's own message id. */
  sesMessageId: string;
  /** The ledger event it records ('delivered', 'opened', ...); absent: an event type we do not record. */
  kind?: string;
  /** When it happened (ISO, the event's time). */
  at: string;
  /** When SES accepted the message (ISO), when the event says. */
  sentAt?: string;
  /** The reputation counter it moves: deliveries, hard and soft bounces, complaints (not opens or clicks). */
  outcome?: OutcomeKind;
  /** A hard bounce or a complaint: the address is suppressed at once, with this evidence. */
  suppression?: Suppression;
  /**
   * A transient bounce: one more toward softBounceLimit (an undetermined bounce moves the reputation counter
   * but proves nothing about the address).
   */
  softBounce?: { detail?: string };
  /** An open or a click: counted under its local hour, the customer's best send hour. */
  engagement: boolean;
  /** A click: the first one may reward the message's template variant (see variantReward). */
  click: boolean;
  /** A delivery proves SES accepted the message: a send recorded as `unknown` becomes `sent`. */
  settlesUnknown: boolean;
  /** The template variant and version the message went out with, from its tags. */
  variant?: { name: string; version: string };
  /** Who opened or clicked, as SES saw it (a person's mail app, a privacy proxy, a link scanner). */
  userAgent?: string;
  /** The link clicked. */
  link?: string;
}

/** What an open or a click is worth, once told apart from machines (domain/engagement.ts). */
export interface EngagementVerdict {
  /**
   * The ledger event it records: `opened`/`clicked` for a person's open and content click; a machine open
   * (`opened_machine`), a bot click (`clicked_bot`) or a person's click on one of our own links
   * (`clicked_unsubscribe`, ...) are kept apart, so the first real one still counts.
   */
  kind: string;
  /** Counts toward the customer's best send hour: a person's open, or a person's click on content. */
  countsHour: boolean;
  /** May reward the template variant: a person's click on a content link, nothing else. */
  rewards: boolean;
}

/** Tells a person's open or click from a machine's, and a content click from a click on our own links. */
export function judgeEngagement(
  meaning: SesEventMeaning,
  deliveredAt: string | undefined,
  publicBaseUrl: string,
  rules: EngagementRules = DEFAULT_ENGAGEMENT_RULES,
): EngagementVerdict | undefined {
  if (!meaning.engagement) return undefined;
  const [event] = classifyEngagement(
    [
      {
        kind: meaning.click ? 'click' : 'open',
        at: meaning.at,
        ...(meaning.userAgent ? { userAgent: meaning.userAgent } : {}),
        ...(meaning.link ? { url: meaning.link } : {}),
      },
    ],
    deliveredAt,
    rules,
    publicBaseUrl,
  );
  if (!event) return undefined;
  if (!meaning.click)
    return event.human
      ? { kind: 'opened', countsHour: true, rewards: false }
      : { kind: 'opened_machine', countsHour: false, rewards: false };
  if (!event.human) return { kind: 'clicked_bot', countsHour: false, rewards: false };
  // A click event without its link (SES always sends it; older test events may not) counts as content.
  if (countsAsSuccess(event) || event.linkKind === undefined)
    return { kind: 'clicked', countsHour: true, rewards: true };
  return { kind: `clicked_${event.linkKind ?? 'content'}`, countsHour: false, rewards: false };
}

/** What an SES event means (see SesEventMeaning). */
export function sesEventMeaning(event: SesEvent): SesEventMeaning {
  const { detail } = event;
  const tag = (name: string) => detail.mail.tags?.[name]?.[0];
  const at = new Date(event.time).toISOString();
  const type = detail.eventType;
  const bounceType = detail.bounce?.bounceType;
  const hard = type === 'Bounce' && bounceType === 'Permanent';
  const messageId = tag(SES_TAGS.messageId);
  const kind = SES_EVENT_KINDS[type];
  const variant = tag(SES_TAGS.variant);
  const version = tag(SES_TAGS.templateVersion);
  const meaning: SesEventMeaning = {
    sesMessageId: detail.mail.messageId,
    at,
    engagement: type === 'Open' || type === 'Click',
    click: type === 'Click',
    settlesUnknown: type === 'Delivery',
    ...(messageId ? { messageId } : {}),
    ...(kind ? { kind } : {}),
    ...(detail.mail.timestamp ? { sentAt: new Date(detail.mail.timestamp).toISOString() } : {}),
    ...(variant && version ? { variant: { name: variant, version } } : {}),
    ...(detail.open?.userAgent || detail.click?.userAgent
      ? { userAgent: detail.click?.userAgent ?? detail.open?.userAgent }
      : {}),
    ...(detail.click?.link ? { link: detail.click.link } : {}),
  };
  if (type === 'Delivery') meaning.outcome = 'delivered';
  if (type === 'Complaint') {
    meaning.outcome = 'complained';
    meaning.suppression = {
      reason: 'complaint',
      at,
      detail: detail.complaint?.complaintFeedbackType ?? 'abuse',
    };
  }
  if (type === 'Bounce') meaning.outcome = hard ? 'bounced' : 'softBounced';
  if (hard)
    meaning.suppression = { reason: 'hard_bounce', at, detail: detail.bounce?.bounceSubType ?? 'Permanent' };
  if (type === 'Bounce' && bounceType === 'Transient') {
    const sub = detail.bounce?.bounceSubType;
    meaning.softBounce = sub ? { detail: sub } : {};
  }
  return meaning;
}

/** When a ledger entry's message was sent (ISO): its last `sent` step, if it has one. */
export function sentAtOf(entry: Pick<LedgerEntry, 'history'>): string | undefined {
  return entry.history?.findLast((step) => step.decision === 'sent')?.at;
}

/**
 * The template variant a click rewards, or undefined: only a click, when the bandit rewards clicks, on a
 * message that carries its variant and version, inside the attribution window of its send (a click weeks
 * later says little about the subject line). A send time we cannot tell (old events, old entries) keeps the
 * click. The caller counts the first click of a message only.
 */
export function variantReward(
  meaning: SesEventMeaning,
  input: { bandit: Pick<BanditPolicy, 'enabled' | 'reward'>; sentAt: string | undefined },
): { variant: string; version: string } | undefined {
  const { bandit, sentAt } = input;
  if (!meaning.click || !meaning.variant || !bandit.enabled || bandit.reward !== 'click') return undefined;
  if (sentAt && !withinAttributionWindow(sentAt, meaning.at)) return undefined;
  return { variant: meaning.variant.name, version: meaning.variant.version };
}
