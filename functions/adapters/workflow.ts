/** Starts the Express message workflow. At-least-once is fine: the ledger makes a second run harmless. */
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { MessageRequest } from '../domain/model.js';

export class WorkflowStarter {
  constructor(
    private readonly stateMachineArn: string,
    private readonly client: SFNClient = new SFNClient({}),
  ) {}

  async start(request: MessageRequest): Promise<string> {
    const out = await this.client.send(
      new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, input: JSON.stringify(request) }),
    );
    return out.executionArn ?? '';
  }
}
