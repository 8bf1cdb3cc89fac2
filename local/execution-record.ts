/**
 * What embedded mode keeps of each workflow execution: a summary bounded by the message, not by its content.
 * A run keeps every record until it ends (the stats, the failed executions and the tests read them), so
 * keeping the final state whole would keep every rendered email twice (the outbox has it already): 43 KB
 * of a 47 KB record for a thank-you of a real shop's 30-line order, 2.2 GB resident over a month of one.
 */
import type { WorkflowState } from '../functions/domain/model.js';
import type { ExecutionRecord } from './runtime-types.js';
import type { StartedExecution } from './sfn-server.js';
import type { WorkflowRun } from './workflow.js';

/** The record of one finished execution: its run without the rendered bodies, and how it was started. */
export function executionRecord(run: WorkflowRun, started: StartedExecution): ExecutionRecord {
  const { output, taskErrors, ...rest } = run;
  return {
    ...rest,
    ...(output === undefined ? {} : { output: withoutBodies(output) }),
    executionArn: started.executionArn,
    name: started.name,
    input: started.input,
    startDate: started.startDate.toISOString(),
    taskErrors: taskErrors.map(({ state, error }) => ({ state, ...describeError(error) })),
  };
}

/** The final state with Personalize's HTML and text left out (subject, recipient, variant and the rest stay). */
export function withoutBodies(output: unknown): unknown {
  const state = output as WorkflowState | null;
  const personalized = state?.personalized;
  if (!personalized || typeof personalized !== 'object' || !('html' in personalized)) return output;
  const { html: _html, text: _text, ...kept } = personalized;
  return { ...state, personalized: kept };
}

/** An error as a record keeps it: its name and message. */
export function describeError(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Error', message: String(error) };
}
