/** Step Functions for the `workflow` need (see Sdk in ../build-deps.ts). */
import { SFNClient } from '@aws-sdk/client-sfn';
import { WorkflowStarter } from '../../adapters/workflow.js';
import type { Sdk } from '../build-deps.js';

export const sfn: NonNullable<Sdk['sfn']> = {
  workflow: (stateMachineArn, config, client) =>
    new WorkflowStarter(stateMachineArn, client ?? new SFNClient(config)),
};
