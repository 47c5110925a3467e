import type { BounceType, Reason, Subtype } from "../taxonomy.js";
import type { Stage } from "./rules/types.js";

/**
 * The RFC 3464 §2.3.3 `Action` values a failure report can carry. Only `failed` and `delayed` reach
 * the classifier; the others are deliveries.
 */
export type FailureAction = "failed" | "delayed";

/** What the classifier reads: whatever the provider gave us about one failed recipient. */
export type DiagnosticInput = {
  /** Free text: the SMTP reply or DSN Diagnostic-Code, in any language. */
  readonly diagnostic?: string | null;
  /** Basic SMTP reply code, e.g. "550". */
  readonly smtpCode?: string | null;
  /** RFC 3463 enhanced status code, e.g. "5.1.1". */
  readonly enhancedCode?: string | null;
  /** The ESP's own verdict, when it gives one (SES Permanent/Transient, Mailgun severity…). */
  readonly permanent?: boolean | null;
  /** A reason the ESP itself states with certainty (e.g. SES `OnAccountSuppressionList` → suppressed). */
  readonly providerReason?: Reason | null;
  /**
   * The report's `Action` for this recipient, when the source states it (a DSN's `Action` field,
   * SES `bouncedRecipients[].action`). `delayed` means the sending MTA is still trying: never
   * permanent, and `expired` (Sisimai's reason for a delay notice) unless the text names a
   * specific soft reason.
   */
  readonly action?: FailureAction | null;
  /**
   * The SMTP command the failure answered, when the source states it apart from the text (a
   * plain-text bounce's `RCPT TO:` line, a DSN's `in reply to RCPT TO command`). It wins over the
   * stage the text names; without it the classifier reads the stage from the text.
   */
  readonly stage?: Stage | null;
};

/** The classifier's answer: always a bounce type, and always the rule that decided it. */
export type Classification = {
  readonly type: BounceType;
  readonly subtype: Subtype;
  readonly reason: Reason;
  /** Id of the rule that decided, e.g. "text-user-unknown", "enhanced-5.1.1", "reply-5xx". */
  readonly rule: string;
  /** Whether the failure was judged permanent (5xx / ESP says so, cross-checked with the text). */
  readonly permanent: boolean;
};
