/**
 * Workflow step 3: send through SES, at most once per message id.
 * 1. Claim the ledger entry with a conditional write (a duplicate event or a late retry stops here).
 * 2. Re-check consent on a fresh profile and reserve a frequency-cap slot with an optimistic-locked write,
 *    so concurrent sends to one customer cannot exceed the caps.
 * 3. Call SES. Throttling releases the claim and the slot, then throws for the state machine to retry.
 */
import { now } from '../adapters/clock.js';
import { recordKind } from '../domain/balance.js';
import { reserveSend } from '../domain/caps.js';
import { decide, effectiveCaps } from '../domain/consent.js';
import { InvalidInputError, TransientError } from '../domain/errors.js';
import { type Delivery, ledgerKey, type Profile, type WorkflowState } from '../domain/model.js';
import { SES_TAGS } from '../domain/names.js';
import { config, configurationSet, db, logger, ses } from './deps.js';

const RACE_ATTEMPTS = 5;

export async function handler(state: WorkflowState): Promise<Delivery> {
  const personalized = state.personalized;
  if (!personalized?.ok) throw new InvalidInputError('Send reached without a rendered message');
  const { ledger } = db();
  const cfg = config();
  const at = now().toISOString();
  const base = ledgerKey(state);

  const claimed = await ledger.decide(base, 'sending', at, {
    templateVersion: personalized.templateVersion,
    variant: personalized.variant,
    consent: state.decision?.consent ?? null,
    recommendations: personalized.recommendations,
  });
  if (!claimed) return { status: 'duplicate', reason: 'another run owns this message' };

  let slot: string;
  try {
    slot = await reserveSlot(state, at);
  } catch (error) {
    await ledger.decide(base, 'throttled', at, { reason: (error as Error).message });
    throw error;
  }
  if (slot !== 'reserved') {
    await ledger.decide(base, 'skipped', at, { reason: slot });
    return { status: slot.startsWith('capped') ? 'capped' : 'skipped', reason: slot };
  }

  let outcome: Awaited<ReturnType<ReturnType<typeof ses>['send']>>;
  try {
    outcome = await ses().send({
      from: cfg.sender.from,
      ...(cfg.sender.replyTo ? { replyTo: cfg.sender.replyTo } : {}),
      to: personalized.to,
      subject: personalized.subject,
      html: personalized.html,
      text: personalized.text,
      headers: [
        { name: 'List-Unsubscribe', value: `<${personalized.unsubscribeUrl}>` },
        { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
      ],
      tags: {
        [SES_TAGS.journey]: state.journey,
        [SES_TAGS.templateVersion]: personalized.templateVersion,
        [SES_TAGS.messageId]: state.messageId,
        ...(personalized.variant ? { [SES_TAGS.variant]: personalized.variant } : {}),
      },
      configurationSet: configurationSet(),
    });
  } catch (error) {
    // Nothing was sent: give back the slot and the claim so the retry can take them again.
    await releaseSlot(state.customerId, at, state.messageId);
    await ledger.decide(base, 'throttled', at, { reason: (error as Error).message });
    throw error;
  }
  if (!outcome.ok) {
    if (outcome.permanent) await releaseSlot(state.customerId, at, state.messageId);
    await ledger.decide(base, 'failed', at, { reason: outcome.reason });
    logger.error('Send failed', { messageId: state.messageId, reason: outcome.reason });
    return { status: 'failed', reason: outcome.reason };
  }
  await ledger.decide(base, 'sent', at, { sesMessageId: outcome.sesMessageId });
  return { status: 'sent', sesMessageId: outcome.sesMessageId, sentAt: at };
}

/** Reserves a cap slot at `at`, or says why not (consent gone, suppressed, capped). */
async function reserveSlot(state: WorkflowState, at: string): Promise<'reserved' | string> {
  const { profiles } = db();
  const cfg = config();
  for (let attempt = 0; attempt < RACE_ATTEMPTS; attempt++) {
    const profile = await profiles.get(state.customerId);
    if (!profile) return 'profile_missing';
    const verdict = decide({
      journey: state.journey,
      profile,
      now: new Date(at),
      triggeredAt: new Date(state.triggeredAt),
      config: cfg,
    });
    // Quiet hours were checked a moment ago; only a hard "no" (consent, suppression, caps, expiry) stops us.
    if (verdict.action === 'skip') return verdict.reason;
    // The customer's own frequency choice ('fewer') tightens the caps here too, where the race is decided.
    const reservation = reserveSend(
      profile.recentSends ?? [],
      new Date(at),
      effectiveCaps(cfg.caps, profile.preferences),
    );
    if (!reservation.ok) return reservation.reason;
    // The balance's record is kept even while the policy is off, so switching it on starts from real history.
    const kinds = recordKind(profile.recentKinds ?? [], state.journey, new Date(at), cfg.balance.windowDays);
    // Attribution (later opens, clicks, orders and votes are credited to the last message sent) is written
    // with the reservation; a send that then fails puts the previous one back (releaseSlot).
    const personalized = state.personalized?.ok ? state.personalized : undefined;
    const lastMessage = {
      messageId: state.messageId,
      journey: state.journey,
      sentAt: at,
      recommendations: personalized?.recommendations ?? [],
      ...(personalized?.variant
        ? { variant: personalized.variant, templateVersion: personalized.templateVersion }
        : {}),
    };
    if (
      await profiles.replaceRecentSends(
        state.customerId,
        profile.capVersion ?? 0,
        reservation.next,
        kinds,
        lastMessage,
      )
    ) {
      previousMessage.set(state.messageId, profile.lastMessage);
      return 'reserved';
    }
  }
  throw new TransientError(`Lost the frequency-cap race ${RACE_ATTEMPTS} times for ${state.customerId}`);
}

/** The attribution record each reservation replaced, to put back if the send fails (per container). */
const previousMessage = new Map<string, Profile['lastMessage']>();

async function releaseSlot(customerId: string, at: string, messageId?: string): Promise<void> {
  const { profiles } = db();
  for (let attempt = 0; attempt < RACE_ATTEMPTS; attempt++) {
    const profile = await profiles.get(customerId);
    const sends = profile?.recentSends ?? [];
    const index = sends.lastIndexOf(at);
    if (!profile || index < 0) return;
    const next = [...sends.slice(0, index), ...sends.slice(index + 1)];
    // Nothing went out, so it must not count as an ask (or a gesture) either.
    const kinds = profile.recentKinds ?? [];
    const kindIndex = kinds.findLastIndex((k) => k.at === at);
    const nextKinds = kindIndex < 0 ? kinds : [...kinds.slice(0, kindIndex), ...kinds.slice(kindIndex + 1)];
    // Put back the record this reservation replaced (null: there was none), if it is still ours.
    const ours = messageId !== undefined && profile.lastMessage?.messageId === messageId;
    const previous = ours ? (previousMessage.get(messageId) ?? null) : undefined;
    if (await profiles.replaceRecentSends(customerId, profile.capVersion ?? 0, next, nextKinds, previous)) {
      if (messageId) previousMessage.delete(messageId);
      return;
    }
  }
}
