/**
 * Workflow step 2: may this message go now? Consent, topic, suppression, the journey's holdout, expiry,
 * frequency caps, the give/ask balance and quiet hours, decided by a pure function on a fresh read of the
 * profile (holdout and balance skips are recorded like any other); then the reputation guard, which defers
 * every message that could go while the shop's bounce or complaint rate is too high. "No" is data with a reason.
 */
import { useCase } from '../app/lambda.js';
import { decide } from '../domain/consent.js';
import type { Decision, WorkflowState } from '../domain/model.js';
import { applyGuard } from '../domain/reputation.js';
import { workflowStateSchema } from '../domain/requests.js';

export const checkConsent = useCase({
  name: 'check-consent',
  needs: ['profiles:read', 'reputation:read'],
  input: workflowStateSchema,
  async run(deps, input): Promise<Decision> {
    const state = input as unknown as WorkflowState;
    const { profiles, reputation } = deps.stores;
    const profile = await profiles.get(state.customerId);
    if (!profile) return { action: 'skip', reason: 'profile_missing', consent: null };
    const cfg = deps.config;
    const at = deps.clock();
    const triggeredAt = new Date(state.triggeredAt);
    const decision = decide({ journey: state.journey, profile, now: at, triggeredAt, config: cfg });
    // A "no" stands whatever the guard says, and costs no guard read.
    if (decision.action === 'skip') return decision;
    const guard = await reputation.guard(at);
    return applyGuard(decision, { guard, now: at, triggeredAt, maxDeferralHours: cfg.maxDeferralHours });
  },
});
