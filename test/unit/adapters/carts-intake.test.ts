import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { CartStore } from '../../../functions/adapters/carts.js';
import { documentClient } from '../../../functions/adapters/dynamo.js';

const ddb = mockClient(DynamoDBDocumentClient);
const store = () => new CartStore(documentClient(new DynamoDBClient({ region: 'us-east-1' })), 'carts', 90);

describe('Class: CartStore (orders)', () => {
  afterEach(() => ddb.reset());

  it('closes a cart for an order only if it is new, or not ordered and last updated no later than the order', async () => {
    ddb.on(UpdateCommand).resolves({});
    expect(await store().closeForOrder('k1', 'c1', '2026-12-01T10:00:00.000Z')).toBe(true);
    const input = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.Key).toEqual({ cartId: 'k1' });
    expect(input.ConditionExpression).toBe(
      'attribute_not_exists(cartId) OR (#s <> :ordered AND updatedAt <= :at)',
    );
    expect(input.ExpressionAttributeValues).toMatchObject({
      ':at': '2026-12-01T10:00:00.000Z',
      ':ordered': 'ordered',
      ':c': 'c1',
    });
    // A never-seen cart gets a marker dated at the order, so a late update of it cannot revive it.
    expect(input.UpdateExpression).toContain('updatedAt = if_not_exists(updatedAt, :at)');
  });

  it('answers false for a newer or already ordered cart, and rethrows other errors', async () => {
    ddb
      .on(UpdateCommand)
      .rejectsOnce(Object.assign(new Error('no'), { name: 'ConditionalCheckFailedException' }))
      .rejectsOnce(Object.assign(new Error('slow'), { name: 'ThrottlingException' }));
    expect(await store().closeForOrder('k1', 'c1', '2026-12-01T10:00:00.000Z')).toBe(false);
    await expect(store().closeForOrder('k1', 'c1', '2026-12-01T10:00:00.000Z')).rejects.toThrow('slow');
  });
});
