import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CrashPlan,
  DynamoFaultRules,
  FaultsFileError,
  firesOn,
  InjectedCrashError,
  loadFaults,
  parseFaults,
  SesFaultRules,
} from '../../local/faults.js';

const errorOf = (json: unknown): FaultsFileError => {
  try {
    parseFaults(json);
  } catch (error) {
    if (error instanceof FaultsFileError) return error;
    throw error;
  }
  throw new Error('expected a FaultsFileError');
};

describe('parseFaults', () => {
  it('accepts the contract and fills the defaults', () => {
    // Act
    const faults = parseFaults({
      ses: [
        { mode: 'throttle', every: 3, from: 2, count: 2 },
        { mode: 'reject' },
        { mode: 'reset-before', every: 10 },
        { mode: 'reset-after', from: 7 },
        { mode: 'error-after', count: 1 },
      ],
      crash: [
        { handler: 'send', point: 'before-ses', every: 4, retry: 'lambda' },
        { handler: 'send', point: 'after-ses', retry: 'timeout' },
      ],
    });

    // Assess
    expect(faults).toEqual({
      ses: [
        { mode: 'throttle', every: 3, from: 2, count: 2 },
        { mode: 'reject', every: 1, from: 1 },
        { mode: 'reset-before', every: 10, from: 1 },
        { mode: 'reset-after', every: 1, from: 7 },
        { mode: 'error-after', every: 1, from: 1, count: 1 },
      ],
      crash: [
        { handler: 'send', point: 'before-ses', every: 4, retry: 'lambda' },
        { handler: 'send', point: 'after-ses', every: 1, retry: 'timeout' },
      ],
      dynamodb: [],
    });
  });

  it('accepts a file with only one section, or none', () => {
    expect(parseFaults({})).toEqual({ ses: [], crash: [], dynamodb: [] });
    expect(parseFaults({ crash: [] })).toEqual({ ses: [], crash: [], dynamodb: [] });
  });

  it.each([
    ['not an object', [], 'faults: must be an object (got an array)'],
    ['null', null, 'faults: must be an object (got null)'],
    ['an unknown top-level key', { ses: [], oops: 1 }, 'faults: unknown key "oops"'],
    ['ses not an array', { ses: {} }, 'faults.ses: must be an array of rules (got object)'],
    ['a rule not an object', { ses: ['throttle'] }, 'faults.ses[0]: must be an object (got "throttle")'],
    [
      'a missing mode',
      { ses: [{ every: 2 }] },
      'faults.ses[0].mode: is required (one of "throttle", "reject", "reset-before", "reset-after", "error-after")',
    ],
    [
      'an unknown mode',
      { ses: [{ mode: 'throttle' }, { mode: 'slow' }] },
      'faults.ses[1].mode: must be one of "throttle", "reject", "reset-before", "reset-after", "error-after" (got "slow")',
    ],
    [
      'every 0',
      { ses: [{ mode: 'reject', every: 0 }] },
      'faults.ses[0].every: must be a positive integer (got 0)',
    ],
    [
      'a fractional from',
      { ses: [{ mode: 'reject', from: 1.5 }] },
      'faults.ses[0].from: must be a positive integer (got 1.5)',
    ],
    [
      'a negative count',
      { ses: [{ mode: 'reject', count: -1 }] },
      'faults.ses[0].count: must be a positive integer (got -1)',
    ],
    [
      'a count as a string',
      { ses: [{ mode: 'reject', count: '2' }] },
      'faults.ses[0].count: must be a positive integer (got "2")',
    ],
    ['an unknown rule key', { ses: [{ mode: 'reject', times: 2 }] }, 'faults.ses[0]: unknown key "times"'],
    [
      'an unknown handler',
      { crash: [{ handler: 'record', point: 'after-ses', retry: 'lambda' }] },
      'faults.crash[0].handler: must be one of "send" (got "record")',
    ],
    [
      'an unknown point',
      { crash: [{ handler: 'send', point: 'during-ses', retry: 'lambda' }] },
      'faults.crash[0].point: must be one of "before-ses", "after-ses" (got "during-ses")',
    ],
    [
      'an unknown retry',
      { crash: [{ handler: 'send', point: 'after-ses', retry: 'never' }] },
      'faults.crash[0].retry: must be one of "lambda", "timeout" (got "never")',
    ],
    [
      'a missing retry',
      { crash: [{ handler: 'send', point: 'after-ses' }] },
      'faults.crash[0].retry: is required (one of "lambda", "timeout")',
    ],
    [
      'crash every 0',
      { crash: [{ handler: 'send', point: 'after-ses', retry: 'lambda', every: 0 }] },
      'faults.crash[0].every: must be a positive integer (got 0)',
    ],
  ])('rejects %s with the path of the bad field', (_case, json, message) => {
    // Act
    const error = errorOf(json);

    // Assess
    expect(error.name).toBe('FaultsFileError');
    expect(error.message).toBe(message);
    expect(error.issues).toEqual([message]);
  });

  it('reports every issue, one line each', () => {
    // Act
    const error = errorOf({ ses: [{ mode: 'nope', every: 0 }] });

    // Assess
    expect(error.issues).toEqual([
      'faults.ses[0].mode: must be one of "throttle", "reject", "reset-before", "reset-after", "error-after" (got "nope")',
      'faults.ses[0].every: must be a positive integer (got 0)',
    ]);
    expect(error.message).toBe(error.issues.join('\n'));
  });
});

