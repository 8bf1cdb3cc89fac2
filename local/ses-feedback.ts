/**
 * Where SES's feedback comes from in embedded mode: the simulated audience (local/audience-driver.ts), which
 * answers every email SES accepts, or a shop's recorded SES events replayed at their own times. Either way
 * the events reach the real ses-events handler, asynchronously, as EventBridge delivers them on AWS.
 */
import type { Deps } from '../functions/app/deps.js';
import type { HandlerName } from '../functions/domain/names.js';
import type { AudienceOptions } from './audience.js';
import { AudienceDriver, type AudienceHost, type AudienceStats } from './audience-driver.js';
import { EmbeddedRuntimeError } from './errors.js';
import type { AcceptedEmail } from './ses.js';

type Handler = (event: unknown) => Promise<unknown>;

export interface SesFeedbackInput {
  audience?: AudienceOptions | false;
  sesEvents?: readonly { time: string }[];
  deps: Deps;
  account: string;
  region: string;
  load(name: HandlerName): Promise<Handler>;
  /** Runs a handler as an asynchronous invocation (retried like Lambda's). */
  invoke(label: string, handler: Handler, event: unknown): Promise<void>;
  at: AudienceHost['at'];
  publish: AudienceHost['publish'];
  failed: AudienceHost['failed'];
}

export interface SesFeedback {
  /** Told of every email SES accepts (the audience answers it). */
  accepted(email: AcceptedEmail): void;
  stats(): { audience?: AudienceStats; sesEventsReplayed: number };
}

export async function startSesFeedback(input: SesFeedbackInput): Promise<SesFeedback> {
  const { deps } = input;
  const sesEvents = input.audience || input.sesEvents?.length ? await input.load('ses-events') : undefined;
  let audience: AudienceDriver | undefined;
  if (input.audience && sesEvents) {
    const customerHttp = await input.load('customer-http');
    audience = new AudienceDriver(input.audience, {
      stores: deps.stores,
      config: deps.config,
      account: input.account,
      region: input.region,
      linkKeys: () => deps.linkKeys(),
      at: input.at,
      sesEvent: (label, event) => input.invoke(label, sesEvents, event),
      // A function URL answers the caller: an error is the caller's 500, kept with the run's other failures.
      request: async (event) => (await customerHttp(event)) as { statusCode?: number } | undefined,
      publish: input.publish,
      failed: input.failed,
    });
  }
  let replayed = 0;
  (input.sesEvents ?? []).forEach((event, n) => {
    const time = new Date(event.time);
    if (Number.isNaN(time.getTime()))
      throw new EmbeddedRuntimeError(`sesEvents[${n}].time is not a date and time: ${String(event.time)}`);
    input.at(time, `ses event ${n + 1}`, () => {
      replayed += 1;
      return input.invoke(`ses event ${n + 1}`, sesEvents!, event);
    });
  });
  return {
    accepted: (email) => audience?.accepted(email),
    stats: () => ({ ...(audience ? { audience: audience.stats() } : {}), sesEventsReplayed: replayed }),
  };
}
