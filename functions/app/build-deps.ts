/**
 * Dependencies are a value: `buildDeps` builds the stores, sender, scheduler, workflow starter, clock, config
 * and link keys once (per Lambda container, or per embedded runtime), from an environment record passed in,
 * never read from a global. Two runtimes with different Deps can live in one process.
 *
 * A use case declares what it needs (`needs`); buildDeps checks those settings at once (fail fast at module
 * load on AWS), and the stack's least-privilege test derives each function's grants from the same list.
 *
 * Only DynamoDB (every function's) is imported here. The other AWS SDK clients come in as an `Sdk` (modules
 * in ./sdk/), the stores as `StoreFactories` (./stores.ts; their names, tables and wiring in ./store-deps.ts):
 * a Lambda's entry file passes only those its use case needs, so a function loads (and bundles) no client and
 * no store adapter it never uses; `makeDeps` (deps.ts) passes them all, for embedded mode and tests.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { documentClient } from '../adapters/dynamo.js';
import {
  type JourneyMetric,
  type JourneyMetrics,
  noMetrics,
  powertoolsMetrics,
} from '../adapters/metrics.js';
import type { MessageScheduler, SchedulerTarget } from '../adapters/scheduler.js';
import type { SesSender } from '../adapters/sender.js';
import type { WorkflowStarter } from '../adapters/workflow.js';
import { ConfigError, type EngineConfig, parseConfig } from '../domain/config.js';
import { type LinkKeys, parseLinkKeys } from '../domain/links.js';
import { ENV } from '../domain/names.js';
import type { Counts, StatsKey } from '../domain/stats.js';
import {
  lazyStores,
  missingStores,
  type StoreFactories,
  type StoreName,
  type Stores,
  storeOf,
  TABLE_ENV,
} from './store-deps.js';

export * from './store-deps.js';

/** The source of "now": the system clock on AWS, the simulated clock in embedded mode and tests. */
export type Clock = () => Date;

/** An environment record: process.env on AWS, a plain object in embedded mode and tests. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Everything a use case may need besides the clock, config and logger (which every one gets). A store named
 * alone is read and written; `<store>:read` is read only (the stack grants exactly this, test/infra checks).
 */
export type Need =
  | StoreName
  | `${StoreName}:read`
  | 'sender'
  | 'scheduler'
  | 'workflow'
  | 'linkKeys'
  | 'idempotency'
  /** A Scan of the whole profiles table (the weekly peer sweep alone): no other need allows a Scan. */
  | 'profilesScan';

/** Settings each non-store need requires; the store needs require their table (TABLE_ENV). */
const NEED_ENV: Record<Exclude<Need, StoreName | `${StoreName}:read`>, readonly string[]> = {
  sender: [],
  scheduler: [ENV.scheduleGroup, ENV.stateMachineArn, ENV.schedulerRoleArn],
  workflow: [ENV.stateMachineArn],
  linkKeys: [],
  idempotency: [ENV.idempotencyTable],
  profilesScan: [ENV.profilesTable],
};

/** Settings of a default SDK client. */
export interface ClientConfig {
  region?: string;
}

/**
 * The AWS SDK clients besides DynamoDB, each with the adapter built on it: one module each in ./sdk/, imported
 * by the Lambda entries whose use case needs them (SDK_OF_NEED), by `makeDeps` all at once.
 */
export interface Sdk {
  /** For `sender`: SES v2 (sdk/sesv2.ts). */
  sesv2?: { sender(config: ClientConfig, client?: SESv2Client): SesSender };
  /** For `scheduler`: EventBridge Scheduler (sdk/scheduler.ts). */
  scheduler?: {
    scheduler(target: SchedulerTarget, config: ClientConfig, client?: SchedulerClient): MessageScheduler;
  };
  /** For `workflow`: Step Functions (sdk/sfn.ts). */
  sfn?: { workflow(stateMachineArn: string, config: ClientConfig, client?: SFNClient): WorkflowStarter };
  /** For `linkKeys` read from Secrets Manager (sdk/secrets.ts): a secret's string value. */
  secrets?: {
    reader(
      config: ClientConfig,
      client?: SecretsManagerClient,
    ): (secretId: string) => Promise<string | undefined>;
  };
}

/** The SDK module each need uses besides DynamoDB. */
export const SDK_OF_NEED: Partial<Record<Need, keyof Sdk>> = {
  sender: 'sesv2',
  scheduler: 'scheduler',
  workflow: 'sfn',
  linkKeys: 'secrets',
};

/** SDK clients to use instead of the default ones (embedded mode points them at the local stand-ins). */
export interface Clients {
  dynamodb?: DynamoDBClient;
  sesv2?: SESv2Client;
  scheduler?: SchedulerClient;
  sfn?: SFNClient;
  secrets?: SecretsManagerClient;
}

