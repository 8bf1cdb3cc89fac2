/** Customer profiles in DynamoDB. */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Profile, SentKind, SoftBounces, Suppression } from '../domain/model.js';
import type { ProfilePatch } from '../domain/profile.js';
import { packHistoryItems, unpackHistoryItems } from '../domain/purchase-history.js';
import { tombstoneKey } from '../domain/tombstone.js';
import { conditional, type Doc, updateFromPatch, writeMapKey } from './dynamo.js';

/**
 * Optimistic-lock counter of the profile, bumped by every patchIfUnchanged: a write computed from a profile
 * read earlier lands only if no such write came in between.
 */
export const PROFILE_VERSION = 'profileVersion';

/** A stored profile with its version (see patchIfUnchanged); absent on profiles never written that way. */
export type VersionedProfile = Profile & { [PROFILE_VERSION]?: number };

/** An erasure tombstone (domain/tombstone.ts): a keyed hash and times, nothing about the customer. */
export interface Tombstone {
  /** tombstoneId of the customer id. */
  id: string;
  erasedAt: string;
  /** Epoch seconds after which it no longer counts. */
  expiresAt: number;
}

/**
 * A profile item as the domain reads it: its purchase history's items unpacked from their stored form
 * (domain/purchase-history.ts packHistoryItems; a map stored before it reads as it is). Changes `item`.
 */
export function profileFromItem<T extends { purchaseHistory?: unknown }>(item: T): T {
  const history = item.purchaseHistory as { items?: unknown } | undefined;
  if (history) history.items = unpackHistoryItems(history.items);
  return item;
}

/** A patch as stored: a purchase history it writes has its items packed. */
function storedPatch(patch: ProfilePatch): Record<string, unknown> {
  const history = patch.purchaseHistory;
  return history
    ? { ...patch, purchaseHistory: { ...history, items: packHistoryItems(history.items) } }
    : patch;
}

export class ProfileStore {
  constructor(
    private readonly doc: Doc,
    private readonly tableName: string,
  ) {}

