/** The bench's figures as sections, printed as plain text and written as commit-friendly markdown. */
import type { Analysis } from './analyze.js';
import { BUNDLE_GOAL_BYTES, type BundleSize, LOAD_GOAL_MS } from './bundles.js';
import { platformLines } from './cost.js';
import type { RealShopFigures } from './real.js';
import type { RenderBench } from './render.js';
import type { SweepReads } from './scaling.js';
import type { StackFacts } from './stack-facts.js';
import { fmt, mdTable, type Spread, textTable, usd } from './stats.js';

export interface Section {
  title: string;
  lines?: string[];
  table?: string[][];
  tables?: string[][][];
  notes?: string[];
}

export interface ReportInput {
  meta: {
    date: string;
    node: string;
    cpus: number;
    customers: number;
    days: number;
    runs: number;
    seconds: number;
  };
  facts: StackFacts;
  analysis: Analysis;
  render: RenderBench;
  bundles: BundleSize[];
  scaling: { results: SweepReads[]; note: string };
  /** Section 1's comparison: the same timed runs on the memory transport (the default) and over HTTP. */
  transports?: { memory: TransportFigures; http: TransportFigures };
  /** Section 1's real-data row: a sample of a real shop's month (bench/real.ts). */
  realShop?: RealShopFigures | { skipped: string };
}

/** One transport's timed runs (bench/run.ts). */
export interface TransportFigures {
  emails: number;
  emailsAgree: boolean;
  perWallSecond: Spread;
  perCpuSecond: Spread;
}

const kb = (bytes: number) => `${fmt(bytes / 1024, 1)} KB`;

/** Section 1: emails per second of the week, on the default transport and, beside it, over HTTP. */
function throughputSection(
  a: Analysis,
  meta: ReportInput['meta'],
  transports: ReportInput['transports'],
  realShop: ReportInput['realShop'],
): Section {
  const table = [
    ['figure', 'median', 'min', 'max'],
    row('messages per second (memory transport, the default)', a.messagesPerSecond),
    row('wall seconds of the week (memory)', a.weekWallSeconds),
  ];
  const notes = [
    `${a.emails} emails per run, ${meta.runs} timed runs per transport${a.emailsAgree ? ' (identical output every run)' : ' (OUTPUT DIFFERED between runs)'}; one process, jobs one at a time, on a shared ${meta.cpus}-core machine.`,
  ];
  if (transports) {
    const { memory, http } = transports;
    const ratio = (pick: (t: TransportFigures) => Spread) =>
      `${fmt(pick(memory).median / pick(http).median, 2)}x`;
    table.push(
      row('messages per second (http transport: sockets, SigV4)', http.perWallSecond),
      ['memory / http (medians, wall)', ratio((t) => t.perWallSecond), '', ''],
      row('messages per CPU second (memory)', memory.perCpuSecond),
      row('messages per CPU second (http)', http.perCpuSecond),
      ['memory / http (medians, CPU)', ratio((t) => t.perCpuSecond), '', ''],
    );
    notes.push(
      `The two transports' runs alternate (memory, http, memory, ...) in one process; ${memory.emails === http.emails && memory.emailsAgree && http.emailsAgree ? 'both sent the same number of emails' : 'THE TRANSPORTS SENT DIFFERENT NUMBERS OF EMAILS'} (test/local/transport-identity.test.ts checks the outputs are the same). Per CPU second: the process's user + system time over the week, which other load on the machine moves less than wall time.`,
    );
  }
  if (realShop) {
    const real = realShopRows(realShop);
    table.push(...real.rows);
    notes.push(real.note);
  }
  return {
    title: '1. End-to-end throughput (emails sent / wall seconds of the simulated week, startup excluded)',
    table,
    notes,
  };
}

const row = (label: string, s: Spread, digits = 1) => [
  label,
  fmt(s.median, digits),
  fmt(s.min, digits),
  fmt(s.max, digits),
];

