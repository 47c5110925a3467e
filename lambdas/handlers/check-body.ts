import { type CheckBody, CheckBodySchema, MAX_CHECK_ADDRESSES } from "../contract/check-request.js";
import { InputError, toInputIssues } from "../core/errors.js";
import { HttpProblem } from "./http/problem.js";

// The schema is zod/mini (the check function's bundle and cold start stay small; budget in bench/budgets.ts).
export { type CheckBody, MAX_CHECK_ADDRESSES };

/**
 * Validates a `POST /v1/check` body: 400 for a wrong shape or no address, 413 for more than 1000.
 *
 * @example
 * parseCheckBody({ addresses: ["jdoe@example.org"], scope: "newsletter" });
 */
export function parseCheckBody(body: unknown): CheckBody {
  const result = CheckBodySchema.safeParse(body);
  if (!result.success) {
    throw new InputError("The check request is not valid.", toInputIssues(result.error.issues));
  }
  const { addresses } = result.data;
  if (addresses.length === 0) {
    throw new InputError("Send at least one address.", [{ path: "addresses", message: "empty" }]);
  }
  if (addresses.length > MAX_CHECK_ADDRESSES) {
    throw new HttpProblem(
      413,
      `At most ${MAX_CHECK_ADDRESSES} addresses per check; got ${addresses.length}.`,
      {
        slug: "too-many-addresses",
      },
    );
  }
  return result.data;
}
