/** Named errors of the embedded runtime: each says which stand-in failed and keeps its cause. */

export class EmbeddedRuntimeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmbeddedRuntimeError';
  }
}

/** The synthesized template does not hold exactly one state machine, or a token could not be resolved. */
export class SynthError extends EmbeddedRuntimeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SynthError';
  }
}

/** The ASL has a Task state with no local handler: running it would try to call real Lambda. */
export class MissingTaskHandlerError extends EmbeddedRuntimeError {
  constructor(readonly states: readonly string[]) {
    super(`No local handler for Task state(s): ${states.join(', ')}`);
    this.name = 'MissingTaskHandlerError';
  }
}

/** A schedule expression the local scheduler cannot evaluate (only one-time `at(...)` is supported). */
export class UnsupportedScheduleError extends EmbeddedRuntimeError {
  constructor(expression: string) {
    super(`Unsupported schedule expression: ${expression} (the local scheduler supports only at(...))`);
    this.name = 'UnsupportedScheduleError';
  }
}

/** A simulated job threw; the simulator stops rather than silently losing work. */
export class SimulationJobError extends EmbeddedRuntimeError {
  constructor(label: string, at: Date, options: { cause: unknown }) {
    super(`Job "${label}" at ${at.toISOString()} failed`, options);
    this.name = 'SimulationJobError';
  }
}
