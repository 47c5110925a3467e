import { InputError } from "../../core/errors.js";

/**
 * Parses a JSON body given as bytes; a malformed one is the sender's fault (`InputError`).
 *
 * @example
 * parseJsonBody(Buffer.from('{"a":1}')); // { a: 1 }
 */
export function parseJsonBody(raw: Buffer): unknown {
  const text = raw.toString("utf8");
  if (text.trim() === "") throw new InputError("The request body is empty; a JSON document is expected.");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`The body is not valid JSON: ${(error as Error).message}`, [], { cause: error });
  }
}