/**
 * Named points inside use cases where a test or `reciprocity run --faults` may inject a crash. On AWS the
 * probe does nothing.
 */
export type Probe = (handler: string, point: string) => void | Promise<void>;

export interface Deps {
  readonly clock: Clock;
  readonly config: EngineConfig;
  readonly logger: Logger;
  readonly stores: Stores;
  readonly sender: SesSender;
  readonly scheduler: MessageScheduler;
  readonly workflow: WorkflowStarter;
  /** The DynamoDB client (the idempotency layer persists through it). */
  readonly dynamodb: DynamoDBClient;
  /** Table of intake's idempotency records. */
  readonly idempotencyTable: string;
  readonly configurationSet: string | undefined;
  readonly probe: Probe;
  /** Journey metrics (EMF on AWS): every outcome counter added to the stats is also counted here. */
  readonly metrics: JourneyMetrics;
  /** Link-signing keys; `refreshFor` names a key id a token used, to refresh after a rotation. */
  linkKeys(options?: { refreshFor?: string }): Promise<LinkKeys>;
}

export interface DepsOptions {
  env: Env;
  /** @default the system clock */
  clock?: Clock;
  clients?: Clients;
  /** Checked now: a missing setting fails here, not halfway through an event. @default [] */
  needs?: readonly Need[];
  /** Powertools service name (each function keeps its own). @default env.POWERTOOLS_SERVICE_NAME */
  service?: string;
  probe?: Probe;
  /** The wall clock in epoch ms, for caches (never for decisions). @default Date.now */
  wallClock?: () => number;
  /** @default EMF through Powertools inside Lambda (AWS_LAMBDA_FUNCTION_NAME set), none elsewhere */
  metrics?: JourneyMetrics;
}

/**
 * Keys change only on rotation, which adds a key id and later switches `current`: a day-old copy still
 * verifies every link, and a token signed with a newer key makes the verifier refresh. Shorter caches cost a
 * GetSecretValue ($0.05 per 10,000) per message at low volume.
 */
const KEYS_TTL_MS = 24 * 60 * 60_000;
/** The shortest time between two fetches for a key id the cache does not know. */
export const KEYS_REFRESH_MIN_MS = 60_000;

/**
 * The SES client never retries by itself: SendEmail has no idempotency token, so a retry after a lost answer
 * can send a second email. Retries belong to the state machine, where the ledger decides (see usecases/send).
 */
export const SES_MAX_ATTEMPTS = 1;

/** The SDK modules missing for these needs (link keys given inline need no Secrets Manager). */
export function missingSdk(needs: readonly Need[], sdk: Sdk, env: Env): (keyof Sdk)[] {
  const wanted = needs.flatMap((need) => {
    const name = SDK_OF_NEED[need];
    if (!name || (name === 'secrets' && env[ENV.linkKeys])) return [];
    return [name];
  });
  return [...new Set(wanted)].filter((name) => !sdk[name]);
}

/** The SDK modules and store factories a function's Deps are built over. */
export interface Modules {
  /** @default {} */
  sdk?: Sdk;
  /** @default {} */
  stores?: StoreFactories;
}

