import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  buildDeps,
  missingSdk,
  missingStores,
  type Sdk,
  type StoreName,
  TABLE_ENV,
} from '../../functions/app/build-deps.js';
import { ALL_SDK, ALL_STORES } from '../../functions/app/deps.js';
import { ledger, stats } from '../../functions/app/stores.js';
import { ENV, HANDLERS } from '../../functions/domain/names.js';
import { USE_CASES } from '../../functions/usecases/index.js';

/** Every setting a function may be given (dummy values), as the stack sets them. */
const LAMBDA_ENV: Record<string, string> = {
  ...Object.fromEntries(Object.values(TABLE_ENV).map((name) => [name, `t-${name}`])),
  [ENV.idempotencyTable]: 'idempotency',
  [ENV.scheduleGroup]: 'group',
  [ENV.stateMachineArn]: 'arn:aws:states:eu-west-1:1:stateMachine:m',
  [ENV.schedulerRoleArn]: 'arn:aws:iam::1:role/r',
  [ENV.linkKeysParameter]: 'link-keys',
  AWS_REGION: 'eu-west-1',
};

describe('Function: buildDeps', () => {
  it('fails at once when an SDK module a need uses was not given', () => {
    // Act and assess
    expect(() =>
      buildDeps({ env: LAMBDA_ENV, needs: ['ledger', 'sender', 'workflow'] }, { stores: ALL_STORES }),
    ).toThrow(/SDK modules not loaded for this use case's needs: sesv2, sfn/);
    expect(missingSdk(['linkKeys'], {}, LAMBDA_ENV)).toEqual(['secrets']);
    // Link keys given inline are read without Secrets Manager
    expect(
      missingSdk(['linkKeys'], {}, { ...LAMBDA_ENV, [ENV.linkKeys]: '{"current":"k","k":"x"}' }),
    ).toEqual([]);
  });

  it('fails at once when a store a need names (or a store it uses) was not given', () => {
    // Act and assess
    expect(() => buildDeps({ env: LAMBDA_ENV, needs: ['profiles:read', 'ledger'] }, {})).toThrow(
      /Stores not loaded for this use case's needs: profiles, ledger, stats/,
    );
    // The ledger counts its decisions into the stats: a function with the ledger has the stats store too
    expect(missingStores(['ledger'], { ledger })).toEqual(['stats']);
  });

  it('builds a client and a store only for a need the use case declared', () => {
    // Prepare
    const deps = buildDeps({ env: LAMBDA_ENV, needs: ['ledger'] }, { stores: { ledger, stats } });

    // Act and assess
    expect(() => deps.sender).toThrow(/The sesv2 client is not loaded/);
    expect(() => deps.workflow).toThrow(/The sfn client is not loaded/);
    expect(() => deps.stores.profiles).toThrow(/The profiles store is not loaded/);
    expect(deps.stores.ledger).toBeDefined();
  });
});

describe('Lambda entries (functions/handlers)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each(HANDLERS.map((name) => [name]))('%s passes exactly the SDK modules its needs use', (name) => {
    // Prepare
    const source = readFileSync(`functions/handlers/${name}.ts`, 'utf8');
    const passed = [...source.matchAll(/from '\.\.\/app\/sdk\/([a-z0-9]+)\.js'/g)].map((m) => m[1]).sort();

    // Act
    const needed = missingSdk(USE_CASES[name].needs, {}, LAMBDA_ENV).sort();

    // Assess
    expect(passed).toEqual(needed);
  });

  it.each(HANDLERS.map((name) => [name]))('%s passes exactly the stores its needs name', (name) => {
    // Prepare
    const source = readFileSync(`functions/handlers/${name}.ts`, 'utf8');
    const imported = /import \{([^}]*)\} from '\.\.\/app\/stores\.js'/.exec(source)?.[1] ?? '';
    const passed = imported
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .sort();

    // Act
    const needed = missingStores(USE_CASES[name].needs, {}).sort();

    // Assess
    expect(passed).toEqual(needed);
  });

  it('each loads with its function settings (Deps built and checked at module load)', async () => {
    // Prepare
    for (const [key, value] of Object.entries(LAMBDA_ENV)) vi.stubEnv(key, value);

    // Act
    const handlers = await Promise.all(HANDLERS.map((name) => import(`../../functions/handlers/${name}.ts`)));

    // Assess
    for (const module of handlers) expect(typeof module.handler).toBe('function');
  });

  it('makeDeps (embedded mode, tests) has every store', () => {
    expect(Object.keys(ALL_STORES).sort()).toEqual(Object.keys(TABLE_ENV).sort() as StoreName[]);
  });

  it('makeDeps (embedded mode, tests) has every SDK module', () => {
    expect(Object.keys(ALL_SDK).sort()).toEqual([
      'scheduler',
      'secrets',
      'sesv2',
      'sfn',
    ] satisfies (keyof Sdk)[]);
  });
});
