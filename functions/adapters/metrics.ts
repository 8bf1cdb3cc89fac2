/**
 * Journey metrics: counts per journey (sent, delivered, opened...) as CloudWatch metrics in namespace
 * `Reciprocity` with the single dimension `journey`, the shape the stack's dashboard reads
 * (lib/constructs/dashboard.ts). On AWS they are EMF lines written to stdout (Powertools Metrics), which
 * CloudWatch Logs turns into metrics: no cloudwatch:PutMetricData permission, only the log group's. Embedded
 * mode and tests keep them in memory.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MetricsOptions } from '@aws-lambda-powertools/metrics/types';

export {
  JOURNEY_DIMENSION,
  JOURNEY_METRICS,
  type JourneyMetric,
  METRIC_NAMESPACE,
} from '../domain/names.js';

import { JOURNEY_DIMENSION, JOURNEY_METRICS, type JourneyMetric, METRIC_NAMESPACE } from '../domain/names.js';

/** The port: use cases count, the handler flushes once per invocation. */
export interface JourneyMetrics {
  /**
   * Adds `value` (default 1) to `metric` of `journey` until the next flush. Throws RangeError on an empty
   * journey or a value that is not a finite number >= 0 (a programming error, as in Powertools' addMetric).
   */
  count(journey: string, metric: JourneyMetric, value?: number): void;
  /** Publishes what was counted since the last flush; publishes nothing (and logs nothing) if nothing was. */
  flush(): void;
}

/** One count, as memoryMetrics keeps it. */
export interface CountedMetric {
  readonly journey: string;
  readonly metric: JourneyMetric;
  readonly value: number;
}

export interface PowertoolsMetricsOptions {
  /** Written to each EMF line as metadata `service` (not a dimension: see powertoolsMetrics). */
  readonly serviceName: string;
  /** @default METRIC_NAMESPACE */
  readonly namespace?: string;
  /** Where Powertools' own warnings go (the EMF lines always go to stdout). @default console */
  readonly logger?: MetricsOptions['logger'];
}

/**
 * Journey metrics as EMF through Powertools Metrics. Counts are summed per journey and metric until flush,
 * which writes one EMF line per journey: EMF gives a dimension one value per line, so two journeys cannot
 * share one. Powertools' default `service` dimension is removed: each function has its own service name, so
 * `sent` (Send) and `delivered` (ses-events) would land in different metrics and the dashboard's rates
 * (opened / delivered) would divide series that never meet. The service stays in the line as metadata.
 * `metrics` is the underlying instance; do not hand it to Powertools' logMetrics middleware (it would log a
 * warning on every invocation without metrics): call flush().
 */
export function powertoolsMetrics(options: PowertoolsMetricsOptions): JourneyMetrics & { metrics: Metrics } {
  const metrics = new Metrics({
    serviceName: options.serviceName,
    namespace: options.namespace ?? METRIC_NAMESPACE,
    ...(options.logger && { logger: options.logger }),
  });
  metrics.setThrowOnEmptyMetrics(false);
  metrics.clearDefaultDimensions();
  const pending = new Map<string, Map<JourneyMetric, number>>();
  return {
    metrics,
    count(journey, metric, value = 1) {
      checkCount(journey, metric, value);
      if (value === 0) return;
      const counts = pending.get(journey) ?? new Map<JourneyMetric, number>();
      counts.set(metric, (counts.get(metric) ?? 0) + value);
      pending.set(journey, counts);
    },
    flush() {
      const journeys = [...pending];
      pending.clear();
      for (const [journey, counts] of journeys) {
        metrics.addDimension(JOURNEY_DIMENSION, journey);
        metrics.addMetadata('service', options.serviceName);
        for (const [metric, value] of counts) metrics.addMetric(metric, MetricUnit.Count, value);
        // Writes the line and clears metrics, dimension and metadata for the next journey.
        metrics.publishStoredMetrics();
      }
    },
  };
}

/** Journey metrics kept in memory (embedded mode, tests): every count in `counted`, flushes counted. */
export function memoryMetrics(): JourneyMetrics & {
  readonly counted: CountedMetric[];
  readonly flushes: number;
} {
  const counted: CountedMetric[] = [];
  let flushes = 0;
  return {
    counted,
    get flushes() {
      return flushes;
    },
    count(journey, metric, value = 1) {
      checkCount(journey, metric, value);
      if (value !== 0) counted.push({ journey, metric, value });
    },
    flush() {
      flushes++;
    },
  };
}

/** Journey metrics that go nowhere (counts are still checked, as by the other two). */
export const noMetrics: JourneyMetrics = {
  count(journey, metric, value = 1) {
    checkCount(journey, metric, value);
  },
  flush() {},
};

function checkCount(journey: string, metric: JourneyMetric, value: number): void {
  if (journey.length === 0) throw new RangeError(`Metric ${metric} needs a journey`);
  if (!(JOURNEY_METRICS as readonly string[]).includes(metric))
    throw new RangeError(`Unknown journey metric ${metric}`);
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`Metric ${metric} of ${journey}: ${value} is not a count`);
}
