/**
 * Least privilege, derived: each function's IAM and environment must be exactly what its use case declares in
 * `needs` (functions/usecases/index.ts), no more, no less. The stack keeps its own table (lib/functions.ts,
 * because lib never imports handler code); this test is what keeps the two equal.
 */
import { describe, expect, it } from 'vitest';
import { type Need, storeOf, TABLE_ENV } from '../../functions/app/deps.js';
import { ENV, HANDLERS, type HandlerName } from '../../functions/domain/names.js';
import { USE_CASES } from '../../functions/usecases/index.js';
import { FUNCTIONS } from '../../lib/functions.js';
import { asArray, defaultStack, logicalIdOf, statementsOfRole } from './helpers.js';

type Access = 'read' | 'readwrite';
type Capability = 'sender' | 'scheduler' | 'workflow' | 'linkKeys' | 'profilesScan';

/** The table (DataStore layout id) behind each store need; `idempotency` is a table of its own. */
const TABLE_OF_STORE: Record<keyof typeof TABLE_ENV, string> = {
  profiles: 'profiles',
  carts: 'carts',
  ledger: 'messages',
  templates: 'templates',
  products: 'products',
  rejected: 'rejected',
  reputation: 'reputation',
  stats: 'stats',
  codes: 'codes',
  peers: 'profiles',
  profileIndexes: 'profiles',
};
const TABLE_VARIABLE: Record<string, string> = {
  ...Object.fromEntries(
    Object.entries(TABLE_OF_STORE).map(([store, table]) => [
      table,
      TABLE_ENV[store as keyof typeof TABLE_ENV],
    ]),
  ),
  idempotency: ENV.idempotencyTable,
};

/** What `needs` entitles a function to: tables with their access, and capabilities. */
function entitlement(needs: readonly Need[]): {
  tables: Record<string, Access>;
  capabilities: Set<Capability>;
} {
  const tables: Record<string, Access> = {};
  const capabilities = new Set<Capability>();
  for (const need of needs) {
    const store = storeOf(need);
    if (store) {
      const table = TABLE_OF_STORE[store];
      const access: Access = need.endsWith(':read') ? 'read' : 'readwrite';
      if (tables[table] !== 'readwrite') tables[table] = access;
    } else if (need === 'idempotency') {
      tables.idempotency = 'readwrite';
    } else if (need === 'profilesScan') {
      capabilities.add(need);
      tables.profiles ??= 'read';
    } else {
      capabilities.add(need as Capability);
    }
  }
  return { tables, capabilities };
}

/** What read access means: item and query reads, no Scan. */
const READ = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
/** What readwrite adds: single-item and batch writes, nothing on the table's settings. */
const WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

