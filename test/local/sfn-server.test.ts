import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalSfnServer, type StartedExecution, startSfnServer } from '../../local/sfn-server.js';

const ARN = 'arn:aws:states:local:000000000000:stateMachine:Workflow';

describe('Local Step Functions endpoint', () => {
  let server: LocalSfnServer;
  let client: SFNClient;
  const queue: StartedExecution[] = [];
  const now = new Date('2026-03-01T10:00:00Z');

  beforeAll(async () => {
    server = await startSfnServer({
      stateMachineArns: [ARN],
      onStart: (e) => queue.push(e),
      clock: () => now,
    });
    client = new SFNClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
  });

  it('enqueues StartExecution and answers with an execution ARN and the simulated start date', async () => {
    // Act
    const out = await client.send(
      new StartExecutionCommand({ stateMachineArn: ARN, name: 'n1', input: '{"a":1}' }),
    );

    // Assess
    expect(out.startDate).toEqual(now);
    expect(out.executionArn).toBe('arn:aws:states:local:000000000000:express:Workflow:n1:1');
    expect(queue).toEqual([
      { executionArn: out.executionArn, name: 'n1', stateMachineArn: ARN, input: { a: 1 }, startDate: now },
    ]);
    expect(server.started()).toBe(1);
  });

  it('answers StateMachineDoesNotExist for an unknown state machine', async () => {
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn: `${ARN}-other`, input: '{}' })),
    ).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
    expect(server.started()).toBe(1);
  });
});
