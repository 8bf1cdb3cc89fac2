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
  /** Non-key attributes copied into the index (INCLUDE projection); undefined means ALL. */
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
    { name: 'byInactiveOn', partitionKey: 'inactiveOn', include: ['lastActiveAt'] },
  ],
};

export const CARTS: TableLayout = {
  id: 'carts',
  partitionKey: 'cartId',
  indexes: [{ name: 'byCustomer', partitionKey: 'customerId', include: ['status', 'updatedAt'] }],
};

/** The message ledger: one item per message decision, keyed by the id derived from its trigger. */
export const MESSAGES: TableLayout = {
  id: 'messages',
  partitionKey: 'messageId',
  indexes: [{ name: 'byCustomer', partitionKey: 'customerId', sortKey: 'createdAt' }],
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
  indexes: [{ name: 'byCategory', partitionKey: 'category', sortKey: 'orderCount', sortKeyType: 'N' }],
};

/** Events that failed validation, kept with their reason (partition per UTC day). */
export const REJECTED: TableLayout = {
  id: 'rejected',
  partitionKey: 'day',
  sortKey: 'key',
  indexes: [],
  ttlAttribute: 'expiresAt',
};

export const TABLES = { PROFILES, CARTS, MESSAGES, TEMPLATES, PRODUCTS, REJECTED } as const;
