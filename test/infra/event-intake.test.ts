import { Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import {
  ALL_DETAIL_TYPES,
  HANDLERS,
  INTAKE_OF_DETAIL_TYPE,
  type IntakeName,
} from '../../functions/domain/names.js';
import { USE_CASES } from '../../functions/usecases/index.js';
import { asArray, defaultStack, logicalIdOf, resolveIntrinsics, statementsOfRole } from './helpers.js';

const SCHEDULE_ACTIONS = [
  'scheduler:CreateSchedule',
  'scheduler:UpdateSchedule',
  'scheduler:DeleteSchedule',
  'scheduler:GetSchedule',
];

describe('Construct: EventIntake', () => {
  const { stack, template } = defaultStack();
  const fns = stack.functions;
  const statements = (name: keyof typeof fns) => statementsOfRole(template, logicalIdOf(fns[name].role!));

  /** The detail types of each intake function, from the domain's routing table. */
  const detailTypesOf = (intake: IntakeName) =>
    ALL_DETAIL_TYPES.filter((detailType) => INTAKE_OF_DETAIL_TYPE[detailType] === intake);
  const intakes = [...new Set(Object.values(INTAKE_OF_DETAIL_TYPE))];
  const rules = () => Object.values(template.findResources('AWS::Events::Rule'));
  const busRef = { Ref: logicalIdOf(stack.intake.eventBus) };
  const queueArn = (queue: IConstruct) => ({ 'Fn::GetAtt': [logicalIdOf(queue), 'Arn'] });

  it.each(intakes)(
    'sends only the detail types of %s to it, with its own DLQ and a retry policy',
    (intake) => {
      // Prepare
      const fnArn = { 'Fn::GetAtt': [logicalIdOf(fns[intake]), 'Arn'] };

      // Act
      const targeting = rules().filter((r) =>
        JSON.stringify(r.Properties.Targets).includes(JSON.stringify(fnArn)),
      );

      // Assess
      template.hasResourceProperties('AWS::Events::EventBus', { Name: 'reciprocity' });
      expect(targeting).toHaveLength(1);
      const rule = targeting[0]!.Properties;
      expect(rule.EventBusName).toEqual(busRef);
      expect(rule.EventPattern).toEqual({ 'detail-type': detailTypesOf(intake) });
      expect(rule.Targets).toEqual([
        expect.objectContaining({
          Arn: fnArn,
          DeadLetterConfig: { Arn: queueArn(stack.intake.intakeDeadLetters[intake].queue) },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86_400 },
        }),
      ]);
    },
  );

  it('routes every known detail type to exactly one intake, each DLQ serving one rule', () => {
    // Act
    const routed = intakes.flatMap(detailTypesOf);
    const deadLetters = intakes.map((i) => logicalIdOf(stack.intake.intakeDeadLetters[i].queue));

    // Assess
    expect([...routed].sort()).toEqual([...ALL_DETAIL_TYPES].sort());
    expect(new Set(deadLetters).size).toBe(intakes.length);
  });

  it('parks events of any other detail-type in an alarmed queue instead of dropping them', () => {
    // Prepare
    const parked = stack.intake.unrecognizedEvents;

    // Act
    const rule = template.toJSON().Resources[logicalIdOf(stack.intake.unrecognizedRule)].Properties;

    // Assess: the complement of the intake rules, on the same bus, delivered with a DLQ of its own.
    expect(rule.EventBusName).toEqual(busRef);
    expect(rule.EventPattern).toEqual({ 'detail-type': [{ 'anything-but': [...ALL_DETAIL_TYPES] }] });
    expect(rule.Targets).toEqual([
      expect.objectContaining({
        Arn: queueArn(parked.queue),
        DeadLetterConfig: { Arn: expect.anything() },
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86_400 },
      }),
    ]);
    expect(rule.Targets[0].DeadLetterConfig.Arn).not.toEqual(queueArn(parked.queue));
    // EventBridge may send to it (and only for this rule); nobody else may.
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalIdOf(parked.queue) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: Match.arrayWith(['sqs:SendMessage']),
            Principal: { Service: 'events.amazonaws.com' },
            Condition: {
              ArnEquals: {
                'aws:SourceArn': { 'Fn::GetAtt': [logicalIdOf(stack.intake.unrecognizedRule), 'Arn'] },
              },
            },
          }),
        ]),
      },
    });
  });

  it('alarms on the first message in every queue (dead letters and parked events), to the alarm topic', () => {
    // Prepare
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));

    for (const queue of Object.keys(template.findResources('AWS::SQS::Queue'))) {
      // Act
      const onQueue = alarms.filter(
        (a) =>
          a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          JSON.stringify(a.Properties.Dimensions).includes(`"${queue}"`),
      );

      // Assess
      expect(onQueue, queue).toHaveLength(1);
      expect(onQueue[0]?.Properties).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: logicalIdOf(stack.delivery.alarmTopic) }],
      });
    }
  });

  it('sends failed asynchronous invocations of every bus or schedule target to a queue of its own', () => {
    // Prepare: every function a rule or a schedule invokes.
    const targets = [
      ...rules().flatMap((r) => r.Properties.Targets),
      ...Object.values(template.findResources('AWS::Scheduler::Schedule')).map((s) => s.Properties.Target),
    ].map((t: { Arn: unknown }) => JSON.stringify(t.Arn));
    const invoked = (Object.keys(fns) as Array<keyof typeof fns>).filter((name) =>
      targets.includes(JSON.stringify({ 'Fn::GetAtt': [logicalIdOf(fns[name]), 'Arn'] })),
    );

    // Act
    const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig'));

    // Assess
    expect(invoked.sort()).toEqual(
      [...intakes, 'ses-events', 'birthday-sweep', 'inactivity-sweep', 'peer-sweep'].sort(),
    );
    const destinations = invoked.map((name) => {
      const config = configs.filter(
        (c) => JSON.stringify(c.Properties.FunctionName) === JSON.stringify({ Ref: logicalIdOf(fns[name]) }),
      );
      expect(config, name).toHaveLength(1);
      expect(config[0]?.Properties.DestinationConfig.OnFailure.Destination, name).toBeDefined();
      return JSON.stringify(config[0]?.Properties.DestinationConfig.OnFailure.Destination);
    });
    expect(new Set(destinations).size).toBe(invoked.length);
  });

  it('only creates SSL-only, encrypted queues', () => {
    template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    const queues = Object.keys(template.findResources('AWS::SQS::Queue'));
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
    for (const queue of queues) {
      const policy = policies.find((p) => JSON.stringify(p.Properties.Queues).includes(`"${queue}"`));
      expect(JSON.stringify(policy?.Properties.PolicyDocument), queue).toContain(
        '"aws:SecureTransport":"false"',
      );
    }
  });

  it('runs the sweeps on UTC crons: birthday hourly at :00, inactivity daily at 00:05, peers Mondays at 02:00, each with a DLQ', () => {
    for (const [fn, expression] of [
      ['birthday-sweep', 'cron(0 * * * ? *)'],
      ['inactivity-sweep', 'cron(5 0 * * ? *)'],
      ['peer-sweep', 'cron(0 2 ? * MON *)'],
    ] as const) {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: expression,
        ScheduleExpressionTimezone: 'Etc/UTC',
        GroupName: Match.absent(),
        Target: Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalIdOf(fns[fn]), 'Arn'] },
          DeadLetterConfig: { Arn: Match.anyValue() },
          Input: Match.stringLikeRegexp('scheduledTime'),
        }),
      });
    }
  });

  it('has a reciprocity schedule group and a scheduler role that may only start the workflow or dead-letter', () => {
    // Prepare
    const roleId = logicalIdOf(stack.intake.schedulerRole);

    // Act
    const granted = statementsOfRole(template, roleId);

    // Assess
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'reciprocity' });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
          }),
        ],
      },
    });
    expect(granted).toEqual([
      {
        Action: 'states:StartExecution',
        Effect: 'Allow',
        Resource: { Ref: logicalIdOf(stack.workflow.stateMachine) },
      },
      {
        Action: 'sqs:SendMessage',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [logicalIdOf(stack.intake.scheduleDeadLetters.queue), 'Arn'] },
      },
    ]);
  });

  it('scopes schedule management to the group, and PassRole to the scheduler role', () => {
    const schedulers = HANDLERS.filter((name) => USE_CASES[name].needs.includes('scheduler'));
    expect(schedulers.length).toBeGreaterThan(0);
    for (const name of schedulers) {
      // Act
      const scheduling = statements(name).filter((s) =>
        asArray(s.Action as string[]).some((a) => a.startsWith('scheduler:')),
      );
      const passRole = statements(name).filter((s) => s.Action === 'iam:PassRole');

      // Assess
      expect(scheduling, name).toHaveLength(1);
      expect(asArray(scheduling[0]?.Action as string[]).sort(), name).toEqual([...SCHEDULE_ACTIONS].sort());
      expect(resolveIntrinsics(scheduling[0]?.Resource), name).toBe(
        'arn:aws:scheduler:eu-central-1:123456789012:schedule/reciprocity/*',
      );
      expect(passRole, name).toEqual([
        {
          Action: 'iam:PassRole',
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [logicalIdOf(stack.intake.schedulerRole), 'Arn'] },
          Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        },
      ]);
    }
  });
});
