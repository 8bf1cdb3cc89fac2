/**
 * The stores a use case is built over (see build-deps.ts): their names, tables and factories, which of them a
 * function's needs call for, and the lazily built set its Deps hold. A Lambda entry passes the factories its
 * use case's needs name (./stores.ts), so it bundles no other store's adapter.
 */
import type { CartStore } from '../adapters/carts.js';
import type { CodeStore } from '../adapters/codes.js';
import type { Doc } from '../adapters/dynamo.js';
import type { LedgerStore } from '../adapters/ledger.js';
import type { PeerStore } from '../adapters/peers.js';
import type { ProductStore } from '../adapters/products.js';
import type { ProfileIndexStore } from '../adapters/profile-indexes.js';
import type { ProfileStore } from '../adapters/profiles.js';
import type { RejectedStore } from '../adapters/rejected.js';
import type { ReputationStore } from '../adapters/reputation.js';
import type { CountListener, StatsStore } from '../adapters/stats.js';
import type { TemplateStore } from '../adapters/templates.js';
import { ConfigError, type EngineConfig } from '../domain/config.js';
import { ENV } from '../domain/names.js';
import type { Need } from './build-deps.js';

/** Stores by name; each is also a `Need`. */
export interface Stores {
  profiles: ProfileStore;
  carts: CartStore;
  ledger: LedgerStore;
  templates: TemplateStore;
  products: ProductStore;
  rejected: RejectedStore;
  reputation: ReputationStore;
  stats: StatsStore;
  /** Incentive codes: pools, generated codes, claims, redemptions. */
  codes: CodeStore;
  /** "Shoppers like you": the peer buckets of the profiles table. */
  peers: PeerStore;
  /** The profiles table's sweep indexes (birthday, inactivity day). */
  profileIndexes: ProfileIndexStore;
}
export type StoreName = keyof Stores;

/** What a store factory builds on: the document client, the store's table and the settings stores share. */
export interface StoreContext {
  doc: Doc;
  /** The store's table (its TABLE_ENV setting, checked when first used). */
  table: string;
  /** The wall clock in epoch ms, for caches (never for decisions). */
  wallClock: () => number;
  /** Told of every count the stats store adds (journey metrics). */
  onCount: CountListener;
  /** How long carts, messages and counters are kept: each store writes its items' expiry (TTL). */
  retention: EngineConfig['retention'];
  /** The other stores of the same Deps (the ledger counts into the stats). */
  stores: Stores;
}

/** Builds one store (./stores.ts holds one per store). */
export type StoreFactory<K extends StoreName> = (context: StoreContext) => Stores[K];

/** Store factories by name: a Lambda entry passes those its use case's needs name, `makeDeps` all. */
export type StoreFactories = { [K in StoreName]?: StoreFactory<K> };

/** Stores a store uses itself, so a function that needs it needs them too (the ledger counts into the stats). */
const STORE_USES: Partial<Record<StoreName, readonly StoreName[]>> = { ledger: ['stats'] };

/** The environment variable naming each store's table. */
export const TABLE_ENV: Record<StoreName, string> = {
  profiles: ENV.profilesTable,
  carts: ENV.cartsTable,
  ledger: ENV.messagesTable,
  templates: ENV.templatesTable,
  products: ENV.productsTable,
  rejected: ENV.rejectedTable,
  reputation: ENV.reputationTable,
  stats: ENV.statsTable,
  codes: ENV.codesTable,
  // The peer buckets live in the profiles table.
  peers: ENV.profilesTable,
  profileIndexes: ENV.profilesTable,
};

/** The store a need names, if it names one. */
export function storeOf(need: Need): StoreName | undefined {
  const name = need.replace(/:read$/, '');
  return name in TABLE_ENV ? (name as StoreName) : undefined;
}

/** The store factories missing for these needs (and for the stores those stores use). */
export function missingStores(needs: readonly Need[], stores: StoreFactories): StoreName[] {
  const wanted = needs.flatMap((need) => {
    const store = storeOf(need);
    return store ? [store, ...(STORE_USES[store] ?? [])] : [];
  });
  return [...new Set(wanted)].filter((name) => !stores[name]);
}

/**
 * Each store is built on first use, so a function is never handed a table it was not granted; a store this
 * function was built without is a need its use case did not declare.
 */
export function lazyStores(
  factories: StoreFactories,
  shared: Omit<StoreContext, 'table' | 'stores'> & { required: (name: string) => string },
): Stores {
  const { required, ...context } = shared;
  const made: Partial<Stores> = {};
  const stores = {} as Stores;
  for (const name of Object.keys(TABLE_ENV) as StoreName[]) {
    Object.defineProperty(stores, name, {
      enumerable: true,
      get: () => {
        const factory = factories[name] as StoreFactory<typeof name> | undefined;
        if (!factory)
          throw new ConfigError(`The ${name} store is not loaded: the use case does not declare its need`);
        made[name] ??= factory({ ...context, table: required(TABLE_ENV[name]), stores }) as never;
        return made[name];
      },
    });
  }
  return stores;
}
