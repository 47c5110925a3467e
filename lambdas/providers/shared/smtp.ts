import type { Smtp } from "../../core/events.js";

/** `smtp; 550 5.1.1 …` → the DSN diagnostic-type prefix dropped. */
const DIAGNOSTIC_TYPE = /^\s*[a-z][a-z0-9-]*\s*;\s*/i;
/** A basic reply code at the start of the text or after white space: `550`, `550-5.1.1`. */
const REPLY_CODE = /(?:^|[\s([:])([245][0-9]{2})(?=$|[\s\-.,;:)\]])/;
/** RFC 3463 enhanced status code. */
const ENHANCED_CODE = /^[245]\.[0-9]{1,3}\.[0-9]{1,3}$/;
const ENHANCED_IN_TEXT = /(?:^|[^0-9.])([245]\.[0-9]{1,3}\.[0-9]{1,3})(?![0-9.]*[0-9])/;

/**
 * The SMTP details of one failure: the reply code found in the diagnostic, the enhanced status
 * the provider gave (or the one found in the diagnostic), and the diagnostic as given.
 *
 * @example
 * smtpFrom("smtp; 550 5.1.1 user unknown", "5.1.1");
 * // { code: "550", enhanced: "5.1.1", diagnostic: "smtp; 550 5.1.1 user unknown" }
 */
export function smtpFrom(diagnosticText: string | null | undefined, status?: string | null): Smtp {
  const diagnostic = diagnosticText?.trim() || null;
  const text = diagnostic?.replace(DIAGNOSTIC_TYPE, "") ?? "";
  const given = status?.trim() ?? "";
  const enhanced = ENHANCED_CODE.test(given) ? given : (ENHANCED_IN_TEXT.exec(text)?.[1] ?? null);
  const code = REPLY_CODE.exec(text)?.[1] ?? null;
  return { code, enhanced, diagnostic };
}

/** The diagnostic without its DSN type prefix (`smtp; `), as the classifier reads it. */
export function withoutDiagnosticType(diagnostic: string | null): string | null {
  return diagnostic?.replace(DIAGNOSTIC_TYPE, "") ?? null;
}
