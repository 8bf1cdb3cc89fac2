/**
 * Records how a message ended, for the states CaptureFeedback (sent: attribution on the profile),
 * RecordSkip (not allowed, with the reason) and RecordFailure (an error the workflow caught).
 */
import { now } from '../adapters/clock.js';
import { banditKey } from '../domain/bandit.js';
import { ledgerKey, type WorkflowState } from '../domain/model.js';
import { config, db } from './deps.js';

export interface RecordInput {
  kind: 'capture' | 'skip' | 'failure';
  state: WorkflowState;
}

export interface RecordResult {
  recorded: boolean;
  decision: 'sent' | 'skipped' | 'failed';
  reason?: string;
}

export async function handler(input: RecordInput): Promise<RecordResult> {
  const { state } = input;
  const at = now().toISOString();
  const base = ledgerKey(state);
  switch (input.kind) {
    case 'capture': {
      const personalized = state.personalized?.ok ? state.personalized : undefined;
      const variant = personalized?.variant;
      // The attribution record (profile.lastMessage) is written by Send together with the cap reservation,
      // which saves a profile write per message; what is left to capture here is the variant's send count.
      // The bandit's send count for the variant: one ADD per sent message (domain/bandit.ts).
      if (variant && personalized && config().bandit.enabled) {
        await db().reputation.countVariant(
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
      const recorded = await db().ledger.decide(base, 'skipped', at, {
        reason,
        consent: state.decision?.consent ?? null,
        ...(state.personalized && !state.personalized.ok && state.personalized.detail
          ? { detail: state.personalized.detail }
          : {}),
      });
      return { recorded, decision: 'skipped', reason };
    }
    case 'failure': {
      const reason = `${state.error?.Error ?? 'Error'}: ${(state.error?.Cause ?? '').slice(0, 1000)}`;
      const recorded = await db().ledger.decide(base, 'failed', at, { reason });
      return { recorded, decision: 'failed', reason };
    }
  }
}

const ERASED_OR_UNKNOWN = '-';

function skipReason(state: WorkflowState): string {
  if (state.personalized && !state.personalized.ok) return state.personalized.reason;
  return state.decision?.reason ?? 'unknown';
}
