/** Shared helpers for the infra tests: build the stack without bundling, resolve the ASL, run cdk-nag. */
import { App, type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { StageConfigInput } from '../../lib/config.js';
import { ReciprocityStack } from '../../lib/reciprocity-stack.js';

export interface Built {
  readonly app: App;
  readonly stack: ReciprocityStack;
  readonly template: Template;
}

/** A fresh app + stack with esbuild bundling skipped. */
export function buildStack(stage?: StageConfigInput): Built {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new ReciprocityStack(app, 'Reciprocity', { stage });
  return { app, stack, template: Template.fromStack(stack) };
}

let defaultBuild: Built | undefined;
/** The default stack, built once per test file. */
export function defaultStack(): Built {
  defaultBuild ??= buildStack();
  return defaultBuild;
}

export type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** Logical ids of resources of a type whose logical id starts with `prefix`. */
export function logicalIdsOf(template: Template, type: string, prefix = ''): string[] {
  return Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
}

export function onlyLogicalId(template: Template, type: string, prefix = ''): string {
  const ids = logicalIdsOf(template, type, prefix);
  if (ids.length !== 1)
    throw new Error(`expected one ${type} starting with "${prefix}", found ${ids.join(', ')}`);
  return ids[0] as string;
}

/** Logical id of a construct's CloudFormation resource (the construct itself or its default child). */
export function logicalIdOf(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as CfnElement;
  return Stack.of(construct).getLogicalId(element);
}

/**
 * Turns CloudFormation intrinsics into plain strings: Fn::Join concatenates, Ref and Fn::GetAtt become fake
 * ARNs naming the logical id, pseudo parameters get fixed values.
 */
export function resolveIntrinsics(value: unknown, refs: Record<string, string> = {}): unknown {
  const resolve = (v: unknown) => resolveIntrinsics(v, refs);
  if (Array.isArray(value)) return value.map(resolve);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => String(resolve(part))).join(separator);
  }
  if ('Ref' in object) {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': 'eu-central-1',
      'AWS::AccountId': '123456789012',
      'AWS::URLSuffix': 'amazonaws.com',
    };
    const ref = String(object.Ref);
    return pseudo[ref] ?? refs[ref] ?? `ref:${ref}`;
  }
  if ('Fn::Select' in object) {
    const [index, list] = object['Fn::Select'] as [number, unknown];
    return (resolve(list) as unknown[])[index];
  }
  if ('Fn::Split' in object) {
    const [separator, source] = object['Fn::Split'] as [string, unknown];
    return String(resolve(source)).split(separator);
  }
  if ('Fn::GetAtt' in object) {
    const [logicalId, attribute] = object['Fn::GetAtt'] as [string, string];
    if (attribute === 'FunctionUrl')
      return `https://${logicalId.toLowerCase()}.lambda-url.eu-central-1.on.aws/`;
    return `arn:aws:lambda:eu-central-1:123456789012:function:${logicalId}${attribute === 'Arn' ? '' : `.${attribute}`}`;
  }
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, resolve(v)]));
}

export interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Resource?: string;
  ResultPath?: string;
  TimeoutSeconds?: number;
  Parameters?: Record<string, unknown>;
  QueryLanguage?: string;
  Choices?: Array<Record<string, unknown> & { Next: string }>;
  Retry?: Array<{
    ErrorEquals: string[];
    IntervalSeconds?: number;
    MaxAttempts?: number;
    BackoffRate?: number;
    MaxDelaySeconds?: number;
    JitterStrategy?: string;
  }>;
  Catch?: Array<{ ErrorEquals: string[]; ResultPath?: string; Next: string }>;
}

export interface AslDefinition {
  StartAt: string;
  QueryLanguage?: string;
  TimeoutSeconds?: number;
  States: Record<string, AslState>;
}

/** The state machine's DefinitionString, resolved to plain ASL. */
export function resolvedDefinition(template: Template): AslDefinition {
  const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  if (machines.length !== 1) throw new Error(`expected one state machine, found ${machines.length}`);
  const definition = resolveIntrinsics(machines[0]?.Properties?.DefinitionString);
  return JSON.parse(String(definition)) as AslDefinition;
}

export interface NagFinding {
  readonly rule: string;
  readonly severity: string;
  readonly paths: string[];
}

/** Unacknowledged AwsSolutions findings (cdk-nag v3 validation report of the app). */
export function nagFindings(app: App): NagFinding[] {
  const report = new AwsSolutionsChecks(app).validateScope(app);
  return report.violations.map((v) => ({
    rule: v.ruleName,
    severity: String(v.severity),
    paths: v.violatingResources.map((r) => r.constructPath ?? '?'),
  }));
}

export interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

/** Every Validations.acknowledge() in the tree, with its construct path. */
export function acknowledgements(root: IConstruct): Acknowledgement[] {
  const found: Acknowledgement[] = [];
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.push({ path: construct.node.path, id, reason });
      }
    }
  }
  return found;
}

/** Statements of every IAM policy attached to the role with this logical id. */
export function statementsOfRole(template: Template, roleLogicalId: string): Array<Record<string, unknown>> {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Array<{
    Properties: {
      Roles: Array<{ Ref: string }>;
      PolicyDocument: { Statement: Array<Record<string, unknown>> };
    };
  }>;
  return policies
    .filter((p) => p.Properties.Roles.some((r) => r.Ref === roleLogicalId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
