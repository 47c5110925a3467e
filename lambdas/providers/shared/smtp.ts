import { MAX_DIAGNOSTIC_CHARS, type Smtp } from "../../core/events.js";
import { ENHANCED_CODE, enhancedCodeIn, replyCodeIn } from "../../core/smtp-codes.js";
import { cutAt } from "./cut.js";

/** `smtp; 550 5.1.1 …` → the DSN diagnostic-type prefix dropped. */
const DIAGNOSTIC_TYPE = /^\s*[a-z][a-z0-9-]*\s*;\s*/i;

/**
 * A diagnostic as stored: trimmed, `null` when empty, cut to `MAX_DIAGNOSTIC_CHARS` (`cutAt`: never
 * splitting a surrogate pair).
 */
function capped(text: string | null | undefined): string | null {
  const trimmed = text?.trim() ?? "";
  return trimmed === "" ? null : cutAt(trimmed, MAX_DIAGNOSTIC_CHARS);
}

/**
 * The SMTP details of one failure: the reply code found in the diagnostic, the enhanced status
 * the provider gave (or the one found in the diagnostic) — found as the classifier finds them
 * (`core/smtp-codes.ts`: not in an IP address or a host name) — and the diagnostic as given, cut to
 * `MAX_DIAGNOSTIC_CHARS` (`core/limits.ts`). Every provider's stored diagnostic comes from here:
 * this is the one place the cap is applied.
 *
 * `codesFrom`, when given, is the text the codes are read from instead of the diagnostic (SendCloud:
 * only `cause` is the receiver's reply; the diagnostic also holds SendCloud's description).
 *
 * @example
 * smtpFrom("smtp; 550 5.1.1 user unknown", "5.1.1");
 * // { code: "550", enhanced: "5.1.1", diagnostic: "smtp; 550 5.1.1 user unknown" }
 * smtpFrom(`550 ${"x".repeat(500_000)}`).diagnostic?.length; // 8192
 */
export function smtpFrom(
  diagnosticText: string | null | undefined,
  status?: string | null,
  codesFrom?: string | null,
): Smtp {
  const diagnostic = capped(diagnosticText);
  const source = codesFrom === undefined ? diagnostic : capped(codesFrom);
  const text = source?.replace(DIAGNOSTIC_TYPE, "") ?? "";
  const given = status?.trim() ?? "";
  const enhanced = ENHANCED_CODE.test(given) ? given : enhancedCodeIn(text);
  const code = replyCodeIn(text);
  return { code, enhanced, diagnostic };
}

/**
 * Several texts about one failure (Mailgun's `message` and `description`, SendCloud's `cause` and
 * `subStatDesc`) as one diagnostic: trimmed, empty ones and repeats dropped, joined by newlines;
 * `null` when none is left. Not yet capped: pass the result to `smtpFrom`.
 *
 * @example
 * joinDiagnostics(" 550 No such user ", "", "550 No such user", "mailbox unavailable");
 * // "550 No such user\nmailbox unavailable"
 */
export function joinDiagnostics(...texts: readonly (string | null | undefined)[]): string | null {
  const parts: string[] = [];
  for (const text of texts) {
    const t = text?.trim();
    if (t && !parts.includes(t)) parts.push(t);
  }
  return parts.length > 0 ? parts.join("\n") : null;
}

/** The diagnostic without its DSN type prefix (`smtp; `), as the classifier reads it. */
export function withoutDiagnosticType(diagnostic: string | null): string | null {
  return diagnostic?.replace(DIAGNOSTIC_TYPE, "") ?? null;
}
