import { Match } from 'aws-cdk-lib/assertions';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import type { Deps } from '../../functions/app/deps.js';
import type { WorkflowState } from '../../functions/domain/model.js';
import type { HandlerName } from '../../functions/domain/names.js';
import { GUARD_PAUSED_MESSAGE } from '../../functions/domain/reputation.js';
import { USE_CASES } from '../../functions/usecases/index.js';
import { record } from '../../functions/usecases/record.js';
import { sendMessage } from '../../functions/usecases/send.js';
import { SEND_UNKNOWN_MESSAGE, UNKNOWN_SEND_METRIC } from '../../lib/constructs/delivery.js';
import { asArray, defaultStack, logicalIdOf, resolveIntrinsics, statementsOfRole } from './helpers.js';

describe('Construct: Delivery', () => {
  const { stack, template } = defaultStack();

  it('creates the configuration set with every outcome event (not SEND) going to the default event bus', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'reciprocity' });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: Match.stringLikeRegexp('^DeliveryConfigurationSet') },
      EventDestination: {
        Enabled: true,
        EventBridgeDestination: { EventBusArn: Match.anyValue() },
      },
    });
    const destination = Object.values(
      template.findResources('AWS::SES::ConfigurationSetEventDestination'),
    )[0];
    expect([...(destination?.Properties.EventDestination.MatchingEventTypes ?? [])].sort()).toEqual(
      ['delivery', 'bounce', 'complaint', 'reject', 'open', 'click', 'deliveryDelay'].sort(),
    );
    expect(
      String(resolveIntrinsics(destination?.Properties.EventDestination.EventBridgeDestination.EventBusArn)),
    ).toMatch(/:event-bus\/default$/);
  });

  it('creates the sender domain identity bound to the configuration set', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'shop.example',
      ConfigurationSetAttributes: {
        ConfigurationSetName: { Ref: Match.stringLikeRegexp('^DeliveryConfigurationSet') },
      },
    });
  });

  it('lets only the send function send, through the identity AND the configuration set, from the sender only', () => {
    // Prepare
    const sesStatements = (roleId: string) =>
      statementsOfRole(template, roleId).filter((s) =>
        asArray(s.Action as string[]).some((a) => a.startsWith('ses:')),
      );
    const sendRole = logicalIdOf(stack.functions.send.role!);

    // Act
    const statements = sesStatements(sendRole);

    // Assess
    expect(statements).toHaveLength(1);
    const statement = statements[0]!;
    expect(statement.Action).toBe('ses:SendEmail');
    expect(statement.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'hello@shop.example' } });
    // Ref of an email identity / configuration set is its name.
    const refs = {
      [logicalIdOf(stack.delivery.identity)]: 'shop.example',
      [logicalIdOf(stack.delivery.configurationSet)]: 'reciprocity',
    };
    const resources = asArray(resolveIntrinsics(statement.Resource, refs) as string[]);
    expect(resources).toHaveLength(2);
    expect(resources).toContain('arn:aws:ses:eu-central-1:123456789012:identity/shop.example');
    expect(resources).toContain('arn:aws:ses:eu-central-1:123456789012:configuration-set/reciprocity');
    for (const [name, fn] of Object.entries(stack.functions) as Array<[HandlerName, { role?: IRole }]>) {
      if (!USE_CASES[name].needs.includes('sender'))
        expect(sesStatements(logicalIdOf(fn.role!)), name).toEqual([]);
    }
  });

  it('never grants ses:* nor any SES action on Resource "*"', () => {
    for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
      for (const s of policy.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>) {
        const actions = asArray(s.Action as string | string[]);
        expect(actions).not.toContain('ses:*');
        if (actions.some((a) => a.startsWith('ses:'))) expect(asArray(s.Resource)).not.toContain('*');
      }
    }
  });

  it('routes SES events of this configuration set from the default bus to ses-events, with a DLQ', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.absent(),
      EventPattern: {
        source: ['aws.ses'],
        detail: {
          mail: {
            tags: { 'ses:configuration-set': [{ Ref: Match.stringLikeRegexp('^DeliveryConfigurationSet') }] },
          },
        },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalIdOf(stack.functions['ses-events']), 'Arn'] },
          DeadLetterConfig: { Arn: Match.anyValue() },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: Match.anyValue() }),
        }),
      ],
    });
  });

  it('alarms at a 5% bounce rate and a 0.1% complaint rate, to an SSL-only encrypted topic', () => {
    // Prepare
    const topicRef = { Ref: logicalIdOf(stack.delivery.alarmTopic) };

    // Assess
    for (const [metric, threshold] of [
      ['Reputation.BounceRate', 0.05],
      ['Reputation.ComplaintRate', 0.001],
    ] as const) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SES',
        MetricName: metric,
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [topicRef],
      });
    }
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('alarms on the topic when the reputation guard logs its pause line in the ses-events log group', () => {
    // Prepare
    const logGroup = stack.functions['ses-events'].logGroup;

    // Act
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter')).filter(
      (f) => f.Properties.MetricTransformations[0].MetricName === 'ReputationGuardPaused',
    );

    // Assess: exactly one filter, on ses-events' own log group, matching the line the handler logs.
    expect(filters).toHaveLength(1);
    const filter = filters[0]!.Properties;
    expect(filter.LogGroupName).toEqual({ Ref: logicalIdOf(logGroup) });
    expect(filter.FilterPattern).toBe(`{ $.message = "${GUARD_PAUSED_MESSAGE}" }`);
    expect(filter.MetricTransformations).toEqual([
      { MetricNamespace: 'Reciprocity', MetricName: 'ReputationGuardPaused', MetricValue: '1' },
    ]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Reciprocity',
      MetricName: 'ReputationGuardPaused',
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: logicalIdOf(stack.delivery.alarmTopic) }],
    });
  });

  it('alarms on the topic when Send or RecordFailure logs an unknown outcome', () => {
    // Prepare
    const logGroups = [stack.functions.send.logGroup, stack.functions.record.logGroup].map((g) => ({
      Ref: logicalIdOf(g),
    }));

    // Act
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter'))
      .map((f) => f.Properties)
      .filter((f) => f.MetricTransformations[0].MetricName === UNKNOWN_SEND_METRIC.name);

    // Assess: one filter per log group, both on the metric one alarm watches.
    expect(filters.map((f) => f.LogGroupName)).toEqual(logGroups);
    for (const filter of filters) {
      expect(filter.FilterPattern).toBe(`{ $.message = "${SEND_UNKNOWN_MESSAGE}" }`);
      expect(filter.MetricTransformations).toEqual([
        { MetricNamespace: 'Reciprocity', MetricName: 'SendOutcomeUnknown', MetricValue: '1' },
      ]);
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Reciprocity',
      MetricName: 'SendOutcomeUnknown',
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: logicalIdOf(stack.delivery.alarmTopic) }],
    });
    expect(logicalIdOf(stack.unknownSendAlarm)).toMatch(/^DeliveryUnknownSendAlarm/);
  });

  it('matches the line Send and RecordFailure really log for an unknown outcome', async () => {
    // Prepare: an execution whose earlier Send attempt claimed the message and died (both steps see it).
    const execution = 'arn:aws:states:eu-central-1:123456789012:express:m:e1:x';
    const state = {
      journey: 'order_followup' as const,
      customerId: 'C1',
      triggerKey: 'order_followup:order:O-1',
      messageId: '0b7ba4d6-5a58-5d2b-9d9e-6a6d3c2a3f10',
      triggeredAt: '2026-12-01T10:00:00.000Z',
      context: {},
      personalized: { ok: true },
      error: { Error: 'Sandbox.Timedout', Cause: 'Task timed out' },
    };
    const lines: string[] = [];
    const deps = {
      clock: () => new Date('2026-12-01T10:00:30.000Z'),
      logger: {
        // The Powertools JSON line: the first argument is its `message` field.
        error: (message: string, extra: object) =>
          lines.push(JSON.stringify({ level: 'ERROR', message, ...extra })),
      },
      stores: {
        ledger: {
          get: async () => ({
            decision: 'sending',
            claim: `${execution}#attempt-1`,
            claimedAt: '2026-12-01T10:00:00.000Z',
          }),
          decide: async () => true,
        },
      },
    } as unknown as Deps;

    // Act
    const sent = await sendMessage(deps, state as unknown as WorkflowState, execution, 'attempt-2');
    const recorded = await record.run(deps, { kind: 'failure', state }, { requestId: 'r1' });

    // Assess
    expect([sent.status, recorded.decision]).toEqual(['unknown', 'unknown']);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(matchesFilter(SEND_UNKNOWN_MESSAGE, line), line).toBe(true);
    expect(matchesFilter(SEND_UNKNOWN_MESSAGE, JSON.stringify({ message: 'Send failed' }))).toBe(false);
  });

  it('subscribes the alarm email only when one is configured', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

/** Whether a JSON log line matches the alarm's filter `{ $.message = "<message>" }` (an exact string match). */
function matchesFilter(message: string, line: string): boolean {
  return (JSON.parse(line) as { message?: unknown }).message === message;
}
