import type * as z from "zod";
import { InputError, toInputIssues } from "../../core/errors.js";

/** Where a value sits in the request body: object keys and array indexes, outermost first. */
export type BodyPath = readonly PropertyKey[];

/**
 * `value` parsed with `schema`, or an `InputError` with `message` whose issues point into the whole
 * body: each zod issue's path is prefixed with `path`, where `value` sits (`3.msys.message_event`,
 * `Records.0.Sns.Message`), and joined with dots. The zod error is the cause.
 *
 * @param path where `value` sits in the body; `[]` for the body itself.
 * @param message the error's message, naming what was expected: `"Not a valid Mailgun event."`.
 * @throws InputError when `value` does not match `schema`.
 * @example
 * parseAt(z.object({ event: z.string() }), { event: 7 }, [2], "Not a valid Mailgun event.");
 * // throws InputError("Not a valid Mailgun event.", [{ path: "2.event", message: "Invalid input: expected string, received number" }])
 */
export function parseAt<S extends z.ZodType>(
  schema: S,
  value: unknown,
  path: BodyPath,
  message: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data as z.output<S>;
  const issues = toInputIssues(
    result.error.issues.map((i) => ({ path: [...path, ...i.path], message: i.message })),
  );
  throw new InputError(message, issues, { cause: result.error });
}
