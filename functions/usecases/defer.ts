/**
 * Workflow step for "not now": schedule the same message for when it may go. Two reasons:
 * - `decision`: CheckConsent said defer (quiet hours, a pause, a full cap for a gesture, the reputation
 *   guard) until a given time, or Send found a gesture's cap slot taken at the last moment (its delivery is a
 *   CapDeferral: domain/caps.ts) and said until when;
 * - `throttled`: SES still throttled after Send's retries: back off (15 min, doubling, at most 6 h per step)
 *   and try again, up to maxDeferralHours after the trigger; past that the message is recorded as failed.
 */
import { useCase } from '../app/lambda.js';
import { capDeferralOf } from '../domain/caps.js';
import { InvalidInputError } from '../domain/errors.js';
import { scheduleName } from '../domain/ids.js';
import { ledgerKey } from '../domain/ledger.js';
import { requestOf, type WorkflowState } from '../domain/model.js';
import { workflowStateSchema } from '../domain/requests.js';
import { throttleRetryAt } from '../domain/retry.js';
import * as z from '../domain/zod.js';

export interface DeferResult {
  deferred: boolean;
  until?: string;
  schedule?: string;
  /** Throttled for longer than maxDeferralHours: recorded as failed instead. */
  failed?: boolean;
}

export const deferInput = z.union([
  z.object({ kind: z.literal('throttled'), state: workflowStateSchema }),
  // The decision path hands over the whole state (older executions too).
  z.pipe(
    workflowStateSchema,
    z.transform((state: z.output<typeof workflowStateSchema>) => ({ kind: 'decision' as const, state })),
  ),
]);

export const defer = useCase({
  name: 'defer',
  needs: ['ledger', 'stats', 'scheduler'],
  input: deferInput,
  async run(deps, input): Promise<DeferResult> {
    const state = input.state as unknown as WorkflowState;
    const now = deps.clock();
    const base = ledgerKey(state);
    const request = requestOf(state);
    if (input.kind === 'throttled') {
      const throttleDeferrals = (request.throttleDeferrals ?? 0) + 1;
      const until = throttleRetryAt({
        now,
        triggeredAt: new Date(state.triggeredAt),
        attempt: throttleDeferrals,
        maxDeferralHours: deps.config.maxDeferralHours,
      });
      if (!until) {
        const reason = `SES throttled every attempt for ${deps.config.maxDeferralHours} h`;
        const recorded = await deps.stores.ledger.decide(base, 'failed', now.toISOString(), { reason });
        return { deferred: false, failed: recorded };
      }
      return schedule(deps, state, until, 'throttled', { ...request, throttleDeferrals });
    }
    // Send's cap deferral comes after CheckConsent's decision (which said send), so it wins.
    const held = capDeferralOf(state.delivery);
    const until = held?.until ?? state.decision?.until;
    if (!until) throw new InvalidInputError('Defer reached without a time to defer to');
    return schedule(deps, state, new Date(until), held?.reason ?? state.decision?.reason ?? 'deferred', {
      ...request,
      deferrals: (request.deferrals ?? 0) + 1,
    });
  },
});

async function schedule(
  deps: Parameters<typeof defer.run>[0],
  state: WorkflowState,
  until: Date,
  reason: string,
  next: ReturnType<typeof requestOf>,
): Promise<DeferResult> {
  // Ledger first: if the message was meanwhile sent or decided, nothing is scheduled.
  const recorded = await deps.stores.ledger.decide(ledgerKey(state), 'deferred', deps.clock().toISOString(), {
    reason,
    deferredUntil: until.toISOString(),
  });
  if (!recorded) return { deferred: false };
  const name = scheduleName(
    'defer',
    `${state.messageId}-${next.deferrals ?? 0}-${next.throttleDeferrals ?? 0}`,
  );
  await deps.scheduler.upsert(name, until, next);
  return { deferred: true, until: until.toISOString(), schedule: name };
}
