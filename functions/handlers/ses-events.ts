/**
 * Feedback from SES (configuration-set events via EventBridge): delivery, bounce, complaint, open, click update
 * the message's ledger entry; a hard bounce or a complaint suppresses the address.
 */
import { z } from 'zod';
import { formatIssues } from '../domain/events.js';
import { SES_TAGS } from '../domain/names.js';
import { db, logger } from './deps.js';

const sesEvent = z.object({
  time: z.string(),
  detail: z.object({
    eventType: z.string(),
    mail: z.object({ messageId: z.string(), tags: z.record(z.string(), z.array(z.string())).optional() }),
    bounce: z.object({ bounceType: z.string(), bounceSubType: z.string().optional() }).optional(),
    complaint: z.object({ complaintFeedbackType: z.string().optional() }).optional(),
  }),
});

const KINDS: Record<string, string> = {
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

export interface SesEventResult {
  outcome: 'recorded' | 'ignored' | 'unknown_message';
  kind?: string;
  suppressed?: boolean;
}

export async function handler(event: unknown): Promise<SesEventResult> {
  const parsed = sesEvent.safeParse(event);
  if (!parsed.success) {
    // Not ours to reject into the shop's record: log loudly, the event stays in the rule's DLQ if it failed.
    logger.error('Unreadable SES event', { error: formatIssues(parsed.error) });
    return { outcome: 'ignored' };
  }
  const { detail, time } = parsed.data;
  const messageId = detail.mail.tags?.[SES_TAGS.messageId]?.[0];
  const kind = KINDS[detail.eventType];
  if (!messageId || !kind) return { outcome: 'ignored' };
  const { ledger, profiles } = db();
  const entry = await ledger.get(messageId);
  if (!entry) return { outcome: 'unknown_message', kind };
  const at = new Date(time).toISOString();
  await ledger.addEvent(messageId, kind, at);
  const hard = detail.eventType === 'Bounce' && detail.bounce?.bounceType === 'Permanent';
  if (hard || detail.eventType === 'Complaint') {
    await profiles.suppress(entry.customerId, {
      reason: hard ? 'hard_bounce' : 'complaint',
      at,
      detail: hard
        ? (detail.bounce?.bounceSubType ?? 'Permanent')
        : (detail.complaint?.complaintFeedbackType ?? 'abuse'),
    });
    return { outcome: 'recorded', kind, suppressed: true };
  }
  return { outcome: 'recorded', kind, suppressed: false };
}
