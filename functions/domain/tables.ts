/**
 * DynamoDB table layouts, shared by the CDK stack (which creates them on AWS) and the embedded runtime
 * (which creates them in the local DynamoDB). Keys are strings unless a layout says otherwise.
 */

export interface IndexLayout {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  /** DynamoDB type of the sort key. @default 'S' */
  readonly sortKeyType?: 'S' | 'N';
  /**
   * Non-key attributes copied into the index (INCLUDE projection); `[]` means KEYS_ONLY, undefined ALL.
   * Every attribute copied costs an index write whenever it changes: copy only what a query must return.
   */
  readonly include?: readonly string[];
}

export interface TableLayout {
  /** Logical name, also the suffix of the local table name. */
  readonly id: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly indexes: readonly IndexLayout[];
  /** Attribute holding an epoch-seconds expiry (TTL on AWS). */
  readonly ttlAttribute?: string;
}

export const PROFILES: TableLayout = {
  id: 'profiles',
  partitionKey: 'customerId',
  indexes: [
    // Birthday selection reads only the customers whose month-day it is.
    { name: 'byBirthday', partitionKey: 'birthdayMd', include: ['timeZone', 'birthday'] },
    // Inactivity selection reads only the customers who crossed the line on a given UTC day.
    { name: 'byInactiveOn', partitionKey: 'inactiveOn', include: [] },
  ],
};

export const CARTS: TableLayout = {
  id: 'carts',
  partitionKey: 'cartId',
  // Keys only: a cart's updates, its order and its emptying then leave the index alone (one index write per
  // cart, when it is created); the rare reader (an order without cartId, export, erasure) reads the carts.
  indexes: [{ name: 'byCustomer', partitionKey: 'customerId', include: [] }],
  // Epoch seconds: the last update + retention.cartsDays (adapters/carts.ts).
  ttlAttribute: 'expiresAt',
};

/** The message ledger: one item per message decision, keyed by the id derived from its trigger. */
export const MESSAGES: TableLayout = {
  id: 'messages',
  partitionKey: 'messageId',
  // Keys only: ledger entries change several times per message (claim, sent, delivery events), and a
  // customer's list is read rarely (preference center, export), so it reads the entries by key instead.
  indexes: [{ name: 'byCustomer', partitionKey: 'customerId', sortKey: 'createdAt', include: [] }],
  // Epoch seconds: createdAt + retention.messagesDays, set when the entry is created (adapters/ledger.ts).
  ttlAttribute: 'expiresAt',
};

/** Templates: sort key `v000001`... per version, plus `published` pointing at the live version. */
export const TEMPLATES: TableLayout = {
  id: 'templates',
  partitionKey: 'journey',
  sortKey: 'version',
  indexes: [],
};

/** Catalogue with order counts, for recommendations. */
export const PRODUCTS: TableLayout = {
  id: 'products',
  partitionKey: 'sku',
  // What a recommendation shows, never the co-purchase map. Both indexes are read with a Limit, so a
  // suggestion reads a bounded number of items however large the category grows.
  indexes: [
    {
      // A category's most ordered items first. The sort key is the order count rounded down to a step of a
      // 10-per-decade ladder (domain/popularity.ts): it changes on a few orders of a product's life (two
      // index writes each), where the exact count would change it on every order.
      name: 'byPopularity',
      partitionKey: 'category',
      sortKey: 'popularity',
      sortKeyType: 'N',
      include: ['name', 'price', 'url', 'imageUrl', 'inStock', 'consumable', 'addedAt'],
    },
    {
      // A category's newest items first (`addedAt`, from product.upserted): the candidates labelled "new".
      name: 'byAddedAt',
      partitionKey: 'category',
      sortKey: 'addedAt',
      include: ['name', 'price', 'url', 'imageUrl', 'inStock', 'consumable', 'popularity'],
    },
  ],
};

/** Events that failed validation, kept with their reason (partition per UTC day). */
export const REJECTED: TableLayout = {
  id: 'rejected',
  partitionKey: 'day',
  sortKey: 'key',
  indexes: [],
  ttlAttribute: 'expiresAt',
};

/**
 * The reputation guard's state: one item per UTC hour (`2026-12-01T10`) counting SES outcomes with single-item
 * ADDs, and one `guard` item (paused or not, since when, why). Buckets expire after the longest window.
 */
export const REPUTATION: TableLayout = {
  id: 'reputation',
  partitionKey: 'bucket',
  indexes: [],
  ttlAttribute: 'expiresAt',
};

/**
 * Intake's idempotency records (functions/adapters/once.ts; key `id`, TTL `expiration`): one per handled order,
 * so a redelivered order.placed starts no second thank-you and counts no co-purchase twice.
 */
export const IDEMPOTENCY: TableLayout = {
  id: 'idempotency',
  partitionKey: 'id',
  indexes: [],
  ttlAttribute: 'expiration',
};

/**
 * Outcome counters per journey x variant x template version x day (domain/stats.ts, adapters/stats.ts): one
 * item per row, key `journey#day#variant#version`, every counter a number attribute moved by ADD. A row
 * expires retention.statsDays after its day (no personal data, so kept longer than the messages).
 */
export const STATS: TableLayout = {
  id: 'stats',
  partitionKey: 'id',
  indexes: [],
  ttlAttribute: 'expiresAt',
};

/**
 * Incentive codes (adapters/codes.ts), two kinds of item under `id`:
 * - `code#<CODE>` (upper case): one code, from the shop's pool or generated for a message; `pool` (the
 *   journey) is set only while the code is free to claim, so the sparse `byPool` index lists exactly the
 *   free codes of a journey, in a random `slot` order that spreads concurrent claims over the pool;
 * - `claim#<messageId>`: which code a message holds, so a retry or a duplicate run gets the same one.
 * Claimed codes and their claims expire (`purgeAt`) a year after the code does; free pool codes never do.
 */
export const CODES: TableLayout = {
  id: 'codes',
  partitionKey: 'id',
  // Keys only: a claim reads the code item itself (consistently) before it takes it.
  indexes: [{ name: 'byPool', partitionKey: 'pool', sortKey: 'slot', include: [] }],
  ttlAttribute: 'purgeAt',
};

export const TABLES = {
  PROFILES,
  CARTS,
  MESSAGES,
  TEMPLATES,
  PRODUCTS,
  REJECTED,
  REPUTATION,
  IDEMPOTENCY,
  STATS,
  CODES,
} as const;