describe('Least privilege: every function gets exactly what its use case needs', () => {
  const { stack, template } = defaultStack();
  const resources = template.toJSON().Resources as Record<
    string,
    { Properties: { Environment?: { Variables?: Record<string, unknown> } } }
  >;
  const envOf = (name: HandlerName) =>
    resources[logicalIdOf(stack.functions[name])]?.Properties.Environment?.Variables ?? {};
  const statementsOf = (name: HandlerName) =>
    statementsOfRole(template, logicalIdOf(stack.functions[name].role!));
  const tableIds = Object.fromEntries(Object.entries(stack.data.all).map(([id, t]) => [logicalIdOf(t), id]));
  /** Functions a bus rule or a schedule invokes (asynchronously): their on-failure queue is an SQS grant. */
  const targets = [
    ...Object.values(template.findResources('AWS::Events::Rule')).flatMap((r) => r.Properties.Targets),
    ...Object.values(template.findResources('AWS::Scheduler::Schedule')).map((s) => s.Properties.Target),
  ].map((t: { Arn: unknown }) => JSON.stringify(t.Arn));
  const invokedAsync = (name: HandlerName) =>
    targets.includes(JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(stack.functions[name]), 'Arn'] }));

  it('registers one use case per handler, under its own name', () => {
    expect(Object.keys(USE_CASES).sort()).toEqual([...HANDLERS].sort());
    for (const [name, useCase] of Object.entries(USE_CASES)) expect(useCase.name, name).toBe(name);
  });

  it.each([...HANDLERS])('lib/functions.ts grants %s exactly its use case needs', (name) => {
    expect([...FUNCTIONS[name].grants].sort()).toEqual([...USE_CASES[name].needs].sort());
  });

  it('gives every function a role of its own', () => {
    const roles = HANDLERS.map((name) => logicalIdOf(stack.functions[name].role!));
    expect(new Set(roles).size).toBe(HANDLERS.length);
  });

  it.each([...HANDLERS])('%s: exactly the tables its needs name, with exactly that access', (name) => {
    // Prepare
    const expected = entitlement(USE_CASES[name].needs).tables;

    // Act: the DynamoDB actions granted on each table, and on each table's indexes.
    const onTable: Record<string, Set<string>> = {};
    const onIndexes: Record<string, Set<string>> = {};
    for (const s of statementsOf(name)) {
      const actions = asArray(s.Action as string | string[]);
      if (!actions.some((a) => a.startsWith('dynamodb:'))) continue;
      for (const resource of asArray(s.Resource).map((r) => JSON.stringify(r))) {
        const table = Object.entries(tableIds).find(([logicalId]) =>
          resource.includes(`"${logicalId}"`),
        )?.[1];
        // Every DynamoDB grant names a known table or one of its indexes by name (never "*", never index/*).
        expect(table, `${name}: ${resource}`).toBeDefined();
        expect(resource, name).not.toContain('/index/*');
        const into = resource.includes('/index/') ? onIndexes : onTable;
        into[table!] ??= new Set();
        // A Scan is its own need (profilesScan), checked below; read and readwrite never include it.
        for (const action of actions) if (action !== 'dynamodb:Scan') into[table!]!.add(action);
      }
    }

    // Assess: read is exactly the read actions; readwrite adds exactly the item writes; indexes are Query only.
    const seen = Object.fromEntries(
      Object.entries(onTable).map(([table, actions]) => {
        const sorted = [...actions].sort();
        const access: Access | 'other' =
          sorted.join() === [...READ].sort().join()
            ? 'read'
            : sorted.join() === [...READ, ...WRITE].sort().join()
              ? 'readwrite'
              : 'other';
        expect(access, `${name} ${table}: ${sorted.join(', ')}`).not.toBe('other');
        return [table, access];
      }),
    );
    expect(seen).toEqual(expected);
    for (const table of Object.keys(expected)) {
      const indexes = stack.data.all[table]!.layout.indexes.length;
      expect([...(onIndexes[table] ?? [])], `${name} ${table} indexes`).toEqual(
        indexes > 0 ? ['dynamodb:Query'] : [],
      );
    }
    expect(
      Object.keys(onIndexes).every((table) => table in expected),
      name,
    ).toBe(true);
    const env = envOf(name);
    for (const [table, variable] of Object.entries(TABLE_VARIABLE)) {
      const wanted = expected[table] ? { Ref: logicalIdOf(stack.data.all[table]!) } : undefined;
      expect(env[variable], `${name} ${variable}`).toEqual(wanted);
    }
  });

  it.each([...HANDLERS])(
    '%s: SES send, scheduling, StartExecution and link keys exactly when needed',
    (name) => {
      // Prepare
      const has = entitlement(USE_CASES[name].needs).capabilities;
      const actions = statementsOf(name).flatMap((s) => asArray(s.Action as string | string[]));
      const env = envOf(name);
      const granted = (prefix: string) => actions.some((a) => a.startsWith(prefix));

      // Assess: the permission and the setting that goes with it, both or neither.
      expect(granted('ses:'), `${name} ses`).toBe(has.has('sender'));
      expect(env[ENV.configurationSet] !== undefined, `${name} ${ENV.configurationSet}`).toBe(
        has.has('sender'),
      );
      expect(granted('scheduler:'), `${name} scheduler`).toBe(has.has('scheduler'));
      expect(actions.includes('iam:PassRole'), `${name} PassRole`).toBe(has.has('scheduler'));
      for (const variable of [ENV.schedulerRoleArn, ENV.scheduleGroup, ENV.scheduleDlqArn]) {
        expect(env[variable] !== undefined, `${name} ${variable}`).toBe(has.has('scheduler'));
      }
      expect(actions.includes('states:StartExecution'), `${name} StartExecution`).toBe(has.has('workflow'));
      expect(env[ENV.stateMachineArn] !== undefined, `${name} ${ENV.stateMachineArn}`).toBe(
        has.has('workflow') || has.has('scheduler'),
      );
      expect(granted('secretsmanager:'), `${name} secretsmanager`).toBe(has.has('linkKeys'));
      // Scan: only with profilesScan, and only on the profiles table itself (never an index).
      const scans = statementsOf(name).filter((s) =>
        asArray(s.Action as string | string[]).includes('dynamodb:Scan'),
      );
      expect(scans.length > 0, `${name} Scan`).toBe(has.has('profilesScan'));
      for (const s of scans)
        expect(
          asArray(s.Resource).map((r) => JSON.stringify(r)),
          name,
        ).toEqual([JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(stack.data.all.profiles!), 'Arn'] })]);
      expect(env[ENV.linkKeysParameter], `${name} ${ENV.linkKeysParameter}`).toEqual(
        has.has('linkKeys') ? { Ref: logicalIdOf(stack.endpoints.linkKeys) } : undefined,
      );
    },
  );

  it.each([...HANDLERS])(
    '%s: no permission beyond its needs and its own logs, traces and failures',
    (name) => {
      // Prepare: the prefixes its needs account for, plus what every function has.
      const has = entitlement(USE_CASES[name].needs);
      const allowed = [
        'logs:',
        'xray:',
        ...(Object.keys(has.tables).length > 0 ? ['dynamodb:'] : []),
        ...(has.capabilities.has('sender') ? ['ses:'] : []),
        ...(has.capabilities.has('scheduler') ? ['scheduler:', 'iam:PassRole'] : []),
        ...(has.capabilities.has('workflow') ? ['states:'] : []),
        ...(has.capabilities.has('linkKeys') ? ['secretsmanager:'] : []),
        ...(invokedAsync(name) ? ['sqs:'] : []),
      ];

      // Act
      const actions = statementsOf(name).flatMap((s) => asArray(s.Action as string | string[]));

      // Assess
      const extra = actions.filter((a) => !allowed.some((prefix) => a.startsWith(prefix)));
      expect(extra, name).toEqual([]);
      for (const s of statementsOf(name)) {
        // Only X-Ray (no resource-level permissions) may name "*".
        if (asArray(s.Resource as string | string[]).includes('*')) {
          expect(
            asArray(s.Action as string | string[]).every((a) => a.startsWith('xray:')),
            name,
          ).toBe(true);
        }
      }
    },
  );
});
