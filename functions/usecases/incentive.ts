/**
 * A message's incentive code: claimed when the message is personalized (the same code for every run of it),
 * given back when it ends without being sent, and found again (`reclaimUnsent`) when a message ended unsent
 * on a path that records nothing through Record (Send's own skips and failures, a cancel after a deferral).
 * The email shows a code only when one was claimed here, so it never promises what the engine cannot tie to
 * a code.
 */
import type { Clock, Deps, Stores } from '../app/deps.js';
import type { EngineConfig } from '../domain/config.js';
import { codeSecret, generatedCode, issuedCode } from '../domain/incentives.js';
import { FINAL_DECISIONS, type LedgerDecision } from '../domain/ledger.js';
import type { IssuedCode, MessageRequest, Profile } from '../domain/model.js';
import { resolveTimeZone } from '../domain/time.js';

/**
 * The code for this message, or undefined: no incentive configured for the journey, the journey's pool is
 * empty (logged; the email goes without a code), or the message already ended unsent (its code went back).
 * 'generated' derives the code from the message id under the link key and stores it (lookup, export);
 * 'pool' claims a free code of the shop's pool, never one another message holds.
 */
export async function claimIncentive(
  deps: Deps,
  request: MessageRequest,
  /** The customer's profile, when the caller has read it (else it is read here, for the time zone). */
  profile?: Pick<Profile, 'timeZone'>,
): Promise<IssuedCode | undefined> {
  const incentive = deps.config.incentives[request.journey];
  if (!incentive) return undefined;
  const now = deps.clock();
  const at = now.toISOString();
  const { codes } = deps.stores;
  const customer = profile ?? (await deps.stores.profiles.get(request.customerId));
  // Valid until the end of the customer's local day: the date the email states is theirs.
  const timeZone = resolveTimeZone(customer?.timeZone, deps.config.defaultTimeZone);
  const issue = (code: string) => issuedCode(incentive, code, now, deps.config.sender.currency, timeZone);
  const outcome =
    incentive.source === 'generated'
      ? await (async () => {
          const secret = codeSecret(await deps.linkKeys());
          return codes.issueGenerated(
            request.journey,
            request.messageId,
            (attempt) => generatedCode(secret, request.messageId, incentive.prefix, attempt),
            issue,
            at,
          );
        })()
      : await codes.claimFromPool(request.journey, request.messageId, issue, at);
  if (outcome.status === 'claimed') return outcome.issued;
  if (outcome.status === 'empty')
    deps.logger.warn('Incentive pool empty: the message goes without a code', {
      journey: request.journey,
      messageId: request.messageId,
    });
  return undefined;
}

/**
 * Gives back the code of a message that ended without being sent: a pool code returns to its pool, a
 * generated one is never exported as issued. Idempotent; nothing when the message held no code.
 */
export async function releaseIncentive(deps: Deps, messageId: string): Promise<void> {
  const released = await deps.stores.codes.release(messageId, deps.clock().toISOString());
  if (released) deps.logger.info('Incentive code released', { messageId, source: released.source });
}

/** Ledger decisions under which a message's code stays its own: it went out, or may have. */
const KEEPS_CODE: ReadonlySet<LedgerDecision> = new Set(['sent', 'unknown', 'sending']);

/** Whether a message that reached `decision` must give its code back. */
export function releasesCode(decision: LedgerDecision | undefined): boolean {
  return decision !== undefined && FINAL_DECISIONS.includes(decision) && !KEEPS_CODE.has(decision);
}

export interface ReclaimResult {
  /** Claims looked at. */
  claims: number;
  /** Codes given back now (their message ended unsent, or a release was cut short). */
  released: number;
}

/**
 * Gives back every code held by a message that ended unsent, and finishes releases a crash cut short: for
 * the operator (`reciprocity codes reclaim`) and embedded runs. A claim whose message has no ledger entry
 * at all is left alone until `staleAfterHours` (a message may wait that long for its first decision).
 */
export async function reclaimUnsent(
  deps: {
    stores: Pick<Stores, 'codes' | 'ledger'>;
    clock: Clock;
    config: Pick<EngineConfig, 'maxDeferralHours'>;
  },
  options: { staleAfterHours?: number } = {},
): Promise<ReclaimResult> {
  const { codes, ledger } = deps.stores;
  const now = deps.clock();
  const staleMs = (options.staleAfterHours ?? deps.config.maxDeferralHours + 24) * 3_600_000;
  const claims = await codes.claims();
  let released = 0;
  for (const claim of claims) {
    if (claim.state === 'released') {
      // Marked released, but the code item may still name the message (a crash between the two writes).
      const item = await codes.get(claim.issued.code);
      if (item?.messageId === claim.messageId && !item.releasedAt) {
        await codes.release(claim.messageId, now.toISOString());
        released++;
      }
      continue;
    }
    const entry = await ledger.get(claim.messageId);
    const stale = !entry && now.getTime() - Date.parse(claim.at) > staleMs;
    if (releasesCode(entry?.decision) || stale) {
      await codes.release(claim.messageId, now.toISOString());
      released++;
    }
  }
  return { claims: claims.length, released };
}
