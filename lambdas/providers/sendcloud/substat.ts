/**
 * SendCloud `subStat` codes → our taxonomy (docs/providers.md §0 and docs/providers/sendcloud.md §6, design.md §2.2–2.4).
 *
 * Our subtypes come 1:1 from these codes, so the code decides the type and subtype, always. The
 * fine reason comes from the code when the code names it (401 → `suppressed`, 402 → `unsubscribed`,
 * 404 → `bad_address_format`, 405 → `blocked`, 506 → `suspend`: the only reason with that subtype);
 * for the coarser codes the classifier reads the diagnostic (`cause` + `subStatDesc`) and its reason
 * is kept when it is specific and lands on the same row (design.md §2.4), else the row's default.
 *
 * | subStat | SendCloud | type / subtype | default reason | refined by the diagnostic |
 * | --- | --- | --- | --- | --- |
 * | 401 | in SendCloud blacklist | invalid / blocklisted | suppressed | no |
 * | 402 | unsubscribe | invalid / unsubscribed | unsubscribed | no |
 * | 403 | server unreachable | invalid / server_unreachable | host_unknown | yes (not_accept) |
 * | 404 | address format error | invalid / bad_address_format | bad_address_format | no |
 * | 405 | IP and domain rejected | invalid / sender_or_recipient_rejected | blocked | no |
 * | 406 | address does not exist | invalid / mailbox_not_found | user_unknown | yes (has_moved, suspend) |
 * | 407 | spam | invalid / spam | spam_detected | yes (virus_detected, policy_violation) |
 * | 408 | sender / recipient rejected | invalid / sender_or_recipient_rejected | rejected | yes (filtered, no_relaying, blocked, bad_reputation, require_ptr, auth_failure) |
 * | 409 | others | invalid / other | undefined | yes (content_error, not_compliant_rfc, security_error, syntax_error, on_hold) |
 * | 503 | service not available | soft_bounce / service_unreachable | system_error | yes (not_accept, system_full, mailer_error, network_error, expired) |
 * | 505 | ip or domain rejected | soft_bounce / ip_or_domain_rejected | blocked | yes (bad_reputation, require_ptr, auth_failure, speeding, too_many_conn) |
 * | 506 | email address does not exist | soft_bounce / mailbox_not_found | suspend | no |
 * | 507 | spam | soft_bounce / spam_rejected | spam_detected | yes (virus_detected, policy_violation) |
 * | 508 | sender / recipient rejected | soft_bounce / sender_or_recipient_rejected | rejected | yes (filtered, no_relaying) |
 * | 509 | others | soft_bounce / other | undefined | yes (mailbox_full, exceed_limit, mesg_too_big, failed_starttls, content_error, …) |
 * | missing, unknown, or the other table's code | the event's type / other | undefined | yes (within `other`) |
 *
 * Rules: `sendcloud-substat-<code>` when the code decided the reason, the classifier's rule id when
 * the diagnostic refined it, `sendcloud-substat-missing` / `sendcloud-substat-unknown` otherwise.
 */
import { classify, isVagueRule } from "../../core/classifier/index.js";
import type { Classification } from "../../core/classifier/types.js";
import type { Smtp } from "../../core/events.js";
import { tableOf } from "../../core/lookup.js";
import { type BounceType, type Reason, type Subtype, typeFor } from "../../core/taxonomy.js";
import { withoutDiagnosticType } from "../shared/smtp.js";

export type SendCloudBounceVerdict = Pick<Classification, "type" | "subtype" | "reason" | "rule">;

/** One row of SendCloud's subStat tables. */
export type SubStatRow = {
  readonly type: BounceType;
  readonly subtype: Subtype;
  /** The reason when the diagnostic says nothing more specific that fits the row. */
  readonly reason: Reason;
  /** The code alone names the reason: the diagnostic is not consulted. */
  readonly certain: boolean;
  /** SendCloud's own description of the code. */
  readonly description: string;
};

const row = (
  type: BounceType,
  subtype: Subtype,
  reason: Reason,
  certain: boolean,
  description: string,
): SubStatRow => ({ type, subtype, reason, certain, description });

