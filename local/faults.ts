/**
 * Faults anyone can replay: the `--faults FILE` of `reciprocity run`. The file says which SendEmail calls
 * fail and how, and which handler invocations crash; everything here is pure counting on call numbers, so
 * the same file over the same input fails the same calls in every run.
 *
 * ```json
 * { "ses":   [ { "mode": "throttle", "every": 3, "from": 2, "count": 2 } ],
 *   "crash": [ { "handler": "send", "point": "after-ses", "every": 5, "retry": "lambda" } ] }
 * ```
 */
import { readFile } from 'node:fs/promises';
import * as z from 'zod';

/**
 * How a SendEmail call fails. `throttle` (429 TooManyRequestsException) and `reject` (400 MessageRejected)
 * store nothing; `reset-before` drops the connection before SES sees the request; `reset-after` and
 * `error-after` let SES accept and store the email, then drop the connection or answer 500 InternalFailure,
 * so the sender does not know the email went.
 */
export const SES_FAULT_MODES = ['throttle', 'reject', 'reset-before', 'reset-after', 'error-after'] as const;
export type SesFaultMode = (typeof SES_FAULT_MODES)[number];

/** Handlers that can be told to crash, and where. */
export const CRASH_HANDLERS = ['send'] as const;
export type CrashHandler = (typeof CRASH_HANDLERS)[number];
export const CRASH_POINTS = ['before-ses', 'after-ses'] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

/** `lambda`: the invocation throws an error Step Functions retries; `timeout`: the invocation times out. */
export const CRASH_RETRIES = ['lambda', 'timeout'] as const;
export type CrashRetry = (typeof CRASH_RETRIES)[number];

const positive = (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : `must be a positive integer (got ${describe(issue.input)})`;
const positiveInt = z.number({ error: positive }).int({ error: positive }).min(1, { error: positive });

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, {
    error: (issue) =>
      issue.input === undefined
        ? `is required (one of ${values.map((v) => JSON.stringify(v)).join(', ')})`
        : `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')} (got ${describe(issue.input)})`,
  });
const ruleList = <T extends z.ZodType>(rule: T) =>
  z.array(rule, { error: (issue) => `must be an array of rules (got ${describe(issue.input)})` }).default([]);

const sesRule = z.strictObject(
  {
    mode: oneOf(SES_FAULT_MODES),
    /** Every K-th SendEmail call. */
    every: positiveInt.default(1),
    /** Counted from call N (1-based). */
    from: positiveInt.default(1),
    /** At most C times; absent = unlimited. */
    count: positiveInt.optional(),
  },
  { error: objectError },
);

const crashRule = z.strictObject(
  {
    handler: oneOf(CRASH_HANDLERS),
    point: oneOf(CRASH_POINTS),
    /** Every K-th invocation reaching the point: the K-th, 2K-th, ... (unless `from` says otherwise). */
    every: positiveInt.default(1),
    /** The first invocation that crashes (1-based). Default: `every`. */
    from: positiveInt.optional(),
    /** At most C crashes; absent = unlimited. */
    count: positiveInt.optional(),
    retry: oneOf(CRASH_RETRIES),
  },
  { error: objectError },
);

/** DynamoDB faults: throttling (400 ProvisionedThroughputExceededException) or a 500, before the table sees it. */
export const DYNAMODB_FAULT_MODES = ['throttle', 'error'] as const;
export type DynamoFaultMode = (typeof DYNAMODB_FAULT_MODES)[number];

const dynamodbRule = z.strictObject(
  {
    mode: oneOf(DYNAMODB_FAULT_MODES),
    /** Only calls of this operation count (e.g. "UpdateItem"); absent: every call. */
    operation: z
      .string()
      .regex(/^[A-Z][A-Za-z]+$/, 'must be a DynamoDB operation name, e.g. UpdateItem')
      .optional(),
    every: positiveInt.default(1),
    from: positiveInt.default(1),
    count: positiveInt.optional(),
  },
  { error: objectError },
);

export const faultsSchema = z.strictObject(
  {
    ses: ruleList(sesRule),
    crash: ruleList(crashRule),
    /** An addition to the contract: DynamoDB calls throttled or failed, counted per rule. */
    dynamodb: ruleList(dynamodbRule),
  },
  { error: objectError },
);

export type Faults = z.output<typeof faultsSchema>;
export type SesFaultRule = z.output<typeof sesRule>;
export type CrashRule = z.output<typeof crashRule>;
export type DynamoFaultRule = z.output<typeof dynamodbRule>;
/** What a file may say (defaults not yet applied). */
export type FaultsInput = z.input<typeof faultsSchema>;

/** The faults file is unreadable, not JSON, or not a valid faults file. The message names the bad field. */
export class FaultsFileError extends Error {
  constructor(
    message: string,
    readonly issues: readonly string[] = [message],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'FaultsFileError';
  }
}

/** Validates a parsed faults file. Throws FaultsFileError with one `faults.ses[0].mode: ...` line per issue. */
export function parseFaults(json: unknown): Faults {
  const result = faultsSchema.safeParse(json);
  if (result.success) return result.data;
  const issues = result.error.issues.map(formatIssue);
  throw new FaultsFileError(issues.join('\n'), issues, { cause: result.error });
}

