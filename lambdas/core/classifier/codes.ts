/**
 * RFC 3463 enhanced status codes (with the later additions from the IANA "SMTP Enhanced Status
 * Codes" registry: RFC 4954, 5248, 7372, 7505, 8689) mapped to a fine reason, plus the few
 * provider-specific extensions that are widely documented (Microsoft 365 `5.7.5xx`/`5.7.6xx`,
 * `4.7.650`).
 *
 * This is the *second* tier of the classifier (design.md §2.5): it only decides when no text rule
 * did. Codes whose meaning is only "something about X" (X.0.0, X.5.0) are deliberately absent, so
 * the reply-code class decides for them.
 *
 * Deliberate choices where the registry and practice disagree:
 * - `X.2.1` "Mailbox disabled, not accepting messages" → `suspend` (the registry meaning; docs/providers/ses.md §1.2
 *   maps 5.2.1 to mailbox_not_found, which is what `suspend` gives in both permanences).
 *   Sisimai says `filtered`; its own corpus is split between the two.
 * - `X.7.27` "Sender address has null MX" (RFC 7505) is a *sender*-side failure → `rejected`.
 * - `X.1.0` "Other address status" → `user_unknown` (as Sisimai); sender-side wording is caught by
 *   the text rules first.
 */

import type { Reason } from "../taxonomy.js";

/** One row of the enhanced-code table: the exact code (class included) and its reason. */
export type EnhancedCodeRow = {
  readonly code: string;
  readonly reason: Reason;
  /** The registry's title for the code, for people reading the rule. */
  readonly title: string;
};

const both = (sd: string, reason: Reason, title: string): EnhancedCodeRow[] => [
  { code: `5.${sd}`, reason, title },
  { code: `4.${sd}`, reason, title },
];
const perm = (sd: string, reason: Reason, title: string): EnhancedCodeRow[] => [
  { code: `5.${sd}`, reason, title },
];
const temp = (sd: string, reason: Reason, title: string): EnhancedCodeRow[] => [
  { code: `4.${sd}`, reason, title },
];

