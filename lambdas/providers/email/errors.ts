/**
 * The two ways raw-email parsing refuses its input. Everything else a message can get wrong (a
 * missing field, a bad address, an unknown charset) is absorbed into the result, never thrown.
 */

/**
 * The input is not a message the parser could read (broken MIME, limits of nesting, header size or
 * part count exceeded). `cause` holds the library's own error when there was one.
 *
 * @example
 * try { await parseBounceEmail(raw); } catch (e) { if (e instanceof EmailParseError) reply(422, e.message); }
 */
export class EmailParseError extends Error {
  override readonly name: string = "EmailParseError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The input is larger than the parser accepts; refused before any MIME work is spent on it.
 *
 * @example
 * new EmailTooLargeError(12_000_000, 10 * 1024 * 1024).message; // "email of 12000000 bytes exceeds 10485760"
 */
export class EmailTooLargeError extends EmailParseError {
  override readonly name: string = "EmailTooLargeError";
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`email of ${size} bytes exceeds ${limit}`);
  }
}