/** The real-data rows of section 1, beside the demo's: the same figures, and the process's peak memory. */
export function realShopRows(real: RealShopFigures | { skipped: string }): {
  rows: string[][];
  note: string;
} {
  if ('skipped' in real)
    return { rows: [], note: `Real shop (UCI Online Retail) not measured: ${real.skipped}.` };
  const share = `${fmt(real.sample * 100, 1)}% sample`;
  return {
    rows: [
      row(`messages per second, a real shop's month (UCI, ${share}; memory)`, real.perWallSecond),
      row('messages per CPU second (real shop)', real.perCpuSecond),
      row('messages per CPU second (demo shop, the same command beside it)', real.demo.perCpuSecond),
      row("real shop / demo shop, messages per CPU second (1.0: the demo's speed)", real.speedRatio, 2),
      row('seconds of the whole command (real shop: startup, import, month, outputs)', real.commandSeconds),
      row('peak resident memory, MB (real shop, its own process)', real.peakRssMb, 0),
    ],
    note: `Real shop: the UCI "Online Retail" export, ${real.month}, ${share} of its customers (reciprocity history --sample ${real.sample}): ${real.customers} customers with ${real.pastOrders} past orders, ${real.products} products, ${real.orders} orders replayed; ${real.emails} emails per run${real.emailsAgree ? ' (the same every run)' : ' (EMAILS DIFFERED between runs)'}, ${real.perWallSecond.samples} runs of reciprocity run's own session, each in a process of its own (bench/real-run.ts), audience on, outputs written; ${real.problems === 0 ? 'exactly-once and counters checks clean' : `${real.problems} EXACTLY-ONCE OR COUNTER PROBLEMS`}. Per second: the simulated month alone, as the demo's row; the whole command is a row of its own. Beside each real run, the demo shop's week (1,200 customers, ${real.demo.emails} emails) through the same command (bench/real-run.ts: default audience, outputs written), so the ratio compares the two shops under the same load. A small sample is dominated by what does not grow with its customers (its catalogue of ${real.products} products, the hourly sweeps over a month): \`--sample 1\` replays the whole month.`,
  };
}

/** How many write shapes section 2 lists. */
const WRITE_SHAPES_SHOWN = 15;

/** The write shapes of the week and the SES feedback together, largest first (capped at `limit`). */
export function topWrites(
  a: Analysis,
  limit: number,
  width = 110,
): [string, { requests: number; write: number }][] {
  const merged: Record<string, { requests: number; write: number }> = {};
  for (const report of [a.dynamo.week, a.dynamo.feedback]) {
    for (const [shape, u] of Object.entries(report.byWrite ?? {})) {
      const m = merged[shape] ?? { requests: 0, write: 0 };
      m.requests += u.requests;
      m.write += u.write;
      merged[shape] = m;
    }
  }
  const shown = (s: string) => (s.length > width ? `${s.slice(0, width - 3)}...` : s);
  return Object.entries(merged)
    .sort(([, x], [, y]) => y.write - x.write)
    .slice(0, limit)
    .map(([shape, u]) => [shown(shape), u]);
}

