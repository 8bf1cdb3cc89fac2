/**
 * Workflow step 3: send through SES, at most once per message id, whatever fails.
 * 1. Read the ledger entry: already decided -> nothing to do; someone else's fresh claim -> they decide; a
 *    claim of this execution (an earlier attempt died after claiming) or an abandoned one -> `unknown`.
 * 2. Re-check consent on a fresh profile and reserve a frequency-cap slot with an optimistic-locked write
 *    (idempotent per message: an earlier attempt's reservation is reused), so concurrent sends to one customer
 *    cannot exceed the caps. A "no" here is recorded as skipped, never over a claim; a gesture a cap holds
 *    (an ask took the slot since CheckConsent) is handed to Defer for when the cap frees up, not dropped.
 * 3. Claim the entry (`sending`, with this attempt's token): the commit point. After it, SES may be called,
 *    so a retry that finds the claim never calls SES again.
 * 4. Call SES (its client never retries by itself). Throttling releases the claim and the slot and is
 *    retried by the state machine, then rescheduled; a lost answer is `unknown`; a rejection is `failed`.
 */
import type { Deps } from '../app/deps.js';
import { afterTransientErrors, useCase } from '../app/lambda.js';
import { recordKind } from '../domain/balance.js';
import { fromHeader } from '../domain/brand.js';
import { type CapDeferral, isCapReason, releaseSend, reserveSend } from '../domain/caps.js';
import { decide, effectiveCaps } from '../domain/consent.js';
import { InvalidInputError, TransientError } from '../domain/errors.js';
import { settledGestures } from '../domain/gestures.js';
import { claimToken, claimVerdict, ledgerKey } from '../domain/ledger.js';
import type { Delivery, Profile, WorkflowState } from '../domain/model.js';
import { SES_TAGS } from '../domain/names.js';
import { workflowStateSchema } from '../domain/requests.js';
import * as z from '../domain/zod.js';
import { releaseIncentive } from './incentive.js';

const RACE_ATTEMPTS = 5;

/**
 * A claim older than this was abandoned: longer than a Send attempt may run (its Lambda timeout is 30 s, and
 * the state machine's whole retry budget for Send is under 2 minutes).
 */
export const SEND_ABANDON_MS = 5 * 60_000;

export const sendInput = z.object({
  state: workflowStateSchema,
  /** $$.Execution.Id: a retry of the same execution carries the same one. */
  execution: z.string().check(z.minLength(1)),
});

export const send = useCase({
  name: 'send',
  needs: ['ledger', 'stats', 'profiles', 'sender', 'codes'],
  input: sendInput,
  run: (deps, input, invocation) =>
    sendMessage(deps, input.state as unknown as WorkflowState, input.execution, invocation.requestId),
});

export async function sendMessage(
  deps: Deps,
  state: WorkflowState,
  execution: string,
  attempt: string,
): Promise<Delivery | CapDeferral> {
  const personalized = state.personalized;
  if (!personalized?.ok) throw new InvalidInputError('Send reached without a rendered message');
  const { ledger } = deps.stores;
  const now = deps.clock();
  const at = now.toISOString();
  const base = ledgerKey(state);

  const entry = await ledger.get(state.messageId);
  const verdict = claimVerdict({ entry, execution, now, abandonAfterMs: SEND_ABANDON_MS });
  if (verdict === 'done') return { status: 'duplicate', reason: `already ${entry?.decision}` };
  if (verdict === 'in_flight') return { status: 'duplicate', reason: 'another run holds the claim' };
  if (verdict === 'unknown') {
    const reason = 'an earlier send attempt stopped after claiming: SES may have accepted it';
    await ledger.decide(base, 'unknown', at, { reason }, { claim: entry?.claim ?? '' });
    deps.logger.error('Send outcome unknown', { messageId: state.messageId, reason });
    return { status: 'unknown', reason };
  }

  const slot = await reserveSlot(deps, state, at);
  // Nothing recorded: the workflow's Defer records the deferral and schedules the message.
  if (typeof slot !== 'string') return slot;
  if (slot !== 'reserved' && slot !== 'reused') {
    // Only over a message nobody claimed: a duplicate run that lost the race says nothing.
    const skipped = await ledger.decide(base, 'skipped', at, { reason: slot });
    // A skip this step decided gives the message's gift code back (Record never sees Send's own skips).
    if (skipped && personalized.code) await releaseIncentive(deps, state.messageId);
    return { status: slot.startsWith('capped') ? 'capped' : 'skipped', reason: slot };
  }

  await deps.probe('send', 'before-ses');
  const claim = claimToken(execution, attempt);
  const claimed = await ledger.decide(
    base,
    'sending',
    at,
    {
      templateVersion: personalized.templateVersion,
      variant: personalized.variant,
      consent: state.decision?.consent ?? null,
      recommendations: personalized.recommendations,
      // What the email used, for "why you got this": the same data that rendered it.
      reasons: personalized.reasons,
      locale: personalized.locale,
      tracking: personalized.tracking,
      code: personalized.code,
      sendTime: state.context.sendTime,
    },
    { claim },
  );
  if (!claimed) {
    // A twin of this message claimed it; the slot is the twin's if we only reused its reservation.
    if (slot === 'reserved') await releaseSlot(deps, state.customerId, state.messageId);
    return { status: 'duplicate', reason: 'another run claimed it' };
  }

  let outcome: Awaited<ReturnType<Deps['sender']['send']>>;
  try {
    outcome = await deps.sender.send({
      from: fromHeader(deps.config.sender.from, deps.config.brand.senderName),
      ...(deps.config.sender.replyTo ? { replyTo: deps.config.sender.replyTo } : {}),
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
      configurationSet: deps.configurationSet,
      ...(personalized.tracking === false
        ? { tracking: { opens: false, clicks: false } }
        : trackingDefault(deps)),
    });
  } catch (error) {
    // Throttled or unreachable: nothing was sent. Give back the slot and the claim so a retry can take them.
    await releaseSlot(deps, state.customerId, state.messageId);
    await ledger.decide(
      base,
      'throttled',
      at,
      { reason: (error as Error).message },
      { claim, required: true },
    );
    throw error;
  }
  if (!outcome.ok) {
    if (outcome.outcome === 'unknown') {
      // The slot stays taken: the email may have gone out.
      await ledger.decide(base, 'unknown', at, { reason: outcome.reason }, { claim, required: true });
      deps.logger.error('Send outcome unknown', { messageId: state.messageId, reason: outcome.reason });
      return { status: 'unknown', reason: outcome.reason };
    }
    await releaseSlot(deps, state.customerId, state.messageId);
    await ledger.decide(base, 'failed', at, { reason: outcome.reason }, { claim, required: true });
    if (personalized.code) await releaseIncentive(deps, state.messageId);
    deps.logger.error('Send failed', { messageId: state.messageId, reason: outcome.reason });
    return { status: 'failed', reason: outcome.reason };
  }
  await deps.probe('send', 'after-ses');
  // SES accepted it: recording that is worth a few more tries than the SDK's own, or a retry of this step
  // would find the claim and could only say unknown.
  await afterTransientErrors(() =>
    ledger.decide(base, 'sent', at, { sesMessageId: outcome.sesMessageId }, { claim, required: true }),
  );
  const counted = deps.config.bandit.enabled && personalized.variant !== undefined;
  return {
    status: 'sent',
    sesMessageId: outcome.sesMessageId,
    sentAt: at,
    ...(counted ? { countsVariant: true as const } : {}),
  };
}

