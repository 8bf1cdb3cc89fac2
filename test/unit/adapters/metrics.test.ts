import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import {
  JOURNEY_METRICS,
  METRIC_NAMESPACE,
  memoryMetrics,
  noMetrics,
  powertoolsMetrics,
} from '../../../functions/adapters/metrics.js';

interface Emf {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: Array<{
      Namespace: string;
      Dimensions: string[][];
      Metrics: Array<{ Name: string; Unit: string }>;
    }>;
  };
  [key: string]: unknown;
}

describe('Function: powertoolsMetrics', () => {
  let stdout: MockInstance;
  let stderr: MockInstance;
  const written = (spy: MockInstance) => spy.mock.calls.map(([chunk]) => String(chunk));
  const emfLines = (): Emf[] =>
    written(stdout)
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as Emf);

  beforeEach(() => {
    // Powertools writes EMF through its own Console on process.stdout (warnings on stderr).
    stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => vi.restoreAllMocks());

  it('writes one EMF line per journey, each metric with the journey as its only dimension', () => {
    // Prepare
    const metrics = powertoolsMetrics({ serviceName: 'reciprocity-ses-events' });

    // Act
    metrics.count('cart_reminder', 'sent');
    metrics.count('cart_reminder', 'sent');
    metrics.count('cart_reminder', 'opened', 3);
    metrics.count('birthday', 'delivered');
    metrics.count('birthday', 'complained');
    metrics.flush();

    // Assess
    const lines = emfLines();
    expect(lines).toHaveLength(2);
    const byJourney = Object.fromEntries(lines.map((line) => [line.journey, line]));
    const cart = byJourney.cart_reminder!;
    const birthday = byJourney.birthday!;
    for (const line of [cart, birthday]) {
      expect(line._aws.CloudWatchMetrics).toHaveLength(1);
      const [directive] = line._aws.CloudWatchMetrics;
      expect(directive!.Namespace).toBe(METRIC_NAMESPACE);
      expect(directive!.Namespace).toBe('Reciprocity');
      // No `service` dimension: the dashboard's rates divide metrics published by different functions.
      expect(directive!.Dimensions).toEqual([['journey']]);
      expect(line.service).toBe('reciprocity-ses-events');
      expect(line._aws.Timestamp).toBeTypeOf('number');
    }
    expect(cart._aws.CloudWatchMetrics[0]!.Metrics).toEqual([
      { Name: 'sent', Unit: 'Count' },
      { Name: 'opened', Unit: 'Count' },
    ]);
    expect(cart).toMatchObject({ journey: 'cart_reminder', sent: 2, opened: 3 });
    expect(cart).not.toHaveProperty('delivered');
    expect(birthday._aws.CloudWatchMetrics[0]!.Metrics).toEqual([
      { Name: 'delivered', Unit: 'Count' },
      { Name: 'complained', Unit: 'Count' },
    ]);
    expect(birthday).toMatchObject({ journey: 'birthday', delivered: 1, complained: 1 });
    expect(birthday).not.toHaveProperty('sent');
    expect(written(stderr)).toEqual([]);
  });

  it('publishes nothing and warns of nothing when nothing was counted, and clears after each flush', () => {
    // Prepare
    const metrics = powertoolsMetrics({ serviceName: 'reciprocity-send', namespace: 'Staging' });
    metrics.count('winback', 'clicked');
    metrics.flush();
    const first = emfLines();

    // Act
    metrics.flush();
    metrics.count('winback', 'bounced', 0);
    metrics.flush();

    // Assess
    expect(first).toHaveLength(1);
    expect(first[0]!._aws.CloudWatchMetrics[0]!.Namespace).toBe('Staging');
    expect(first[0]).toMatchObject({ journey: 'winback', clicked: 1 });
    expect(emfLines()).toHaveLength(1);
    expect(written(stderr)).toEqual([]);
    expect(metrics.metrics.hasStoredMetrics()).toBe(false);
  });

  it('publishes every journey metric name', () => {
    // Prepare
    const metrics = powertoolsMetrics({ serviceName: 'reciprocity-record' });

    // Act
    for (const name of JOURNEY_METRICS) metrics.count('order_followup', name);
    metrics.flush();

    // Assess
    const [line] = emfLines();
    expect(line!._aws.CloudWatchMetrics[0]!.Metrics.map((m) => m.Name)).toEqual([...JOURNEY_METRICS]);
    for (const name of JOURNEY_METRICS) expect(line![name], name).toBe(1);
  });

  it('rejects a count without a journey or with a value that is not a count', () => {
    const metrics = powertoolsMetrics({ serviceName: 'reciprocity-send' });
    expect(() => metrics.count('', 'sent')).toThrow(RangeError);
    expect(() => metrics.count('birthday', 'sent', -1)).toThrow(RangeError);
    expect(() => metrics.count('birthday', 'sent', Number.NaN)).toThrow(RangeError);
    expect(() => metrics.count('birthday', 'opnd' as never)).toThrow(RangeError);
    metrics.flush();
    expect(emfLines()).toEqual([]);
  });
});

describe('Function: memoryMetrics', () => {
  it('keeps every count and the number of flushes', () => {
    // Prepare
    const metrics = memoryMetrics();

    // Act
    metrics.count('birthday', 'sent');
    metrics.count('winback', 'converted', 2);
    metrics.count('winback', 'opened', 0);
    metrics.flush();

    // Assess
    expect(metrics.counted).toEqual([
      { journey: 'birthday', metric: 'sent', value: 1 },
      { journey: 'winback', metric: 'converted', value: 2 },
    ]);
    expect(metrics.flushes).toBe(1);
    expect(() => metrics.count('winback', 'sent', Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('Const: noMetrics', () => {
  it('accepts counts and flushes without output, checking counts like the others', () => {
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    noMetrics.count('birthday', 'sent');
    noMetrics.flush();
    expect(stdout).not.toHaveBeenCalled();
    expect(() => noMetrics.count('', 'sent')).toThrow(RangeError);
    vi.restoreAllMocks();
  });
});