/** The table, in registry order. Each row becomes one rule `enhanced-<code>`. */
export const ENHANCED_CODES: readonly EnhancedCodeRow[] = [
  // X.1.x addressing
  ...both("1.0", "user_unknown", "Other address status"),
  ...both("1.1", "user_unknown", "Bad destination mailbox address"),
  ...perm("1.2", "host_unknown", "Bad destination system address"),
  ...temp("1.2", "network_error", "Bad destination system address (temporary)"),
  ...both("1.3", "bad_address_format", "Bad destination mailbox address syntax"),
  ...both("1.4", "filtered", "Destination mailbox address ambiguous"),
  ...both("1.6", "has_moved", "Destination mailbox has moved, no forwarding address"),
  ...both("1.7", "rejected", "Bad sender's mailbox address syntax"),
  ...both("1.8", "rejected", "Bad sender's system address"),
  ...both("1.9", "system_error", "Message relayed to non-compliant mailer"),
  ...both("1.10", "not_accept", "Recipient address has null MX"),
  // X.2.x mailbox
  ...both("2.0", "filtered", "Other or undefined mailbox status"),
  ...both("2.1", "suspend", "Mailbox disabled, not accepting messages"),
  ...both("2.2", "mailbox_full", "Mailbox full"),
  ...both("2.3", "exceed_limit", "Message length exceeds administrative limit"),
  ...both("2.4", "filtered", "Mailing list expansion problem"),
  // X.3.x mail system
  ...both("3.0", "system_error", "Other or undefined mail system status"),
  ...both("3.1", "system_full", "Mail system full"),
  ...both("3.2", "not_accept", "System not accepting network messages"),
  ...both("3.3", "system_error", "System not capable of selected features"),
  ...both("3.4", "mesg_too_big", "Message too big for system"),
  ...both("3.5", "system_error", "System incorrectly configured"),
  // X.4.x network and routing
  ...both("4.0", "network_error", "Other or undefined network or routing status"),
  ...both("4.1", "expired", "No answer from host"),
  ...both("4.2", "network_error", "Bad connection"),
  ...both("4.3", "system_error", "Directory server failure"),
  ...perm("4.4", "host_unknown", "Unable to route"),
  ...temp("4.4", "network_error", "Unable to route (temporary)"),
  ...both("4.5", "system_full", "Mail system congestion"),
  ...both("4.6", "network_error", "Routing loop detected"),
  ...both("4.7", "expired", "Delivery time expired"),
  ...both("4.8", "network_error", "Retry on IPv4 (RFC 9422)"),
  // X.5.x protocol
  ...both("5.1", "syntax_error", "Invalid command"),
  ...both("5.2", "syntax_error", "Syntax error"),
  ...both("5.3", "too_many_conn", "Too many recipients"),
  ...both("5.4", "syntax_error", "Invalid command arguments"),
  ...both("5.5", "system_error", "Wrong protocol version"),
  ...both("5.6", "syntax_error", "Authentication exchange line is too long"),
  // X.6.x content
  ...both("6.0", "content_error", "Other or undefined media error"),
  ...both("6.1", "content_error", "Media not supported"),
  ...both("6.2", "content_error", "Conversion required and prohibited"),
  ...both("6.3", "content_error", "Conversion required but not supported"),
  ...both("6.4", "content_error", "Conversion with loss performed"),
  ...both("6.5", "content_error", "Conversion failed"),
  ...both("6.6", "content_error", "Message content not available"),
  ...both("6.7", "content_error", "Non-ASCII addresses not permitted"),
  ...both("6.8", "content_error", "UTF-8 string reply required"),
  ...both("6.9", "content_error", "UTF-8 header cannot be transferred"),
  ...both("6.10", "content_error", "Message contains invalid UTF-8"),
  // X.7.x security and policy
  ...both("7.0", "security_error", "Other or undefined security status"),
  ...perm("7.1", "security_error", "Delivery not authorized, message refused"),
  ...temp("7.1", "blocked", "Delivery not authorized (temporary: greylisting or client block)"),
  ...both("7.2", "security_error", "Mailing list expansion prohibited"),
  ...both("7.3", "security_error", "Security conversion required but not possible"),
  ...both("7.4", "security_error", "Security features not supported"),
  ...both("7.5", "security_error", "Cryptographic failure"),
  ...both("7.6", "security_error", "Cryptographic algorithm not supported"),
  ...both("7.7", "security_error", "Message integrity failure"),
  ...both("7.8", "security_error", "Authentication credentials invalid"),
  ...both("7.9", "security_error", "Authentication mechanism is too weak"),
  ...both("7.10", "failed_starttls", "Encryption needed"),
  ...both("7.11", "failed_starttls", "Encryption required for requested authentication mechanism"),
  ...both("7.12", "security_error", "A password transition is needed"),
  ...both("7.13", "suspend", "User account disabled"),
  ...both("7.14", "security_error", "Trust relationship required"),
  ...both("7.15", "security_error", "Priority level is too low"),
  ...both("7.16", "mesg_too_big", "Message is too big for the specified priority"),
  ...both("7.17", "has_moved", "Mailbox owner has changed"),
  ...both("7.18", "has_moved", "Domain owner has changed"),
  ...both("7.19", "security_error", "RRVS test cannot be completed"),
  ...both("7.20", "auth_failure", "No passing DKIM signature found"),
  ...both("7.21", "auth_failure", "No acceptable DKIM signature found"),
  ...both("7.22", "auth_failure", "No valid author-matched DKIM signature found"),
  ...both("7.23", "auth_failure", "SPF validation failed"),
  ...both("7.24", "auth_failure", "SPF validation error"),
  ...both("7.25", "require_ptr", "Reverse DNS validation failed"),
  ...both("7.26", "auth_failure", "Multiple authentication checks failed"),
  ...both("7.27", "rejected", "Sender address has null MX"),
  ...both("7.28", "spam_detected", "Mail flood detected"),
  ...both("7.29", "auth_failure", "ARC validation failure"),
  ...both("7.30", "failed_starttls", "REQUIRETLS support required"),
  // Microsoft 365 / Exchange Online extensions (documented in "NDRs in Exchange Online").
  ...perm("1.351", "user_unknown", "Microsoft: unknown recipient or mailbox unavailable"),
  ...perm("4.316", "expired", "Microsoft: message expired, connection refused"),
  ...perm("4.312", "network_error", "Microsoft: message expired, DNS query failed"),
  ...perm("7.509", "auth_failure", "Microsoft: sending domain does not pass DMARC"),
  ...perm("7.510", "security_error", "Microsoft: recipient does not accept mail over IPv6"),
  ...perm("7.606", "blocked", "Microsoft: banned sending IP"),
  ...perm("7.708", "blocked", "Microsoft: access denied, traffic not accepted from this IP"),
  ...perm("7.750", "blocked", "Microsoft: client blocked from sending from unregistered domains"),
  ...temp("7.650", "bad_reputation", "Microsoft: rate limited due to IP reputation"),
  ...perm("7.506", "blocked", "Microsoft: access denied, bad HELO"),
  ...perm("7.507", "blocked", "Microsoft: access denied, sending IP rejected by the recipient organization"),
  ...perm("7.508", "speeding", "Microsoft: sending IP exceeded permitted limits within its IPv6 range"),
  ...perm("7.511", "blocked", "Microsoft: access denied, banned sender"),
  ...perm("7.512", "not_compliant_rfc", "Microsoft: message must be RFC 5322 section 3.6.2 compliant"),
  ...both("2.121", "speeding", "Microsoft: recipient's hourly receive limit from this sender exceeded"),
  ...both("2.122", "speeding", "Microsoft: recipient's hourly receive limit exceeded"),
];

/** Lookup from exact code to its row. */
export const ENHANCED_CODE_INDEX: ReadonlyMap<string, EnhancedCodeRow> = new Map(
  ENHANCED_CODES.map((row) => [row.code, row]),
);

/**
 * The reason an enhanced status code names on its own, or undefined when the code has no specific
 * meaning in the table.
 *
 * @example
 * reasonForEnhancedCode("5.1.1"); // { code: "5.1.1", reason: "user_unknown", title: "Bad destination mailbox address" }
 * reasonForEnhancedCode("5.0.0"); // undefined
 */
export function reasonForEnhancedCode(code: string): EnhancedCodeRow | undefined {
  return ENHANCED_CODE_INDEX.get(code);
}
