/**
 * Synthesizes the real ReciprocityStack and runs its workflow locally. Rename to synth.test.ts once
 * lib/reciprocity-stack.ts exists: it FAILS (SynthError naming the missing file) while the stack is absent.
 */
import { describe, expect, it } from 'vitest';
import { STATES } from '../../functions/domain/names.js';
import { TASK_HANDLER_MODULES } from '../../local/runtime.js';
import { synthWorkflow } from '../../local/synth.js';
import { allStates, LocalWorkflow } from '../../local/workflow.js';

describe('synthWorkflow (lib/reciprocity-stack.ts)', () => {
  it('yields a JSONPath ASL whose Task states all have a local handler', async () => {
    // Act
    const workflow = await synthWorkflow();
    const tasks = allStates(workflow.asl as never)
      .filter(([, state]) => state.Type === 'Task')
      .map(([name]) => name);

    // Assess
    expect(workflow.stateMachineArn).toMatch(/^arn:aws:states:local:000000000000:stateMachine:/);
    expect(workflow.asl.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    expect(tasks).toContain(STATES.send);
    for (const task of tasks) expect(TASK_HANDLER_MODULES, `handler for ${task}`).toHaveProperty(task);
    expect(JSON.stringify(workflow.asl)).not.toMatch(/Fn::|"Ref"/);
    const handlers = Object.fromEntries(tasks.map((t) => [t, async () => ({})]));
    expect(() => new LocalWorkflow(workflow.asl, handlers)).not.toThrow();
  });

  it('serves the second synth from the cache', async () => {
    // Prepare
    await synthWorkflow();
    const started = performance.now();

    // Act
    await synthWorkflow();

    // Assess
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
