import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ALL_DETAIL_TYPES } from '../../functions/domain/names.js';
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
  const actionsOf = (name: keyof typeof fns) =>
    statements(name).flatMap((s) => asArray(s.Action as string[]));

  it('sends every known detail-type on the reciprocity bus to ingest, with a DLQ and a retry policy', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'reciprocity' });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: logicalIdOf(stack.intake.eventBus) },
      EventPattern: { 'detail-type': [...ALL_DETAIL_TYPES] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalIdOf(fns.ingest), 'Arn'] },
          DeadLetterConfig: { Arn: Match.anyValue() },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86_400 },
        }),
      ],
    });
  });

  it('sends failed asynchronous invocations of ingest, ses-events and the sweeps to a queue', () => {
    for (const name of ['ingest', 'ses-events', 'birthday-sweep', 'inactivity-sweep'] as const) {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalIdOf(fns[name]) },
        DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      });
    }
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

  it('runs the sweeps on UTC crons: birthday hourly at :00, inactivity daily at 00:05, each with a DLQ', () => {
    for (const [fn, expression] of [
      ['birthday-sweep', 'cron(0 * * * ? *)'],
      ['inactivity-sweep', 'cron(5 0 * * ? *)'],
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

  it('scopes schedule management of ingest, defer and the inactivity sweep to the group, and PassRole to the scheduler role', () => {
    const schedulers = ['ingest', 'defer', 'inactivity-sweep'] as const;
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
    for (const name of Object.keys(fns) as Array<keyof typeof fns>) {
      if ((schedulers as readonly string[]).includes(name)) continue;
      expect(
        actionsOf(name).filter((a) => a.startsWith('scheduler:') || a === 'iam:PassRole'),
        name,
      ).toEqual([]);
    }
  });

  it('lets exactly ingest and the sweeps start the workflow', () => {
    const starters = (Object.keys(fns) as Array<keyof typeof fns>).filter((n) =>
      actionsOf(n).includes('states:StartExecution'),
    );
    expect(starters.sort()).toEqual(['birthday-sweep', 'inactivity-sweep', 'ingest']);
  });
});