describe('loadFaults', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faults-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads and validates a file', async () => {
    // Prepare
    const path = join(dir, 'ok.json');
    await writeFile(path, JSON.stringify({ ses: [{ mode: 'reset-after', every: 5 }] }));

    // Act
    const faults = await loadFaults(path);

    // Assess
    expect(faults).toEqual({ ses: [{ mode: 'reset-after', every: 5, from: 1 }], crash: [], dynamodb: [] });
  });

  it('names the path when the file is missing, not JSON, or invalid', async () => {
    // Prepare
    const missing = join(dir, 'missing.json');
    const broken = join(dir, 'broken.json');
    const invalid = join(dir, 'invalid.json');
    await writeFile(broken, '{ "ses": [');
    await writeFile(invalid, JSON.stringify({ ses: [{ mode: 'slow' }] }));

    // Act
    const errors = await Promise.all(
      [missing, broken, invalid].map((path) => loadFaults(path).catch((e) => e)),
    );

    // Assess
    for (const error of errors) expect(error).toBeInstanceOf(FaultsFileError);
    expect(errors[0].message).toMatch(new RegExp(`^${missing}: cannot read faults file \\(.*ENOENT`));
    expect(errors[1].message).toMatch(new RegExp(`^${broken}: not valid JSON \\(`));
    expect(errors[2].message).toBe(
      `${invalid}: faults.ses[0].mode: must be one of "throttle", "reject", "reset-before", "reset-after", "error-after" (got "slow")`,
    );
  });
});

