/**
 * What 1,000 sent messages cost on AWS at list prices (REFERENCE.md section 2, us-east-1), itemised, from
 * counts measured in the embedded run. Local wall times stand in for AWS durations (see bench/README.md).
 */

export const PRICES = {
  sesPer1000: 0.1,
  expressPerRequest: 1.0 / 1e6,
  expressPerGbSecond: 0.00001667,
  expressMemoryGb: 64 / 1024,
  expressIncrementMs: 100,
  lambdaPerRequest: 0.2 / 1e6,
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaX86PerGbSecond: 0.0000166667,
  dynamoPerWriteUnit: 0.625 / 1e6,
  dynamoPerReadUnit: 0.125 / 1e6,
  eventBridgePerEvent: 1.0 / 1e6,
  schedulerPerInvocation: 1.0 / 1e6,
  logsPerGb: 0.5,
  standardPerTransition: 0.025 / 1000,
  // Not in REFERENCE.md: AWS list price of Secrets Manager API calls ($0.05 per 10,000).
  secretsPerCall: 0.05 / 10_000,
} as const;

/** The target (issue 11): all-in AWS cost on top of SES, per 1,000 sent messages. */
export const TARGET_PER_1000 = 0.015;
/** GetSecretValue results are cached per container for this long (functions/app/deps.ts). */
export const SECRET_CACHE_MS = 24 * 60 * 60_000;
/** CloudWatch Logs counts each event as its UTF-8 message plus 26 bytes (the PutLogEvents size rule). */
export const LOG_EVENT_OVERHEAD = 26;

/**
 * The platform lines Lambda writes per invocation with LoggingFormat JSON and active tracing (system log
 * level INFO: platform.start and platform.report; no END line in JSON format). Typical values; cold-start
 * fields (initDurationMs, platform.initStart/initReport) are left out.
 */
export function platformLines(memoryMb: number): string[] {
  const time = '2026-12-01T09:00:00.123Z';
  const requestId = '8fc6f963-411b-58b5-8483-a32130c0f45d';
  const tracing = {
    spanId: '107ea78a5750a811',
    type: 'X-Amzn-Trace-Id',
    value: 'Root=1-61c86fa4-59b3c6d959653c527fd10966;Parent=107ea78a5750a811;Sampled=1',
  };
  const metrics = { durationMs: 12.34, billedDurationMs: 13, memorySizeMB: memoryMb, maxMemoryUsedMB: 91 };
  return [
    JSON.stringify({ time, type: 'platform.start', record: { requestId, version: '$LATEST', tracing } }),
    JSON.stringify({
      time,
      type: 'platform.report',
      record: { requestId, metrics, tracing, status: 'success' },
    }),
  ];
}

export function platformBytesPerInvocation(memoryMb: number): number {
  return platformLines(memoryMb).reduce((n, line) => n + Buffer.byteLength(line) + LOG_EVENT_OVERHEAD, 0);
}

/** Calls of GetSecretValue by one warm container caching for a day, given its calls' (simulated) times. */
export function secretFetches(times: readonly number[]): number {
  let until = Number.NEGATIVE_INFINITY;
  let fetches = 0;
  for (const at of [...times].sort((a, b) => a - b)) {
    if (at < until) continue;
    fetches += 1;
    until = at + SECRET_CACHE_MS;
  }
  return fetches;
}

export interface LambdaUse {
  handler: string;
  invocations: number;
  /** Sum of per-invocation durations rounded up to 1 ms (Lambda's billing granularity). */
  billedMs: number;
  memoryMb: number;
  arm64: boolean;
}

export interface CostInputs {
  emails: number;
  executions: number;
  /** Sum over executions of wall time rounded up to 100 ms. */
  executionBilledMs: number;
  transitions: number;
  lambda: LambdaUse[];
  readUnits: number;
  writeUnits: number;
  schedulerInvocations: number;
  customEvents: number;
  logBytes: number;
  secretCalls: number;
}

export interface CostLine {
  item: string;
  quantity: number;
  unit: string;
  usd: number;
}

export interface CostSummary {
  lines: CostLine[];
  total: number;
  standardWorkflow: number;
  expressWorkflow: number;
  ses: number;
  target: number;
}

/** Cost per 1,000 sent messages. */
export function costPer1000(input: CostInputs): CostSummary {
  const per = 1000 / input.emails;
  const line = (item: string, quantity: number, unit: string, usd: number): CostLine => ({
    item,
    quantity: quantity * per,
    unit,
    usd: usd * per,
  });
  const expressGbS = (input.executionBilledMs / 1000) * PRICES.expressMemoryGb;
  const invocations = input.lambda.reduce((n, l) => n + l.invocations, 0);
  const lambdaGbS = input.lambda.map((l) => ({ ...l, gbS: (l.billedMs / 1000) * (l.memoryMb / 1024) }));
  const lambdaUsd = lambdaGbS.reduce(
    (n, l) => n + l.gbS * (l.arm64 ? PRICES.lambdaArmPerGbSecond : PRICES.lambdaX86PerGbSecond),
    0,
  );
  const lines = [
    line('Express requests', input.executions, 'executions', input.executions * PRICES.expressPerRequest),
    line('Express duration (64 MB, 100 ms)', expressGbS, 'GB-s', expressGbS * PRICES.expressPerGbSecond),
    line('Lambda requests', invocations, 'invocations', invocations * PRICES.lambdaPerRequest),
    line('Lambda duration (arm64)', sumGbS(lambdaGbS), 'GB-s', lambdaUsd),
    line(
      'DynamoDB writes (on-demand)',
      input.writeUnits,
      'WRU',
      input.writeUnits * PRICES.dynamoPerWriteUnit,
    ),
    line('DynamoDB reads (on-demand)', input.readUnits, 'RRU', input.readUnits * PRICES.dynamoPerReadUnit),
    line(
      'Scheduler invocations (fired)',
      input.schedulerInvocations,
      'invocations',
      input.schedulerInvocations * PRICES.schedulerPerInvocation,
    ),
    line(
      'EventBridge custom events',
      input.customEvents,
      'events',
      input.customEvents * PRICES.eventBridgePerEvent,
    ),
    line('CloudWatch Logs ingestion', input.logBytes / 1e6, 'MB', (input.logBytes / 1e9) * PRICES.logsPerGb),
    line(
      'Secrets Manager GetSecretValue',
      input.secretCalls,
      'calls',
      input.secretCalls * PRICES.secretsPerCall,
    ),
  ];
  const expressWorkflow = (lines[0]?.usd ?? 0) + (lines[1]?.usd ?? 0);
  return {
    lines,
    total: lines.reduce((n, l) => n + l.usd, 0),
    standardWorkflow: input.transitions * per * PRICES.standardPerTransition,
    expressWorkflow,
    ses: PRICES.sesPer1000,
    target: TARGET_PER_1000,
  };
}

function sumGbS(uses: { gbS: number }[]): number {
  return uses.reduce((n, u) => n + u.gbS, 0);
}
