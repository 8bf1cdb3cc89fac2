/**
 * "Shoppers like you" in the profiles table (domain/peers.ts): the peer buckets (`peers#00`...), each holding
 * the picks of the customers whose ids hash to it, and the one Scan the weekly peer sweep makes of the table.
 * Its own store (need `peers`, over the profiles table) so the functions that never touch picks do not
 * bundle it.
 */
import { GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Profile } from '../domain/model.js';
import { PEER_BUCKET_PREFIX, peerBucketKey, type StoredPeerPicks } from '../domain/peers.js';
import { TOMBSTONE_PREFIX } from '../domain/tombstone.js';
import { batchGetAll, conditional, type Doc } from './dynamo.js';
import { profileFromItem } from './profiles.js';

/** What the peer sweep reads of a profile (usecases/peer-sweep.ts). */
export type PeerSweepProfile = Pick<Profile, 'customerId' | 'purchaseHistory' | 'suppressed'> & {
  consent?: Pick<NonNullable<Profile['consent']>, 'email'>;
};

/** A peer bucket (domain/peers.ts): the picks of the customers whose ids hash to it. */
export interface PeerBucket {
  /** `peers#00`... */
  customerId: string;
  at: string;
  picks: Record<string, StoredPeerPicks>;
  /** Bumped by every write (the sweep's put, an erasure's removal): the sweep writes over what it read only. */
  version?: number;
}

/** A bucket as the sweep's Scan reads it: its picks and version (not when it was written). */
export type ScannedBucket = Pick<PeerBucket, 'customerId' | 'picks' | 'version'>;

/** What one page of the peer sweep's Scan holds: profiles and the buckets as stored. */
export interface PeerSweepPage {
  profiles: PeerSweepProfile[];
  buckets: ScannedBucket[];
}

/** Largest bucket the sweep writes (DynamoDB refuses items over 400 KB). */
const PEER_BUCKET_MAX_BYTES = 350 * 1024;

export class PeerStore {
  constructor(
    private readonly doc: Doc,
    private readonly tableName: string,
  ) {}

  /**
   * Every profile, a page at a time, with only what the peer sweep needs (the purchase history, email
   * consent and suppression), and the peer buckets as stored; erasure tombstones are left out. One Scan over the table: the
   * sweep is the one reader that needs every customer at once.
   */
  async *scanForPeers(): AsyncGenerator<PeerSweepPage> {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          ProjectionExpression: '#id, #history.#items, #consent.#email, #suppressed, #picks, #version',
          FilterExpression: 'NOT begins_with(#id, :tombstone)',
          ExpressionAttributeNames: {
            '#id': 'customerId',
            '#history': 'purchaseHistory',
            '#items': 'items',
            '#consent': 'consent',
            '#email': 'email',
            '#suppressed': 'suppressed',
            '#picks': 'picks',
            '#version': 'version',
          },
          ExpressionAttributeValues: { ':tombstone': TOMBSTONE_PREFIX },
          ExclusiveStartKey: start,
        }),
      );
      const page: PeerSweepPage = { profiles: [], buckets: [] };
      for (const item of out.Items ?? []) {
        if (String(item.customerId).startsWith(PEER_BUCKET_PREFIX)) page.buckets.push(item as ScannedBucket);
        else page.profiles.push(profileFromItem(item as PeerSweepProfile));
      }
      yield page;
      start = out.LastEvaluatedKey;
    } while (start);
  }

  /** A customer's "shoppers like you" picks: their entry of their peer bucket (one small read). */
  async peerPicksOf(customerId: string): Promise<StoredPeerPicks | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { customerId: peerBucketKey(customerId) },
        ProjectionExpression: '#picks.#id',
        ExpressionAttributeNames: { '#picks': 'picks', '#id': customerId },
      }),
    );
    return (out.Item as Partial<PeerBucket> | undefined)?.picks?.[customerId];
  }

  /**
   * Writes a whole peer bucket (the sweep's) if it is still at the version the sweep read (undefined: none,
   * or one written before buckets had versions); false when it changed in between (an erasure). Refuses a
   * bucket DynamoDB could not store.
   */
  async putPeerBucket(
    bucket: Omit<PeerBucket, 'version'>,
    readVersion: number | undefined,
  ): Promise<boolean> {
    const bytes = Buffer.byteLength(JSON.stringify(bucket));
    if (bytes > PEER_BUCKET_MAX_BYTES)
      throw new Error(
        `Peer bucket ${bucket.customerId} would be ${bytes} bytes (over ${PEER_BUCKET_MAX_BYTES}): too many customers for PEER_BUCKETS`,
      );
    return conditional(
      this.doc,
      new PutCommand({
        TableName: this.tableName,
        Item: { ...bucket, version: (readVersion ?? 0) + 1 },
        ConditionExpression:
          readVersion === undefined ? 'attribute_not_exists(#version)' : '#version = :read',
        ExpressionAttributeNames: { '#version': 'version' },
        ...(readVersion === undefined ? {} : { ExpressionAttributeValues: { ':read': readVersion } }),
      }),
    );
  }

  /** A bucket as it is now (a strongly consistent read), for a sweep whose write lost a race. */
  async bucket(key: string): Promise<PeerBucket | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { customerId: key }, ConsistentRead: true }),
    );
    return out.Item as PeerBucket | undefined;
  }

  /** Which of these customers still have a profile (after an erasure raced a sweep). */
  async existingCustomers(customerIds: readonly string[]): Promise<Set<string>> {
    const found = await batchGetAll<{ customerId: string }>(
      this.doc,
      this.tableName,
      customerIds.map((customerId) => ({ customerId })),
    );
    return new Set(found.map((p) => p.customerId));
  }

  /** Removes a customer's picks from their bucket (erasure); false when there were none. */
  async removePeerPicks(customerId: string): Promise<boolean> {
    return conditional(
      this.doc,
      new UpdateCommand({
        TableName: this.tableName,
        Key: { customerId: peerBucketKey(customerId) },
        // The version moves, so a sweep that read the bucket before cannot write the customer back.
        UpdateExpression: 'REMOVE #picks.#id ADD #version :one',
        ConditionExpression: 'attribute_exists(#picks.#id)',
        ExpressionAttributeNames: { '#picks': 'picks', '#id': customerId, '#version': 'version' },
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  }
}
