/** One problem with a caller's input, pointing at where it is. */
export type InputIssue = { readonly path: string; readonly message: string };

/**
 * The caller sent something we cannot accept (malformed JSON, wrong shape, unknown values).
 * Handlers answer it with 400 problem+json listing `issues`; it is never a server fault.
 *
 * @example
 * throw new InputError("The body is not valid JSON", [], { cause: err });
 */
export class InputError extends Error {
  override readonly name = "InputError";
  constructor(
    message: string,
    readonly issues: readonly InputIssue[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Turns zod-style issues (`{path, message}`) into ours, with dotted paths. */
export function toInputIssues(
  issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[],
): InputIssue[] {
  return issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}
