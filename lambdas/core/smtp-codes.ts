/**
 * The shapes of SMTP status codes, in one place for the classifier (which reads codes from a
 * diagnostic it is given) and the providers (which read them from the diagnostics they store, in
 * `providers/shared/smtp.ts`): both find the same code in the same text. No imports, so the
 * classifier stays free of everything but its own tables.
 */

/** A basic reply code as a field holds it (RFC 5321 §4.2): `550`. */
export const REPLY_CODE = /^[245]\d\d$/;

/** An RFC 3463 enhanced status code as a field holds it: `5.1.1`. */
export const ENHANCED_CODE = /^[245]\.\d{1,3}\.\d{1,3}$/;

/**
 * A reply code standing alone in text ("smtp; 550 5.1.1 …", "550-5.7.26", "ERROR_CODE :421"), not a
 * piece of an IP address, a host name, a version or a longer number (`[203.0.113.2]`, `v550`).
 */
export const REPLY_CODE_IN_TEXT = /(?<![\w./=@#-])[245]\d\d(?![\w.])/;

/** An enhanced code standing alone in text; not a piece of an IP address (`192.0.2.5`). */
export const ENHANCED_CODE_IN_TEXT = /(?<![\d.])[245]\.\d{1,3}\.\d{1,3}(?!\d|\.\d)/;

/**
 * The first reply code standing alone in `text` (see `REPLY_CODE_IN_TEXT`), or `null`.
 *
 * @example
 * replyCodeIn("host mx.example.org[203.0.113.2] said: 550 5.1.1 user unknown"); // "550"
 * replyCodeIn("connect to example.org[203.0.113.225]:25: Connection timed out"); // null
 */
export function replyCodeIn(text: string): string | null {
  return REPLY_CODE_IN_TEXT.exec(text)?.[0] ?? null;
}

/**
 * The first enhanced status code standing alone in `text` (see `ENHANCED_CODE_IN_TEXT`), or `null`.
 *
 * @example
 * enhancedCodeIn("550-5.7.26 unauthenticated mail"); // "5.7.26"
 * enhancedCodeIn("relay 192.0.2.5 refused");         // null
 */
export function enhancedCodeIn(text: string): string | null {
  return ENHANCED_CODE_IN_TEXT.exec(text)?.[0] ?? null;
}
