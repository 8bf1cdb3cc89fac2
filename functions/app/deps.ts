/**
 * Dependencies are a value (see build-deps.ts): `makeDeps` builds them with every AWS SDK client and store at
 * hand, for embedded mode, tests and scripts. A Lambda gets its Deps from `lambdaHandler` (lambda.ts) instead,
 * with only the clients and stores its use case needs, so it neither loads nor bundles the others.
 */
import { buildDeps, type Deps, type DepsOptions, type Sdk, type StoreFactories } from './build-deps.js';
import { scheduler } from './sdk/scheduler.js';
import { secrets } from './sdk/secrets.js';
import { sesv2 } from './sdk/sesv2.js';
import { sfn } from './sdk/sfn.js';
import * as storeFactories from './stores.js';

export * from './build-deps.js';

/** Every SDK module: what `makeDeps` builds with. */
export const ALL_SDK: Required<Sdk> = { sesv2, scheduler, sfn, secrets };

/** Every store factory. */
export const ALL_STORES: Required<StoreFactories> = storeFactories;

/** Deps with every SDK client and store available (each still made on first use); checks the needs' settings now. */
export function makeDeps(options: DepsOptions): Deps {
  return buildDeps(options, { sdk: ALL_SDK, stores: ALL_STORES });
}
