// asl-validator 4.0.0 ships no types; this is the part the infra tests use.
declare module 'asl-validator' {
  interface AslValidationResult {
    isValid: boolean;
    errors: unknown[];
    errorsText: (separator?: string) => string;
  }
  export default function validator(
    definition: object,
    options?: Record<string, unknown>,
  ): AslValidationResult;
}