/** SendCloud's subStat codes (docs/providers/sendcloud.md §6), the source of our subtypes. */
export const SUBSTAT_ROWS: ReadonlyMap<string, SubStatRow> = tableOf({
  "401": row("invalid", "blocklisted", "suppressed", true, "in SendCloud blacklist"),
  "402": row("invalid", "unsubscribed", "unsubscribed", true, "unsubscribe"),
  "403": row("invalid", "server_unreachable", "host_unknown", false, "server unreachable"),
  "404": row("invalid", "bad_address_format", "bad_address_format", true, "address format error"),
  "405": row("invalid", "sender_or_recipient_rejected", "blocked", true, "IP and domain rejected"),
  "406": row("invalid", "mailbox_not_found", "user_unknown", false, "address does not exist"),
  "407": row("invalid", "spam", "spam_detected", false, "spam"),
  "408": row("invalid", "sender_or_recipient_rejected", "rejected", false, "sender / recipient rejected"),
  "409": row("invalid", "other", "undefined", false, "others"),
  "503": row("soft_bounce", "service_unreachable", "system_error", false, "service not available"),
  "505": row("soft_bounce", "ip_or_domain_rejected", "blocked", false, "ip or domain rejected"),
  "506": row("soft_bounce", "mailbox_not_found", "suspend", true, "email address does not exist"),
  "507": row("soft_bounce", "spam_rejected", "spam_detected", false, "spam"),
  "508": row("soft_bounce", "sender_or_recipient_rejected", "rejected", false, "sender / recipient rejected"),
  "509": row("soft_bounce", "other", "undefined", false, "others"),
});

/** `"406"`, `406`, `" 406 "` → `"406"`; anything else → null. */
export function subStatCode(value: string | null | undefined): string | null {
  const match = /^\s*(\d{3})(?:\.0+)?\s*$/.exec(value ?? "");
  return match?.[1] ?? null;
}

/** Whether a reason, at this permanence, lands on exactly this type and subtype (design.md §2.4). */
export function reasonFits(reason: Reason, type: BounceType, subtype: Subtype): boolean {
  const at = typeFor(reason, type === "invalid");
  return at.type === type && at.subtype === subtype;
}

/**
 * Type, subtype, reason and rule for one `invalid` / `soft_bounce` event (see the module table).
 * The event's kind wins over a code from the other table (treated as unknown).
 *
 * @example
 * classifySendCloudBounce("invalid", "406", { code: "550", enhanced: "5.1.1", diagnostic: "550 5.1.1 User unknown" });
 * // { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown", rule: "text-user-unknown" }
 * classifySendCloudBounce("invalid", "405", null);
 * // { type: "invalid", subtype: "sender_or_recipient_rejected", reason: "blocked", rule: "sendcloud-substat-405" }
 */
export function classifySendCloudBounce(
  kind: BounceType,
  subStat: string | null | undefined,
  smtp: Smtp | null,
): SendCloudBounceVerdict {
  const code = subStatCode(subStat);
  const known = code === null ? undefined : SUBSTAT_ROWS.get(code);
  const fromTable = known !== undefined && known.type === kind ? known : undefined;
  const rowUsed: SubStatRow = fromTable ?? row(kind, "other", "undefined", false, "unknown");
  const fallbackRule =
    fromTable !== undefined
      ? `sendcloud-substat-${code}`
      : code === null
        ? "sendcloud-substat-missing"
        : "sendcloud-substat-unknown";
  const decided: SendCloudBounceVerdict = {
    type: rowUsed.type,
    subtype: rowUsed.subtype,
    reason: rowUsed.reason,
    rule: fallbackRule,
  };
  if (rowUsed.certain || smtp === null) return decided;
  const c = classify({
    diagnostic: withoutDiagnosticType(smtp.diagnostic),
    smtpCode: smtp.code,
    enhancedCode: smtp.enhanced,
    permanent: kind === "invalid",
  });
  if (isVagueRule(c.rule) || !reasonFits(c.reason, rowUsed.type, rowUsed.subtype)) return decided;
  return { ...decided, reason: c.reason, rule: c.rule };
}
