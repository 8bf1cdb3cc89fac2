/**
 * How work enters: the shop's events on the `reciprocity` bus, per-message schedules (a Scheduler group and
 * the role those schedules run as), and the recurring sweeps.
 */
import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ALL_DETAIL_TYPES, ENV } from '../../functions/domain/names.js';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { ReciprocityFunction } from './reciprocity-function.js';

export interface EventIntakeProps {
  /** Handles every event on the bus. */
  readonly ingest: lambda.Function;
  readonly birthdaySweep: lambda.IFunction;
  readonly inactivitySweep: lambda.IFunction;
  /** Started by per-message schedules (the scheduler role may start it, nothing else). */
  readonly stateMachine: sfn.IStateMachine;
  /** @default 'reciprocity' */
  readonly eventBusName?: string;
  /** Group of the per-message schedules (cart reminders, deferred sends). @default 'reciprocity' */
  readonly scheduleGroupName?: string;
  /** @default - alarms without action */
  readonly alarmTopic?: sns.ITopic;
}

export class EventIntake extends Construct {
  public readonly eventBus: events.EventBus;
  public readonly ingestRule: events.Rule;
  public readonly scheduleGroup: scheduler.ScheduleGroup;
  /** The role per-message schedules run as: it may only start the message workflow. */
  public readonly schedulerRole: iam.Role;
  /** Where per-message schedules go when they cannot start the workflow. */
  public readonly scheduleDeadLetters: DeadLetterQueue;
  public readonly birthdaySchedule: scheduler.Schedule;
  public readonly inactivitySchedule: scheduler.Schedule;
  private readonly scheduleGroupName: string;

  constructor(scope: Construct, id: string, props: EventIntakeProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.scheduleGroupName = props.scheduleGroupName ?? 'reciprocity';

    this.eventBus = new events.EventBus(this, 'Bus', { eventBusName: props.eventBusName ?? 'reciprocity' });
    const undelivered = new DeadLetterQueue(this, 'IngestDeadLetters', {
      purpose: 'shop events EventBridge could not deliver to the ingest function',
      alarmTopic: props.alarmTopic,
    });
    this.ingestRule = new events.Rule(this, 'IngestRule', {
      eventBus: this.eventBus,
      description: 'Every shop event the engine understands goes to ingest',
      eventPattern: { detailType: [...ALL_DETAIL_TYPES] },
      targets: [
        new targets.LambdaFunction(props.ingest, {
          deadLetterQueue: undelivered.queue,
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });

    this.scheduleGroup = new scheduler.ScheduleGroup(this, 'ScheduleGroup', {
      scheduleGroupName: this.scheduleGroupName,
    });
    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      description: 'Assumed by EventBridge Scheduler to start the message workflow for a scheduled message',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          // Confused-deputy guard: only schedules of this account's group may assume the role.
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnEquals: { 'aws:SourceArn': this.scheduleGroup.scheduleGroupArn },
        },
      }),
    });
    props.stateMachine.grantStartExecution(this.schedulerRole);
    this.scheduleDeadLetters = new DeadLetterQueue(this, 'ScheduleDeadLetters', {
      purpose: 'cart reminders and deferred sends whose schedule could not start the message workflow',
      alarmTopic: props.alarmTopic,
    });
    // SendMessage only: the role never reads the queue (grantSendMessages would add GetQueue*).
    this.schedulerRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['sqs:SendMessage'],
        resources: [this.scheduleDeadLetters.queue.queueArn],
      }),
    );

    // Sweeps live in the default group, out of reach of the handlers that manage per-message schedules.
    this.birthdaySchedule = this.sweep(
      'BirthdaySweep',
      props.birthdaySweep,
      { minute: '0', hour: '*' },
      props,
    );
    this.inactivitySchedule = this.sweep(
      'InactivitySweep',
      props.inactivitySweep,
      { minute: '5', hour: '0' },
      props,
    );
  }

  /** ARN pattern of the schedules in the per-message group. */
  get schedulesArn(): string {
    return Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.scheduleGroupName}/*`,
    });
  }

  /**
   * Lets `fn` create, update, read and delete schedules in the per-message group that run as the scheduler
   * role (and no other role), and sets SCHEDULER_ROLE_ARN and SCHEDULE_GROUP.
   */
  grantScheduling(fn: lambda.Function): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [
          'scheduler:CreateSchedule',
          'scheduler:UpdateSchedule',
          'scheduler:DeleteSchedule',
          'scheduler:GetSchedule',
        ],
        resources: [this.schedulesArn],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    fn.addEnvironment(ENV.schedulerRoleArn, this.schedulerRole.roleArn);
    fn.addEnvironment(ENV.scheduleGroup, this.scheduleGroupName);
    fn.addEnvironment(ENV.scheduleDlqArn, this.scheduleDeadLetters.queue.queueArn);
    if (fn.role) {
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagArn('scheduler', `schedule/${this.scheduleGroupName}/*`)}]`,
        reason: `Schedule names derive from message ids at run time; the wildcard is confined to the "${this.scheduleGroupName}" group.`,
      });
    }
  }

  private sweep(
    id: string,
    fn: lambda.IFunction,
    cron: { minute: string; hour: string },
    props: EventIntakeProps,
  ): scheduler.Schedule {
    const deadLetters = new DeadLetterQueue(this, `${id}DeadLetters`, {
      purpose: `${id} runs EventBridge Scheduler could not deliver`,
      alarmTopic: props.alarmTopic,
    });
    // Our own role (instead of the target's auto-created one) so the acknowledgement sits where the grant is.
    const role = new iam.Role(this, `${id}Role`, {
      description: `Assumed by EventBridge Scheduler to invoke the ${id} function`,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[${ReciprocityFunction.nagVersionsFinding(fn)}]`,
      reason: `The Scheduler Lambda target grants invoke on ${fn.node.id} and its versions/aliases (":*") only.`,
    });
    return new scheduler.Schedule(this, `${id}Schedule`, {
      description: `${id}: cron(${cron.minute} ${cron.hour} * * ? *) UTC`,
      schedule: scheduler.ScheduleExpression.cron({ ...cron, timeZone: TimeZone.ETC_UTC }),
      target: new schedulerTargets.LambdaInvoke(fn, {
        // The sweep uses the scheduled time, not the wall clock: a late or retried run selects the same day.
        input: scheduler.ScheduleTargetInput.fromObject({
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
        }),
        role,
        deadLetterQueue: deadLetters.queue,
        retryAttempts: 3,
        maxEventAge: Duration.minutes(30),
      }),
    });
  }
}

/** An ARN in this stack's partition, region and account, the way cdk-nag flattens it in findings. */
function nagArn(service: string, resource: string): string {
  return `arn:<AWS::Partition>:${service}:<AWS::Region>:<AWS::AccountId>:${resource}`;
}
