import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { GUARD_PAUSED_MESSAGE } from '../../functions/domain/reputation.js';
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
    for (const [name, fn] of Object.entries(stack.functions)) {
      if (name !== 'send') expect(sesStatements(logicalIdOf(fn.role!)), name).toEqual([]);
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
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter'));

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

  it('subscribes the alarm email only when one is configured', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});
