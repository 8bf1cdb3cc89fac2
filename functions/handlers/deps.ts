/**
 * What handlers share: configuration read from the environment (checked on first use, cached while the
 * environment is unchanged), stores and clients built once per container.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CartStore } from '../adapters/carts.js';
import { now } from '../adapters/clock.js';
import { documentClient } from '../adapters/dynamo.js';
import { LedgerStore } from '../adapters/ledger.js';
import { ProductStore } from '../adapters/products.js';
import { ProfileStore } from '../adapters/profiles.js';
import { RejectedStore } from '../adapters/rejected.js';
import { ReputationStore } from '../adapters/reputation.js';
import { MessageScheduler } from '../adapters/scheduler.js';
import { SesSender } from '../adapters/sender.js';
import { TemplateStore } from '../adapters/templates.js';
import { WorkflowStarter } from '../adapters/workflow.js';
import { ConfigError, type EngineConfig, parseConfig } from '../domain/config.js';
import { type LinkKeys, parseLinkKeys } from '../domain/links.js';
import { ENV } from '../domain/names.js';

export const logger = new Logger({ serviceName: 'reciprocity' });

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new ConfigError(`Environment variable ${name} is not set`);
  return value;
}

let configCache: { raw: string | undefined; config: EngineConfig } | undefined;

/** The engine configuration from RECIPROCITY_CONFIG (defaults for absent keys). */
export function config(): EngineConfig {
  const raw = process.env[ENV.config];
  if (!configCache || configCache.raw !== raw) {
    let parsed: unknown = {};
    if (raw) {
      try {
        parsed = JSON.parse(raw);
      } catch (cause) {
        throw new ConfigError(`${ENV.config} is not valid JSON`, { cause });
      }
    }
    configCache = { raw, config: parseConfig(parsed) };
  }
  return configCache.config;
}

type Stores = {
  profiles: ProfileStore;
  carts: CartStore;
  ledger: LedgerStore;
  templates: TemplateStore;
  products: ProductStore;
  rejected: RejectedStore;
  reputation: ReputationStore;
};

let cache: { key: string; doc: ReturnType<typeof documentClient>; stores: Partial<Stores> } | undefined;

/**
 * DynamoDB stores, each built on first use: a function gets only its own tables' names (least privilege),
 * so asking for another table's store fails with a clear ConfigError. Rebuilt if the endpoint changes
 * (the embedded runtime restarts).
 */
export function db(): Stores {
  const key = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '';
  if (!cache || cache.key !== key) cache = { key, doc: documentClient(), stores: {} };
  const { doc, stores } = cache;
  const lazy = <K extends keyof Stores>(name: K, make: () => Stores[K]): Stores[K] => {
    stores[name] ??= make();
    return stores[name] as Stores[K];
  };
  return {
    get profiles() {
      return lazy('profiles', () => new ProfileStore(doc, required(ENV.profilesTable)));
    },
    get carts() {
      return lazy('carts', () => new CartStore(doc, required(ENV.cartsTable)));
    },
    get ledger() {
      return lazy('ledger', () => new LedgerStore(doc, required(ENV.messagesTable)));
    },
    get templates() {
      return lazy('templates', () => new TemplateStore(doc, required(ENV.templatesTable)));
    },
    get products() {
      return lazy('products', () => new ProductStore(doc, required(ENV.productsTable)));
    },
    get rejected() {
      return lazy('rejected', () => new RejectedStore(doc, required(ENV.rejectedTable)));
    },
    get reputation() {
      return lazy('reputation', () => new ReputationStore(doc, required(ENV.reputationTable)));
    },
  };
}

let sender: { client: SesSender; endpoint: string | undefined } | undefined;
/** The SES sender; rebuilt only if the SES endpoint changes (the embedded runtime restarts). */
export function ses(): SesSender {
  const endpoint = process.env.AWS_ENDPOINT_URL_SESV2;
  if (!sender || sender.endpoint !== endpoint) sender = { client: new SesSender(), endpoint };
  return sender.client;
}

export function scheduler(): MessageScheduler {
  return new MessageScheduler({
    group: required(ENV.scheduleGroup),
    stateMachineArn: required(ENV.stateMachineArn),
    roleArn: required(ENV.schedulerRoleArn),
    ...(process.env[ENV.scheduleDlqArn] ? { deadLetterArn: process.env[ENV.scheduleDlqArn] } : {}),
  });
}

export function workflow(): WorkflowStarter {
  return new WorkflowStarter(required(ENV.stateMachineArn));
}

export function configurationSet(): string | undefined {
  return process.env[ENV.configurationSet] || undefined;
}

let keysCache: { keys: LinkKeys; until: number } | undefined;
/**
 * Keys change only on rotation, which adds a key id and later switches `current`: a day-old copy still
 * verifies every link (retire an old key only after its links expired), and a token signed with a newer key
 * makes the verifier refresh (see `linkKeys`). Shorter caches cost a GetSecretValue ($0.05 per 10,000) per
 * message at low volume.
 */
const KEYS_TTL_MS = 24 * 60 * 60_000;

/** Link-signing keys: LINK_KEYS (embedded mode) or the Secrets Manager secret named by LINK_KEYS_PARAMETER. */
export async function linkKeys(options: { refreshFor?: string } = {}): Promise<LinkKeys> {
  const inline = process.env[ENV.linkKeys];
  if (inline) return parseLinkKeys(inline);
  const fresh = keysCache && keysCache.until > Date.now();
  const knowsKey = !options.refreshFor || keysCache?.keys.keys[options.refreshFor] !== undefined;
  if (keysCache && fresh && knowsKey) return keysCache.keys;
  const secretId = required(ENV.linkKeysParameter);
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretId }));
  if (!out.SecretString) throw new ConfigError(`Secret ${secretId} has no string value`);
  keysCache = { keys: parseLinkKeys(out.SecretString), until: Date.now() + KEYS_TTL_MS };
  return keysCache.keys;
}

/**
 * The time a sweep runs for: the schedule's own time (`scheduledTime` from Scheduler, `time` from an
 * EventBridge-style event), so a late or retried run selects the same customers; else now.
 */
export function sweepTime(event: unknown): Date {
  const e = (event ?? {}) as { scheduledTime?: unknown; time?: unknown };
  const value =
    typeof e.scheduledTime === 'string' ? e.scheduledTime : typeof e.time === 'string' ? e.time : undefined;
  const at = value ? new Date(value) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : now();
}
