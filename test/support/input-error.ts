import { InputError } from "../../lambdas/core/errors.js";

/**
 * The `InputError` that `run` throws; any other error is rethrown, and no error at all fails.
 *
 * @example
 * expect(inputError(() => parseJsonText("[", "The body")).message).toMatch(/not valid JSON/);
 */
export function inputError(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("expected an InputError");
}
