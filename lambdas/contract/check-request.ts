/**
 * The body of `POST /v1/check` as the check function parses it. zod/mini on purpose: this module is
 * in the check function's bundle (budget: bench/budgets.ts), and mini keeps it and the cold start
 * small. The documented `CheckRequest` (check.ts, classic zod) adds the address-count limits that
 * `parseCheckBody` enforces itself (400 for none, 413 for too many).
 */
import * as z from "zod/mini";
import { MAX_SCOPE_LENGTH, SCOPE_PATTERN } from "../core/scope.js";

/** design.md §5.3: a check asks about 1 to 1000 addresses. */
export const MAX_CHECK_ADDRESSES = 1000;

/** Characters of one address as sent (before canonicalization). */
export const MAX_ADDRESS_INPUT_CHARS = 1024;

export const CheckBodySchema = z.object({
  addresses: z.array(
    z.string("each address must be a string").check(z.maxLength(MAX_ADDRESS_INPUT_CHARS, "address too long")),
    { error: "`addresses` must be an array of strings" },
  ),
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
