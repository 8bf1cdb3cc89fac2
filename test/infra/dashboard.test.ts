import { App, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { describe, expect, it } from 'vitest';
import { JOURNEY_METRICS, METRIC_NAMESPACE } from '../../functions/adapters/metrics.js';
import { JOURNEYS } from '../../functions/domain/names.js';
import { ReciprocityDashboard } from '../../lib/constructs/dashboard.js';
import { defaultStack, logicalIdOf, nagFindings, resolveIntrinsics } from './helpers.js';

interface Widget {
  type: string;
  width: number;
  properties: {
    title?: string;
    markdown?: string;
    alarms?: string[];
    annotations?: { alarms?: string[] };
    metrics?: unknown[][];
    period?: number;
  };
}

/** The dashboard's body as JSON, with the alarm ARNs and names resolved to strings naming their logical ids. */
function bodyOf(template: Template): { widgets: Widget[] } {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  return JSON.parse(String(resolveIntrinsics(dashboards[0]?.Properties?.DashboardBody)));
}

/** The metric rows of a widget that are [namespace, name, 'journey', value, options?]. */
function journeyMetrics(
  widget: Widget,
): Array<{ name: string; journey: string; stat?: string; period?: number }> {
  return (widget.properties.metrics ?? [])
    .filter((row) => row[0] === METRIC_NAMESPACE)
    .map((row) => {
      const options = (row.find((cell) => typeof cell === 'object') ?? {}) as {
        stat?: string;
        period?: number;
      };
      return { name: String(row[1]), journey: String(row[3]), stat: options.stat, period: options.period };
    });
}

describe('Construct: ReciprocityDashboard', () => {
  const { app, stack, template } = defaultStack();
  const body = bodyOf(template);
  const titled = (title: string) => body.widgets.filter((w) => w.properties.title === title);

  it('is the one dashboard of the stack, named after it', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: 'Reciprocity-Reciprocity',
    });
  });

  it('graphs every journey metric of every journey, summed, in namespace Reciprocity by journey', () => {
    const raw = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(raw).toContain(`\\"${METRIC_NAMESPACE}\\"`);
    for (const journey of JOURNEYS) {
      expect(raw).toContain(journey);
      const totals = titled(`${journey}: totals over the time range`);
      expect(totals).toHaveLength(1);
      const metrics = journeyMetrics(totals[0]!);
      expect(metrics.map((m) => m.name)).toEqual([...JOURNEY_METRICS]);
      for (const m of metrics) expect(m).toMatchObject({ journey, stat: 'Sum' });

      const hourly = [
        ...titled(`${journey}: per hour`),
        ...titled(`${journey}: complaints, bounces, unsubscribes per hour`),
      ].flatMap(journeyMetrics);
      expect(hourly.map((m) => m.name).sort()).toEqual([...JOURNEY_METRICS].sort());
      for (const m of hourly) expect(m).toMatchObject({ journey, stat: 'Sum', period: 3600 });
    }
    for (const name of JOURNEY_METRICS) expect(raw).toContain(`\\"${name}\\"`);
  });

  it('draws open rate, click-through and complaint rate per day over delivered', () => {
    for (const journey of JOURNEYS) {
      const [rates] = titled(`${journey}: rates per day (% of delivered)`);
      expect(rates).toBeDefined();
      const rows = rates!.properties.metrics ?? [];
      const expressions = rows
        .map((row) => row.find((cell) => typeof cell === 'object') as { expression?: string; label?: string })
        .filter((options) => options?.expression)
        .map((options) => [options.label, options.expression]);
      expect(expressions).toEqual([
        ['open rate', '100 * FILL(opened, 0) / delivered'],
        ['click-through rate', '100 * FILL(clicked, 0) / delivered'],
        ['complaint rate', '100 * FILL(complained, 0) / delivered'],
      ]);
      const used = journeyMetrics(rates!);
      expect(new Set(used.map((m) => m.name))).toEqual(
        new Set(['opened', 'clicked', 'complained', 'delivered']),
      );
      for (const m of used) expect(m).toMatchObject({ journey, stat: 'Sum', period: 86_400 });
      expect(rates!.properties.period).toBe(86_400);
    }
  });

  it("shows the stack's reputation, workflow and unknown-send alarms as graphs, and every alarm by state", () => {
    // Prepare
    const graphed = [
      stack.delivery.bounceRateAlarm,
      stack.delivery.complaintRateAlarm,
      stack.workflow.failureAlarm,
      stack.unknownSendAlarm,
    ].map(logicalIdOf);
    const guard = Object.keys(template.findResources('AWS::CloudWatch::Alarm')).find((id) =>
      id.startsWith('DeliveryGuardPausedAlarm'),
    );
    const allAlarms = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));

    // Act
    const alarmWidgets = body.widgets.filter((w) => w.properties.annotations?.alarms);
    const shown = alarmWidgets.flatMap((w) => w.properties.annotations?.alarms ?? []);
    const [status] = body.widgets.filter((w) => w.type === 'alarm');

    // Assess
    expect(guard).toBeDefined();
    expect(alarmWidgets).toHaveLength(5);
    for (const id of [...graphed, guard!])
      expect(
        shown.some((arn) => arn.includes(id)),
        id,
      ).toBe(true);
    expect(status!.properties.alarms).toHaveLength(allAlarms.length);
    for (const id of allAlarms)
      expect(
        status!.properties.alarms!.some((arn) => arn.includes(id)),
        id,
      ).toBe(true);
  });

  it('explains human-only engagement, click attribution and where the holdout uplift is', () => {
    // Prepare
    const outputs = template.findOutputs('StatsTableName');

    // Act
    const markdown = body.widgets.map((w) => w.properties.markdown ?? '').join('\n');

    // Assess
    expect(Object.keys(outputs)).toHaveLength(1);
    expect(outputs.StatsTableName?.Value).toEqual({ Ref: logicalIdOf(stack.data.stats) });
    expect(markdown).toMatch(/human only/i);
    expect(markdown).toMatch(/machine opens/i);
    expect(markdown).toMatch(/bot clicks/i);
    expect(markdown).toMatch(/click-attributed/i);
    expect(markdown).toContain('reciprocity report --table <StatsTableName>');
  });

  it('lets the EMF lines through: they carry no level, so Lambda files them as INFO', () => {
    // Raising a function's application log level above INFO would drop every journey metric.
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions)
      expect(['TRACE', 'DEBUG', 'INFO']).toContain(fn.Properties?.LoggingConfig?.ApplicationLogLevel);
  });

  it('leaves cdk-nag without findings', () => {
    expect(nagFindings(app)).toEqual([]);
  });

  it('refuses a dashboard without journeys or alarm graphs', () => {
    const scope = new Stack(new App(), 'Test');
    const alarm = new cloudwatch.Alarm(scope, 'A', {
      metric: new cloudwatch.Metric({ namespace: 'N', metricName: 'M' }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    expect(() => new ReciprocityDashboard(scope, 'D1', { journeys: [], alarmGraphs: { a: alarm } })).toThrow(
      /journey/,
    );
    expect(() => new ReciprocityDashboard(scope, 'D2', { alarmGraphs: {} })).toThrow(/alarm/);
  });
});
