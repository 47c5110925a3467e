import * as z from "zod/mini";
import { InputError, toInputIssues } from "../core/errors.js";
import { MAX_SCOPE_LENGTH, SCOPE_PATTERN } from "../core/scope.js";
import { HttpProblem } from "./http/problem.js";

/** design.md §5.3: a check asks about 1 to 1000 addresses. */
export const MAX_CHECK_ADDRESSES = 1000;

// zod/mini keeps the check function's bundle and cold start small (issue: check ≤ 650 KB).
const CheckBodySchema = z.object({
  addresses: z.array(z.string("each address must be a string").check(z.maxLength(1024, "address too long")), {
    error: "`addresses` must be an array of strings",
  }),
  scope: z.optional(
    z
      .string("`scope` must be a string")
      .check(
        z.maxLength(MAX_SCOPE_LENGTH, `a scope has at most ${MAX_SCOPE_LENGTH} characters`),
        z.regex(SCOPE_PATTERN, "a scope is `*` or names separated by `/`"),
      ),
  ),
});
export type CheckBody = z.infer<typeof CheckBodySchema>;

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
