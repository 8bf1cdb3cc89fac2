/**
 * Intake's idempotency records: one item per key (e.g. an order), claimed before the work and marked done
 * after it, so a second delivery of the same thing changes nothing. Our own rather than Powertools
 * Idempotency because its locks and expiry read the wall clock (Date.now), while every time here is an input:
 * in embedded mode a lock must expire on the simulated clock, as Lambda's retries come on it. Same cost as
 * Powertools (a conditional put, then an update), same table layout (key `id`, TTL `expiration`).
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Doc, isConditionFailed } from './dynamo.js';

/** claimed: do the work, then complete(); done: it was done before; busy: another delivery is doing it. */
export type Claim = 'claimed' | 'done' | 'busy';

export class OnceStore {
  constructor(
    private readonly doc: Doc,
    private readonly tableName: string,
  ) {}

  /** Claims `key` until `now + lockMs` (a crash mid-way frees it then); one conditional write. */
  async claim(key: string, now: Date, lockMs: number): Promise<Claim> {
    const lockedUntil = now.getTime() + lockMs;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { id: key, status: 'in_progress', lockedUntil, expiration: Math.ceil(lockedUntil / 1000) },
          ConditionExpression: 'attribute_not_exists(id) OR (#s = :busy AND lockedUntil < :now)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':busy': 'in_progress', ':now': now.getTime() },
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { id: key }, ConsistentRead: true }),
    );
    return out.Item?.status === 'done' ? 'done' : 'busy';
  }

  /** Marks the claimed key done, remembered for `keepSeconds` (TTL). */
  async complete(key: string, now: Date, keepSeconds: number): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { id: key },
        UpdateExpression: 'SET #s = :done, expiration = :exp REMOVE lockedUntil',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':done': 'done', ':exp': Math.ceil(now.getTime() / 1000) + keepSeconds },
      }),
    );
  }

  /** Gives a claim back after a failure, so the retry need not wait for the lock (best effort: it expires). */
  async release(key: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { id: key },
          ConditionExpression: '#s = :busy',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':busy': 'in_progress' },
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  }
}
