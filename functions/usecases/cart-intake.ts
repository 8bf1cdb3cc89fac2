/**
 * Intake of `cart.updated`: keeps the cart (a late, older update never overwrites a newer one) and its
 * reminder: a one-time schedule cartDelayMinutes after the last update, moved on every update and cancelled
 * when the cart is emptied. The customer's last-active time moves forward. After an erasure, a cart event for
 * the customer creates nothing (reason `erased`).
 */
import { useCase } from '../app/lambda.js';
import { scheduleName } from '../domain/ids.js';
import { cartFromEvent, cartReminderDueAt, cartReminderRequest } from '../domain/triggers.js';
import { admit, cancelReminder, type Rejected, recordActivity, rejectIfErased } from './intake.js';

export type CartIntakeResult =
  | Rejected
  | { outcome: 'stale' | 'cart_emptied' }
  | { outcome: 'reminder_scheduled'; dueAt: string };

export const cartIntake = useCase({
  name: 'cart-intake',
  needs: ['carts', 'profiles', 'ledger', 'stats', 'rejected', 'scheduler', 'linkKeys'],
  async run(deps, input: unknown): Promise<CartIntakeResult> {
    const admitted = await admit(deps, input, 'cart-intake');
    if (!admitted.ok) return admitted.rejected;
    const { event, at } = admitted;
    const { detail } = event;
    // Read first: the activity write needs it, and a missing profile is when the tombstone is checked.
    const profile = await deps.stores.profiles.get(detail.customerId);
    if (!profile) {
      const erased = await rejectIfErased(deps, input, detail.customerId);
      if (erased) return erased;
    }
    const cart = cartFromEvent(detail, at);
    if (!(await deps.stores.carts.putIfNewer(cart))) return { outcome: 'stale' };
    if (profile) await recordActivity(deps, detail.customerId, profile, at);
    if (cart.status === 'emptied') {
      await cancelReminder(deps, cart, at, 'cart_emptied');
      return { outcome: 'cart_emptied' };
    }
    const due = cartReminderDueAt(at, deps.config);
    const when = new Date(Math.max(due.getTime(), deps.clock().getTime()));
    await deps.scheduler.upsert(scheduleName('cart', cart.cartId), when, cartReminderRequest(cart));
    return { outcome: 'reminder_scheduled', dueAt: when.toISOString() };
  },
});