/** Sections 2 to 5 (DynamoDB units, work, durations, cost): what the metered run alone can tell. */
export function costSections(a: Analysis, facts: StackFacts): Section[] {
  const per = (n: number, digits = 2) => fmt(n / a.emails, digits);
  const fn = Object.values(facts.functions)[0];
  const c = a.cost;
  const rows = (cap: Analysis['dynamo']['week'], kind: 'byTable' | 'byOperation') =>
    Object.entries(cap[kind]).map(([name, u]) => [
      name.replace(/^reciprocity-/, ''),
      ...('requests' in u ? [per(u.requests)] : []),
      per(u.read),
      per(u.write),
      ...('indexWrite' in u ? [per(u.indexWrite)] : []),
    ]);
  return [
    {
      title: '2. DynamoDB request units per sent message (on-demand, metered run)',
      lines: [
        `read ${per(a.dynamo.read)} RRU, write ${per(a.dynamo.write)} WRU per sent message (of which GSI writes ${per(a.dynamo.indexWrite)} WRU, computed by the proxy).`,
        `Reads were measured as issued: ${fmt(a.dynamo.week.readByConsistency.eventual + a.dynamo.feedback.readByConsistency.eventual)} RRU eventually consistent (half price), ${fmt(a.dynamo.week.readByConsistency.strong + a.dynamo.feedback.readByConsistency.strong)} strongly consistent.`,
        `Includes SES feedback (ses-events on Delivery): ${per(sumUnits(a.dynamo.feedback, 'read'))} RRU, ${per(sumUnits(a.dynamo.feedback, 'write'))} WRU per message.`,
      ],
      tables: [
        [['table (week)', 'RRU/msg', 'WRU/msg', 'of which GSI WRU/msg'], ...rows(a.dynamo.week, 'byTable')],
        [['operation (week)', 'requests/msg', 'RRU/msg', 'WRU/msg'], ...rows(a.dynamo.week, 'byOperation')],
        [
          ['largest writes (week + SES feedback): table, operation, what', 'requests/msg', 'WRU/msg'],
          ...topWrites(a, WRITE_SHAPES_SHOWN).map(([shape, u]) => [
            shape.replace(/^reciprocity-/, ''),
            per(u.requests),
            per(u.write),
          ]),
        ],
      ],
      notes: [
        `Proxy additions: ${a.dynamo.week.failedConditionalWrites} failed conditional writes billed, ${a.dynamo.week.emptyReads} empty queries charged the minimum read.`,
      ],
    },
    {
      title: '3. Work per sent message',
      table: [
        ['what', 'per run', 'per sent message'],
        ...Object.entries(a.counts).map(([k, v]) => [k, fmt(v, 0), per(v)]),
        [
          'Bytes logged: Powertools (handlers)',
          fmt(a.logs.powertoolsBytes, 0),
          per(a.logs.powertoolsBytes, 0),
        ],
        ['Bytes logged: Lambda platform lines', fmt(a.logs.platformBytes, 0), per(a.logs.platformBytes, 0)],
        ['Bytes logged: state machine', fmt(a.logs.stateMachineBytes, 0), per(a.logs.stateMachineBytes, 0)],
      ],
      notes: [
        `Powertools runs at ${fn?.logLevel} (${fn?.logLevelSource}); it wrote ${a.logs.powertoolsLines} lines (only rejected events and errors log at that level).`,
        `Platform lines per invocation (LoggingFormat ${fn?.logFormat}, tracing ${fn?.tracing}) assumed, not measured: platform.start ${Buffer.byteLength(platformLines(256)[0] ?? '')} B + platform.report ${Buffer.byteLength(platformLines(256)[1] ?? '')} B, +26 B each per CloudWatch event.`,
        `State machine: ${facts.workflow.type}, log level ${facts.workflow.logLevel}, execution data ${facts.workflow.includeExecutionData ? 'on' : 'off'}: successful runs log nothing; task errors + failed executions x 1 KB assumed.`,
      ],
    },
    {
      title: '4. Durations on this machine (stand-ins for AWS billed durations)',
      table: [
        ['handler', 'invocations', 'memory MB', 'median ms', 'p90 ms'],
        ...a.handlers.map((h) => [
          h.handler,
          fmt(h.invocations, 0),
          fmt(h.memoryMb, 0),
          fmt(h.medianMs, 1),
          fmt(h.p90Ms, 1),
        ]),
        [
          'Express execution (whole workflow)',
          fmt(a.executions.count, 0),
          '64',
          fmt(a.executions.medianMs, 1),
          fmt(a.executions.p90Ms, 1),
        ],
      ],
    },
    {
      title: '5. AWS cost per 1,000 sent messages (list prices, REFERENCE.md section 2)',
      table: [
        ['item', 'quantity', 'unit', 'USD'],
        ...c.lines.map((l) => [l.item, fmt(l.quantity, 2), l.unit, usd(l.usd)]),
        ['TOTAL on top of SES', '', '', usd(c.total)],
      ],
      lines: [
        `AWS on top of SES: ${usd(c.total)} per 1,000 = ${fmt((c.total / c.ses) * 100, 0)}% of SES's own ${usd(c.ses)}; target < ${usd(c.target)}: ${c.total < c.target ? 'within target' : `OVER target by ${usd(c.total - c.target)}`}.`,
        `Standard workflow for the same ${per(a.costInputs.transitions)} transitions per message: ${usd(c.standardWorkflow)} per 1,000 vs Express ${usd(c.expressWorkflow)} (${fmt(c.standardWorkflow / c.expressWorkflow, 1)}x).`,
      ],
      notes: [
        'Durations are local wall times (Express: per-execution wall time rounded up to 100 ms at 64 MB; Lambda: per-invocation, 1 ms billing, memory from lib/).',
        `Secrets Manager: one warm personalize container caching 24 h, at the simulated times of its ${a.handlers.find((h) => h.handler === 'personalize')?.invocations ?? 0} calls (${a.secretCalls} fetches); more containers fetch more, busy ones fewer per message.`,
        'Scheduler bills schedules that fired (message schedules + the hourly/daily sweep schedules), not API calls. SES events reach ses-events via the default bus (AWS service events: no EventBridge charge).',
        'Not included: free tiers, X-Ray traces (tracing is on), Lambda INIT (cold start) time, SQS DLQs (empty when healthy), storage.',
      ],
    },
  ];
}

