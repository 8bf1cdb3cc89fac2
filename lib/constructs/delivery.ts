/**
 * Sending: the SES v2 configuration set (events to EventBridge), the sender identity, the scoped send
 * permission, the rule that feeds SES events to their handler, and the reputation alarms (SES's own rates and
 * the engine's reputation guard).
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { ENV } from '../../functions/domain/names.js';
import { GUARD_PAUSED_MESSAGE } from '../../functions/domain/reputation.js';
import { DeadLetterQueue } from './dead-letter-queue.js';

/**
 * SES events the engine learns from: delivery outcomes feed suppression, opens and clicks feed feedback.
 * Not SEND: the ledger already records the accepted send, and each event costs a Lambda run and a write.
 */
export const SES_EVENTS: readonly ses.EmailSendingEvent[] = [
  ses.EmailSendingEvent.DELIVERY,
  ses.EmailSendingEvent.BOUNCE,
  ses.EmailSendingEvent.COMPLAINT,
  ses.EmailSendingEvent.REJECT,
  ses.EmailSendingEvent.OPEN,
  ses.EmailSendingEvent.CLICK,
  ses.EmailSendingEvent.DELIVERY_DELAY,
];

/** The custom metric the reputation guard's pause line becomes. */
export const GUARD_METRIC = { namespace: 'Reciprocity', name: 'ReputationGuardPaused' } as const;

/**
 * The ERROR line (Powertools `message`) Send and RecordFailure log when a message's outcome is unknown: SES
 * may or may not have accepted it, and it is never retried. test/infra checks the use cases log exactly this.
 */
export const SEND_UNKNOWN_MESSAGE = 'Send outcome unknown';

/** The custom metric the unknown-outcome lines become. */
export const UNKNOWN_SEND_METRIC = { namespace: 'Reciprocity', name: 'SendOutcomeUnknown' } as const;

export interface DeliveryProps {
  /** The only address the send permission allows as From. */
  readonly senderEmail: string;
  /** Domain created as the SES identity (Easy DKIM). */
  readonly senderDomain: string;
  readonly configurationSetName: string;
  /** @default - no email subscription on the alarm topic */
  readonly alarmEmail?: string;
  /** SES reputation bounce rate that alarms (SES reviews the account at 5%). @default 0.05 */
  readonly bounceRateThreshold?: number;
  /** SES reputation complaint rate that alarms (SES reviews the account at 0.1%). @default 0.001 */
  readonly complaintRateThreshold?: number;
}

export class Delivery extends Construct {
  public readonly configurationSet: ses.ConfigurationSet;
  public readonly identity: ses.EmailIdentity;
  /** Every alarm of the stack notifies this topic. */
  public readonly alarmTopic: sns.Topic;
  public readonly bounceRateAlarm: cloudwatch.Alarm;
  public readonly complaintRateAlarm: cloudwatch.Alarm;
  private readonly senderEmail: string;

