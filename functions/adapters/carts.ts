/**
 * Carts in DynamoDB. A cart only moves forward in time: a late, older update never overwrites a newer one.
 * Each write that stores a cart sets its expiry (`expiresAt`, epoch seconds, the table's TTL): its last
 * update plus retention.cartsDays.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Cart } from '../domain/model.js';
import { expiresAt } from '../domain/retention.js';
import { batchGetAll, conditional, type Doc, queryAll } from './dynamo.js';

export class CartStore {
  constructor(
    private readonly doc: Doc,
    private readonly tableName: string,
    /** Days a cart is kept after its last update (config retention.cartsDays). */
    private readonly keepDays: number,
  ) {}

  async get(cartId: string): Promise<Cart | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { cartId } }));
    return out.Item as Cart | undefined;
  }

  /** Stores the cart unless a newer update or an order already landed; returns whether it was stored. */
  async putIfNewer(cart: Cart): Promise<boolean> {
    return conditional(
      this.doc,
      new PutCommand({
        TableName: this.tableName,
        Item: { ...cart, expiresAt: expiresAt(cart.updatedAt, this.keepDays) },
        ConditionExpression: 'attribute_not_exists(cartId) OR (updatedAt < :at AND #s <> :ordered)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':at': cart.updatedAt, ':ordered': 'ordered' },
      }),
    );
  }

  /** Marks a cart ordered (creating a marker if the cart was never seen, so a late update cannot revive it). */
  async markOrdered(cartId: string, customerId: string, at: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { cartId },
        UpdateExpression:
          'SET #s = :ordered, customerId = :c, orderedAt = :at, updatedAt = if_not_exists(updatedAt, :at), #i = if_not_exists(#i, :none), currency = if_not_exists(currency, :cur), #t = if_not_exists(#t, :zero), expiresAt = if_not_exists(expiresAt, :exp)',
        ExpressionAttributeNames: { '#s': 'status', '#i': 'items', '#t': 'total' },
        ExpressionAttributeValues: {
          ':ordered': 'ordered',
          ':c': customerId,
          ':at': at,
          // A cart stored before keeps its expiry (from its last update); a marker expires from the order.
          ':exp': expiresAt(at, this.keepDays),
          ':none': [],
          ':cur': 'XXX',
          ':zero': 0,
        },
      }),
    );
  }

  /**
   * Closes a cart for an order placed at `orderAt` if the order may close it (domain orderClosesCart): the
   * cart was never seen (a marker is created, so a late update cannot revive it), or it is not ordered yet and
   * its last update is not after the order. Checked inside the conditional write, so a late redelivery of an
   * old order never closes a newer cart. Returns whether it closed it (only then is its reminder cancelled).
   */
  async closeForOrder(cartId: string, customerId: string, orderAt: string): Promise<boolean> {
    return conditional(
      this.doc,
      new UpdateCommand({
        TableName: this.tableName,
        Key: { cartId },
        UpdateExpression:
          'SET #s = :ordered, customerId = :c, orderedAt = :at, updatedAt = if_not_exists(updatedAt, :at), #i = if_not_exists(#i, :none), currency = if_not_exists(currency, :cur), #t = if_not_exists(#t, :zero), expiresAt = if_not_exists(expiresAt, :exp)',
        ConditionExpression: 'attribute_not_exists(cartId) OR (#s <> :ordered AND updatedAt <= :at)',
        ExpressionAttributeNames: { '#s': 'status', '#i': 'items', '#t': 'total' },
        ExpressionAttributeValues: {
          ':ordered': 'ordered',
          ':c': customerId,
          ':at': orderAt,
          ':exp': expiresAt(orderAt, this.keepDays),
          ':none': [],
          ':cur': 'XXX',
          ':zero': 0,
        },
      }),
    );
  }

  /**
   * The customer's carts still open (an order without cartId closes all of them). The byCustomer index holds
   * keys only (a status change would otherwise cost an index write on every order), so the few carts of the
   * customer are read from the table in one batch.
   */
  async openCartsOf(customerId: string): Promise<string[]> {
    const keys = await queryAll<{ cartId: string }>(this.doc, {
      TableName: this.tableName,
      IndexName: 'byCustomer',
      KeyConditionExpression: 'customerId = :c',
      ExpressionAttributeValues: { ':c': customerId },
    });
    if (!keys.length) return [];
    const carts = await batchGetAll<Cart>(
      this.doc,
      this.tableName,
      keys.map((k) => ({ cartId: k.cartId })),
    );
    // The index is eventually consistent: re-check ownership on the item itself.
    return carts
      .filter((cart) => cart.status === 'open' && cart.customerId === customerId)
      .map((cart) => cart.cartId);
  }

  /**
   * Every cart of the customer, whole (for export and erasure). The byCustomer index holds only keys, so
   * each cart is read from the table; a cart deleted in between is left out.
   */
  async allOf(customerId: string): Promise<Cart[]> {
    const keys = await queryAll<{ cartId: string }>(this.doc, {
      TableName: this.tableName,
      IndexName: 'byCustomer',
      KeyConditionExpression: 'customerId = :c',
      ExpressionAttributeValues: { ':c': customerId },
    });
    const ids = keys.map((k) => k.cartId);
    const carts = await Promise.all(ids.map((id) => this.get(id)));
    // The index is eventually consistent: re-check ownership on the item itself.
    return carts.filter((cart): cart is Cart => cart?.customerId === customerId);
  }

  /** Deletes a cart if it belongs to the customer (erasure); returns whether it was deleted. */
  async deleteOf(cartId: string, customerId: string): Promise<boolean> {
    return conditional(
      this.doc,
      new DeleteCommand({
        TableName: this.tableName,
        Key: { cartId },
        ConditionExpression: 'customerId = :c',
        ExpressionAttributeValues: { ':c': customerId },
      }),
    );
  }
}
