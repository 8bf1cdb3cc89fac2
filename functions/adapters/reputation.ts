/**
 * The reputation table: hourly SES outcome counters (one single-item ADD per event) and the `guard` item.
 * A store lives as long as its container, and so do its caches: the guard is trusted for a minute, and the
 * finished hours of the window for as long as the current hour lasts (they no longer change).
 */
import { BatchGetCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { VariantStats } from '../domain/bandit.js';
import { TransientError } from '../domain/errors.js';
import {
  bucketExpiry,
  bucketOf,
  GUARD_KEY,
  type OutcomeCounts,
  type OutcomeKind,
  type ReputationGuard,
  sumCounts,
  windowBuckets,
} from '../domain/reputation.js';
import { type Doc, isConditionFailed } from './dynamo.js';

export interface ReputationStoreOptions {
  /** How long a read of the guard is trusted. @default 60_000 */
  readonly guardTtlMs?: number;
  /** The wall clock in epoch ms. @default Date.now */
  readonly wallClock?: () => number;
}

const BATCH_GET_MAX = 100;
const BATCH_ATTEMPTS = 5;

export class ReputationStore {
  private readonly guardTtlMs: number;
  private readonly wallClock: () => number;
  private guardCache: { guard: ReputationGuard | undefined; wallAt: number; clockAt: number } | undefined;
  private pastCache: { current: string; hours: number; counts: OutcomeCounts } | undefined;

  constructor(
    private readonly doc: Doc,
    private readonly tableName: string,
    options: ReputationStoreOptions = {},
  ) {
    this.guardTtlMs = options.guardTtlMs ?? 60_000;
    this.wallClock = options.wallClock ?? Date.now;
  }

  /** Adds one outcome to the bucket of `at` and returns that bucket's counts after the ADD (no extra read). */
  async count(kind: OutcomeKind, at: Date): Promise<OutcomeCounts> {
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { bucket: bucketOf(at) },
        UpdateExpression: 'ADD #k :one SET expiresAt = if_not_exists(expiresAt, :exp)',
        ExpressionAttributeNames: { '#k': kind },
        ExpressionAttributeValues: { ':one': 1, ':exp': bucketExpiry(at) },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return sumCounts([(out.Attributes ?? {}) as Partial<OutcomeCounts>]);
  }

  /**
   * One ADD to a template variant's counter (`sends` or `successes`, domain/bandit.ts). The counters never
   * expire: they are the variant's whole record, one small item per journey, variant and version.
   */
  async countVariant(key: string, field: keyof VariantStats): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { bucket: key },
        UpdateExpression: 'ADD #f :one',
        ExpressionAttributeNames: { '#f': field },
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  }

  /** The counters of the given variant keys in one BatchGet; a key never counted reads as zeros. */
  async variantStats(keys: readonly string[]): Promise<Record<string, VariantStats>> {
    const items = await this.items(keys);
    const out: Record<string, VariantStats> = {};
    for (const key of keys) out[key] = { sends: 0, successes: 0 };
    for (const item of items) {
      out[item.bucket as string] = { sends: Number(item.sends ?? 0), successes: Number(item.successes ?? 0) };
    }
    return out;
  }

  /**
   * The summed counts of the window's finished hours (every bucket but the current one). Read once per
   * hour per container: with buckets keyed by processing time, a finished hour takes no more ADDs.
   */
  async pastCounts(at: Date, hours: number): Promise<OutcomeCounts> {
    const current = bucketOf(at);
    const cached = this.pastCache;
    if (cached && cached.current === current && cached.hours === hours) return cached.counts;
    const keys = windowBuckets(at, hours).slice(0, -1);
    const counts = sumCounts(await this.buckets(keys));
    this.pastCache = { current, hours, counts };
    return counts;
  }

  /**
   * The guard, read at most once a minute per container (0.5 RRU). A minute of either clock ends the trust:
   * on AWS the two agree; in embedded mode the simulated clock runs ahead, so a paused guard reaches
   * CheckConsent within a simulated minute, as it would on AWS, however fast the machine is.
   */
  async guard(now: Date): Promise<ReputationGuard | undefined> {
    const cached = this.guardCache;
    const clock = now.getTime();
    const fresh =
      cached &&
      this.wallClock() - cached.wallAt < this.guardTtlMs &&
      clock >= cached.clockAt &&
      clock - cached.clockAt < this.guardTtlMs;
    if (cached && fresh) return cached.guard;
    return this.refresh(now);
  }

  /** The guard as stored now, bypassing the cache (run reports, tests). */
  async readGuard(): Promise<ReputationGuard | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { bucket: GUARD_KEY }, ConsistentRead: true }),
    );
    return out.Item ? toGuard(out.Item) : undefined;
  }

  /**
   * Pauses, unless another container already did (a conditional write, so only one of them logs the pause
   * and alarms). Returns whether this call paused.
   */
  async pause(guard: ReputationGuard, now: Date): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { bucket: GUARD_KEY, ...guard, paused: true },
          ConditionExpression: 'attribute_not_exists(#b) OR paused = :false',
          ExpressionAttributeNames: { '#b': 'bucket' },
          ExpressionAttributeValues: { ':false': false },
        }),
      );
      this.remember({ ...guard, paused: true }, now);
      return true;
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      await this.refresh(now);
      return false;
    }
  }

  /** Resumes a paused guard, keeping what tripped it; returns whether this call resumed it. */
  async resume(now: Date): Promise<boolean> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { bucket: GUARD_KEY },
          UpdateExpression: 'SET paused = :false, resumedAt = :at',
          ConditionExpression: 'paused = :true',
          ExpressionAttributeValues: { ':false': false, ':true': true, ':at': now.toISOString() },
          ReturnValues: 'ALL_NEW',
        }),
      );
      this.remember(out.Attributes ? toGuard(out.Attributes) : undefined, now);
      return true;
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      await this.refresh(now);
      return false;
    }
  }

  private async refresh(now: Date): Promise<ReputationGuard | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { bucket: GUARD_KEY } }),
    );
    const guard = out.Item ? toGuard(out.Item) : undefined;
    this.remember(guard, now);
    return guard;
  }

  private remember(guard: ReputationGuard | undefined, now: Date): void {
    this.guardCache = { guard, wallAt: this.wallClock(), clockAt: now.getTime() };
  }

  private async buckets(keys: readonly string[]): Promise<Partial<OutcomeCounts>[]> {
    return (await this.items(keys)) as Partial<OutcomeCounts>[];
  }

  private async items(keys: readonly string[]): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for (let i = 0; i < keys.length; i += BATCH_GET_MAX) {
      let pending: Record<string, unknown>[] | undefined = keys
        .slice(i, i + BATCH_GET_MAX)
        .map((bucket) => ({ bucket }));
      for (let attempt = 0; pending?.length && attempt < BATCH_ATTEMPTS; attempt++) {
        const out = await this.doc.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending } } }),
        );
        items.push(...((out.Responses?.[this.tableName] ?? []) as Record<string, unknown>[]));
        pending = out.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
      // Counting on without a bucket would understate the rates; the caller's retry reads them again.
      if (pending?.length) {
        throw new TransientError(`Reputation buckets still unprocessed after ${BATCH_ATTEMPTS} reads`);
      }
    }
    return items;
  }
}

function toGuard(item: Record<string, unknown>): ReputationGuard {
  const { bucket: _key, ...guard } = item;
  return guard as unknown as ReputationGuard;
}