export function sections(input: ReportInput): Section[] {
  const { analysis: a, facts, meta } = input;
  const [small, large] = input.scaling.results;
  const ratio = (pick: (r: SweepReads) => number) =>
    small && large ? `${fmt(pick(large) / pick(small), 2)}x` : 'n/a';
  return [
    throughputSection(a, meta, input.transports, input.realShop),
    ...costSections(a, facts),
    {
      title: '6. Liquid renders per second (subject + HTML + text, starter templates)',
      table: [
        ['path', 'renders/s (median, min-max)', 'renders per CPU-second (median)', 'batches'],
        [
          'renderMessage (compiled closures)',
          `${fmt(input.render.rendersPerSecond.median, 0)} (${fmt(input.render.rendersPerSecond.min, 0)}-${fmt(input.render.rendersPerSecond.max, 0)})`,
          fmt(input.render.rendersPerCpuSecond.median, 0),
          `${input.render.batches} x ${input.render.perBatch}`,
        ],
        [
          'renderMessageLiquid (liquidjs async, the reference)',
          `${fmt(input.render.reference.rendersPerSecond.median, 0)} (${fmt(input.render.reference.rendersPerSecond.min, 0)}-${fmt(input.render.reference.rendersPerSecond.max, 0)})`,
          fmt(input.render.reference.rendersPerCpuSecond.median, 0),
          `${input.render.batches} x ${input.render.reference.perBatch}`,
        ],
      ],
      notes: [
        `${fmt(input.render.speedup, 1)}x faster (median of the per-batch ratios; batches of the two paths interleaved in one run, same parsed templates, byte-identical output). ${input.render.cases} messages in turn (4 journeys x 3 languages), ${kb(input.render.messageBytes)} per rendered message.`,
        'Renders per CPU-second: renders / (user + system CPU time of the process) per batch, i.e. per core, whatever else shares the machine.',
      ],
    },
    bundleSection(input.bundles),
    {
      title: '8. Selection scaling: sweep read units vs table size (same 50 + 50 customers selected)',
      table: [
        ['profiles', 'load s', 'birthday sweep RRU', 'inactivity sweep RRU', 'full Scan RRU (contrast)'],
        ...input.scaling.results.map((r) => [
          fmt(r.customers, 0),
          fmt(r.loadSeconds, 1),
          `${fmt(r.birthday.readUnits)} (${r.birthday.read} read)`,
          `${fmt(r.inactivity.readUnits)} (${r.inactivity.read} read)`,
          fmt(r.scanReadUnits),
        ]),
      ],
      lines: [
        `ratio ${large?.customers}/${small?.customers}: birthday ${ratio((r) => r.birthday.readUnits)}, inactivity ${ratio((r) => r.inactivity.readUnits)}, full Scan ${ratio((r) => r.scanReadUnits)}; ${input.scaling.note}.`,
      ],
    },
  ];
}

