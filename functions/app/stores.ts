/**
 * One factory per store (see StoreFactories in ./build-deps.ts), each a named export: a Lambda entry imports
 * those its use case's needs name, so esbuild leaves every other store adapter out of its bundle; `makeDeps`
 * (deps.ts) passes them all (ALL_STORES), for embedded mode and tests.
 */
import { CartStore } from '../adapters/carts.js';
import { CodeStore } from '../adapters/codes.js';
import { LedgerStore } from '../adapters/ledger.js';
import { PeerStore } from '../adapters/peers.js';
import { ProductStore } from '../adapters/products.js';
import { ProfileIndexStore } from '../adapters/profile-indexes.js';
import { ProfileStore } from '../adapters/profiles.js';
import { RejectedStore } from '../adapters/rejected.js';
import { ReputationStore } from '../adapters/reputation.js';
import { StatsStore } from '../adapters/stats.js';
import { TemplateStore } from '../adapters/templates.js';
import type { StoreFactory } from './store-deps.js';

export const profiles: StoreFactory<'profiles'> = ({ doc, table }) => new ProfileStore(doc, table);
export const carts: StoreFactory<'carts'> = ({ doc, table, retention }) =>
  new CartStore(doc, table, retention.cartsDays);
/** Every final decision the ledger records is counted in the stats (domain/stats.ts), in the same call. */
export const ledger: StoreFactory<'ledger'> = ({ doc, table, retention, stores }) =>
  new LedgerStore(doc, table, () => stores.stats, retention.messagesDays);
export const templates: StoreFactory<'templates'> = ({ doc, table }) => new TemplateStore(doc, table);
export const products: StoreFactory<'products'> = ({ doc, table }) => new ProductStore(doc, table);
export const rejected: StoreFactory<'rejected'> = ({ doc, table }) => new RejectedStore(doc, table);
export const reputation: StoreFactory<'reputation'> = ({ doc, table, wallClock }) =>
  new ReputationStore(doc, table, { wallClock });
export const stats: StoreFactory<'stats'> = ({ doc, table, onCount, retention }) =>
  new StatsStore(doc, table, onCount, retention.statsDays);
export const codes: StoreFactory<'codes'> = ({ doc, table }) => new CodeStore(doc, table);
export const peers: StoreFactory<'peers'> = ({ doc, table }) => new PeerStore(doc, table);
export const profileIndexes: StoreFactory<'profileIndexes'> = ({ doc, table }) =>
  new ProfileIndexStore(doc, table);
