import type { BounceType, Reason, Subtype } from "../taxonomy.js";

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