  constructor(scope: Construct, id: string, props: DeliveryProps) {
    super(scope, id);
    this.senderEmail = props.senderEmail;

    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: props.configurationSetName,
      reputationMetrics: true,
    });
    // SES publishes to the default bus only; the rule below filters on this configuration set.
    const defaultBus = events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.configurationSet.addEventDestination('ToEventBridge', {
      destination: ses.EventDestination.eventBus(defaultBus),
      events: [...SES_EVENTS],
    });
    this.identity = new ses.EmailIdentity(this, 'Identity', {
      identity: ses.Identity.domain(props.senderDomain),
      configurationSet: this.configurationSet,
    });

    // A CMK because CloudWatch alarms cannot publish to a topic under the AWS-managed SNS key.
    const topicKey = new kms.Key(this, 'AlarmTopicKey', {
      enableKeyRotation: true,
      description: 'Encrypts the Reciprocity alarm topic',
    });
    topicKey.grant(
      new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', { enforceSSL: true, masterKey: topicKey });
    if (props.alarmEmail)
      this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    this.bounceRateAlarm = this.reputationAlarm('BounceRate', props.bounceRateThreshold ?? 0.05);
    this.complaintRateAlarm = this.reputationAlarm('ComplaintRate', props.complaintRateThreshold ?? 0.001);
  }

  /** ARN of the sender identity, as SES authorizes it. */
  get identityArn(): string {
    return this.identity.emailIdentityArn;
  }

  get configurationSetArn(): string {
    return Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });
  }

  /**
   * Allows ses:SendEmail through this configuration set from the sender address only, and sets the
   * configuration-set environment variable. (grantSendEmail would miss the configuration-set resource.)
   */
  grantSend(fn: lambda.Function): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [this.identityArn, this.configurationSetArn],
        conditions: { StringEquals: { 'ses:FromAddress': this.senderEmail } },
      }),
    );
    fn.addEnvironment(ENV.configurationSet, this.configurationSet.configurationSetName);
  }

  /** Routes this configuration set's SES events from the default bus to `handler`, with a DLQ. */
  routeEventsTo(handler: lambda.IFunction): events.Rule {
    const deadLetters = new DeadLetterQueue(this, 'SesEventsDeadLetters', {
      purpose: 'SES events EventBridge could not deliver to the ses-events function',
      alarmTopic: this.alarmTopic,
    });
    return new events.Rule(this, 'SesEventsRule', {
      description:
        'SES delivery, bounce, complaint, open and click events of the Reciprocity configuration set',
      eventPattern: {
        source: ['aws.ses'],
        detail: { mail: { tags: { 'ses:configuration-set': [this.configurationSet.configurationSetName] } } },
      },
      targets: [
        new targets.LambdaFunction(handler, {
          deadLetterQueue: deadLetters.queue,
          retryAttempts: 8,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
  }

  /**
   * Alarms when the reputation guard pauses marketing sends: a metric filter on the ses-events log group
   * counts the guard's ERROR line (Powertools Metrics is not a dependency, so no EMF), and one line alarms.
   */
  alarmOnGuardPause(logGroup: logs.ILogGroup): cloudwatch.Alarm {
    const filter = new logs.MetricFilter(this, 'GuardPausedFilter', {
      logGroup,
      filterPattern: logs.FilterPattern.stringValue('$.message', '=', GUARD_PAUSED_MESSAGE),
      metricNamespace: GUARD_METRIC.namespace,
      metricName: GUARD_METRIC.name,
      metricValue: '1',
    });
    const alarm = new cloudwatch.Alarm(this, 'GuardPausedAlarm', {
      alarmDescription:
        'The reputation guard paused marketing sends (bounce or complaint rate at its limit): check the list and suppressions; sends resume when both rates fall below half their limits.',
      metric: filter.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // The line is logged once per pause, so no data is the normal state.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.alarmTopic));
    return alarm;
  }

  /**
   * Alarms on every send whose outcome is unknown (a lost SES answer, or a Send that stopped after its claim):
   * one metric filter per log group (Send's, and Record's for RecordFailure over a claim), keyed by a name for
   * its construct id, all on the same metric. Someone should look: the customer may have the email.
   */
  alarmOnUnknownSends(logGroups: Readonly<Record<string, logs.ILogGroup>>): cloudwatch.Alarm {
    const filters = Object.entries(logGroups).map(
      ([name, logGroup]) =>
        new logs.MetricFilter(this, `UnknownSendFilter${name}`, {
          logGroup,
          filterPattern: logs.FilterPattern.stringValue('$.message', '=', SEND_UNKNOWN_MESSAGE),
          metricNamespace: UNKNOWN_SEND_METRIC.namespace,
          metricName: UNKNOWN_SEND_METRIC.name,
          metricValue: '1',
        }),
    );
    const [first] = filters;
    if (!first) throw new Error('alarmOnUnknownSends needs at least one log group');
    const alarm = new cloudwatch.Alarm(this, 'UnknownSendAlarm', {
      alarmDescription:
        'A send ended with an unknown outcome (SES may have accepted it; it is never retried): look the message up in the ledger (decision "unknown") and check SES before sending anything by hand.',
      metric: first.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // Normally no send is unknown, so no data is the normal state.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.alarmTopic));
    return alarm;
  }

  private reputationAlarm(name: 'BounceRate' | 'ComplaintRate', threshold: number): cloudwatch.Alarm {
    // Account-level reputation: the figure SES itself uses to review or pause sending.
    const metric = new cloudwatch.Metric({
      namespace: 'AWS/SES',
      metricName: `Reputation.${name}`,
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(15),
    });
    const alarm = new cloudwatch.Alarm(this, `${name}Alarm`, {
      alarmDescription: `SES ${name} >= ${threshold * 100}%: stop campaigns and check suppression before SES pauses sending.`,
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.alarmTopic));
    return alarm;
  }
}
