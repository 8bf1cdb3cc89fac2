/** What each shop event means for messages: which journeys it starts, moves or cancels. Pure decisions. */
import type { EngineConfig } from './config.js';
import type { CartUpdated, OrderPlaced } from './events.js';
import { messageRequest, triggerKeys } from './ids.js';
import type { Cart, MessageRequest, Profile } from './model.js';
import { inactivityCheck } from './profile.js';

/** The reminder for a cart is due this long after its last update. */
export function cartReminderDueAt(updatedAt: string, config: EngineConfig): Date {
  return new Date(Date.parse(updatedAt) + config.cartDelayMinutes * 60_000);
}

/** The stored cart after an update; an empty cart is "emptied" and needs no reminder. */
export function cartFromEvent(detail: CartUpdated, at: string): Cart {
  return {
    cartId: detail.cartId,
    customerId: detail.customerId,
    status: detail.items.length === 0 ? 'emptied' : 'open',
    items: detail.items,
    currency: detail.currency,
    total: detail.total,
    updatedAt: at,
    ...(detail.cartUrl ? { cartUrl: detail.cartUrl } : {}),
  };
}

export function cartReminderRequest(cart: Cart): MessageRequest {
  return messageRequest({
    journey: 'cart_reminder',
    customerId: cart.customerId,
    triggerKey: triggerKeys.cartReminder(cart.cartId),
    triggeredAt: cart.updatedAt,
    context: { cart: { cartId: cart.cartId, updatedAt: cart.updatedAt } },
  });
}

export function orderFollowupRequest(detail: OrderPlaced, placedAt: string): MessageRequest {
  return messageRequest({
    journey: 'order_followup',
    customerId: detail.customerId,
    triggerKey: triggerKeys.orderFollowup(detail.orderId),
    triggeredAt: placedAt,
    context: {
      order: {
        orderId: detail.orderId,
        items: detail.items,
        currency: detail.currency,
        total: detail.total,
        placedAt,
        ...(detail.orderUrl ? { orderUrl: detail.orderUrl } : {}),
      },
    },
  });
}

/**
 * Whether a reminder firing now is still wanted. `superseded` means the cart changed after this reminder was
 * scheduled: a newer schedule exists and decides, so nothing is recorded.
 */
export function cartReminderCheck(
  cart: Cart | undefined,
  scheduledFor: { updatedAt: string },
): { ok: true } | { ok: false; reason: 'cart_missing' | 'cart_ordered' | 'cart_emptied' | 'superseded' } {
  if (!cart) return { ok: false, reason: 'cart_missing' };
  if (cart.status === 'ordered') return { ok: false, reason: 'cart_ordered' };
  if (cart.status === 'emptied') return { ok: false, reason: 'cart_emptied' };
  if (cart.updatedAt > scheduledFor.updatedAt) return { ok: false, reason: 'superseded' };
  return { ok: true };
}

/**
 * Whether a win-back firing now is still wanted: not if the customer came back since the sweep saw them (their
 * inactivity line moved past the spell this message is about; a new spell will name a new trigger).
 */
export function winbackCheck(
  profile: Pick<Profile, 'lastActiveAt' | 'orderGapDays'>,
  inactiveOn: string,
  config: EngineConfig,
): { ok: true } | { ok: false; reason: 'customer_active_again' } {
  // The sweep's own rule, asked again at fire time: a key that would now move means they came back.
  const check = inactivityCheck(profile, inactiveOn, config);
  return check.action === 'rekey' ? { ok: false, reason: 'customer_active_again' } : { ok: true };
}

/**
 * Whether an order placed at `orderAt` closes a cart (marks it ordered, cancels its reminder): a cart never
 * seen, or one still open or emptied whose last update is not after the order. A cart updated after the order
 * (a late redelivery of an old order) is a newer cart and keeps its reminder; an ordered one is already
 * closed. The carts adapter applies the same rule inside its conditional write (closeForOrder).
 */
export function orderClosesCart(
  cart: Pick<Cart, 'status' | 'updatedAt'> | undefined,
  orderAt: string,
): boolean {
  if (!cart) return true;
  return cart.status !== 'ordered' && cart.updatedAt <= orderAt;
}
