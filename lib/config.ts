/**
 * Typed stage configuration for the CDK app, read from CDK context (`-c key=value` or cdk.json "context").
 * Everything has a default, so `cdk synth` works with no flags at all.
 */
import type { Node } from 'constructs';
import { DEFAULT_CONFIG, type EngineConfig, parseConfig } from '../functions/domain/config.js';

/** Step Functions log levels we allow; Express logs are billed per GB, so ERROR is the default. */
export type WorkflowLogLevel = 'OFF' | 'ERROR' | 'FATAL' | 'ALL';

/** What a caller (or CDK context) may set. Every key is optional. */
export interface StageConfigInput {
  /**
   * Address mail is sent from; the SES policy only allows this exact `ses:FromAddress`.
   * @default - the address in `engine.sender.from`, else 'hello@shop.example'
   */
  readonly senderEmail?: string;
  /**
   * Domain verified as the SES identity (Easy DKIM). Must be the sender's domain or a parent of it.
   * @default - the domain of `senderEmail`
   */
  readonly senderDomain?: string;
  /**
   * Name of the SES v2 configuration set every send uses.
   * @default 'reciprocity'
   */
  readonly configurationSetName?: string;
  /**
   * Engine configuration overrides (see functions/domain/config.ts); an object, or its JSON text when
   * given with `-c engine='{"cartDelayMinutes":30}'`.
   * @default {} (all engine defaults)
   */
  readonly engine?: unknown;
  /**
   * Email address subscribed to the alarm topic.
   * @default - no subscription (the topic still exists)
   */
  readonly alarmEmail?: string;
  /**
   * Log level of the Express workflow.
   * @default 'ERROR'
   */
  readonly workflowLogLevel?: WorkflowLogLevel;
  /**
   * Whether workflow logs include state input/output (customer data, and billed per GB).
   * @default false
   */
  readonly workflowLogExecutionData?: boolean;
  /**
   * Reserved concurrency of the public customer endpoint: the throttle for anonymous traffic.
   * @default 10
   */
  readonly customerEndpointConcurrency?: number;
}

/** The validated configuration the stack builds from. */
export interface StageConfig {
  readonly senderEmail: string;
  readonly senderDomain: string;
  readonly configurationSetName: string;
  readonly engine: EngineConfig;
  /** True when the engine overrides set `publicBaseUrl`; otherwise the stack uses the function URL. */
  readonly publicBaseUrlSet: boolean;
  readonly alarmEmail?: string;
  readonly workflowLogLevel: WorkflowLogLevel;
  readonly workflowLogExecutionData: boolean;
  readonly customerEndpointConcurrency: number;
}

/** The context keys `stageConfigFromContext` reads, one per StageConfigInput property. */
export const CONTEXT_KEYS = [
  'senderEmail',
  'senderDomain',
  'configurationSetName',
  'engine',
  'alarmEmail',
  'workflowLogLevel',
  'workflowLogExecutionData',
  'customerEndpointConcurrency',
] as const satisfies readonly (keyof StageConfigInput)[];

export class StageConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StageConfigError';
  }
}

const EMAIL = /^[^\s@<>]+@([a-z0-9-]+(\.[a-z0-9-]+)+)$/i;
const LOG_LEVELS: readonly WorkflowLogLevel[] = ['OFF', 'ERROR', 'FATAL', 'ALL'];
const DEFAULT_SENDER = addressOf(DEFAULT_CONFIG.sender.from);
const DEFAULT_DISPLAY_NAME = DEFAULT_CONFIG.sender.from.replace(/\s*<[^>]*>\s*$/, '');

/** Reads StageConfigInput from CDK context; `-c` values arrive as strings, cdk.json values keep their type. */
export function stageInputFromContext(node: Node): StageConfigInput {
  const input: Record<string, unknown> = {};
  for (const key of CONTEXT_KEYS) {
    const value: unknown = node.tryGetContext(key);
    if (value !== undefined) input[key] = value;
  }
  // Validate now, so a bad -c flag fails before any construct is built.
  resolveStageConfig(input as StageConfigInput);
  return input as StageConfigInput;
}

