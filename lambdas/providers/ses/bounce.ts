/**
 * SES bounce verdict → our taxonomy (docs/providers/ses.md §1.2, design.md §2.4–2.5), per bounced recipient.
 *
 * SES's `bounceType`/`bounceSubType` is a strong input, cross-checked with the DSN when there is one:
 *
 * | SES | decision | rule |
 * | --- | --- | --- |
 * | Permanent/Suppressed | `suppressed` (invalid/blocklisted), certain | `ses-suppressed` |
 * | Permanent/OnAccountSuppressionList | `suppressed` (invalid/blocklisted), certain | `ses-on-account-suppression-list` |
 * | Permanent/NoEmail | `user_unknown`, unless the DSN names a specific other reason | `ses-no-email` or the classifier's |
 * | Permanent/General (and other Permanent) | classifier, `permanent: true` | the classifier's |
 * | Transient/General (and other Transient) | classifier, `permanent: false`; a 5xx / 5.x.x reply makes it permanent | the classifier's |
 * | Transient/MailboxFull | `mailbox_full` (soft/other) | `ses-mailbox-full` |
 * | Transient/MessageTooLarge | `mesg_too_big` (soft/other) | `ses-message-too-large` |
 * | Transient/ContentRejected | `spam_detected` (soft/spam_rejected) | `ses-content-rejected` |
 * | Transient/AttachmentRejected | `content_error` (soft/other, as docs/providers/ses.md §1.2) | `ses-attachment-rejected` |
 * | Undetermined (and unknown types) | classifier, `permanent: false`, kept soft; else `undefined` soft/other | `ses-undetermined` |
 *
 * The Transient subtypes that name a reason still yield to the DSN when it proves a *hard* reason
 * (SES has been seen to mark a real `550 5.1.1` Transient, design.md §2.5).
 */
import { classify, isVagueRule } from "../../core/classifier/index.js";
import type { Classification } from "../../core/classifier/types.js";
import type { Smtp } from "../../core/events.js";
import { tableOf } from "../../core/lookup.js";
import { REASONS, type Reason, typeFor } from "../../core/taxonomy.js";
import { smtpFrom, withoutDiagnosticType } from "../shared/smtp.js";
import type { SesBouncedRecipient } from "./schemas.js";

export type BounceVerdict = Pick<Classification, "type" | "subtype" | "reason" | "rule">;

/**
 * The SMTP details of one bounced recipient: the reply code from the diagnostic, the DSN status (or
 * the enhanced code found in the diagnostic), and the diagnostic as SES gave it, capped (`smtpFrom`).
 *
 * @example
 * smtpOf({ emailAddress: "a@example.com", status: "5.1.1", diagnosticCode: "smtp; 550 5.1.1 user unknown" });
 * // { code: "550", enhanced: "5.1.1", diagnostic: "smtp; 550 5.1.1 user unknown" }
 */
export function smtpOf(recipient: SesBouncedRecipient): Smtp {
  return smtpFrom(recipient.diagnosticCode, recipient.status);
}

const certain = (reason: Reason, permanent: boolean, rule: string): BounceVerdict => ({
  ...typeFor(reason, permanent),
  reason,
  rule,
});

/** Reasons SES names by its Transient subtypes. */
const TRANSIENT_SUBTYPES: ReadonlyMap<string, readonly [Reason, string]> = tableOf({
  MailboxFull: ["mailbox_full", "ses-mailbox-full"],
  MessageTooLarge: ["mesg_too_big", "ses-message-too-large"],
  ContentRejected: ["spam_detected", "ses-content-rejected"],
  AttachmentRejected: ["content_error", "ses-attachment-rejected"],
});

/** The classifier found nothing specific: only the reply-code class, or its fall-backs (`on_hold`, `undefined`). */

/**
 * Decides type, subtype, reason and rule for one bounced recipient.
 *
 * @example
 * classifySesBounce("Permanent", "Suppressed", { emailAddress: "a@example.com" }, smtp);
 * // { type: "invalid", subtype: "blocklisted", reason: "suppressed", rule: "ses-suppressed" }
 */
export function classifySesBounce(
  bounceType: string,
  bounceSubType: string | null | undefined,
  smtp: Smtp,
): BounceVerdict {
  const hasDsn = smtp.diagnostic !== null || smtp.enhanced !== null || smtp.code !== null;
  const run = (permanent: boolean): Classification =>
    classify({
      diagnostic: withoutDiagnosticType(smtp.diagnostic),
      smtpCode: smtp.code,
      enhancedCode: smtp.enhanced,
      permanent,
    });
  const verdict = ({ type, subtype, reason, rule }: Classification): BounceVerdict => ({
    type,
    subtype,
    reason,
    rule,
  });

  if (bounceType === "Permanent") {
    if (bounceSubType === "Suppressed") return certain("suppressed", true, "ses-suppressed");
    if (bounceSubType === "OnAccountSuppressionList")
      return certain("suppressed", true, "ses-on-account-suppression-list");
    if (bounceSubType === "NoEmail") {
      if (!hasDsn) return certain("user_unknown", true, "ses-no-email");
      const c = run(true);
      return isVagueRule(c.rule) ? certain("user_unknown", true, "ses-no-email") : verdict(c);
    }
    return verdict(run(true));
  }

  if (bounceType === "Transient") {
    const named = TRANSIENT_SUBTYPES.get(bounceSubType ?? "");
    if (!named) return verdict(run(false));
    const [reason, rule] = named;
    if (hasDsn) {
      const c = run(false);
      if (c.type === "invalid" && REASONS[c.reason].class === "hard") return verdict(c);
    }
    return certain(reason, false, rule);
  }

  // Undetermined, or a bounce type SES may add later: never a hard suppression.
  if (hasDsn) {
    const c = run(false);
    if (c.type === "soft_bounce") return verdict(c);
  }
  return certain("undefined", false, "ses-undetermined");
}
