/** Deps over a real local DynamoDB (dynalite) for use-case tests: every table named, local credentials. */
import type { JourneyMetrics } from '../../functions/adapters/metrics.js';
import { type Clients, type Deps, makeDeps, type Need } from '../../functions/app/deps.js';
import { LOCAL_REGION, type LocalDynamo } from '../../local/dynamo.js';
import { ENV_OF_TABLE } from '../../local/env.js';

export const TEST_LINK_KEYS = { current: 'k1', keys: { k1: 'x'.repeat(32) } };

export function depsOver(
  dynamo: LocalDynamo,
  options: {
    clock: () => Date;
    needs: readonly Need[];
    env?: Record<string, string>;
    clients?: Clients;
    metrics?: JourneyMetrics;
  },
): Deps {
  const tables = Object.fromEntries(
    Object.entries(dynamo.tableNames).flatMap(([id, name]) =>
      ENV_OF_TABLE[id] ? [[ENV_OF_TABLE[id], name]] : [],
    ),
  );
  return makeDeps({
    env: { AWS_REGION: LOCAL_REGION, LINK_KEYS: JSON.stringify(TEST_LINK_KEYS), ...tables, ...options.env },
    clients: { dynamodb: dynamo.client, ...options.clients },
    clock: options.clock,
    needs: options.needs,
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
}
