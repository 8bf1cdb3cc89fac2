/**
 * The message workflow: an Express state machine, written in JSONPath so that the ASL `cdk synth` emits is
 * exactly what the embedded runtime (aws-local-stepfunctions, no JSONata) runs. One factory per state.
 * Decisions (no consent, quiet hours) are Choices on data; only retryable errors are retried.
 */
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { RETRYABLE_ERRORS } from '../../functions/domain/errors.js';
import { STATES } from '../../functions/domain/names.js';
import { ReciprocityFunction } from './reciprocity-function.js';

/** States not (yet) in STATES: the Choice after Personalize and the terminal Fail after RecordFailure. */
export const CAN_PERSONALIZE = STATES.canPersonalize;
export const FAILED = STATES.failed;

type RetryableError = (typeof RETRYABLE_ERRORS)[number];
const TRANSIENT: RetryableError = 'TransientError';
const SES_THROTTLED: RetryableError = 'SesThrottledError';

/** Lambda service hiccups that are safe to retry: the invocation did not run, or may be re-run idempotently. */
export const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

/**
 * A Lambda that crashed or timed out (the runtime died, the function timed out, or the task's own timeout
 * passed). Every task is safe to run again: reads, ledger-conditioned writes, and a Send that recognises its
 * own claim (it then records `unknown`, never calls SES twice).
 */
export const LAMBDA_CRASH_ERRORS = ['Lambda.Unknown', 'Sandbox.Timedout', 'States.Timeout'];

/** How long one Send attempt may take before the state machine gives up on it and retries. */
export const SEND_TASK_TIMEOUT = Duration.seconds(35);

export interface WorkflowFunctions {
  readonly personalize: lambda.IFunction;
  readonly checkConsent: lambda.IFunction;
  readonly send: lambda.IFunction;
  readonly record: lambda.IFunction;
  readonly defer: lambda.IFunction;
}

export interface MessageWorkflowProps {
  /** The task functions. They must not reference the state machine (see `arnFor`). */
  readonly functions: WorkflowFunctions;
  /** @default `${stackName}-message-workflow` (a known name, so `arnFor` needs no reference) */
  readonly stateMachineName?: string;
  /** Express logs are billed per GB ingested. @default sfn.LogLevel.ERROR */
  readonly logLevel?: sfn.LogLevel;
  /** Logs state input/output, which holds customer data. @default false */
  readonly includeExecutionData?: boolean;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** Express workflows may run 5 minutes; ours is a few Lambda calls plus Send's backoff. @default 2 minutes */
  readonly timeout?: Duration;
  /** Where the failure alarm notifies. @default - alarm without action */
  readonly alarmTopic?: sns.ITopic;
}

