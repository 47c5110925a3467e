/**
 * JSON decoding with a bound on nesting, for every JSON the service reads (request bodies, JSON
 * layers inside SNS and SQS envelopes, lists inside form fields): a document nested deeper than
 * `MAX_JSON_DEPTH` is refused before `JSON.parse` could overflow the stack on it.
 */
import { InputError } from "./errors.js";

/**
 * Deepest nesting of arrays and objects a JSON document may have. The deepest payload we read is an
 * SES record inside an SNS document inside an SQS record, about 8 levels, and each of those layers
 * is a string parsed on its own; 64 leaves ample room for custom fields ESPs pass through.
 */
export const MAX_JSON_DEPTH = 64;

/** `JSON.parse`'s reviver, as `parseJsonText` passes it on (Node ≥ 21 adds the source text). */
export type JsonReviver = (key: string, value: unknown, context?: { source?: string }) => unknown;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;

/**
 * Where `text` first nests deeper than `max` (the index of that `[` or `{`), or -1.
 *
 * Hand-written because `JSON.parse` has no depth option, and depth is what breaks things: a
 * reviver (Postmark's int64 ids) recurses once per level and overflows the stack on a 100 000-deep
 * array — the "Maximum call stack size exceeded" Postmark's 400 used to show — and so does any
 * recursive walk of the result (`String([[[…]]])`, `JSON.stringify`, a recursive schema).
 * One linear pass, no recursion: a regex jumps to the next bracket or quote, and a string is
 * skipped to its closing quote (one not escaped by an odd run of backslashes) with `indexOf`, so
 * brackets inside strings do not count. For valid JSON the count is exact; for invalid JSON it may
 * be off, and then `JSON.parse` refuses the text anyway.
 */
function tooDeepAt(text: string, max: number): number {
  // `test` rather than `exec`: no match array per bracket (twice as fast on a 6 MB body).
  const structural = /["[\]{}]/g;
  let depth = 0;
  while (structural.test(text)) {
    const at = structural.lastIndex - 1;
    const c = text.charCodeAt(at);
    if (c === QUOTE) {
      let end = at;
      for (;;) {
        end = text.indexOf('"', end + 1);
        if (end < 0) return -1; // unterminated string: not JSON, and JSON.parse says so
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === BACKSLASH) slashes++;
        if (slashes % 2 === 0) break;
      }
      structural.lastIndex = end + 1;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      depth++;
      if (depth > max) return at;
    } else {
      depth--;
    }
  }
  return -1;
}

/**
 * Parses JSON text from a caller — a whole body, or a JSON document inside a string field (SNS
 * `Message`, SQS `body`) — bounded to `MAX_JSON_DEPTH` levels, checked before parsing. Every
 * failure is the sender's fault and an `InputError` naming `what`; the message says what is wrong
 * with the input and never carries an engine error (a stack overflow, say) of ours.
 *
 * @param what the text's name in messages, capitalized: `"The body"`, `"The SNS \`Message\`"`.
 * @param reviver passed to `JSON.parse` (runs only on documents within the depth bound).
 * @throws InputError when the text is empty, nested too deep, or not valid JSON.
 * @example
 * parseJsonText('{"notificationType":"Bounce"}', "The SNS `Message`"); // { notificationType: "Bounce" }
 * parseJsonText("[".repeat(100_000), "The body"); // throws InputError: nested deeper than 64 levels
 */
export function parseJsonText(text: string, what: string, reviver?: JsonReviver): unknown {
  if (text.trim() === "") throw new InputError(`${what} is empty; a JSON document is expected.`);
  const deepAt = tooDeepAt(text, MAX_JSON_DEPTH);
  if (deepAt >= 0) {
    throw new InputError(`${what} is nested deeper than ${MAX_JSON_DEPTH} levels of arrays and objects.`, [
      { path: "", message: `more than ${MAX_JSON_DEPTH} levels deep at character ${deepAt}` },
    ]);
  }
  try {
    // The cast: lib.d.ts types the reviver without Node's third `context` argument.
    return JSON.parse(text, reviver as Parameters<typeof JSON.parse>[1]);
  } catch (error) {
    // A SyntaxError describes the input (and quotes a bit of it); anything else is ours to hide.
    const detail = error instanceof SyntaxError ? `: ${error.message}` : ".";
    throw new InputError(`${what} is not valid JSON${detail}`, [], { cause: error });
  }
}

/**
 * Parses a JSON body given as bytes (UTF-8), as `parseJsonText` does: depth-bounded, and a
 * malformed one is the sender's fault (`InputError`).
 *
 * @example
 * parseJsonBody(Buffer.from('{"a":1}')); // { a: 1 }
 */
export function parseJsonBody(raw: Buffer, reviver?: JsonReviver): unknown {
  const text = raw.toString("utf8");
  if (text.trim() === "") throw new InputError("The request body is empty; a JSON document is expected.");
  return parseJsonText(text, "The body", reviver);
}
