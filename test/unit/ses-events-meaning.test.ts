/** What each SES event means, and the attribution window: pure rules, no mocks. */
import { describe, expect, it } from 'vitest';
import { ATTRIBUTION_WINDOW_MS, withinAttributionWindow } from '../../functions/domain/attribution.js';
import {
  judgeEngagement,
  type SesEvent,
  sentAtOf,
  sesEventMeaning,
  sesEventSchema,
  variantReward,
} from '../../functions/domain/ses-events.js';

const AT = '2026-12-01T10:04:00.000Z';
const CLICKS = { enabled: true, reward: 'click' } as const;

function event(
  eventType: string,
  extra: Partial<SesEvent['detail']> = {},
  tags: Record<string, string[]> = {},
) {
  return sesEventSchema.parse({
    time: AT,
    'detail-type': `Email ${eventType}`,
    detail: {
      eventType,
      mail: { messageId: 'ses-1', tags: { message_id: ['M-1'], ...tags } },
      ...extra,
    },
  });
}

describe('Function: sesEventMeaning', () => {
  it('reads a delivery as a delivered outcome that settles an unknown send, and nothing more', () => {
    // Act
    const meaning = sesEventMeaning(event('Delivery'));

    // Assess
    expect(meaning).toEqual({
      messageId: 'M-1',
      sesMessageId: 'ses-1',
      kind: 'delivered',
      at: AT,
      outcome: 'delivered',
      engagement: false,
      click: false,
      settlesUnknown: true,
    });
  });

  it('suppresses on a hard bounce, with its sub-type as evidence, and counts it as a bounce', () => {
    const meaning = sesEventMeaning(
      event('Bounce', { bounce: { bounceType: 'Permanent', bounceSubType: 'NoEmail' } }),
    );
    expect(meaning).toMatchObject({ kind: 'bounced', outcome: 'bounced', settlesUnknown: false });
    expect(meaning.suppression).toEqual({ reason: 'hard_bounce', at: AT, detail: 'NoEmail' });
    expect(meaning.softBounce).toBeUndefined();
  });

  it('counts a transient bounce toward the soft-bounce limit, never suppressing at once', () => {
    const meaning = sesEventMeaning(
      event('Bounce', { bounce: { bounceType: 'Transient', bounceSubType: 'MailboxFull' } }),
    );
    expect(meaning).toMatchObject({ outcome: 'softBounced', softBounce: { detail: 'MailboxFull' } });
    expect(meaning.suppression).toBeUndefined();
  });

  it('moves the soft-bounce counter for an undetermined bounce but says nothing about the address', () => {
    const meaning = sesEventMeaning(event('Bounce', { bounce: { bounceType: 'Undetermined' } }));
    expect(meaning.outcome).toBe('softBounced');
    expect(meaning.softBounce).toBeUndefined();
    expect(meaning.suppression).toBeUndefined();
  });

  it('suppresses on a complaint, "abuse" when SES names no feedback type', () => {
    expect(sesEventMeaning(event('Complaint')).suppression).toEqual({
      reason: 'complaint',
      at: AT,
      detail: 'abuse',
    });
    expect(sesEventMeaning(event('Complaint')).outcome).toBe('complained');
  });

  it('reads opens and clicks as engagement (the best send hour), moving no reputation counter', () => {
    const open = sesEventMeaning(event('Open'));
    const click = sesEventMeaning(event('Click'));
    expect(open).toMatchObject({ kind: 'opened', engagement: true, click: false });
    expect(click).toMatchObject({ kind: 'clicked', engagement: true, click: true });
    expect(open.outcome).toBeUndefined();
    expect(click.outcome).toBeUndefined();
  });

  it('knows no kind for event types the ledger does not record, and no message without our tag', () => {
    expect(sesEventMeaning(event('Subscription')).kind).toBeUndefined();
    const untagged = sesEventMeaning(
      sesEventSchema.parse({ time: AT, detail: { eventType: 'Delivery', mail: { messageId: 'ses-2' } } }),
    );
    expect(untagged.messageId).toBeUndefined();
  });

  it('takes the send time from mail.timestamp and the variant from the tags', () => {
    const meaning = sesEventMeaning(
      sesEventSchema.parse({
        time: AT,
        detail: {
          eventType: 'Click',
          mail: {
            messageId: 'ses-1',
            timestamp: '2026-12-01T09:00:00Z',
            tags: { message_id: ['M-1'], variant: ['B'], template_version: ['v000002'] },
          },
        },
      }),
    );
    expect(meaning.sentAt).toBe('2026-12-01T09:00:00.000Z');
    expect(meaning.variant).toEqual({ name: 'B', version: 'v000002' });
  });

  it('rejects an event whose time is not a time', () => {
    expect(
      sesEventSchema.safeParse({ time: 'yesterday', detail: { eventType: 'Open', mail: { messageId: 'x' } } })
        .success,
    ).toBe(false);
  });
});