/** Reads and validates a faults file; every failure is a FaultsFileError naming the path. */
export async function loadFaults(path: string): Promise<Faults> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FaultsFileError(`${path}: cannot read faults file (${reason(error)})`, undefined, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FaultsFileError(`${path}: not valid JSON (${reason(error)})`, undefined, { cause: error });
  }
  try {
    return parseFaults(json);
  } catch (error) {
    if (!(error instanceof FaultsFileError)) throw error;
    const issues = error.issues.map((issue) => `${path}: ${issue}`);
    throw new FaultsFileError(issues.join('\n'), issues, { cause: error.cause });
  }
}

/** Whether a rule with these numbers fires on the n-th call (1-based): n = from + i*every, i < count. */
export function firesOn(
  rule: { every: number; from: number; count?: number | undefined },
  n: number,
): boolean {
  if (!Number.isInteger(n) || n < rule.from) return false;
  const offset = n - rule.from;
  if (offset % rule.every !== 0) return false;
  return rule.count === undefined || offset / rule.every < rule.count;
}

/**
 * The SES rules of a faults file, counting SendEmail calls. Rules do not interact: each fires on its own
 * call numbers, and when several fire on the same call the first one in the file wins.
 */
export class SesFaultRules {
  private readonly rules: readonly SesFaultRule[];
  private seen = 0;

  constructor(rules: readonly SesFaultRule[] = []) {
    this.rules = [...rules];
  }

  /** The mode for the n-th SendEmail call (1-based), without counting it. */
  modeFor(n: number): SesFaultMode | undefined {
    return this.rules.find((rule) => firesOn(rule, n))?.mode;
  }

  /** Counts one more SendEmail call and returns the mode to apply to it, if any. */
  next(): SesFaultMode | undefined {
    this.seen += 1;
    return this.modeFor(this.seen);
  }

  /** SendEmail calls counted so far. */
  get calls(): number {
    return this.seen;
  }
}

/** One injected crash: how Step Functions should see it, and which invocation and rule it was. */
export interface CrashDecision {
  retry: CrashRetry;
  handler: CrashHandler;
  point: CrashPoint;
  /** The 1-based number of this invocation among those that reached (handler, point). */
  invocation: number;
  /** Index of the rule in `crash`. */
  rule: number;
}

/**
 * The crash rules of a faults file. `check(handler, point)` is called each time a handler reaches a point;
 * it counts invocations per (handler, point) and says whether this one crashes. An invocation that crashed
 * before-ses never reaches after-ses, so each point counts only the invocations that got there.
 */
export class CrashPlan {
  private readonly rules: readonly CrashRule[];
  private readonly counts = new Map<string, number>();

  constructor(rules: readonly CrashRule[] = []) {
    this.rules = [...rules];
  }

  check(handler: string, point: string): CrashDecision | undefined {
    const key = `${handler}\u0000${point}`;
    const invocation = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, invocation);
    const index = this.rules.findIndex(
      (rule) =>
        rule.handler === handler &&
        rule.point === point &&
        firesOn({ every: rule.every, from: rule.from ?? rule.every, count: rule.count }, invocation),
    );
    const rule = this.rules[index];
    if (!rule) return undefined;
    return { retry: rule.retry, handler: rule.handler, point: rule.point, invocation, rule: index };
  }

  /** Invocations counted so far at (handler, point). */
  invocations(handler: string, point: string): number {
    return this.counts.get(`${handler}\u0000${point}`) ?? 0;
  }
}

/** The error an injected crash throws; `retry` tells the runtime how Step Functions should see it. */
export class InjectedCrashError extends Error {
  readonly retry: CrashRetry;
  constructor(readonly decision: CrashDecision) {
    super(
      `Injected crash: ${decision.handler} ${decision.point}, invocation ${decision.invocation} (crash[${decision.rule}], retry ${decision.retry})`,
    );
    this.name = 'InjectedCrashError';
    this.retry = decision.retry;
  }
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => JSON.stringify(key)).join(', ');
    return `faults${path}: unknown key${issue.keys.length > 1 ? 's' : ''} ${keys}`;
  }
  return `faults${path}: ${issue.message}`;
}

function objectError(issue: { input?: unknown; code?: string }): string | undefined {
  if (issue.code === 'invalid_type') return `must be an object (got ${describe(issue.input)})`;
  return undefined;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Counts DynamoDB calls per rule (only those of the rule's operation) and says which fault, if any, applies. */
export class DynamoFaultRules {
  private readonly calls: number[];

  constructor(private readonly rules: readonly DynamoFaultRule[] = []) {
    this.calls = rules.map(() => 0);
  }

  /** The fault for this call of `operation`, counting it; the first matching rule wins. */
  next(operation: string): DynamoFaultMode | undefined {
    let mode: DynamoFaultMode | undefined;
    this.rules.forEach((rule, i) => {
      if (rule.operation && rule.operation !== operation) return;
      this.calls[i] = (this.calls[i] ?? 0) + 1;
      if (mode === undefined && firesOn(rule, this.calls[i]!)) mode = rule.mode;
    });
    return mode;
  }
}
