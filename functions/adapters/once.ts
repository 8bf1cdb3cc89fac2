/**
 * Intake's idempotency records: one item per key (e.g. an order), claimed before the work and marked done
 * after it, so a second delivery of the same thing changes nothing. Our own rather than Powertools
 * Idempotency because its locks and expiry read the wall clock (Date.now), while every time here is an input:
 * in embedded mode a lock must expire on the simulated clock, as Lambda's retries come on it. Same cost as
 * Powertools (a conditional put, then an update), same table layout (key `id`, TTL `expiration`).
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditional, type Doc, isConditionFailed } from './dynamo.js';

/**
 * claimed: do the work (skipping the steps an earlier, failed attempt finished: `done`), then complete();
 * done: it was done before; busy: another delivery is doing it.
 */
export type Claim = { status: 'claimed'; done: string[] } | { status: 'done' } | { status: 'busy' };

export class OnceStore {
  constructor(
    private readonly doc: Doc,
    private readonly tableName: string,
  ) {}

  /**
   * Claims `key` until `now + lockMs` (a crash mid-way frees it then); one conditional write. A key an earlier
   * attempt gave back after a failure (`release` with its finished steps) is claimed with those steps.
   */
  async claim(key: string, now: Date, lockMs: number): Promise<Claim> {
    const lockedUntil = now.getTime() + lockMs;
    try {
      const out = await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { id: key, status: 'in_progress', lockedUntil, expiration: Math.ceil(lockedUntil / 1000) },
          ConditionExpression:
            'attribute_not_exists(id) OR #s = :partial OR (#s = :busy AND lockedUntil < :now)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':busy': 'in_progress', ':partial': 'partial', ':now': now.getTime() },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const steps = out.Attributes?.status === 'partial' ? out.Attributes.steps : undefined;
      return { status: 'claimed', done: Array.isArray(steps) ? steps.map(String) : [] };
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { id: key }, ConsistentRead: true }),
    );
    return { status: out.Item?.status === 'done' ? 'done' : 'busy' };
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

  /**
   * Gives a claim back after a failure, so the retry need not wait for the lock, with the steps this attempt
   * (and earlier ones) finished, so the retry does not do them twice. Best effort: if it fails too, the lock
   * expires and the retry redoes every step.
   */
  async release(key: string, finished: readonly string[] = []): Promise<void> {
    const command = finished.length
      ? new UpdateCommand({
          TableName: this.tableName,
          Key: { id: key },
          UpdateExpression: 'SET #s = :partial, steps = :steps REMOVE lockedUntil',
          ConditionExpression: '#s = :busy',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':busy': 'in_progress',
            ':partial': 'partial',
            ':steps': [...finished],
          },
        })
      : new DeleteCommand({
          TableName: this.tableName,
          Key: { id: key },
          ConditionExpression: '#s = :busy',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':busy': 'in_progress' },
        });
    await conditional(this.doc, command);
  }
}