/** Validates the input and fills defaults; throws StageConfigError naming the bad key. */
export function resolveStageConfig(input: StageConfigInput = {}): StageConfig {
  const overrides = asObject(input.engine);
  const sender = asObject(overrides.sender, 'engine.sender');
  const fromAddress = typeof sender.from === 'string' ? addressOf(sender.from) : undefined;
  const senderEmail = input.senderEmail ?? fromAddress ?? DEFAULT_SENDER;
  const senderMatch = EMAIL.exec(senderEmail);
  if (!senderMatch?.[1]) throw new StageConfigError(`senderEmail "${senderEmail}" is not an email address`);
  const emailDomain = senderMatch[1].toLowerCase();
  const senderDomain = (input.senderDomain ?? emailDomain).toLowerCase();
  if (emailDomain !== senderDomain && !emailDomain.endsWith(`.${senderDomain}`)) {
    throw new StageConfigError(`senderEmail "${senderEmail}" is not in senderDomain "${senderDomain}"`);
  }

  // The From header must be the address IAM allows; when only senderEmail is given, derive the header.
  const displayName = typeof sender.shopName === 'string' ? sender.shopName : DEFAULT_DISPLAY_NAME;
  const engineInput =
    fromAddress === undefined && senderEmail !== DEFAULT_SENDER
      ? { ...overrides, sender: { ...sender, from: `${displayName} <${senderEmail}>` } }
      : overrides;
  let engine: EngineConfig;
  try {
    engine = parseConfig(engineInput);
  } catch (error) {
    throw new StageConfigError(`engine: ${(error as Error).message}`, { cause: error });
  }
  if (addressOf(engine.sender.from) !== senderEmail) {
    throw new StageConfigError(
      `engine.sender.from "${engine.sender.from}" must use senderEmail "${senderEmail}" (IAM allows only that address)`,
    );
  }

  const workflowLogLevel = (input.workflowLogLevel ?? 'ERROR') as WorkflowLogLevel;
  if (!LOG_LEVELS.includes(workflowLogLevel)) {
    throw new StageConfigError(`workflowLogLevel must be one of ${LOG_LEVELS.join(', ')}`);
  }
  const concurrency = Number(input.customerEndpointConcurrency ?? 10);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000) {
    throw new StageConfigError('customerEndpointConcurrency must be an integer from 1 to 1000');
  }
  if (input.alarmEmail !== undefined && !EMAIL.test(input.alarmEmail)) {
    throw new StageConfigError(`alarmEmail "${input.alarmEmail}" is not an email address`);
  }
  const configurationSetName = input.configurationSetName ?? 'reciprocity';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(configurationSetName)) {
    throw new StageConfigError('configurationSetName: 1-64 letters, digits, "-" or "_"');
  }

  return {
    senderEmail,
    senderDomain,
    configurationSetName,
    engine,
    publicBaseUrlSet: overrides.publicBaseUrl !== undefined,
    ...(input.alarmEmail === undefined ? {} : { alarmEmail: input.alarmEmail }),
    workflowLogLevel,
    workflowLogExecutionData: toBoolean(input.workflowLogExecutionData ?? false),
    customerEndpointConcurrency: concurrency,
  };
}

/** `Name <a@b.c>` or `a@b.c` -> `a@b.c`. */
function addressOf(from: string): string {
  const angle = /<([^>]+)>\s*$/.exec(from);
  return (angle?.[1] ?? from).trim();
}

function asObject(value: unknown, key = 'engine'): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      throw new StageConfigError(`${key} is not valid JSON`, { cause: error });
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new StageConfigError(`${key} must be an object`);
  }
  return parsed as Record<string, unknown>;
}

function toBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new StageConfigError('workflowLogExecutionData must be true or false');
}
