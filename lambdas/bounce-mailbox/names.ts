/**
 * The bounce mailbox function's metrics (data only: the stack's alarms read it without the handler).
 * Published once per invocation, zeros included, in `METRICS_NAMESPACE` with the `service` dimension.
 */
export const BOUNCE_MAILBOX_METRICS = {
  /** SQS messages received (one S3 object each). */
  messages: "MailboxMessages",
  /** Events recorded for the first time. */
  accepted: "MailboxEventsAccepted",
  /** Events recorded before (a redelivered notification): acknowledged, nothing changed. */
  duplicates: "MailboxEventsDuplicate",
  /** Auto-replies, mails that are no report, skipped recipients; and objects already gone. */
  ignored: "MailboxEventsIgnored",
  /** Mails that cannot be read: kept under poison/, acknowledged, alarmed on. */
  poison: "MailboxMailsPoison",
  /** Messages that failed for another reason (store unavailable…): retried, then the DLQ. */
  failed: "MailboxMessagesFailed",
} as const;
