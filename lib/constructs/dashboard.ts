/**
 * The marketer's CloudWatch dashboard: per journey, the counts the functions publish as EMF
 * (functions/adapters/metrics.ts: namespace Reciprocity, dimension `journey`) and the rates built on them,
 * next to the stack's alarms, with a note on what the figures mean.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import {
  JOURNEY_DIMENSION,
  JOURNEY_METRICS,
  JOURNEYS,
  type JourneyMetric,
  METRIC_NAMESPACE,
} from '../../functions/domain/names.js';

/** The counts graphed per hour beside each other; the rarer outcomes get a graph (and a scale) of their own. */
const ENGAGEMENT: readonly JourneyMetric[] = ['sent', 'delivered', 'opened', 'clicked', 'converted'];
const PROBLEMS: readonly JourneyMetric[] = ['complained', 'bounced', 'unsubscribed'];

/** SES reviews an account whose complaint rate reaches 0.1%: drawn on the complaint-rate axis. */
const SES_COMPLAINT_REVIEW_PERCENT = 0.1;

const GRID_WIDTH = 24;

export interface ReciprocityDashboardProps {
  /** @default `Reciprocity-<stack name>` */
  readonly dashboardName?: string;
  /** Journeys with a section each. @default JOURNEYS */
  readonly journeys?: readonly string[];
  /** @default METRIC_NAMESPACE */
  readonly namespace?: string;
  /** Alarms drawn as graphs with their threshold, by widget title, in order (the ones to watch first). */
  readonly alarmGraphs: Readonly<Record<string, cloudwatch.IAlarm>>;
  /** Alarms listed by state in one status widget (every alarm of the stack). @default alarmGraphs */
  readonly alarms?: readonly cloudwatch.IAlarm[];
  /**
   * How the note names the stats table for `reciprocity report --table`: the stack output that holds its
   * name (a token would resolve in the dashboard body too, but the output is what an operator has at hand).
   * @default 'StatsTableName'
   */
  readonly statsTableOutput?: string;
  /** @default Duration.days(7) */
  readonly defaultInterval?: Duration;
}

export class ReciprocityDashboard extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;
  private readonly namespace: string;

  constructor(scope: Construct, id: string, props: ReciprocityDashboardProps) {
    super(scope, id);
    const journeys = props.journeys ?? JOURNEYS;
    if (journeys.length === 0) throw new Error('ReciprocityDashboard needs at least one journey');
    const alarmGraphs = Object.entries(props.alarmGraphs);
    if (alarmGraphs.length === 0) throw new Error('ReciprocityDashboard needs at least one alarm graph');
    const statusAlarms = [...(props.alarms ?? Object.values(props.alarmGraphs))];
    // CloudWatch rejects an alarm status widget listing more.
    if (statusAlarms.length > 100) throw new Error('An alarm status widget lists at most 100 alarms');
    this.namespace = props.namespace ?? METRIC_NAMESPACE;

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? `Reciprocity-${Stack.of(this).stackName}`,
      defaultInterval: props.defaultInterval ?? Duration.days(7),
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: note(this.namespace, props.statsTableOutput ?? 'StatsTableName'),
        width: 12,
        height: 8,
      }),
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        alarms: statusAlarms,
        sortBy: cloudwatch.AlarmStatusWidgetSortBy.STATE_UPDATED_TIMESTAMP,
        width: 12,
        height: 8,
      }),
    );
    const alarmWidth = GRID_WIDTH / Math.min(alarmGraphs.length, 3);
    const alarmWidgets = alarmGraphs.map(
      ([title, alarm]) => new cloudwatch.AlarmWidget({ alarm, title, width: alarmWidth, height: 6 }),
    );
    for (let i = 0; i < alarmWidgets.length; i += 3)
      this.dashboard.addWidgets(...alarmWidgets.slice(i, i + 3));
    for (const journey of journeys) this.addJourney(journey);
  }

  /** One journey's metric, summed over `period`. */
  journeyMetric(journey: string, metric: JourneyMetric, period: Duration): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.namespace,
      metricName: metric,
      dimensionsMap: { [JOURNEY_DIMENSION]: journey },
      statistic: cloudwatch.Stats.SUM,
      period,
      label: metric,
    });
  }

  private addJourney(journey: string): void {
    const hour = Duration.hours(1);
    const day = Duration.days(1);
    const counts = (names: readonly JourneyMetric[], period: Duration) =>
      names.map((name) => this.journeyMetric(journey, name, period));
    // A rate of the day's events over the day's deliveries; no opens on a day with deliveries is 0%, not a gap.
    const rate = (label: string, of: JourneyMetric) =>
      new cloudwatch.MathExpression({
        expression: `100 * FILL(${of}, 0) / delivered`,
        usingMetrics: {
          [of]: this.journeyMetric(journey, of, day),
          delivered: this.journeyMetric(journey, 'delivered', day),
        },
        period: day,
        label,
      });

    this.dashboard.addWidgets(
      new cloudwatch.SingleValueWidget({
        title: `${journey}: totals over the time range`,
        metrics: counts(JOURNEY_METRICS, day),
        setPeriodToTimeRange: true,
        width: GRID_WIDTH,
        height: 3,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: `${journey}: per hour`,
        left: counts(ENGAGEMENT, hour),
        leftYAxis: { min: 0, showUnits: false },
        width: 8,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: `${journey}: complaints, bounces, unsubscribes per hour`,
        left: counts(PROBLEMS, hour),
        leftYAxis: { min: 0, showUnits: false },
        width: 8,
        height: 6,
      }),
      new cloudwatch.GraphWidget({
        title: `${journey}: rates per day (% of delivered)`,
        view: cloudwatch.GraphWidgetView.TIME_SERIES,
        left: [rate('open rate', 'opened'), rate('click-through rate', 'clicked')],
        right: [rate('complaint rate', 'complained')],
        leftYAxis: { min: 0, label: '%', showUnits: false },
        rightYAxis: { min: 0, label: 'complaints %', showUnits: false },
        rightAnnotations: [{ value: SES_COMPLAINT_REVIEW_PERCENT, label: 'SES review (0.1%)' }],
        period: day,
        width: 8,
        height: 6,
      }),
    );
  }
}

function note(namespace: string, statsTableOutput: string): string {
  return [
    '## Reciprocity: results per journey',
    `Counts are the engine's own metrics (namespace \`${namespace}\`, dimension \`journey\`), counted when each event happens.`,
    '',
    '* **Opens and clicks are human only**: machine opens (mail-privacy prefetch, opens too soon after delivery to be a read) and bot clicks (link scanners) are left out of `opened`, `clicked` and their rates.',
    '* **Converted is click-attributed**: an order counts for a message when the customer clicked its content within the attribution window before ordering.',
    "* **Rates** are a day's opens, clicks or complaints over the same day's deliveries, so they run ahead of or behind a cohort's true rate when volume changes.",
    `* **Uplift over the holdout** (orders the journey caused, not just touched), and rates per send-day cohort, variant and template version: \`reciprocity report --table <${statsTableOutput}>\`, with the table name from the stack output \`${statsTableOutput}\`.`,
  ].join('\n');
}