  /** The profile; `consistent` reads the latest write (after a lost optimistic lock). */
  async get(customerId: string, options: { consistent?: boolean } = {}): Promise<Profile | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { customerId },
        ...(options.consistent ? { ConsistentRead: true } : {}),
      }),
    );
    return out.Item ? profileFromItem(out.Item as Profile) : undefined;
  }

  async patch(customerId: string, patch: ProfilePatch): Promise<void> {
    const update = updateFromPatch(storedPatch(patch));
    if (!update.UpdateExpression) return;
    await this.doc.send(new UpdateCommand({ TableName: this.tableName, Key: { customerId }, ...update }));
  }

  /**
   * Patches a profile only if it still exists: a customer's own edits must never re-create a profile that was
   * erased a moment ago (a plain patch would upsert). Returns false when there is no profile.
   */
  async patchExisting(customerId: string, patch: ProfilePatch): Promise<boolean> {
    const update = updateFromPatch(storedPatch(patch));
    if (!update.UpdateExpression) return (await this.get(customerId)) !== undefined;
    return conditional(
      this.doc,
      new UpdateCommand({
        TableName: this.tableName,
        Key: { customerId },
        ...update,
        ConditionExpression: 'attribute_exists(customerId)',
      }),
    );
  }

  /**
   * Writes a patch computed from `basis` (the profile as read, undefined when there was none) only if the
   * profile is still as read: its version (PROFILE_VERSION) unchanged, or, for `basis` undefined, still no
   * profile (an erased one is never re-created by a write computed before the erasure). Bumps the version.
   * A read-modify-write of a list or a map (attributes, consent, feedback, order history) then cannot lose a
   * concurrent one: one single-item conditional write, no transaction. Returns false on a lost race: read
   * again (consistently) and recompute.
   */
  async patchIfUnchanged(
    customerId: string,
    patch: ProfilePatch,
    basis: Profile | undefined,
  ): Promise<boolean> {
    const update = updateFromPatch(storedPatch(patch));
    const names = { ...update.ExpressionAttributeNames, '#version': PROFILE_VERSION };
    const expected = basis ? ((basis as VersionedProfile)[PROFILE_VERSION] ?? 0) : 0;
    const values: Record<string, unknown> = {
      ...update.ExpressionAttributeValues,
      ':nextVersion': expected + 1,
    };
    let condition = 'attribute_not_exists(customerId)';
    if (basis) {
      values[':expectedVersion'] = expected;
      values[':zeroVersion'] = 0;
      condition =
        'attribute_exists(customerId) AND (#version = :expectedVersion OR (attribute_not_exists(#version) AND :expectedVersion = :zeroVersion))';
    }
    const expression = update.UpdateExpression.startsWith('SET ')
      ? `SET #version = :nextVersion, ${update.UpdateExpression.slice('SET '.length)}`
      : `SET #version = :nextVersion ${update.UpdateExpression}`.trim();
    return conditional(
      this.doc,
      new UpdateCommand({
        TableName: this.tableName,
        Key: { customerId },
        UpdateExpression: expression,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  /**
   * Writes an erasure tombstone in this table under `erased#<id>` (no personal data: see domain/tombstone.ts).
   * A second erasure of the same customer renews it.
   */
  async putTombstone(tombstone: Tombstone): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          customerId: tombstoneKey(tombstone.id),
          erasedAt: tombstone.erasedAt,
          expiresAt: tombstone.expiresAt,
        },
      }),
    );
  }

  /**
   * Whether any of the tombstone ids (one per link key) has a tombstone still in force at `nowSeconds`
   * (epoch seconds): an expired one counts as none, whether or not TTL has removed it yet.
   */
  async hasTombstone(ids: readonly string[], nowSeconds: number): Promise<boolean> {
    const found = await Promise.all(
      ids.map(async (id) => {
        const out = await this.doc.send(
          new GetCommand({ TableName: this.tableName, Key: { customerId: tombstoneKey(id) } }),
        );
        return out.Item && Number(out.Item.expiresAt) > nowSeconds;
      }),
    );
    return found.some(Boolean);
  }

  /** Removes one free-form attribute in place, so a concurrent upsert of other attributes is not lost. */
  async removeAttribute(customerId: string, key: string, at: string): Promise<boolean> {
    return conditional(
      this.doc,
      new UpdateCommand({
        TableName: this.tableName,
        Key: { customerId },
        UpdateExpression: 'REMOVE #a.#k SET updatedAt = :at',
        ConditionExpression: 'attribute_exists(customerId)',
        ExpressionAttributeNames: { '#a': 'attributes', '#k': key },
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }

  /** Deletes the profile (erasure); returns whether there was one. */
  async delete(customerId: string): Promise<boolean> {
    const out = await this.doc.send(
      new DeleteCommand({ TableName: this.tableName, Key: { customerId }, ReturnValues: 'ALL_OLD' }),
    );
    return out.Attributes !== undefined;
  }

  /**
   * Replaces the recent-sends list and the sent kinds if nobody changed them since `expectedVersion` was read:
   * the frequency cap and the give/ask balance hold under concurrent sends with one single-item conditional
   * write (both in the same item, so no second write). Returns false on a lost race.
   */
  async replaceRecentSends(
    customerId: string,
    expectedVersion: number,
    next: string[],
    kinds: SentKind[],
    /** Set it (a message), remove it (null), or leave it (undefined). */
    lastMessage?: Profile['lastMessage'] | null,
    /** Pending gestures (by message id) this send settles, seen in the profile as read. */
    settledGestures: readonly string[] = [],
  ): Promise<boolean> {
    const names: Record<string, string> = {};
    const removes = lastMessage === null ? ['lastMessage'] : [];
    settledGestures.forEach((messageId, i) => {
      names[`#g${i}`] = messageId;
      removes.push(`pendingGestures.#g${i}`);
    });
    // Removing gestures moves the profile version too: an intake write computed from a read that still had
    // them (order intake records a new one in the whole map) then reads again instead of putting them back.
    const version = settledGestures.length
      ? `, ${PROFILE_VERSION} = if_not_exists(${PROFILE_VERSION}, :zero) + :one`
      : '';
    return conditional(
      this.doc,
      new UpdateCommand({
        TableName: this.tableName,
        Key: { customerId },
        // The attribution record rides on the same write: one profile write per sent message, not two.
        UpdateExpression: `SET recentSends = :next, recentKinds = :kinds, capVersion = :v${
          lastMessage ? ', lastMessage = :last' : ''
        }${version}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression:
          'attribute_exists(customerId) AND (capVersion = :expected OR (attribute_not_exists(capVersion) AND :expected = :zero))',
        ...(settledGestures.length ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: {
          ':next': next,
          ':kinds': kinds,
          ...(lastMessage ? { ':last': lastMessage } : {}),
          ...(settledGestures.length ? { ':one': 1 } : {}),
          ':v': expectedVersion + 1,
          ':expected': expectedVersion,
          ':zero': 0,
        },
      }),
    );
  }

  /**
   * Replaces the soft-bounce counter (and suppresses, when given) if nobody counted one since `expected` was
   * read: one conditional write, so two soft bounces processed at once cannot both count from the same value.
   * A suppression never overwrites an existing one (its reason and time are the evidence). False on a race.
   */
  async replaceSoftBounces(
    customerId: string,
    expected: SoftBounces | undefined,
    next: SoftBounces,
    suppression?: Suppression,
  ): Promise<boolean> {
    const names: Record<string, string> = { '#sb': 'softBounces' };
    const values: Record<string, unknown> = { ':next': next };
    const conditions = ['attribute_exists(customerId)'];
    if (expected) {
      Object.assign(names, { '#c': 'count', '#l': 'lastAt' });
      Object.assign(values, { ':count': expected.count, ':lastAt': expected.lastAt });
      conditions.push('#sb.#c = :count', '#sb.#l = :lastAt');
    } else conditions.push('attribute_not_exists(#sb)');
    let update = 'SET #sb = :next';
    if (suppression) {
      names['#s'] = 'suppressed';
      values[':s'] = suppression;
      update += ', #s = :s';
      conditions.push('attribute_not_exists(#s)');
    }
    return conditional(
      this.doc,
      new UpdateCommand({
        TableName: this.tableName,
        Key: { customerId },
        UpdateExpression: update,
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  async suppress(customerId: string, suppression: Suppression): Promise<void> {
    await this.patch(customerId, { suppressed: suppression });
  }

  /**
   * Counts one open or click under `hour` (0-23) of the engagement histogram, in place: one key per write,
   * so concurrent opens of one customer all count. The map is created on the first count. False when there
   * is no profile (an erased one is never re-created).
   */
  async countEngagementHour(customerId: string, hour: number): Promise<boolean> {
    return writeMapKey(this.doc, {
      tableName: this.tableName,
      key: { customerId },
      map: 'engagementHours',
      update: {
        expression: 'SET #map.#h = if_not_exists(#map.#h, :zero) + :one',
        names: { '#h': String(hour) },
        values: { ':zero': 0, ':one': 1 },
      },
    });
  }
}
