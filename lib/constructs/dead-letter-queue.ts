/**
 * A dead-letter queue with the project's defaults: SSE, TLS only, 14 days retention, and an alarm on the
 * first message, because a message here is an event or a send that nobody will retry by themselves. Also the
 * shape of a parking queue (events kept for a person, not for a consumer), which is alarmed the same way.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  /** What lands here, for the nag acknowledgement and the alarm description. */
  readonly purpose: string;
  /** Alarm target. @default - the alarm has no action */
  readonly alarmTopic?: sns.ITopic;
  /**
   * `parking`: no consumer reads the queue; what lands here waits for a person, like a dead letter, but is not
   * a failure (the alarm and the nag acknowledgement say so). @default 'dead-letters'
   */
  readonly kind?: 'dead-letters' | 'parking';
}

export class DeadLetterQueue extends Construct {
  public readonly queue: sqs.Queue;
  public readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const parking = props.kind === 'parking';
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: parking
        ? `This queue parks ${props.purpose} for a person to read; no consumer receives from it, so no message can fail processing and need a dead-letter queue of its own.`
        : `This queue is itself the dead-letter queue for ${props.purpose}; it is alarmed, not redriven.`,
    });
    this.alarm = new cloudwatch.Alarm(this, 'NotEmpty', {
      alarmDescription: parking
        ? `Parked: ${props.purpose}. Read them: a producer sends something the engine does not handle.`
        : `Dead letters: ${props.purpose}. Inspect and replay.`,
      metric: this.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmTopic) this.alarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
  }
}
