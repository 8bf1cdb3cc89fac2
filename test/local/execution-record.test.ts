import { describe, expect, it } from 'vitest';
import { executionRecord, withoutBodies } from '../../local/execution-record.js';
import type { WorkflowRun } from '../../local/workflow.js';

const started = {
  executionArn: 'arn:aws:states:local:000000000000:express:Workflow:m1:1',
  name: 'm1',
  stateMachineArn: 'arn:aws:states:local:000000000000:stateMachine:Workflow',
  input: { journey: 'order_followup', customerId: 'C1', messageId: 'm1' },
  startDate: new Date('2026-03-01T10:00:00Z'),
};
const personalized = {
  ok: true,
  to: 'c1@example.com',
  subject: 'Thank you',
  html: `<p>${'x'.repeat(40_000)}</p>`,
  text: 'y'.repeat(3_000),
  templateVersion: 'v000001',
  recommendations: ['A', 'B'],
  unsubscribeUrl: 'https://shop.example/u/t',
};
const run = (output: unknown, taskErrors: WorkflowRun['taskErrors'] = []): WorkflowRun => ({
  status: 'SUCCEEDED',
  output,
  statesEntered: ['Personalize', 'CheckConsent', 'Send'],
  transitions: 4,
  retries: 1,
  taskInvocations: 4,
  taskErrors,
});

describe('executionRecord', () => {
  it("keeps the run's states, counts, request and decisions, without the rendered HTML and text", () => {
    // Prepare
    const output = { ...started.input, personalized, delivery: { status: 'sent' } };

    // Act
    const record = executionRecord(run(output, [{ state: 'Send', error: new RangeError('busy') }]), started);

    // Assess
    expect(record).toEqual({
      status: 'SUCCEEDED',
      output: {
        ...started.input,
        personalized: {
          ok: true,
          to: 'c1@example.com',
          subject: 'Thank you',
          templateVersion: 'v000001',
          recommendations: ['A', 'B'],
          unsubscribeUrl: 'https://shop.example/u/t',
        },
        delivery: { status: 'sent' },
      },
      statesEntered: ['Personalize', 'CheckConsent', 'Send'],
      transitions: 4,
      retries: 1,
      taskInvocations: 4,
      taskErrors: [{ state: 'Send', name: 'RangeError', message: 'busy' }],
      executionArn: started.executionArn,
      name: 'm1',
      input: started.input,
      startDate: '2026-03-01T10:00:00.000Z',
    });
    expect(JSON.stringify(record).length).toBeLessThan(1_000);
  });

  it('leaves an output without rendered bodies as it is, and a failed run without one', () => {
    // Prepare
    const skipped = { customerId: 'C1', personalized: { ok: false, record: true, reason: 'no_consent' } };
    const failed: WorkflowRun = { ...run(undefined), status: 'FAILED', error: { error: 'E', cause: 'c' } };
    delete failed.output;

    // Act
    const records = [withoutBodies(skipped), withoutBodies(null), executionRecord(failed, started)];

    // Assess
    expect(records[0]).toBe(skipped);
    expect(records[1]).toBeNull();
    expect(records[2]).not.toHaveProperty('output');
    expect(records[2]).toMatchObject({ status: 'FAILED', error: { error: 'E', cause: 'c' } });
  });
});
