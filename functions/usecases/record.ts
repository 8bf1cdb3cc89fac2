/**
 * Records how a message ended, for the states CaptureFeedback (sent: the bandit's send count), RecordSkip
 * (not allowed, with the reason) and RecordFailure (an error the workflow caught). A failure that leaves a
 * Send claim behind is recorded as `unknown` (SES may have been called), never as `failed` over it; a failure
 * of input that names no message is kept in the rejected store for a person to read. A skipped or failed
 * message gives its incentive code back (usecases/incentive.ts).
 */
import type { Deps } from '../app/deps.js';
import { useCase } from '../app/lambda.js';
import { banditKey } from '../domain/bandit.js';
import { ledgerKey } from '../domain/ledger.js';
import type { WorkflowState } from '../domain/model.js';
import { messageRequestSchema } from '../domain/requests.js';
import * as z from '../domain/zod.js';
import { releaseIncentive, releasesCode } from './incentive.js';

export interface RecordResult {
  recorded: boolean;
  decision: 'sent' | 'skipped' | 'failed' | 'unknown' | 'rejected';
  reason?: string;
}

export const recordInput = z.object({
  kind: z.enum(['capture', 'skip', 'failure']),
  // Checked below: a failure's state may be the very input that failed validation.
  state: z.record(z.string(), z.unknown()),
});

export const record = useCase({
  name: 'record',
  needs: ['ledger', 'stats', 'reputation', 'rejected', 'codes'],
  input: recordInput,
  async run(deps, input): Promise<RecordResult> {
    const at = deps.clock().toISOString();
    const request = messageRequestSchema.safeParse(input.state);
    if (!request.success) return reject(deps, input.state, at);
    const state = input.state as unknown as WorkflowState;
    const base = ledgerKey(state);
    switch (input.kind) {
      case 'capture': {
        const personalized = state.personalized?.ok ? state.personalized : undefined;
        const variant = personalized?.variant;
        // The attribution record (profile.lastMessage) is written by Send with the cap reservation; what is
        // left to capture here is the bandit's send count for the variant: one ADD per sent message.
        if (variant && personalized && deps.config.bandit.enabled) {
          await deps.stores.reputation.countVariant(
            banditKey(state.journey, variant, personalized.templateVersion),
            'sends',
          );
        }
        return { recorded: true, decision: 'sent' };
      }
      case 'skip': {
        const reason = skipReason(state);
        // No profile (never known, or erased): record the decision without tying it to a person.
        if (reason === 'profile_missing') base.customerId = ERASED_OR_UNKNOWN;
        const recorded = await deps.stores.ledger.decide(base, 'skipped', at, {
          reason,
          consent: state.decision?.consent ?? null,
          ...(state.personalized && !state.personalized.ok && state.personalized.detail
            ? { detail: state.personalized.detail }
            : {}),
        });
        await releaseUnsent(deps, state, recorded);
        return { recorded, decision: 'skipped', reason };
      }
      case 'failure': {
        const reason = `${state.error?.Error ?? 'Error'}: ${(state.error?.Cause ?? '').slice(0, 1000)}`;
        const entry = await deps.stores.ledger.get(state.messageId);
        // A claim left by Send means SES may have been called: unknown, with the claim's holder as writer.
        if (entry?.decision === 'sending') {
          const recorded = await deps.stores.ledger.decide(
            base,
            'unknown',
            at,
            { reason: `send did not finish (${reason.slice(0, 200)})` },
            { claim: entry.claim ?? '' },
          );
          deps.logger.error('Send outcome unknown', { messageId: state.messageId, reason });
          return { recorded, decision: 'unknown', reason };
        }
        const recorded = await deps.stores.ledger.decide(base, 'failed', at, { reason });
        await releaseUnsent(deps, state, recorded);
        return { recorded, decision: 'failed', reason };
      }
    }
  },
});

const ERASED_OR_UNKNOWN = '-';

/**
 * A message that ended without being sent gives its incentive code back (a pool code to its pool; a
 * generated one is never exported as issued). Only when this write decided it, or the entry already shows
 * such an ending (a retry of this step): a skip refused because a twin run claimed or sent the message keeps
 * the code, which that run may be sending. Journeys without an incentive hold no code: nothing to do.
 */
async function releaseUnsent(deps: Deps, state: WorkflowState, recorded: boolean): Promise<void> {
  if (!deps.config.incentives[state.journey]) return;
  const ended = recorded || releasesCode((await deps.stores.ledger.get(state.messageId))?.decision);
  if (ended) await releaseIncentive(deps, state.messageId);
}

function skipReason(state: WorkflowState): string {
  if (state.personalized && !state.personalized.ok) return state.personalized.reason;
  return state.decision?.reason ?? 'unknown';
}

/** Input that names no valid message (e.g. a schedule of an unknown version): kept for a person to read. */
async function reject(deps: Deps, state: Record<string, unknown>, at: string): Promise<RecordResult> {
  const error = state.error as { Error?: string; Cause?: string } | undefined;
  const reason = `workflow input rejected: ${error?.Error ?? 'InvalidInputError'}: ${(error?.Cause ?? '').slice(0, 500)}`;
  const { error: _error, ...event } = state;
  await deps.stores.rejected.put({ receivedAt: new Date(at), event, error: reason });
  deps.logger.error('Workflow input rejected', { reason });
  return { recorded: true, decision: 'rejected', reason };
}
