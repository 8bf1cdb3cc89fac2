import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../functions/domain/config.js';
import { ENV } from '../../functions/domain/names.js';
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
type Access = 'r' | 'rw';

/** Which table each handler may touch, and how: the least-privilege contract of the brief. */
const TABLE_ACCESS: Record<Fn, Record<string, Access>> = {
  ingest: { profiles: 'rw', carts: 'rw', products: 'rw', rejected: 'rw', messages: 'rw', reputation: 'rw' },
  personalize: { profiles: 'r', carts: 'r', templates: 'r', products: 'r', messages: 'r', reputation: 'r' },
  'check-consent': { profiles: 'r', reputation: 'r' },
  send: { messages: 'rw', profiles: 'rw' },
  record: { messages: 'rw', profiles: 'rw', reputation: 'rw' },
  defer: { messages: 'rw' },
  'birthday-sweep': { profiles: 'r' },
  'inactivity-sweep': { profiles: 'rw' },
  'ses-events': { messages: 'rw', profiles: 'rw', reputation: 'rw' },
  'customer-http': { profiles: 'rw', messages: 'rw', carts: 'rw', products: 'r' },
};
const TABLE_ENV: Record<string, string> = {
  profiles: ENV.profilesTable,
  carts: ENV.cartsTable,
  messages: ENV.messagesTable,
  templates: ENV.templatesTable,
  products: ENV.productsTable,
  rejected: ENV.rejectedTable,
  reputation: ENV.reputationTable,
};

describe('Construct: ReciprocityStack', () => {
  const { app, stack, template } = defaultStack();
  interface FunctionResource {
    Properties: {
      Environment: { Variables: Record<string, unknown> };
      ReservedConcurrentExecutions?: number;
    };
  }
  const resources = template.toJSON().Resources as Record<string, FunctionResource>;
  const envOf = (name: Fn): Record<string, unknown> =>
    resources[logicalIdOf(stack.functions[name])]?.Properties.Environment.Variables ?? {};

  it('builds every function with the project defaults', () => {
    template.resourceCountIs('AWS::Lambda::Function', 10);
    template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: Match.stringLikeRegexp('^nodejs(2[2-9]|[3-9]\\d)\\.x$'),
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      MemorySize: 256,
      LoggingConfig: Match.objectLike({ LogGroup: Match.anyValue() }),
    });
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue() });
    // No AWS managed policy on any role (IAM4): log writing is granted on the function's own log group.
    template.allResourcesProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });

  it.each(Object.entries(TABLE_ACCESS))(
    'grants %s exactly its tables and sets their env vars',
    (name, access) => {
      // Prepare
      const fn = name as Fn;
      const statements = statementsOfRole(template, logicalIdOf(stack.functions[fn].role!));
      const tableIds = Object.fromEntries(
        Object.entries(stack.data.all).map(([id, t]) => [logicalIdOf(t), id]),
      );

      // Act: which tables appear in DynamoDB statements, and whether with write actions.
      const seen: Record<string, Access> = {};
      for (const s of statements) {
        const actions = asArray(s.Action as string[]);
        if (!actions.some((a) => a.startsWith('dynamodb:'))) continue;
        const writes = actions.some((a) => /Put|Update|Delete|BatchWrite/.test(a));
        for (const [logicalId, tableId] of Object.entries(tableIds)) {
          if (!JSON.stringify(s.Resource).includes(`"${logicalId}"`)) continue;
          if (writes || !seen[tableId]) seen[tableId] = writes ? 'rw' : 'r';
        }
        expect(JSON.stringify(s.Resource)).not.toContain('/index/*');
      }

      // Assess
      expect(seen).toEqual(access);
      const env = envOf(fn);
      for (const [table, envName] of Object.entries(TABLE_ENV)) {
        const expected = access[table] ? { Ref: logicalIdOf(stack.data.all[table]!) } : undefined;
        expect(env[envName], `${name} ${envName}`).toEqual(expected);
      }
    },
  );

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

  it('sets SES, state machine, scheduler and link-key variables only where they are used', () => {
    const holders = (envName: string) =>
      (Object.keys(stack.functions) as Fn[]).filter((n) => envOf(n)[envName] !== undefined).sort();
    expect(holders(ENV.configurationSet)).toEqual(['send']);
    expect(holders(ENV.stateMachineArn)).toEqual(['birthday-sweep', 'defer', 'inactivity-sweep', 'ingest']);
    expect(holders(ENV.schedulerRoleArn)).toEqual(['defer', 'inactivity-sweep', 'ingest']);
    expect(holders(ENV.scheduleGroup)).toEqual(['defer', 'inactivity-sweep', 'ingest']);
    expect(holders(ENV.scheduleDlqArn)).toEqual(['defer', 'inactivity-sweep', 'ingest']);
    expect(holders(ENV.linkKeysParameter)).toEqual(['customer-http', 'personalize']);
    expect(envOf('ingest')[ENV.scheduleGroup]).toBe('reciprocity');
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
    for (const name of ['personalize', 'customer-http'] as const) {
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

  it('outputs the bus, the state machine, the endpoint URL and every table name', () => {
    const outputs = Object.keys(template.toJSON().Outputs ?? {});
    for (const prefix of [
      'EventBusName',
      'StateMachineArn',
      'CustomerEndpointsUrl',
      'ProfilesTableName',
      'CartsTableName',
      'MessagesTableName',
      'TemplatesTableName',
      'ProductsTableName',
      'RejectedTableName',
      'ReputationTableName',
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
