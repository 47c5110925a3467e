/**
 * The shape of a text rule (design.md §2.5): data, not code. Each rule names one fine reason and
 * the evidence for it; the first rule in the decision order (`order.ts`) whose conditions all hold
 * decides. The rules themselves live in one file per reason, `rules/<reason>.ts`.
 */

import type { Reason } from "../../taxonomy.js";
import type { RuleId } from "./order.js";

/** The SMTP stage a diagnostic says the failure happened at, when it says. */
export type Stage = "connect" | "helo" | "mail" | "rcpt" | "data";

/** Input a rule must win on: a diagnostic and, optionally, the codes that come with it. */
export type RuleExample = {
  readonly diagnostic: string;
  readonly smtpCode?: string;
  readonly enhancedCode?: string;
  readonly permanent?: boolean;
};

/**
 * One text rule. It matches, on the diagnostic lower-cased and whitespace-collapsed once, when
 * - `any`: at least one of these substrings occurs, **or**
 * - `seq`: for one of the lists, its fragments occur in that order (`indexOf` chained, linear), **or**
 * - `re`: the regular expression matches. Only bounded patterns: no nested or unbounded quantifiers.
 *
 * and then, when present, all of:
 * - `also`: at least one of these substrings occurs too;
 * - `unless`: none of these substrings occurs;
 * - `stage`: the SMTP stage the text names ("in reply to RCPT TO command", "after end of data"…);
 * - `notStage`: the text does not name one of these stages (no stage named passes);
 * - `codeClass`: the failure's code class (4 or 5) from the reply / enhanced code;
 * - `enhanced`: the enhanced code starts with one of these prefixes;
 * - `notEnhanced`: the enhanced code starts with none of these (no code passes).
 *
 * `late: true` marks weak evidence (a bare "access denied", "service unavailable"): those rules run
 * after the enhanced-code table, so a specific code beats a vague phrase.
 *
 * Every rule carries an `example` it must win on (enforced by test/core/classifier/rules.test.ts).
 * Phrases are the field's generic wordings (English, Chinese — simplified and traditional — and
 * a few French/German/Spanish/Italian ones), and documented provider codes (NetEase `DT:SPM`,
 * Yahoo `TSS04`, Gmail and Outlook wordings). No rule copies a corpus record.
 */
export type TextRule = {
  readonly id: string;
  readonly reason: Reason;
  readonly any?: readonly string[];
  readonly seq?: readonly (readonly string[])[];
  readonly re?: RegExp;
  readonly also?: readonly string[];
  readonly unless?: readonly string[];
  readonly stage?: readonly Stage[];
  readonly notStage?: readonly Stage[];
  readonly codeClass?: 4 | 5;
  readonly enhanced?: readonly string[];
  readonly notEnhanced?: readonly string[];
  readonly late?: boolean;
  readonly example: RuleExample;
  /** Why the rule exists or is ordered where it is. */
  readonly note?: string;
};

/**
 * A text rule as a reason file declares it: its `reason` is the file's own, and its `id` is one of
 * the decision order's, so a rule missing from `RULE_ORDER` (or a misspelt id) fails to compile.
 *
 * @example
 * export const rules: readonly ReasonRule<"mailer_error">[] = [
 *   { id: "text-mailer-error", reason: "mailer_error", any: ["procmail"], example: { diagnostic: "procmail: exit 75" } },
 * ];
 */
export type ReasonRule<R extends Reason> = TextRule & { readonly id: RuleId; readonly reason: R };
