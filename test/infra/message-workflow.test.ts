import validator from 'asl-validator';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { STATES } from '../../functions/domain/names.js';
import {
  CAN_PERSONALIZE,
  FAILED,
  LAMBDA_CRASH_ERRORS,
  LAMBDA_TRANSIENT_ERRORS,
  SEND_TASK_TIMEOUT,
} from '../../lib/constructs/message-workflow.js';
import { type AslState, defaultStack, logicalIdOf, resolvedDefinition } from './helpers.js';

/** Tasks whose every uncaught error is recorded by RecordFailure. */
const CAUGHT = [
  STATES.personalize,
  STATES.checkConsent,
  STATES.send,
  STATES.defer,
  STATES.rescheduleThrottled,
  STATES.captureFeedback,
];
/** The recording tasks themselves: a failure there fails the execution (alarmed), it cannot loop. */
const RECORDING = [STATES.recordSkip, STATES.recordFailure];
const TASKS = [...CAUGHT, ...RECORDING];
const CATCH_ALL = { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: STATES.recordFailure };

describe('Construct: MessageWorkflow', () => {
  const { stack, template } = defaultStack();
  const definition = resolvedDefinition(template);
  const state = (name: string): AslState => {
    const found = definition.States[name];
    if (!found) throw new Error(`state ${name} missing`);
    return found;
  };
  const fnLogicalId = (name: keyof typeof stack.functions) => logicalIdOf(stack.functions[name]);

  it('is an Express state machine with X-Ray tracing, ERROR logging without data, and a 2 minute timeout', () => {
    // Act
    const machine = template.findResources('AWS::StepFunctions::StateMachine');

    // Assess
    expect(Object.keys(machine)).toHaveLength(1);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'EXPRESS',
      StateMachineName: 'Reciprocity-message-workflow',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ERROR',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }],
      },
    });
    expect(definition.TimeoutSeconds).toBe(120);
  });

  it('is valid ASL written in JSONPath only (the embedded runtime ignores JSONata)', () => {
    // Act
    const result = validator(definition);

    // Assess
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
    expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    for (const [name, s] of Object.entries(definition.States)) {
      expect(s.QueryLanguage ?? 'JSONPath', name).toBe('JSONPath');
    }
  });

  it('has exactly the states of STATES, with the CanPersonalize choice and the Failed end', () => {
    // Assess
    expect(definition.StartAt).toBe(STATES.personalize);
    expect(Object.keys(definition.States).sort()).toEqual(
      [...new Set([...Object.values(STATES), CAN_PERSONALIZE, FAILED])].sort(),
    );
    expect(state(STATES.done).Type).toBe('Succeed');
    expect(state(FAILED).Type).toBe('Fail');
  });

  it('invokes the right function from each task, returning only the payload under its result path', () => {
    // Prepare
    const expected: Record<string, [keyof typeof stack.functions, string]> = {
      [STATES.personalize]: ['personalize', '$.personalized'],
      [STATES.checkConsent]: ['check-consent', '$.decision'],
      [STATES.send]: ['send', '$.delivery'],
      [STATES.defer]: ['defer', '$.deferred'],
      [STATES.rescheduleThrottled]: ['defer', '$.deferred'],
      [STATES.captureFeedback]: ['record', '$.recorded'],
      [STATES.recordSkip]: ['record', '$.recorded'],
      [STATES.recordFailure]: ['record', '$.recorded'],
    };

    // Assess
    for (const [name, [fn, resultPath]] of Object.entries(expected)) {
      const task = state(name);
      expect(task.Type, name).toBe('Task');
      // payloadResponseOnly: the function ARN itself, not arn:aws:states:::lambda:invoke
      expect(task.Resource, name).toBe(
        `arn:aws:lambda:eu-central-1:123456789012:function:${fnLogicalId(fn)}`,
      );
      expect(task.ResultPath, name).toBe(resultPath);
    }
    for (const name of [STATES.personalize, STATES.checkConsent, STATES.defer]) {
      expect(state(name).Parameters, name).toBeUndefined();
    }
    // Send gets the execution id: a retry of the same execution recognises its own claim by it.
    expect(state(STATES.send).Parameters).toEqual({ 'state.$': '$', 'execution.$': '$$.Execution.Id' });
    expect(state(STATES.rescheduleThrottled).Parameters).toEqual({ kind: 'throttled', 'state.$': '$' });
    expect(state(STATES.captureFeedback).Parameters).toEqual({ kind: 'capture', 'state.$': '$' });
    expect(state(STATES.recordSkip).Parameters).toEqual({ kind: 'skip', 'state.$': '$' });
    expect(state(STATES.recordFailure).Parameters).toEqual({ kind: 'failure', 'state.$': '$' });
  });

  it('routes on data: CanPersonalize, Route and AfterSend, each guarded against missing fields', () => {
    // Prepare
    const targets = (name: string) => {
      const choice = state(name);
      expect(choice.Type).toBe('Choice');
      return { choices: choice.Choices ?? [], otherwise: choice.Default };
    };
    const rule = (variable: string, test: Record<string, unknown>) => ({
      And: [
        { Variable: variable, IsPresent: true },
        { Variable: variable, ...test },
      ],
    });

    // Act
    const canPersonalize = targets(CAN_PERSONALIZE);
    const route = targets(STATES.route);
    const afterSend = targets(STATES.afterSend);

    // Assess
    expect(state(STATES.personalize).Next).toBe(CAN_PERSONALIZE);
    expect(canPersonalize.choices).toEqual([
      { ...rule('$.personalized.ok', { BooleanEquals: true }), Next: STATES.checkConsent },
      { ...rule('$.personalized.record', { BooleanEquals: true }), Next: STATES.recordSkip },
    ]);
    expect(canPersonalize.otherwise).toBe(STATES.done);
    expect(state(STATES.checkConsent).Next).toBe(STATES.route);
    expect(route.choices).toEqual([
      { ...rule('$.decision.action', { StringEquals: 'send' }), Next: STATES.send },
      { ...rule('$.decision.action', { StringEquals: 'defer' }), Next: STATES.defer },
    ]);
    expect(route.otherwise).toBe(STATES.recordSkip);
    expect(state(STATES.send).Next).toBe(STATES.afterSend);
    expect(afterSend.choices).toEqual([
      // Only a send the bandit counts needs CaptureFeedback; any other send is done.
      {
        And: [
          rule('$.delivery.status', { StringEquals: 'sent' }),
          { Variable: '$.delivery.countsVariant', IsPresent: true },
        ],
        Next: STATES.captureFeedback,
      },
      // A gesture whose cap slot was taken at the last moment: Send says until when, Defer schedules it.
      {
        And: [
          rule('$.delivery.status', { StringEquals: 'capped' }),
          { Variable: '$.delivery.until', IsPresent: true },
        ],
        Next: STATES.defer,
      },
    ]);
    expect(afterSend.otherwise).toBe(STATES.done);
    for (const name of [
      STATES.captureFeedback,
      STATES.defer,
      STATES.rescheduleThrottled,
      STATES.recordSkip,
    ]) {
      expect(state(name).Next, name).toBe(STATES.done);
    }
    expect(state(STATES.recordFailure).Next).toBe(FAILED);
  });

  it('retries transient Lambda errors, crashes and timeouts, and TransientError on every task, with jitter', () => {
    for (const name of TASKS) {
      // Act
      const retry = state(name).Retry?.find((r) => r.ErrorEquals.includes('TransientError'));

      // Assess
      expect(retry, name).toBeDefined();
      expect(retry?.ErrorEquals.sort(), name).toEqual(
        [...LAMBDA_TRANSIENT_ERRORS, ...LAMBDA_CRASH_ERRORS, 'TransientError'].sort(),
      );
      expect(retry?.JitterStrategy, name).toBe('FULL');
      expect(retry?.MaxDelaySeconds, name).toBeGreaterThan(0);
      // Never a blanket retry: a permanent error must reach RecordFailure at once.
      for (const r of state(name).Retry ?? []) expect(r.ErrorEquals, name).not.toContain('States.ALL');
    }
  });

  it('retries SesThrottledError on Send only: 1 s, backoff 2, 6 attempts, max 30 s, full jitter', () => {
    // Act
    const retries = Object.entries(definition.States).flatMap(([name, s]) =>
      (s.Retry ?? []).filter((r) => r.ErrorEquals.includes('SesThrottledError')).map((r) => ({ name, r })),
    );

    // Assess
    expect(retries.map((x) => x.name)).toEqual([STATES.send]);
    expect(retries[0]?.r).toEqual({
      ErrorEquals: ['SesThrottledError'],
      IntervalSeconds: 1,
      BackoffRate: 2,
      MaxAttempts: 6,
      MaxDelaySeconds: 30,
      JitterStrategy: 'FULL',
    });
  });

  it('retries a crashed, timed-out or transiently failing Send, within a task timeout above its function timeout', () => {
    // Prepare
    const send = state(STATES.send);
    const sendFn = template.toJSON().Resources[fnLogicalId('send')].Properties;

    // Act
    const retried = (send.Retry ?? []).flatMap((r) => r.ErrorEquals);

    // Assess
    for (const error of ['Lambda.Unknown', 'Sandbox.Timedout', 'States.Timeout', 'TransientError']) {
      expect(retried, error).toContain(error);
    }
    expect(send.TimeoutSeconds).toBe(SEND_TASK_TIMEOUT.toSeconds());
    // The function gives up first, so an attempt the state machine abandons is already over.
    expect(sendFn.Timeout).toBe(30);
    expect(sendFn.Timeout).toBeLessThan(SEND_TASK_TIMEOUT.toSeconds());
  });

  it('reschedules Send when SES stays throttled after its retries (see the retry above), before the catch-all', () => {
    // Act
    const catches = state(STATES.send).Catch ?? [];

    // Assess: first matching catcher wins, so the throttled one must come first.
    expect(catches).toEqual([
      { ErrorEquals: ['SesThrottledError'], ResultPath: '$.error', Next: STATES.rescheduleThrottled },
      CATCH_ALL,
    ]);
  });

  it('catches everything else into RecordFailure from every task but the recording ones', () => {
    for (const name of CAUGHT) {
      const catches = state(name).Catch ?? [];
      expect(catches.at(-1), name).toEqual(CATCH_ALL);
      // Only Send has a catcher before the catch-all (SES throttling, above).
      if (name !== STATES.send) expect(catches, name).toEqual([CATCH_ALL]);
    }
    for (const name of RECORDING) expect(state(name).Catch, name).toBeUndefined();
    // Every catch-all in the machine leads to RecordFailure.
    for (const [name, s] of Object.entries(definition.States)) {
      for (const c of s.Catch ?? []) {
        if (c.ErrorEquals.includes('States.ALL')) expect(c.Next, name).toBe(STATES.recordFailure);
      }
    }
  });

  it('alarms on failed or timed-out executions', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'failed + timedOut' }),
        Match.objectLike({
          Id: 'failed',
          MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'ExecutionsFailed' }) }),
        }),
        Match.objectLike({
          Id: 'timedOut',
          MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'ExecutionsTimedOut' }) }),
        }),
      ]),
      Threshold: 1,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^DeliveryAlarmTopic') }],
    });
  });

  it('lets the state machine role invoke exactly the five task functions', () => {
    // Prepare
    const roleId = logicalIdOf(stack.workflow.stateMachine.role);
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: roleId }] },
    });

    // Act
    const invoked = Object.values(policies)
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: { Action: unknown }) => s.Action === 'lambda:InvokeFunction')
      .flatMap((s: { Resource: Array<Record<string, unknown>> }) => s.Resource)
      .map((r) => JSON.stringify(r));

    // Assess
    const expected = (['personalize', 'check-consent', 'send', 'record', 'defer'] as const).map(fnLogicalId);
    const named = new Set(expected.filter((id) => invoked.some((r) => r.includes(`"${id}"`))));
    expect([...named].sort()).toEqual([...expected].sort());
    const others = Object.keys(stack.functions)
      .filter((n) => !['personalize', 'check-consent', 'send', 'record', 'defer'].includes(n))
      .map((n) => fnLogicalId(n as keyof typeof stack.functions));
    for (const id of others)
      expect(
        invoked.some((r) => r.includes(`"${id}"`)),
        id,
      ).toBe(false);
  });
});
