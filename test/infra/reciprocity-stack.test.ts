import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../functions/domain/config.js';
import { ENV, HANDLERS } from '../../functions/domain/names.js';
import { USE_CASES } from '../../functions/usecases/index.js';
import { FUNCTIONS } from '../../lib/functions.js';
import { ReciprocityStack } from '../../lib/reciprocity-stack.js';
import {
  acknowledgements,
  asArray,
  buildStack,
  defaultStack,
  logicalIdOf,
  nagFindings,
  resolveIntrinsics,
  statementsOfRole,
} from './helpers.js';

type Fn = keyof ReturnType<typeof defaultStack>['stack']['functions'];

/** Functions whose use case signs or verifies links. */
const LINK_KEY_USERS = HANDLERS.filter((name) => USE_CASES[name].needs.includes('linkKeys'));

describe('Construct: ReciprocityStack', () => {
  const { app, stack, template } = defaultStack();
  interface FunctionResource {
    Properties: {
      Environment: { Variables: Record<string, unknown> };
      ReservedConcurrentExecutions?: number;
      MemorySize?: number;
    };
  }
  const resources = template.toJSON().Resources as Record<string, FunctionResource>;
  const envOf = (name: Fn): Record<string, unknown> =>
    resources[logicalIdOf(stack.functions[name])]?.Properties.Environment.Variables ?? {};

  it('builds every function with the project defaults', () => {
    template.resourceCountIs('AWS::Lambda::Function', HANDLERS.length);
    template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: Match.stringLikeRegexp('^nodejs(2[2-9]|[3-9]\\d)\\.x$'),
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      MemorySize: Match.anyValue(),
      LoggingConfig: Match.objectLike({ LogGroup: Match.anyValue() }),
    });
    // 256 MB but for the peer sweep, which holds every purchase history at once (FUNCTIONS' memorySize).
    for (const name of HANDLERS)
      expect(resources[logicalIdOf(stack.functions[name])]?.Properties.MemorySize, name).toBe(
        FUNCTIONS[name].memorySize ?? 256,
      );
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue() });
    // No AWS managed policy on any role (IAM4): log writing is granted on the function's own log group.
    template.allResourcesProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });

  it('passes the engine configuration to every function, with links on the function URL by default', () => {
    // Prepare
    const urlFunction = logicalIdOf(stack.endpoints.functionUrl).toLowerCase();
    const linked = {
      ...DEFAULT_CONFIG,
      publicBaseUrl: `https://${urlFunction}.lambda-url.eu-central-1.on.aws`,
    };

    for (const name of Object.keys(stack.functions) as Fn[]) {
      // Act
      const config = JSON.parse(String(resolveIntrinsics(envOf(name)[ENV.config])));

      // Assess: customer-http cannot reference its own URL, so it keeps the configured base URL.
      expect(config, name).toEqual(name === 'customer-http' ? DEFAULT_CONFIG : linked);
    }
  });

  it('keeps the workflow task functions free of references to the state machine (no cycle)', () => {
    const machineId = logicalIdOf(stack.workflow.stateMachine);
    for (const name of ['personalize', 'check-consent', 'send', 'record', 'defer'] as const) {
      const fn = stack.functions[name];
      const own = JSON.stringify([
        resources[logicalIdOf(fn)],
        statementsOfRole(template, logicalIdOf(fn.role!)),
      ]);
      expect(own, name).not.toContain(`"${machineId}"`);
    }
    expect(JSON.stringify(envOf('defer')[ENV.stateMachineArn])).toContain(
      ':stateMachine:Reciprocity-message-workflow',
    );
  });

  it('serves the customer endpoint on a public function URL, throttled by reserved concurrency', () => {
    const fnId = logicalIdOf(stack.functions['customer-http']);
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [fnId, 'Arn'] },
    });
    expect(resources[fnId]?.Properties.ReservedConcurrentExecutions).toBe(10);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({
        SecretStringTemplate: '{"current":"k1"}',
        GenerateStringKey: 'k1',
        PasswordLength: 64,
      }),
    });
    const secretId = logicalIdOf(stack.endpoints.linkKeys);
    expect(LINK_KEY_USERS).toContain('customer-http');
    for (const name of LINK_KEY_USERS) {
      expect(envOf(name)[ENV.linkKeysParameter], name).toEqual({ Ref: secretId });
      const reads = statementsOfRole(template, logicalIdOf(stack.functions[name].role!)).filter((s) =>
        asArray(s.Action as string[]).includes('secretsmanager:GetSecretValue'),
      );
      expect(
        reads.map((s) => s.Resource),
        name,
      ).toEqual([{ Ref: secretId }]);
    }
  });

  it('outputs the bus, the state machine, the endpoint URL, the unrecognized-events queue and every table name', () => {
    const outputs = Object.keys(template.toJSON().Outputs ?? {});
    for (const prefix of [
      'EventBusName',
      'StateMachineArn',
      'CustomerEndpointsUrl',
      'UnrecognizedEventsQueueUrl',
      'ProfilesTableName',
      'CartsTableName',
      'MessagesTableName',
      'TemplatesTableName',
      'ProductsTableName',
      'RejectedTableName',
      'ReputationTableName',
      'IdempotencyTableName',
    ]) {
      expect(
        outputs.some((o) => o.startsWith(prefix)),
        prefix,
      ).toBe(true);
    }
  });

  it('has no unacknowledged AwsSolutions finding', () => {
    expect(nagFindings(app)).toEqual([]);
  });

  it('gives every acknowledgement a specific reason', () => {
    // Act
    const acks = acknowledgements(app);

    // Assess
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id, ack.path).toMatch(/AwsSolutions-/);
      expect(ack.reason.trim().length, `${ack.path} ${ack.id}`).toBeGreaterThanOrEqual(40);
    }
  });

  it('keeps a configured publicBaseUrl for every function', () => {
    // Act
    const custom = buildStack({ engine: { publicBaseUrl: 'https://mail.shop.example' } });

    // Assess
    for (const fn of Object.values(custom.stack.functions)) {
      const env = custom.template.toJSON().Resources[logicalIdOf(fn)].Properties.Environment.Variables;
      expect(JSON.parse(env[ENV.config]).publicBaseUrl).toBe('https://mail.shop.example');
    }
  });

  it('synthesizes from a plain App with no context (no network, no credentials)', () => {
    // Prepare
    const plain = new App({ context: { 'aws:cdk:bundling-stacks': [] } });

    // Act
    new ReciprocityStack(plain, 'Reciprocity');
    const assembly = plain.synth();

    // Assess
    expect(assembly.getStackByName('Reciprocity').template.Resources).toBeDefined();
  });
});
