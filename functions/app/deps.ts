/**
 * Dependencies are a value (see build-deps.ts): `makeDeps` builds them with every AWS SDK client at hand, for
 * embedded mode, tests and scripts. A Lambda gets its Deps from `lambdaHandler` (lambda.ts) instead, with only
 * the clients its use case needs, so it neither loads nor bundles the others.
 */
import { buildDeps, type Deps, type DepsOptions, type Sdk } from './build-deps.js';
import { scheduler } from './sdk/scheduler.js';
import { secrets } from './sdk/secrets.js';
import { sesv2 } from './sdk/sesv2.js';
import { sfn } from './sdk/sfn.js';

export * from './build-deps.js';

/** Every SDK module: what `makeDeps` builds with. */
export const ALL_SDK: Required<Sdk> = { sesv2, scheduler, sfn, secrets };

/** Deps with every SDK client available (each still made on first use); checks the needs' settings now. */
export function makeDeps(options: DepsOptions): Deps {
  return buildDeps(options, ALL_SDK);
}
