/**
 * What handlers share: configuration read from the environment (checked on first use, cached while the
 * environment is unchanged), stores and clients built once per container.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CartStore } from '../adapters/carts.js';
import { documentClient } from '../adapters/dynamo.js';
import { LedgerStore } from '../adapters/ledger.js';
import { ProductStore } from '../adapters/products.js';
import { ProfileStore } from '../adapters/profiles.js';
import { RejectedStore } from '../adapters/rejected.js';
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

let stores: ReturnType<typeof buildStores> | undefined;
let storesEnv: string | undefined;

function buildStores() {
  const doc = documentClient();
  return {
    profiles: new ProfileStore(doc, required(ENV.profilesTable)),
    carts: new CartStore(doc, required(ENV.cartsTable)),
    ledger: new LedgerStore(doc, required(ENV.messagesTable)),
    templates: new TemplateStore(doc, required(ENV.templatesTable)),
    products: new ProductStore(doc, required(ENV.productsTable)),
    rejected: new RejectedStore(doc, required(ENV.rejectedTable)),
  };
}

/** DynamoDB stores; rebuilt only if the table environment changes (the embedded runtime restarts). */
export function db(): ReturnType<typeof buildStores> {
  const key = [ENV.profilesTable, ENV.messagesTable, 'AWS_ENDPOINT_URL_DYNAMODB']
    .map((k) => process.env[k])
    .join('|');
  if (!stores || storesEnv !== key) {
    stores = buildStores();
    storesEnv = key;
  }
  return stores;
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
  });
}

export function workflow(): WorkflowStarter {
  return new WorkflowStarter(required(ENV.stateMachineArn));
}

export function configurationSet(): string | undefined {
  return process.env[ENV.configurationSet] || undefined;
}

let keysCache: { keys: LinkKeys; until: number } | undefined;
const KEYS_TTL_MS = 5 * 60_000;

/** Link-signing keys: LINK_KEYS (embedded mode) or the Secrets Manager secret named by LINK_KEYS_PARAMETER. */
export async function linkKeys(): Promise<LinkKeys> {
  const inline = process.env[ENV.linkKeys];
  if (inline) return parseLinkKeys(inline);
  if (keysCache && keysCache.until > Date.now()) return keysCache.keys;
  const secretId = required(ENV.linkKeysParameter);
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretId }));
  if (!out.SecretString) throw new ConfigError(`Secret ${secretId} has no string value`);
  keysCache = { keys: parseLinkKeys(out.SecretString), until: Date.now() + KEYS_TTL_MS };
  return keysCache.keys;
}