describe('Function: withinAttributionWindow', () => {
  it('credits from the send up to seven days after it, not before and not later', () => {
    const sent = '2026-12-01T10:00:00.000Z';
    const plus = (ms: number) => new Date(Date.parse(sent) + ms).toISOString();
    expect(ATTRIBUTION_WINDOW_MS).toBe(7 * 86_400_000);
    expect(withinAttributionWindow(sent, sent)).toBe(true);
    expect(withinAttributionWindow(sent, plus(ATTRIBUTION_WINDOW_MS))).toBe(true);
    expect(withinAttributionWindow(sent, plus(ATTRIBUTION_WINDOW_MS + 1))).toBe(false);
    expect(withinAttributionWindow(sent, plus(-1))).toBe(false);
  });
});

describe('Function: variantReward', () => {
  const click = () => sesEventMeaning(event('Click', {}, { variant: ['B'], template_version: ['v000002'] }));

  it('rewards the variant of a click inside the attribution window', () => {
    expect(variantReward(click(), { bandit: CLICKS, sentAt: '2026-11-30T10:00:00.000Z' })).toEqual({
      variant: 'B',
      version: 'v000002',
    });
  });

  it('does not reward a click long after the send, or when the bandit rewards orders or is off', () => {
    expect(variantReward(click(), { bandit: CLICKS, sentAt: '2026-11-01T10:00:00.000Z' })).toBeUndefined();
    expect(
      variantReward(click(), { bandit: { enabled: true, reward: 'order' }, sentAt: undefined }),
    ).toBeUndefined();
    expect(
      variantReward(click(), { bandit: { enabled: false, reward: 'click' }, sentAt: undefined }),
    ).toBeUndefined();
  });

  it('keeps a click whose send time is unknown, and never rewards an open or an untagged click', () => {
    expect(variantReward(click(), { bandit: CLICKS, sentAt: undefined })).toBeDefined();
    const open = sesEventMeaning(event('Open', {}, { variant: ['B'], template_version: ['v000002'] }));
    expect(variantReward(open, { bandit: CLICKS, sentAt: undefined })).toBeUndefined();
    expect(
      variantReward(sesEventMeaning(event('Click')), { bandit: CLICKS, sentAt: undefined }),
    ).toBeUndefined();
  });
});

describe('Function: sentAtOf', () => {
  it('is the time of the last sent step, undefined before any', () => {
    expect(
      sentAtOf({
        history: [
          { decision: 'sending', at: '2026-12-01T09:00:00Z' },
          { decision: 'unknown', at: '2026-12-01T09:01:00Z' },
          { decision: 'sent', at: '2026-12-01T09:00:30Z' },
        ],
      }),
    ).toBe('2026-12-01T09:00:30Z');
    expect(sentAtOf({ history: [{ decision: 'deferred', at: '2026-12-01T09:00:00Z' }] })).toBeUndefined();
    expect(sentAtOf({})).toBeUndefined();
  });
});

describe('Function: judgeEngagement', () => {
  const BASE = 'https://shop.example/r';
  const delivered = '2026-12-01T10:00:00.000Z';
  const judge = (eventType: string, extra: Partial<SesEvent['detail']>) =>
    judgeEngagement(sesEventMeaning(event(eventType, extra)), delivered, BASE);

  it("counts a person's click on content for the send hour and the variant", () => {
    expect(
      judge('Click', {
        click: { link: 'https://shop.example/tea/sencha', userAgent: 'Mozilla/5.0 (iPhone)' },
      }),
    ).toEqual({ kind: 'clicked', countsHour: true, rewards: true });
  });

  it('keeps unsubscribe, preference, why and vote clicks apart: never a success, never a send hour', () => {
    for (const [path, kind] of [
      ['u', 'clicked_unsubscribe'],
      ['p', 'clicked_preferences'],
      ['why', 'clicked_why'],
      ['f', 'clicked_vote'],
    ] as const) {
      expect(
        judge('Click', { click: { link: `${BASE}/${path}/token`, userAgent: 'Mozilla/5.0 (iPhone)' } }),
      ).toEqual({
        kind,
        countsHour: false,
        rewards: false,
      });
    }
  });

  it('counts no link scanner and no privacy-proxy pre-fetch as a person', () => {
    expect(
      judge('Click', { click: { link: 'https://shop.example/tea', userAgent: 'Proofpoint URL Defense' } }),
    ).toEqual({
      kind: 'clicked_bot',
      countsHour: false,
      rewards: false,
    });
    expect(judge('Open', { open: { userAgent: 'Mozilla/5.0' } })).toEqual({
      kind: 'opened_machine',
      countsHour: false,
      rewards: false,
    });
    expect(judge('Open', { open: { userAgent: 'Mozilla/5.0 (Windows NT 10.0) GoogleImageProxy' } })).toEqual({
      kind: 'opened',
      countsHour: true,
      rewards: false,
    });
  });
});
