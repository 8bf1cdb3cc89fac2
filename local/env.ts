/** The environment record the handlers' Deps are built from, pointed at the local stand-ins (never process.env). */
import { randomBytes } from 'node:crypto';
import { ENV } from '../functions/domain/names.js';
import { TABLES } from '../functions/domain/tables.js';
import { LOCAL_ACCOUNT } from './synth.js';

export interface LocalEndpoints {
  dynamodb: string;
  sesv2: string;
  scheduler: string;
  sfn: string;
}

export const LOCAL_SCHEDULE_GROUP = 'reciprocity';
export const LOCAL_SCHEDULER_ROLE_ARN = `arn:aws:iam::${LOCAL_ACCOUNT}:role/reciprocity-local-scheduler`;
export const LOCAL_CONFIGURATION_SET = 'reciprocity-local';

/** The environment variable naming each table (by its layout id). */
export const ENV_OF_TABLE: Record<string, string> = {
  [TABLES.PROFILES.id]: ENV.profilesTable,
  [TABLES.CARTS.id]: ENV.cartsTable,
  [TABLES.MESSAGES.id]: ENV.messagesTable,
  [TABLES.TEMPLATES.id]: ENV.templatesTable,
  [TABLES.PRODUCTS.id]: ENV.productsTable,
  [TABLES.REJECTED.id]: ENV.rejectedTable,
  [TABLES.REPUTATION.id]: ENV.reputationTable,
  [TABLES.IDEMPOTENCY.id]: ENV.idempotencyTable,
  [TABLES.STATS.id]: ENV.statsTable,
  [TABLES.CODES.id]: ENV.codesTable,
};

/** A fresh signing key per run: links signed locally are never valid anywhere else. */
export function localLinkKeys(): string {
  return JSON.stringify({ current: 'local-1', keys: { 'local-1': randomBytes(32).toString('base64') } });
}

export function embeddedEnv(input: {
  endpoints: LocalEndpoints;
  tableNames: Record<string, string>;
  stateMachineArn: string;
  config?: object;
}): Record<string, string> {
  const env: Record<string, string> = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: input.endpoints.dynamodb,
    AWS_ENDPOINT_URL_SESV2: input.endpoints.sesv2,
    AWS_ENDPOINT_URL_SCHEDULER: input.endpoints.scheduler,
    AWS_ENDPOINT_URL_SFN: input.endpoints.sfn,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    [ENV.stateMachineArn]: input.stateMachineArn,
    [ENV.schedulerRoleArn]: LOCAL_SCHEDULER_ROLE_ARN,
    [ENV.scheduleGroup]: LOCAL_SCHEDULE_GROUP,
    [ENV.configurationSet]: LOCAL_CONFIGURATION_SET,
    [ENV.config]: JSON.stringify(input.config ?? {}),
    [ENV.linkKeys]: localLinkKeys(),
  };
  for (const [id, name] of Object.entries(input.tableNames)) {
    const variable = ENV_OF_TABLE[id];
    if (variable) env[variable] = name;
  }
  return env;
}
