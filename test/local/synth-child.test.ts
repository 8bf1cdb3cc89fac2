/**
 * On a cache miss the stack is synthesized in a process of its own (local/synth.ts synthInChild), so the run's
 * process never holds aws-cdk-lib's synthesis: the workflow comes back as in-process synthesis gives it, and
 * a stack that fails to synthesize gives a SynthError saying why.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SynthError } from '../../local/errors.js';
import { synthHere, synthWorkflow } from '../../local/synth.js';

describe('Function: synthWorkflow (cache miss)', () => {
  it('synthesizes in a child process the same workflow this process would', async () => {
    // A description of its own: a key no earlier run cached.
    const props = { description: `synth-child test ${randomUUID()}` };

    const [child, here] = await Promise.all([synthWorkflow(props), synthHere(props)]);

    expect(child).toEqual(here);
    expect(Object.keys(child.asl.States as object).length).toBeGreaterThan(3);
  }, 120_000);

  it("gives the child's reason when the stack cannot be synthesized", async () => {
    const props = { stage: { senderEmail: 'not-an-address' }, description: randomUUID() };

    const failure = synthWorkflow(props);

    await expect(failure).rejects.toThrow(SynthError);
    await expect(failure).rejects.toThrow(/senderEmail "not-an-address" is not an email address/);
  }, 120_000);
});
