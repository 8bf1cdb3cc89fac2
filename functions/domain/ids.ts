/** Ids derived from triggers, so a replayed or duplicated event derives the same id. */
import { v5 as uuidv5 } from 'uuid';
import type { MessageContext, MessageRequest } from './model.js';
import { ID_NAMESPACE, type Journey } from './names.js';

/** UUID v5 of a trigger key: the message id and ledger key. */
export function messageIdFor(triggerKey: string): string {
  return uuidv5(triggerKey, ID_NAMESPACE);
}

/** Builds the workflow input for one intended message. */
export function messageRequest(input: {
  journey: Journey;
  customerId: string;
  triggerKey: string;
  triggeredAt: string;
  context?: MessageContext;
}): MessageRequest {
  return {
    v: 1,
    journey: input.journey,
    customerId: input.customerId,
    triggerKey: input.triggerKey,
    messageId: messageIdFor(input.triggerKey),
    triggeredAt: input.triggeredAt,
    context: input.context ?? {},
    deferrals: 0,
  };
}

export const triggerKeys = {
  /** One reminder per cart: later updates move it, they do not add another. */
  cartReminder: (cartId: string) => `cart_reminder:cart:${cartId}`,
  orderFollowup: (orderId: string) => `order_followup:order:${orderId}`,
  /** At most one birthday message per customer per (local) year. */
  birthday: (customerId: string, localYear: number) => `birthday:${customerId}:${localYear}`,
  /** One win-back per inactive spell: the spell is named by the day its inactivity line was crossed. */
  winback: (customerId: string, inactiveOn: string) => `winback:${customerId}:${inactiveOn}`,
};

/** Scheduler names allow [0-9a-zA-Z-_.]{1,64}. */
export function scheduleName(prefix: string, key: string): string {
  const safe = key.replace(/[^0-9a-zA-Z_.-]/g, '_');
  const name = `${prefix}-${safe}`;
  return name.length <= 64 ? name : `${prefix}-${uuidv5(key, ID_NAMESPACE)}`;
}
