/**
 * The text rules of the classifier (design.md §2.5), assembled into the one ordered table the
 * classifier reads. As Sisimai keeps them, the rules live by reason and their order in one list:
 * - `rules/<reason>.ts`: one file per fine reason (`user_unknown.ts`, `filtered.ts`, …), each
 *   rule with the `example` it must win on;
 * - `rules/order.ts`: `RULE_ORDER`, every text rule's id once, in decision order;
 * - `rules/types.ts`: what a rule is and how it matches (`TextRule`).
 *
 * Adding a rule is one entry in its reason's file and its id in `RULE_ORDER`. A new reason's
 * file is also added to `REASON_FILES` below.
 */

import { rules as authFailure } from "./rules/auth_failure.js";
import { rules as badAddressFormat } from "./rules/bad_address_format.js";
import { rules as badReputation } from "./rules/bad_reputation.js";
import { rules as blocked } from "./rules/blocked.js";
import { rules as contentError } from "./rules/content_error.js";
import { rules as exceedLimit } from "./rules/exceed_limit.js";
import { rules as expired } from "./rules/expired.js";
import { rules as failedStarttls } from "./rules/failed_starttls.js";
import { rules as filtered } from "./rules/filtered.js";
import { rules as hasMoved } from "./rules/has_moved.js";
import { rules as hostUnknown } from "./rules/host_unknown.js";
import { rules as mailboxFull } from "./rules/mailbox_full.js";
import { rules as mailerError } from "./rules/mailer_error.js";
import { rules as mesgTooBig } from "./rules/mesg_too_big.js";
import { rules as networkError } from "./rules/network_error.js";
import { rules as noRelaying } from "./rules/no_relaying.js";
import { rules as notAccept } from "./rules/not_accept.js";
import { rules as notCompliantRfc } from "./rules/not_compliant_rfc.js";
import { RULE_ORDER } from "./rules/order.js";
import { rules as policyViolation } from "./rules/policy_violation.js";
import { rules as rejected } from "./rules/rejected.js";
import { rules as requirePtr } from "./rules/require_ptr.js";
import { rules as securityError } from "./rules/security_error.js";
import { rules as spamDetected } from "./rules/spam_detected.js";
import { rules as speeding } from "./rules/speeding.js";
import { rules as suspend } from "./rules/suspend.js";
import { rules as syntaxError } from "./rules/syntax_error.js";
import { rules as systemError } from "./rules/system_error.js";
import { rules as systemFull } from "./rules/system_full.js";
import { rules as tooManyConn } from "./rules/too_many_conn.js";
import type { TextRule } from "./rules/types.js";
import { rules as userUnknown } from "./rules/user_unknown.js";
import { rules as virusDetected } from "./rules/virus_detected.js";

export type { RuleId } from "./rules/order.js";
export { RULE_ORDER } from "./rules/order.js";
export type { ReasonRule, RuleExample, Stage, TextRule } from "./rules/types.js";

/** Every reason file's `rules`, one list per file (the order of this list does not matter). */
export const REASON_FILES: readonly (readonly TextRule[])[] = [
  authFailure,
  badAddressFormat,
  badReputation,
  blocked,
  contentError,
  exceedLimit,
  expired,
  failedStarttls,
  filtered,
  hasMoved,
  hostUnknown,
  mailboxFull,
  mailerError,
  mesgTooBig,
  networkError,
  noRelaying,
  notAccept,
  notCompliantRfc,
  policyViolation,
  rejected,
  requirePtr,
  securityError,
  spamDetected,
  speeding,
  suspend,
  syntaxError,
  systemError,
  systemFull,
  tooManyConn,
  userUnknown,
  virusDetected,
];

/**
 * Orders the reason files' rules by `order`. Throws when a rule is defined twice, when an id of
 * `order` is listed twice or has no rule, or when a rule is missing from `order`: the table is
 * either complete and exact, or the module fails to load.
 *
 * @example
 * assembleTextRules(["text-b", "text-a"], [[ruleA], [ruleB]]); // [ruleB, ruleA]
 */
export function assembleTextRules(
  order: readonly string[],
  files: readonly (readonly TextRule[])[],
): readonly TextRule[] {
  const byId = new Map<string, TextRule>();
  for (const rule of files.flat()) {
    if (byId.has(rule.id)) throw new Error(`text rule "${rule.id}" is defined twice`);
    byId.set(rule.id, rule);
  }
  const listed = new Set<string>();
  const table = order.map((id) => {
    if (listed.has(id)) throw new Error(`RULE_ORDER lists "${id}" twice`);
    listed.add(id);
    const rule = byId.get(id);
    if (rule === undefined) throw new Error(`RULE_ORDER lists "${id}", which no rules/<reason>.ts defines`);
    return rule;
  });
  const unlisted = [...byId.keys()].filter((id) => !listed.has(id));
  if (unlisted.length > 0) throw new Error(`text rules missing from RULE_ORDER: ${unlisted.join(", ")}`);
  return table;
}

/** Every text rule, in decision order (index.ts runs the `late` ones after the enhanced-code table). */
export const TEXT_RULES: readonly TextRule[] = assembleTextRules(RULE_ORDER, REASON_FILES);