/** Deps over the given modules; a need whose SDK module or store factory is missing fails here (ConfigError). */
export function buildDeps(options: DepsOptions, { sdk = {}, stores: factories = {} }: Modules = {}): Deps {
  const { env } = options;
  const missing = (options.needs ?? []).flatMap((need) => {
    const store = storeOf(need);
    return (store ? [TABLE_ENV[store]] : NEED_ENV[need as keyof typeof NEED_ENV]).filter(
      (name) => !env[name],
    );
  });
  if (missing.length > 0)
    throw new ConfigError(`Missing settings: ${[...new Set(missing)].join(', ')} (set by the stack)`);
  const absent = missingSdk(options.needs ?? [], sdk, env);
  if (absent.length > 0)
    throw new ConfigError(`SDK modules not loaded for this use case's needs: ${absent.join(', ')}`);
  const absentStores = missingStores(options.needs ?? [], factories);
  if (absentStores.length > 0)
    throw new ConfigError(`Stores not loaded for this use case's needs: ${absentStores.join(', ')}`);
  const config = parseEngineConfig(env[ENV.config]);
  const clock = options.clock ?? (() => new Date());
  const wallClock = options.wallClock ?? Date.now;
  const region = env.AWS_REGION;
  const clientConfig = { ...(region ? { region } : {}) };
  // The middleware stack resolved once per command class: a third of each request's CPU (adapters/dynamo.ts).
  const dynamodb =
    options.clients?.dynamodb ?? new DynamoDBClient({ ...clientConfig, cacheMiddleware: true });
  const doc = documentClient(dynamodb);
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new ConfigError(`Setting ${name} is not set (this function was not granted it)`);
    return value;
  };
  const serviceName = options.service ?? env.POWERTOOLS_SERVICE_NAME ?? 'reciprocity';
  const metrics =
    options.metrics ?? (env.AWS_LAMBDA_FUNCTION_NAME ? powertoolsMetrics({ serviceName }) : noMetrics);
  const stores = lazyStores(factories, {
    doc,
    required,
    wallClock,
    onCount: (key, counts) => publishCounts(metrics, key, counts),
    retention: config.retention,
  });
  const lazy = <T>(make: () => T): (() => T) => {
    let value: T | undefined;
    return () => {
      value ??= make();
      return value;
    };
  };
  /** An SDK module this function was built without: a need the use case did not declare. */
  const module = <K extends keyof Sdk>(name: K): NonNullable<Sdk[K]> => {
    const value = sdk[name];
    if (!value)
      throw new ConfigError(`The ${name} client is not loaded: the use case does not declare its need`);
    return value;
  };
  const sender = lazy(() => module('sesv2').sender(clientConfig, options.clients?.sesv2));
  const scheduler = lazy(() =>
    module('scheduler').scheduler(
      {
        group: required(ENV.scheduleGroup),
        stateMachineArn: required(ENV.stateMachineArn),
        roleArn: required(ENV.schedulerRoleArn),
        ...(env[ENV.scheduleDlqArn] ? { deadLetterArn: env[ENV.scheduleDlqArn] } : {}),
      },
      clientConfig,
      options.clients?.scheduler,
    ),
  );
  const workflow = lazy(() =>
    module('sfn').workflow(required(ENV.stateMachineArn), clientConfig, options.clients?.sfn),
  );
  const readSecret = lazy(() => module('secrets').reader(clientConfig, options.clients?.secrets));
  let keysCache: { keys: LinkKeys; until: number; fetchedAt: number } | undefined;
  const inline = env[ENV.linkKeys];
  const inlineKeys = inline ? parseLinkKeys(inline) : undefined;

  return {
    clock,
    config,
    logger: new Logger({
      serviceName,
      ...(env.POWERTOOLS_LOG_LEVEL ? { logLevel: env.POWERTOOLS_LOG_LEVEL as LogLevel } : {}),
    }),
    stores,
    get sender() {
      return sender();
    },
    get scheduler() {
      return scheduler();
    },
    get workflow() {
      return workflow();
    },
    dynamodb,
    get idempotencyTable() {
      return required(ENV.idempotencyTable);
    },
    configurationSet: env[ENV.configurationSet] || undefined,
    probe: options.probe ?? (() => {}),
    metrics,
    async linkKeys({ refreshFor } = {}) {
      if (inlineKeys) return inlineKeys;
      const now = wallClock();
      const fresh = keysCache && keysCache.until > now;
      const knowsKey = !refreshFor || Object.hasOwn(keysCache?.keys.keys ?? {}, refreshFor);
      // A key id the cache does not know may be a rotation (fetch again) or a made-up token: at most one
      // refresh per minute, so nobody can make every request cost a GetSecretValue.
      const mayRefresh = !keysCache || now - keysCache.fetchedAt >= KEYS_REFRESH_MIN_MS;
      if (keysCache && fresh && (knowsKey || !mayRefresh)) return keysCache.keys;
      const secretId = required(ENV.linkKeysParameter);
      const secret = await readSecret()(secretId);
      if (!secret) throw new ConfigError(`Secret ${secretId} has no string value`);
      keysCache = { keys: parseLinkKeys(secret), until: now + KEYS_TTL_MS, fetchedAt: now };
      return keysCache.keys;
    },
  };
}

function parseEngineConfig(raw: string | undefined): EngineConfig {
  let parsed: unknown = {};
  if (raw) {
    try {
      parsed = JSON.parse(raw);
    } catch (cause) {
      throw new ConfigError(`${ENV.config} is not valid JSON`, { cause });
    }
  }
  return parseConfig(parsed);
}

/** The stats counters that are also journey metrics (the dashboard's), and the metric each one is. */
const METRIC_OF_COUNTER: Readonly<Record<string, JourneyMetric>> = {
  sent: 'sent',
  delivered: 'delivered',
  opened: 'opened',
  clicked: 'clicked',
  orders_click: 'converted',
  complained: 'complained',
  unsubscribed: 'unsubscribed',
  bounced_hard: 'bounced',
  bounced_soft: 'bounced',
};

function publishCounts(metrics: JourneyMetrics, key: StatsKey, counts: Counts): void {
  for (const [counter, value] of Object.entries(counts)) {
    const metric = METRIC_OF_COUNTER[counter];
    // A settled `unknown` moves a count (-1/+1): metrics only ever add.
    if (metric && value > 0) metrics.count(key.journey, metric, value);
  }
}
