/** An error the user can fix (a bad flag, an unreadable file): printed without a stack, exit code 2. */
export class CliError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
  }
}