describe('SES rule arithmetic', () => {
  const fired = (rule: { every: number; from: number; count?: number }, upTo = 20) =>
    Array.from({ length: upTo }, (_, i) => i + 1).filter((n) => firesOn(rule, n));

  it('every 3 from 2 count 2 fires on calls 2 and 5 only', () => {
    expect(fired({ every: 3, from: 2, count: 2 })).toEqual([2, 5]);
  });

  it('defaults fire on every call; count limits; from delays', () => {
    expect(fired({ every: 1, from: 1 }, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(fired({ every: 1, from: 1, count: 3 })).toEqual([1, 2, 3]);
    expect(fired({ every: 4, from: 1 })).toEqual([1, 5, 9, 13, 17]);
    expect(fired({ every: 1, from: 18 })).toEqual([18, 19, 20]);
    expect(fired({ every: 5, from: 3, count: 1 })).toEqual([3]);
  });

  it('counts SendEmail calls; the first matching rule in the file wins; rules do not interact', () => {
    // Prepare
    const rules = new SesFaultRules(
      parseFaults({
        ses: [
          { mode: 'throttle', every: 3, from: 2, count: 2 },
          { mode: 'error-after', every: 2 },
        ],
      }).ses,
    );

    // Act
    const modes = Array.from({ length: 9 }, () => rules.next() ?? '-');

    // Assess: throttle on 2 and 5; error-after on the odd calls, except 5, where the first rule wins.
    expect(modes).toEqual([
      'error-after',
      'throttle',
      'error-after',
      '-',
      'throttle',
      '-',
      'error-after',
      '-',
      'error-after',
    ]);
    expect(rules.calls).toBe(9);
    expect(rules.modeFor(5)).toBe('throttle');
    expect(rules.modeFor(11)).toBe('error-after');
    expect(new SesFaultRules().next()).toBeUndefined();
  });

  it('gives the same modes in every run of the same file', () => {
    // Prepare
    const { ses } = parseFaults({
      ses: [
        { mode: 'reset-after', every: 7, from: 3 },
        { mode: 'reject', from: 4 },
      ],
    });
    const run = () => {
      const rules = new SesFaultRules(ses);
      return Array.from({ length: 50 }, () => rules.next());
    };

    // Act / Assess
    expect(run()).toEqual(run());
  });
});

describe('CrashPlan', () => {
  it('crashes every K-th invocation reaching (handler, point), counting each point apart', () => {
    // Prepare
    const plan = new CrashPlan(
      parseFaults({
        crash: [
          { handler: 'send', point: 'before-ses', every: 3, retry: 'lambda' },
          { handler: 'send', point: 'after-ses', every: 2, retry: 'timeout' },
        ],
      }).crash,
    );

    // Act
    const before = Array.from({ length: 7 }, () => plan.check('send', 'before-ses')?.retry ?? '-');
    const after = Array.from({ length: 4 }, () => plan.check('send', 'after-ses')?.retry ?? '-');

    // Assess
    expect(before).toEqual(['-', '-', 'lambda', '-', '-', 'lambda', '-']);
    expect(after).toEqual(['-', 'timeout', '-', 'timeout']);
    expect(plan.invocations('send', 'before-ses')).toBe(7);
    expect(plan.invocations('send', 'after-ses')).toBe(4);
  });

  it('says which invocation and rule crashed; from and count narrow it', () => {
    // Prepare
    const plan = new CrashPlan(
      parseFaults({
        crash: [{ handler: 'send', point: 'after-ses', every: 2, from: 1, count: 2, retry: 'timeout' }],
      }).crash,
    );

    // Act
    const decisions = Array.from({ length: 6 }, () => plan.check('send', 'after-ses'));

    // Assess
    expect(decisions.map((d) => d?.invocation)).toEqual([1, undefined, 3, undefined, undefined, undefined]);
    expect(decisions[0]).toEqual({
      retry: 'timeout',
      handler: 'send',
      point: 'after-ses',
      invocation: 1,
      rule: 0,
    });
  });

  it('never crashes a handler or point no rule names, but still counts it', () => {
    // Prepare
    const plan = new CrashPlan(
      parseFaults({ crash: [{ handler: 'send', point: 'before-ses', retry: 'lambda' }] }).crash,
    );

    // Act / Assess
    expect(plan.check('record', 'before-ses')).toBeUndefined();
    expect(plan.check('send', 'after-ses')).toBeUndefined();
    expect(plan.check('send', 'before-ses')).toMatchObject({ retry: 'lambda', invocation: 1 });
    expect(plan.invocations('record', 'before-ses')).toBe(1);
    expect(new CrashPlan().check('send', 'before-ses')).toBeUndefined();
  });

  it('turns a decision into a named InjectedCrashError', () => {
    // Prepare
    const plan = new CrashPlan(
      parseFaults({ crash: [{ handler: 'send', point: 'after-ses', retry: 'lambda' }] }).crash,
    );
    const decision = plan.check('send', 'after-ses')!;

    // Act
    const error = new InjectedCrashError(decision);

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('InjectedCrashError');
    expect(error.retry).toBe('lambda');
    expect(error.message).toBe('Injected crash: send after-ses, invocation 1 (crash[0], retry lambda)');
  });
});

describe('Class: DynamoFaultRules', () => {
  it('counts only the calls of its operation, and fires on every K-th from N at most C times', () => {
    const rules = new DynamoFaultRules(
      parseFaults({ dynamodb: [{ mode: 'throttle', operation: 'UpdateItem', every: 2, from: 2, count: 2 }] })
        .dynamodb,
    );
    const seen = [
      'GetItem',
      'UpdateItem',
      'UpdateItem',
      'Query',
      'UpdateItem',
      'UpdateItem',
      'UpdateItem',
      'UpdateItem',
    ].map((op) => rules.next(op) ?? '-');
    expect(seen).toEqual(['-', '-', 'throttle', '-', '-', 'throttle', '-', '-']);
  });

  it('refuses an unknown mode or a malformed operation name', () => {
    expect(() => parseFaults({ dynamodb: [{ mode: 'slow' }] })).toThrow(/faults\.dynamodb\[0\]\.mode/);
    expect(() => parseFaults({ dynamodb: [{ mode: 'error', operation: 'update item' }] })).toThrow(
      /faults\.dynamodb\[0\]\.operation/,
    );
  });
});
