/**
 * What the bench reads from the CDK stack instead of assuming it: each function's memory and logging
 * configuration, and the state machine's type and log level. Synthesized in-process, bundling skipped.
 */
import { App, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { ReciprocityStack } from '../lib/reciprocity-stack.js';

export interface FunctionFacts {
  memoryMb: number;
  architecture: string;
  logFormat: string;
  /** Lambda system log level: WARN drops the START/REPORT platform lines. */
  systemLogLevel: string;
  /** The level the handlers' Powertools logger runs at on AWS. */
  logLevel: string;
  logLevelSource: string;
  tracing: string;
}

export interface StackFacts {
  functions: Record<string, FunctionFacts>;
  workflow: { type: string; logLevel: string; includeExecutionData: boolean; tracing: boolean };
}

export function stackFacts(): StackFacts {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new ReciprocityStack(app, 'Bench');
  const resolve = <T>(value: unknown): T => Stack.of(stack).resolve(value) as T;
  const functions: Record<string, FunctionFacts> = {};
  for (const [name, fn] of Object.entries(stack.functions)) {
    const cfn = fn.node.defaultChild as CfnFunction;
    // L1 properties resolve in their camelCase (pre-CloudFormation) form.
    const logging = resolve<
      { logFormat?: string; applicationLogLevel?: string; systemLogLevel?: string } | undefined
    >(cfn.loggingConfig);
    const env = resolve<{ variables?: Record<string, string> } | undefined>(cfn.environment)?.variables ?? {};
    // Powertools: POWERTOOLS_LOG_LEVEL, else Lambda's application log level (AWS_LAMBDA_LOG_LEVEL), else INFO.
    const [logLevel, logLevelSource] = env.POWERTOOLS_LOG_LEVEL
      ? [env.POWERTOOLS_LOG_LEVEL, 'POWERTOOLS_LOG_LEVEL']
      : logging?.applicationLogLevel
        ? [logging.applicationLogLevel, 'ApplicationLogLevel']
        : ['INFO', 'the default: lib/ sets no level'];
    functions[name] = {
      memoryMb: resolve<number | undefined>(cfn.memorySize) ?? 128,
      architecture: resolve<string[] | undefined>(cfn.architectures)?.[0] ?? 'x86_64',
      logFormat: logging?.logFormat ?? 'Text',
      systemLogLevel: (logging?.systemLogLevel ?? 'INFO').toUpperCase(),
      logLevel: logLevel.toUpperCase(),
      logLevelSource,
      tracing: resolve<{ mode?: string } | undefined>(cfn.tracingConfig)?.mode ?? 'PassThrough',
    };
  }
  const machine = stack.workflow.stateMachine.node.defaultChild as CfnStateMachine;
  const logs = resolve<{ level?: string; includeExecutionData?: boolean } | undefined>(
    machine.loggingConfiguration,
  );
  return {
    functions,
    workflow: {
      type: resolve<string>(machine.stateMachineType),
      logLevel: logs?.level ?? 'OFF',
      includeExecutionData: logs?.includeExecutionData ?? false,
      tracing: resolve<{ enabled?: boolean } | undefined>(machine.tracingConfiguration)?.enabled ?? false,
    },
  };
}
