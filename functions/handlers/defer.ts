/** Workflow step for "not now": schedule the same message for when it may go (quiet hours end). */
import { now } from '../adapters/clock.js';
import { InvalidInputError } from '../domain/errors.js';
import { scheduleName } from '../domain/ids.js';
import { ledgerKey, requestOf, type WorkflowState } from '../domain/model.js';
import { db, scheduler } from './deps.js';

export interface DeferResult {
  deferred: boolean;
  until?: string;
  schedule?: string;
}

export async function handler(state: WorkflowState): Promise<DeferResult> {
  const until = state.decision?.until;
  if (!until) throw new InvalidInputError('Defer reached without a time to defer to');
  const request = requestOf(state);
  const deferrals = (request.deferrals ?? 0) + 1;
  const base = ledgerKey(state);
  // Ledger first: if the message was meanwhile sent or decided, nothing is scheduled.
  const recorded = await db().ledger.decide(base, 'deferred', now().toISOString(), {
    reason: state.decision?.reason ?? 'deferred',
    deferredUntil: until,
  });
  if (!recorded) return { deferred: false };
  const schedule = scheduleName('defer', `${state.messageId}-${deferrals}`);
  await scheduler().upsert(schedule, new Date(until), { ...request, deferrals });
  return { deferred: true, until, schedule };
}
