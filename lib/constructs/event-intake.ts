/**
 * How work enters: the shop's events on the `reciprocity` bus (one rule per intake function, one for the
 * events nobody handles), per-message schedules (a Scheduler group and the role those schedules run as), and
 * the recurring sweeps.
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
import {
  ALL_DETAIL_TYPES,
  type DetailType,
  ENV,
  INTAKE_OF_DETAIL_TYPE,
  type IntakeName,
} from '../../functions/domain/names.js';
import { pascal } from '../functions.js';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { ReciprocityFunction } from './reciprocity-function.js';

/** The retry policy of every bus rule: a day of EventBridge retries before the event goes to the rule's DLQ. */
export const INTAKE_RETRY = { retryAttempts: 8, maxEventAge: Duration.hours(24) } as const;

export interface EventIntakeProps {
  /**
   * One function per kind of shop event, each behind its own rule on the bus matching only its detail types
   * (INTAKE_OF_DETAIL_TYPE), with its own dead-letter queue. Events whose detail-type no intake handles are
   * not dropped: a rule (`anything-but` the known detail types) delivers them to the alarmed
   * `unrecognizedEvents` queue, where they wait for a person (a new event type, or a typo in a producer).
   */
  readonly intakes: Readonly<Record<IntakeName, lambda.IFunction>>;
  readonly birthdaySweep: lambda.IFunction;
  readonly inactivitySweep: lambda.IFunction;
  readonly peerSweep: lambda.IFunction;
  /** Started by per-message schedules (the scheduler role may start it, nothing else). */
  readonly stateMachine: sfn.IStateMachine;
  /** @default 'reciprocity' */
  readonly eventBusName?: string;
  /** Group of the per-message schedules (cart reminders, deferred sends). @default 'reciprocity' */
  readonly scheduleGroupName?: string;
  /** @default - alarms without action */
  readonly alarmTopic?: sns.ITopic;
}

/** The detail types each intake function handles, from INTAKE_OF_DETAIL_TYPE. */
export function detailTypesOf(intake: IntakeName): DetailType[] {
  return ALL_DETAIL_TYPES.filter((detailType) => INTAKE_OF_DETAIL_TYPE[detailType] === intake);
}

export class EventIntake extends Construct {
  public readonly eventBus: events.EventBus;
  /** The rule of each intake function: its detail types only. */
  public readonly intakeRules: Readonly<Record<IntakeName, events.Rule>>;
  /** Where each intake rule puts the events EventBridge could not deliver to its function. */
  public readonly intakeDeadLetters: Readonly<Record<IntakeName, DeadLetterQueue>>;
  /** Events on the bus whose detail-type the engine does not handle, kept for a person (alarmed). */
  public readonly unrecognizedEvents: DeadLetterQueue;
  public readonly unrecognizedRule: events.Rule;
  public readonly scheduleGroup: scheduler.ScheduleGroup;
  /** The role per-message schedules run as: it may only start the message workflow. */
  public readonly schedulerRole: iam.Role;
  /** Where per-message schedules go when they cannot start the workflow. */
  public readonly scheduleDeadLetters: DeadLetterQueue;
  public readonly birthdaySchedule: scheduler.Schedule;
  public readonly inactivitySchedule: scheduler.Schedule;
  public readonly peerSchedule: scheduler.Schedule;
  private readonly scheduleGroupName: string;

  constructor(scope: Construct, id: string, props: EventIntakeProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.scheduleGroupName = props.scheduleGroupName ?? 'reciprocity';

    this.eventBus = new events.EventBus(this, 'Bus', { eventBusName: props.eventBusName ?? 'reciprocity' });
    const rules: Partial<Record<IntakeName, events.Rule>> = {};
    const deadLetters: Partial<Record<IntakeName, DeadLetterQueue>> = {};
    for (const [intake, fn] of Object.entries(props.intakes) as Array<[IntakeName, lambda.IFunction]>) {
      const detailTypes = detailTypesOf(intake);
      if (detailTypes.length === 0) throw new Error(`Intake ${intake} handles no detail type`);
      const undelivered = new DeadLetterQueue(this, `${pascal(intake)}DeadLetters`, {
        purpose: `shop events EventBridge could not deliver to the ${intake} function`,
        alarmTopic: props.alarmTopic,
      });
      deadLetters[intake] = undelivered;
      rules[intake] = new events.Rule(this, `${pascal(intake)}Rule`, {
        eventBus: this.eventBus,
        description: `${detailTypes.join(', ')} go to ${intake}`,
        eventPattern: { detailType: detailTypes },
        targets: [new targets.LambdaFunction(fn, { deadLetterQueue: undelivered.queue, ...INTAKE_RETRY })],
      });
    }
    const missing = ALL_DETAIL_TYPES.filter((detailType) => !rules[INTAKE_OF_DETAIL_TYPE[detailType]]);
    if (missing.length > 0) throw new Error(`No intake function for ${missing.join(', ')}`);
    this.intakeRules = rules as Record<IntakeName, events.Rule>;
    this.intakeDeadLetters = deadLetters as Record<IntakeName, DeadLetterQueue>;

    this.unrecognizedEvents = new DeadLetterQueue(this, 'UnrecognizedEvents', {
      kind: 'parking',
      purpose: 'unrecognized shop events (a detail-type the engine does not handle)',
      alarmTopic: props.alarmTopic,
    });
    const unrecognizedUndelivered = new DeadLetterQueue(this, 'UnrecognizedDeadLetters', {
      purpose: 'unrecognized shop events EventBridge could not deliver to their parking queue',
      alarmTopic: props.alarmTopic,
    });
    this.unrecognizedRule = new events.Rule(this, 'UnrecognizedRule', {
      eventBus: this.eventBus,
      description: 'Events of a detail-type no intake handles: parked for a person, never dropped',
      eventPattern: { detailType: events.Match.anythingBut(...ALL_DETAIL_TYPES) },
      targets: [
        new targets.SqsQueue(this.unrecognizedEvents.queue, {
          deadLetterQueue: unrecognizedUndelivered.queue,
          ...INTAKE_RETRY,
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
    // Weekly, Mondays at night in Europe and the Americas: taste moves slowly, and each run writes up to one
    // item per customer (usecases/peer-sweep.ts).
    this.peerSchedule = this.sweep(
      'PeerSweep',
      props.peerSweep,
      { minute: '0', hour: '2', weekDay: 'MON' },
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
    cron: { minute: string; hour: string; weekDay?: string },
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
      description: `${id}: cron(${cron.minute} ${cron.hour} ${cron.weekDay ? `? * ${cron.weekDay}` : '* * ?'} *) UTC`,
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