/** Section 7: each Lambda bundle's size and module load (also `npm run bench -- --only bundles`). */
export function bundleSection(bundles: BundleSize[]): Section {
  return {
    title:
      '7. Lambda bundles: size (esbuild, options of lib/constructs/reciprocity-function.ts) and module load',
    table: [
      ['handler', 'bytes', 'gzip', 'source map', 'load ms', 'load CPU ms', 'AWS SDK loaded', 'largest parts'],
      ...bundles.map((b) => [
        `${b.handler}${b.bytes > BUNDLE_GOAL_BYTES ? ' (over size goal)' : ''}`,
        fmt(b.bytes, 0),
        fmt(b.gzipBytes, 0),
        fmt(b.sourceMapBytes, 0),
        b.load ? fmt(b.load.medianMs, 0) : '-',
        b.load ? fmt(b.load.cpuMedianMs, 0) : '-',
        b.load?.sdk.map((name) => name.replace('@aws-sdk/', '')).join(', ') ?? '-',
        b.top.map((t) => `${t.name} ${kb(t.bytes)}`).join(', '),
      ]),
    ],
    lines: [
      `Goals: at most ${kb(BUNDLE_GOAL_BYTES)} minified (${bundles.filter((b) => b.bytes <= BUNDLE_GOAL_BYTES).length} of ${bundles.length} are), module load at most ${LOAD_GOAL_MS} ms (${bundles.filter((b) => b.load && b.load.medianMs <= LOAD_GOAL_MS).length} of ${bundles.length}).`,
      `Module load: \`await import(bundle)\` in a fresh node process (the handler's top-level work, Deps and the SDK clients it imports included), median of ${bundles[0]?.load?.runs ?? 0} processes each, wall and CPU (user + system) time; dummy settings. The AWS SDK is external (the Lambda runtime's), so it costs load time, not bytes.`,
    ],
  };
}

function sumUnits(cap: Analysis['dynamo']['week'], pick: 'read' | 'write'): number {
  return Object.values(cap.byTable).reduce((n, t) => n + t[pick], 0);
}

export function toText(title: string, list: Section[]): string {
  const out = [title, ''];
  for (const s of list) {
    out.push(s.title);
    for (const table of [...(s.table ? [s.table] : []), ...(s.tables ?? [])])
      out.push(indent(textTable(table)));
    for (const line of s.lines ?? []) out.push(`  ${line}`);
    for (const note of s.notes ?? []) out.push(`  - ${note}`);
    out.push('');
  }
  return out.join('\n');
}

export function toMarkdown(title: string, list: Section[]): string {
  const out = [
    `# ${title}`,
    '',
    'Generated by `npm run bench`; figures, not assertions (see bench/README.md).',
    '',
  ];
  for (const s of list) {
    out.push(`## ${s.title}`, '');
    for (const table of [...(s.table ? [s.table] : []), ...(s.tables ?? [])]) out.push(mdTable(table), '');
    for (const line of s.lines ?? []) out.push(line, '');
    for (const note of s.notes ?? []) out.push(`- ${note}`);
    out.push('');
  }
  return out.join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