/**
 * Reserves a cap slot at `at`, or says why not (consent gone, suppressed, capped, an ask yielding to a due
 * gesture), or when a gesture held by a cap may go instead (a CapDeferral). A reservation for the same message
 * (its attribution record names it: an earlier attempt, or a duplicate run racing this one) is reused, so one
 * message never takes two slots, nor is capped by its own twin. The reservation also settles the customer's
 * pending gestures (this one, if it is one, and expired ones) in the same write.
 */
async function reserveSlot(
  deps: Deps,
  state: WorkflowState,
  at: string,
): Promise<'reserved' | 'reused' | string | CapDeferral> {
  const { profiles } = deps.stores;
  const cfg = deps.config;
  for (let attempt = 0; attempt < RACE_ATTEMPTS; attempt++) {
    const profile = await profiles.get(state.customerId);
    if (!profile) return 'profile_missing';
    if (profile.lastMessage?.messageId === state.messageId) return 'reused';
    const verdict = decide({
      journey: state.journey,
      profile,
      now: new Date(at),
      triggeredAt: new Date(state.triggeredAt),
      config: cfg,
    });
    // Quiet hours were checked a moment ago; only a hard "no" (consent, suppression, caps, expiry) stops us.
    // This is the authoritative re-check: the reservation below is conditional on the profile read here.
    if (verdict.action === 'skip') return verdict.reason;
    // A gesture whose slot an ask took since CheckConsent waits for the cap to free up (decide said when,
    // within maxDeferralHours; beyond it decide skips it with the cap's reason).
    if (verdict.action === 'defer' && isCapReason(verdict.reason) && verdict.until)
      return { status: 'capped', reason: verdict.reason, until: verdict.until };
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
        settledGestures(profile.pendingGestures, state.messageId, new Date(at)),
      )
    ) {
      previousMessages(deps).set(state.messageId, profile.lastMessage);
      return 'reserved';
    }
  }
  throw new TransientError(`Lost the frequency-cap race ${RACE_ATTEMPTS} times for ${state.customerId}`);
}

/** The attribution record each reservation replaced, to put back if the send fails (per Deps). */
const previousByDeps = new WeakMap<Deps, Map<string, Profile['lastMessage']>>();
function previousMessages(deps: Deps): Map<string, Profile['lastMessage']> {
  let map = previousByDeps.get(deps);
  if (!map) {
    map = new Map();
    previousByDeps.set(deps, map);
  }
  return map;
}

async function releaseSlot(deps: Deps, customerId: string, messageId: string): Promise<void> {
  const { profiles } = deps.stores;
  const previous = previousMessages(deps);
  for (let attempt = 0; attempt < RACE_ATTEMPTS; attempt++) {
    const profile = await profiles.get(customerId);
    if (!profile || profile.lastMessage?.messageId !== messageId) return;
    // Nothing went out: it counts against no cap, and as no ask (or gesture) either.
    const released = releaseSend(profile, profile.lastMessage.sentAt);
    // Put back the record this reservation replaced (null: there was none or it is not known here).
    const replaced = previous.get(messageId) ?? null;
    const version = profile.capVersion ?? 0;
    if (
      await profiles.replaceRecentSends(
        customerId,
        version,
        released.recentSends,
        released.recentKinds,
        replaced,
      )
    ) {
      previous.delete(messageId);
      return;
    }
  }
}

/** The shop's own tracking choice, sent only where it turns SES's tracking off. */
function trackingDefault(deps: Deps): { tracking?: { opens: boolean; clicks: boolean } } {
  const { opens, clicks } = deps.config.tracking;
  return opens && clicks ? {} : { tracking: { opens, clicks } };
}
