/** The token resolution of local/synth.ts, on a real CDK synth of a small stand-in stack. */
import { Duration, Stack } from 'aws-cdk-lib';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  DefinitionBody,
  Pass,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { SynthError } from '../../local/errors.js';
import { synthStack, workflowFromTemplate } from '../../local/synth.js';
import { LocalWorkflow } from '../../local/workflow.js';

class MiniStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const fn = (name: string) =>
      new LambdaFunction(this, name, {
        runtime: Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: Code.fromInline('x'),
      });
    const personalize = new LambdaInvoke(this, 'Personalize', {
      lambdaFunction: fn('PersonalizeFn'),
      resultPath: '$.personalized',
      resultSelector: { 'ok.$': '$.Payload.ok' },
    });
    personalize.addRetry({ errors: ['Throttled'], interval: Duration.seconds(10), maxAttempts: 2 });
    const record = new LambdaInvoke(this, 'RecordSkip', {
      lambdaFunction: fn('RecordFn'),
      payloadResponseOnly: true,
    });
    const definition = personalize.next(
      new Choice(this, 'Route')
        .when(Condition.booleanEquals('$.personalized.ok', false), record)
        .otherwise(new Pass(this, 'Done')),
    );
    new StateMachine(this, 'Workflow', {
      stateMachineType: StateMachineType.EXPRESS,
      definitionBody: DefinitionBody.fromChainable(definition),
    });
  }
}

describe('synthStack / workflowFromTemplate', () => {
  it('resolves the DefinitionString tokens to fake ARNs and runs the result locally', async () => {
    // Act
    const workflow = await synthStack(MiniStack as never);
    const states = workflow.asl.States as Record<
      string,
      { Resource?: string; Parameters?: { FunctionName?: string } }
    >;
    const seen: unknown[] = [];
    const run = await new LocalWorkflow(workflow.asl, {
      Personalize: async (input) => {
        seen.push(input);
        return { ok: false };
      },
      RecordSkip: async (input) => ({ recorded: input }),
    }).run({ customerId: 'c1' });

    // Assess
    expect(workflow.stateMachineArn).toBe(
      `arn:aws:states:local:000000000000:stateMachine:${workflow.logicalId}`,
    );
    expect(states.Personalize?.Resource).toBe('arn:aws:states:::lambda:invoke');
    expect(states.Personalize?.Parameters?.FunctionName).toMatch(
      /^arn:aws:lambda:local:000000000000:function:PersonalizeFn/,
    );
    expect(states.RecordSkip?.Resource).toMatch(/^arn:aws:lambda:local:000000000000:function:RecordFn/);
    expect(seen).toEqual([{ customerId: 'c1' }]);
    expect(run.statesEntered).toEqual(['Personalize', 'Route', 'RecordSkip']);
    expect(run.output).toEqual({ recorded: { customerId: 'c1', personalized: { ok: false } } });
  });

  it('refuses a template without exactly one state machine', () => {
    expect(() => workflowFromTemplate({ Resources: {} })).toThrow(SynthError);
  });

  it('resolves Fn::Sub and pseudo parameters', () => {
    // Prepare
    const template = {
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function' },
        M: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            StateMachineName: 'flow',
            DefinitionString: {
              'Fn::Sub':
                // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub placeholders, not JS ones.
                '{"StartAt":"A","States":{"A":{"Type":"Pass","Result":"${Fn.Arn} ${AWS::Region}","End":true}}}',
            },
          },
        },
      },
    };

    // Act
    const workflow = workflowFromTemplate(template);

    // Assess
    expect(workflow.stateMachineArn).toBe('arn:aws:states:local:000000000000:stateMachine:flow');
    expect((workflow.asl.States as { A: { Result: string } }).A.Result).toBe(
      'arn:aws:lambda:local:000000000000:function:Fn local',
    );
  });
});
