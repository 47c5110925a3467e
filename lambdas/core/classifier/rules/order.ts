/**
 * The decision order of the text rules, as one list of rule ids: the first rule in this order whose
 * conditions all hold decides (rules marked `late` run after the enhanced-code table, so they
 * come last). The rules themselves live in one file per fine reason, `rules/<reason>.ts`;
 * `rules.ts` assembles `TEXT_RULES` from them in this order.
 *
 * Adding a rule: its entry in its reason's file, and its id here, where it must win — provider-
 * specific wordings before the general phrases they would otherwise fall into. The provider code
 * tables run before all of these, and the enhanced-code table, reply codes and fall-backs between
 * and after them (`index.ts`).
 */

export const RULE_ORDER = [
  // ── Provider-specific and unmistakable wordings first (sender side, auth, null MX) ──
  "provider-google-groups",
  "provider-gmail-state-after-data",
  "text-too-many-invalid-recipients",
  "text-mailing-list-member",
  "text-spam-classification",
  "provider-gmail-limited-unauthenticated",
  "text-not-compliant-rfc",
  "text-auth-failure",
  "text-require-ptr",
  "text-sender-rejected",
  "text-bad-reputation",
  "text-not-accept",
  // ── Mailbox, rate limits, client blocks ──
  "text-system-full",
  "text-mailbox-full",
  "text-too-many-conn",
  "provider-gmail-limited-without-tls",
  "text-speeding",
  "provider-cpanel-unrouteable",
  "text-blocked-list",
  "text-blocked-client",
  "text-no-relaying",
  // ── Message size and account state ──
  "text-exceed-limit",
  "text-mesg-too-big",
  "text-suspend",
  "text-has-moved",
  // ── Content ──
  "text-virus",
  "text-content-error",
  "text-policy",
  "text-spam",
  // ── Envelope sender refused at MAIL FROM; then recipient address and domain ──
  "stage-mail-from-refused",
  "text-bad-address-format",
  "text-host-unknown-temporary",
  "text-host-unknown-4xx",
  "text-host-unknown",
  "text-mailer-error",
  "text-user-unknown-after-data",
  "provider-kddi-filter",
  "text-user-unknown-mailbox-status",
  "text-user-unknown-policy-status",
  "text-unknown-user-then-address",
  "text-user-unknown",
  "text-mailbox-unavailable",
  "text-recipient-filtered",
  // ── Transport and servers ──
  "text-failed-starttls",
  "text-security",
  "text-connection-refused",
  "text-network-error",
  "provider-mxlogic-drd",
  "text-system-error",
  "text-expired",
  "text-syntax-error",
  // ── Stage hints: who refused, and when ──
  "stage-connect-refused",
  // ── Weak wordings (late): only when the enhanced code said nothing specific ──
  "late-transaction-failed",
  "late-mail-rejected",
  "late-access-denied",
  "late-no-valid-recipients",
] as const;

/** The id of a text rule: one of `RULE_ORDER`. */
export type RuleId = (typeof RULE_ORDER)[number];
