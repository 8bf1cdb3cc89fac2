import { describe, expect, it } from 'vitest';
import { MissingTaskHandlerError } from '../../local/errors.js';
import { LocalWorkflow } from '../../local/workflow.js';

class ThrottledError extends Error {
  constructor() {
    super('Maximum sending rate exceeded.');
    this.name = 'TooManyRequestsException';
  }
}

/** Choice on data, a Lambda-integration Task with Retry on a named error, and a Catch to a recorder. */
const ASL = {
  StartAt: 'Decide',
  States: {
    Decide: {
      Type: 'Choice',
      Choices: [
        {
          And: [
            { Variable: '$.skip', IsPresent: true },
            { Variable: '$.skip', BooleanEquals: true },
          ],
          Next: 'RecordSkip',
        },
      ],
      Default: 'Send',
    },
    Send: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'arn:aws:lambda:local:000000000000:function:SendFn', 'Payload.$': '$' },
      ResultSelector: { 'status.$': '$.Payload.status' },
      ResultPath: '$.delivery',
      Retry: [
        { ErrorEquals: ['TooManyRequestsException'], IntervalSeconds: 30, MaxAttempts: 2, BackoffRate: 2 },
      ],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' }],
      Next: 'Done',
    },
    RecordSkip: {
      Type: 'Task',
      Resource: 'arn:aws:lambda:local:000000000000:function:RecordFn',
      End: true,
    },
    RecordFailure: {
      Type: 'Task',
      Resource: 'arn:aws:lambda:local:000000000000:function:RecordFn',
      End: true,
    },
    Done: { Type: 'Succeed' },
  },
};

function handlersFailing(failures: number) {
  let calls = 0;
  const recorded: unknown[] = [];
  return {
    recorded,
    handlers: {
      Send: async (input: unknown) => {
        calls += 1;
        if (calls <= failures) throw new ThrottledError();
        return { status: 'sent', to: (input as { to: string }).to, at: new Date('2026-03-01T00:00:00Z') };
      },
      RecordSkip: async (input: unknown) => {
        recorded.push(input);
        return { recorded: 'skip' };
      },
      RecordFailure: async (input: unknown) => {
        recorded.push(input);
        return { recorded: 'failure' };
      },
    },
  };
}

describe('Class: LocalWorkflow', () => {
  it('retries a named error at once, counting every attempt and transition', async () => {
    // Prepare
    const { handlers } = handlersFailing(2);
    const workflow = new LocalWorkflow(ASL, handlers);
    const started = Date.now();

    // Act
    const run = await workflow.run({ to: 'a@example.com' });

    // Assess: 30 s and 60 s retry intervals took no wall time.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.output).toEqual({ to: 'a@example.com', delivery: { status: 'sent' } });
    expect(run.statesEntered).toEqual(['Decide', 'Send', 'Done']);
    expect(run.retries).toBe(2);
    expect(run.taskInvocations).toBe(3);
    expect(run.transitions).toBe(5);
    expect(run.taskErrors.map((e) => e.state)).toEqual(['Send', 'Send']);
  });

  it('routes an exhausted retry to the Catch state with a Lambda-style error', async () => {
    // Prepare
    const { handlers, recorded } = handlersFailing(99);
    const workflow = new LocalWorkflow(ASL, handlers);

    // Act
    const run = await workflow.run({ to: 'a@example.com' });

    // Assess: 1 attempt + 2 retries, then Catch.
    expect(run.status).toBe('SUCCEEDED');
    expect(run.statesEntered).toEqual(['Decide', 'Send', 'RecordFailure']);
    expect(run.taskInvocations).toBe(4);
    const failure = recorded[0] as { error: { Error: string; Cause: string } };
    expect(failure.error.Error).toBe('TooManyRequestsException');
    expect(JSON.parse(failure.error.Cause)).toMatchObject({
      errorType: 'TooManyRequestsException',
      errorMessage: 'Maximum sending rate exceeded.',
    });
    expect(run.output).toEqual({ recorded: 'failure' });
  });

  it('follows a Choice on data, passing a direct-ARN task its input unwrapped', async () => {
    // Prepare
    const { handlers, recorded } = handlersFailing(0);

    // Act
    const run = await new LocalWorkflow(ASL, handlers).run({ skip: true });

    // Assess
    expect(run.statesEntered).toEqual(['Decide', 'RecordSkip']);
    expect(recorded).toEqual([{ skip: true }]);
  });

  it('returns an uncaught error as a FAILED run instead of throwing', async () => {
    // Prepare
    const asl = {
      StartAt: 'Send',
      States: { Send: { ...ASL.States.Send, Catch: undefined, Next: undefined, End: true } },
    };
    delete asl.States.Send.Catch;
    delete asl.States.Send.Next;

    // Act
    const run = await new LocalWorkflow(asl, handlersFailing(99).handlers).run({});

    // Assess
    expect(run.status).toBe('FAILED');
    expect(run.error?.error).toBe('TooManyRequestsException');
    expect(run.taskInvocations).toBe(3);
  });

  it('refuses an ASL with a Task state that has no handler', () => {
    expect(() => new LocalWorkflow(ASL, { Send: async () => ({}) })).toThrow(MissingTaskHandlerError);
    expect(() => new LocalWorkflow(ASL, { Send: async () => ({}) })).toThrow(/RecordSkip, RecordFailure/);
  });
});
