/**
 * Workflow step 2: may this message go now? Consent, topic, suppression, expiry, frequency caps and quiet
 * hours, decided by a pure function on a fresh read of the profile. "No" is data with a reason.
 */
import { now } from '../adapters/clock.js';
import { decide } from '../domain/consent.js';
import type { Decision, WorkflowState } from '../domain/model.js';
import { config, db } from './deps.js';

export async function handler(state: WorkflowState): Promise<Decision> {
  const profile = await db().profiles.get(state.customerId);
  if (!profile) return { action: 'skip', reason: 'profile_missing', consent: null };
  return decide({
    journey: state.journey,
    profile,
    now: now(),
    triggeredAt: new Date(state.triggeredAt),
    config: config(),
  });
}