export class MessageWorkflow extends Construct {
  /** ARN of the state machine with this name in this stack, built without referencing the resource. */
  static arnFor(scope: Construct, stateMachineName: string): string {
    return Stack.of(scope).formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  public readonly stateMachine: sfn.StateMachine;
  public readonly stateMachineName: string;
  /** Same ARN as `stateMachine.stateMachineArn`, for functions the state machine itself invokes. */
  public readonly stateMachineArnWithoutReference: string;
  public readonly logGroup: logs.LogGroup;
  public readonly failureAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: MessageWorkflowProps) {
    super(scope, id);
    const fns = props.functions;
    this.stateMachineName = props.stateMachineName ?? `${Stack.of(this).stackName}-message-workflow`;
    this.stateMachineArnWithoutReference = MessageWorkflow.arnFor(this, this.stateMachineName);

    const done = sfn.Succeed.jsonPath(this, STATES.done);
    const recordFailure = this.invoke(STATES.recordFailure, fns.record, {
      payload: recordPayload('failure'),
      resultPath: '$.recorded',
    }).next(sfn.Fail.jsonPath(this, FAILED, { error: 'MessageWorkflowFailed', cause: 'See $.error' }));
    const guarded = (task: tasks.LambdaInvoke) =>
      task.addCatch(recordFailure, { errors: [sfn.Errors.ALL], resultPath: '$.error' });

    const recordSkip = this.invoke(STATES.recordSkip, fns.record, {
      payload: recordPayload('skip'),
      resultPath: '$.recorded',
    }).next(done);
    const defer = guarded(this.invoke(STATES.defer, fns.defer, { resultPath: '$.deferred' })).next(done);
    const captureFeedback = guarded(
      this.invoke(STATES.captureFeedback, fns.record, {
        payload: recordPayload('capture'),
        resultPath: '$.recorded',
      }),
    ).next(done);

    const send = this.invoke(STATES.send, fns.send, {
      resultPath: '$.delivery',
      // A retry of the same execution carries the same Execution.Id: Send recognises its own claim by it.
      payload: sfn.TaskInput.fromObject({
        state: sfn.JsonPath.entirePayload,
        execution: sfn.JsonPath.stringAt('$$.Execution.Id'),
      }),
      timeout: SEND_TASK_TIMEOUT,
    });
    // SES throttling (429) is the expected back-pressure at volume: back off longer than for other errors.
    send.addRetry({
      errors: [SES_THROTTLED],
      interval: Duration.seconds(1),
      backoffRate: 2,
      maxAttempts: 6,
      maxDelay: Duration.seconds(30),
      jitterStrategy: sfn.JitterType.FULL,
    });
    // Still throttled after the retries: schedule the message again with backoff (Defer), never fail it.
    const rescheduleThrottled = guarded(
      this.invoke(STATES.rescheduleThrottled, fns.defer, {
        payload: sfn.TaskInput.fromObject({ kind: 'throttled', state: sfn.JsonPath.entirePayload }),
        resultPath: '$.deferred',
      }),
    ).next(done);
    send.addCatch(rescheduleThrottled, { errors: [SES_THROTTLED], resultPath: '$.error' });
    const afterSend = sfn.Choice.jsonPath(this, STATES.afterSend)
      // CaptureFeedback keeps the bandit's send count only: a send it would not count goes straight to Done.
      .when(
        sfn.Condition.and(
          equals('$.delivery.status', 'sent'),
          sfn.Condition.isPresent('$.delivery.countsVariant'),
        ),
        captureFeedback,
      )
      // A gesture whose cap slot an ask took since CheckConsent: Defer schedules it for when the cap frees.
      .when(
        sfn.Condition.and(equals('$.delivery.status', 'capped'), sfn.Condition.isPresent('$.delivery.until')),
        defer,
      )
      .otherwise(done);
    guarded(send).next(afterSend);

    const route = sfn.Choice.jsonPath(this, STATES.route)
      .when(equals('$.decision.action', 'send'), send)
      .when(equals('$.decision.action', 'defer'), defer)
      .otherwise(recordSkip);
    const checkConsent = guarded(
      this.invoke(STATES.checkConsent, fns.checkConsent, { resultPath: '$.decision' }),
    );
    checkConsent.next(route);

    const canPersonalize = sfn.Choice.jsonPath(this, CAN_PERSONALIZE)
      .when(isTrue('$.personalized.ok'), checkConsent)
      .when(isTrue('$.personalized.record'), recordSkip)
      .otherwise(done);
    const personalize = guarded(
      this.invoke(STATES.personalize, fns.personalize, { resultPath: '$.personalized' }),
    );
    personalize.next(canPersonalize);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      // The vendedlogs prefix keeps CloudWatch Logs resource policies from hitting their size limit.
      logGroupName: `/aws/vendedlogs/states/${this.stateMachineName}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const level = props.logLevel ?? sfn.LogLevel.ERROR;
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: this.stateMachineName,
      stateMachineType: sfn.StateMachineType.EXPRESS,
      queryLanguage: sfn.QueryLanguage.JSON_PATH,
      definitionBody: sfn.DefinitionBody.fromChainable(personalize),
      timeout: props.timeout ?? Duration.minutes(2),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level, includeExecutionData: props.includeExecutionData ?? false },
    });
    if (level !== sfn.LogLevel.ALL) {
      Validations.of(this.stateMachine).acknowledge({
        id: 'AwsSolutions-SF1',
        reason: `Express workflow logs are billed per GB at one execution per message: level ${level} keeps failures visible; set workflowLogLevel=ALL to debug.`,
      });
    }
    this.acknowledgeRoleWildcards(fns);

    const failures = new cloudwatch.MathExpression({
      expression: 'failed + timedOut',
      usingMetrics: {
        failed: this.stateMachine.metricFailed({ statistic: cloudwatch.Stats.SUM }),
        timedOut: this.stateMachine.metricTimedOut({ statistic: cloudwatch.Stats.SUM }),
      },
      period: Duration.minutes(5),
      label: 'Failed or timed-out message workflows',
    });
    this.failureAlarm = new cloudwatch.Alarm(this, 'FailureAlarm', {
      alarmDescription:
        'Message workflows failed or timed out (each was recorded by RecordFailure when possible).',
      metric: failures,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmTopic) this.failureAlarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
  }

  /** A Lambda task returning the function's payload, retried on transient errors only. */
  private invoke(
    name: string,
    fn: lambda.IFunction,
    options: { resultPath: string; payload?: sfn.TaskInput; timeout?: Duration },
  ): tasks.LambdaInvoke {
    const task = tasks.LambdaInvoke.jsonPath(this, name, {
      lambdaFunction: fn,
      payloadResponseOnly: true,
      // Our own retrier below replaces CDK's default one, which has no jitter and no max delay.
      retryOnServiceExceptions: false,
      resultPath: options.resultPath,
      ...(options.payload && { payload: options.payload }),
      ...(options.timeout && { taskTimeout: sfn.Timeout.duration(options.timeout) }),
    });
    task.addRetry({
      errors: [...LAMBDA_TRANSIENT_ERRORS, ...LAMBDA_CRASH_ERRORS, TRANSIENT],
      interval: Duration.seconds(1),
      backoffRate: 2,
      maxAttempts: 3,
      maxDelay: Duration.seconds(8),
      jitterStrategy: sfn.JitterType.FULL,
    });
    return task;
  }

  private acknowledgeRoleWildcards(fns: WorkflowFunctions): void {
    const role = this.stateMachine.role;
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing and CloudWatch Logs vended delivery (logs:CreateLogDelivery and friends) do not support resource-level permissions.',
    });
    const invoked = new Set(Object.values(fns));
    for (const fn of invoked) {
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[${ReciprocityFunction.nagVersionsFinding(fn)}]`,
        reason: `LambdaInvoke grants ${fn.node.id} and its versions/aliases (":*") of this one function only.`,
      });
    }
  }
}

function recordPayload(kind: 'capture' | 'skip' | 'failure'): sfn.TaskInput {
  return sfn.TaskInput.fromObject({ kind, state: sfn.JsonPath.entirePayload });
}

/** A Choice rule that is false, not a runtime error, when the field is missing. */
function isTrue(path: string): sfn.Condition {
  return sfn.Condition.and(sfn.Condition.isPresent(path), sfn.Condition.booleanEquals(path, true));
}

function equals(path: string, value: string): sfn.Condition {
  return sfn.Condition.and(sfn.Condition.isPresent(path), sfn.Condition.stringEquals(path, value));
}
