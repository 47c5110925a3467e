/**
 * SparkPost bounce classes → our taxonomy (docs/providers/sparkpost.md §5, design.md §2.4–2.5).
 *
 * SparkPost classifies every bounce, out-of-band bounce and policy rejection with a numeric
 * `bounce_class` (https://support.sparkpost.com/docs/deliverability/bounce-classification-codes).
 * The class is a strong input: it gives the failure's permanence (Hard/Admin → permanent;
 * Soft, Block, Undetermined → temporary unless the reply code is 5xx) and a default fine reason,
 * and the classifier reads the diagnostic (`raw_reason`) and codes too:
 *
 * 1. the diagnostic proves a *hard* reason (user unknown, host unknown…) → the classifier's verdict;
 * 2. classes that name a reason (10, 21–24, 50–54): the diagnostic names a specific reason → the
 *    classifier's verdict; only generic evidence (no wording, "rejected", a bare `5.7.1`) → the
 *    class's reason, rule `sparkpost-class-<n>`;
 * 3. the generic classes (1, 20, 30, 40, 70): the classifier's verdict; when it is undecided
 *    (`undefined`, `on_hold`) it is reported under the class's rule.
 *
 * Classes 25/26 (SparkPost's own policy: its suppression list) are `suppressed` when the text is
 * empty or names a suppression list. Any other text names another cause (an account sending limit,
 * an unconfigured sending domain), which says nothing about the recipient and must not suppress it:
 * the classifier's verdict, or `undefined` (invalid/other, no suppression) when it finds nothing.
 * Classes 60 (auto-reply), 80 (subscribe) and 100 (challenge-response) are not failures: ignored.
 * Class 90 (the recipient asked to unsubscribe by replying) is an `unsubscribe` event.
 */
import { classify, isVagueRule } from "../../core/classifier/index.js";
import type { Classification } from "../../core/classifier/types.js";
import type { Smtp } from "../../core/events.js";
import { REASONS, type Reason, typeFor } from "../../core/taxonomy.js";

export type SparkPostCategory = "Undetermined" | "Hard" | "Soft" | "Admin" | "Block";

/** What a class does: classify it as a bounce, ignore it, or read it as an unsubscribe. */
export type BounceClassAction = "bounce" | "ignore" | "unsubscribe";

export type BounceClassRow = {
  /** The `bounce_class` number. */
  readonly code: number;
  readonly name: string;
  readonly category: SparkPostCategory;
  readonly action: BounceClassAction;
  /** The reason when the diagnostic says nothing more specific; null for the generic classes. */
  readonly reason: Reason | null;
  /** SparkPost's permanence verdict. */
  readonly permanent: boolean;
  /** The reason is SparkPost's own, certain statement (its policy), not a reading of the reply. */
  readonly certain: boolean;
};

type RowSpec = Omit<BounceClassRow, "code">;

const row = (
  name: string,
  category: SparkPostCategory,
  action: BounceClassAction,
  reason: Reason | null,
  certain = false,
): RowSpec => ({
  name,
  category,
  action,
  reason,
  permanent: category === "Hard" || category === "Admin",
  certain,
});

/**
 * Every documented bounce class, by number.
 *
 * | class | name | category | our reason (when the text says no more) | type/subtype |
 * | --- | --- | --- | --- | --- |
 * | 1 | Undetermined | Undetermined | classifier, else `undefined` | soft_bounce/other |
 * | 10 | Invalid Recipient | Hard | `user_unknown` | invalid/mailbox_not_found |
 * | 20 | Soft Bounce | Soft | classifier, else `undefined` | soft_bounce/other |
 * | 21 | DNS Failure | Soft | `network_error` | soft_bounce/service_unreachable |
 * | 22 | Mailbox Full | Soft | `mailbox_full` | soft_bounce/other |
 * | 23 | Too Large | Soft | `mesg_too_big` | soft_bounce/other |
 * | 24 | Timeout | Soft | `expired` | soft_bounce/service_unreachable |
 * | 25 | Admin Failure | Admin | `suppressed` (certain) | invalid/blocklisted |
 * | 26 | Smart Send Suppression | Admin | `suppressed` (certain) | invalid/blocklisted |
 * | 30 | Generic Bounce: No RCPT | Hard | classifier, else `undefined` | invalid/other |
 * | 40 | Generic Bounce | Soft | classifier, else `undefined` | soft_bounce/other |
 * | 50 | Mail Block | Block | `blocked` | soft_bounce/ip_or_domain_rejected (5xx: invalid/sender_or_recipient_rejected) |
 * | 51 | Spam Block | Block | `blocked` | as 50 |
 * | 52 | Spam Content | Block | `spam_detected` | soft_bounce/spam_rejected (5xx: invalid/spam) |
 * | 53 | Prohibited Attachment | Block | `content_error` | soft_bounce/other (5xx: invalid/other) |
 * | 54 | Relaying Denied | Block | `no_relaying` | soft_bounce/sender_or_recipient_rejected (5xx: invalid/…) |
 * | 60 | Auto-Reply | Soft | — ignored | — |
 * | 70 | Transient Failure | Soft | classifier, else `undefined` | soft_bounce/other |
 * | 80 | Subscribe | Admin | — ignored | — |
 * | 90 | Unsubscribe | Hard | — `unsubscribe` event | unsubscribe, scope `*` |
 * | 100 | Challenge-Response | Soft | — ignored | — |
 *
 * The Block classes follow design.md §2.4: a block with a 5xx reply is permanent, so
 * `invalid/sender_or_recipient_rejected`; the policy never suppresses a recipient for it.
 */
const SPECS: Readonly<Record<number, RowSpec>> = {
  1: row("Undetermined", "Undetermined", "bounce", null),
  10: row("Invalid Recipient", "Hard", "bounce", "user_unknown"),
  20: row("Soft Bounce", "Soft", "bounce", null),
  21: row("DNS Failure", "Soft", "bounce", "network_error"),
  22: row("Mailbox Full", "Soft", "bounce", "mailbox_full"),
  23: row("Too Large", "Soft", "bounce", "mesg_too_big"),
  24: row("Timeout", "Soft", "bounce", "expired"),
  25: row("Admin Failure", "Admin", "bounce", "suppressed", true),
  26: row("Smart Send Suppression", "Admin", "bounce", "suppressed", true),
  30: row("Generic Bounce: No RCPT", "Hard", "bounce", null),
  40: row("Generic Bounce", "Soft", "bounce", null),
  50: row("Mail Block", "Block", "bounce", "blocked"),
  51: row("Spam Block", "Block", "bounce", "blocked"),
  52: row("Spam Content", "Block", "bounce", "spam_detected"),
  53: row("Prohibited Attachment", "Block", "bounce", "content_error"),
  54: row("Relaying Denied", "Block", "bounce", "no_relaying"),
  60: row("Auto-Reply", "Soft", "ignore", null),
  70: row("Transient Failure", "Soft", "bounce", null),
  80: row("Subscribe", "Admin", "ignore", null),
  90: row("Unsubscribe", "Hard", "unsubscribe", null),
  100: row("Challenge-Response", "Soft", "ignore", null),
};

export const BOUNCE_CLASSES: ReadonlyMap<number, BounceClassRow> = new Map(
  Object.entries(SPECS).map(([code, spec]) => [Number(code), { code: Number(code), ...spec }]),
);

/**
 * The row of a `bounce_class` value ("10", 10), or `undefined` for a missing or unknown class.
 *
 * @example
 * bounceClassOf("22")?.name; // "Mailbox Full"
 */
export function bounceClassOf(value: string | null | undefined): BounceClassRow | undefined {
  const text = value?.trim() ?? "";
  if (!/^\d{1,4}$/.test(text)) return undefined;
  return BOUNCE_CLASSES.get(Number(text));
}

export type BounceVerdict = Pick<Classification, "type" | "subtype" | "reason" | "rule">;

/** The classifier found no wording at all: only the reply-code class, or its fall-backs. */
const UNDECIDED: ReadonlySet<Reason> = new Set(["undefined", "on_hold"]);
const WEAK_REASONS: ReadonlySet<Reason> = new Set(["undefined", "on_hold", "rejected", "filtered"]);
const GENERIC_CODE_REASONS: ReadonlySet<Reason> = new Set(["security_error", "content_error"]);
/**
 * The classifier found only generic evidence, which does not contradict the class SparkPost gave:
 * no wording, a weak reason ("rejected"), or a generic enhanced code (`5.7.1` → security_error).
 */
const isGeneric = (c: Classification): boolean =>
  isVagueRule(c.rule) ||
  WEAK_REASONS.has(c.reason) ||
  (c.rule.startsWith("enhanced-") && GENERIC_CODE_REASONS.has(c.reason));

/** A policy rejection or admin failure that names SparkPost's (or the sender's) suppression list. */
const SUPPRESSION_TEXT = /suppress|blackhol|unsubscrib|do[ -]not[ -](?:send|contact|mail)|opted[ -]out/i;

const pick = ({ type, subtype, reason, rule }: Classification): BounceVerdict => ({
  type,
  subtype,
  reason,
  rule,
});
const decided = (reason: Reason, permanent: boolean, rule: string): BounceVerdict => ({
  ...typeFor(reason, permanent),
  reason,
  rule,
});

/**
 * Decides type, subtype, reason and rule for one SparkPost bounce (`bounce`, `out_of_band`,
 * `policy_rejection`) from its class and SMTP details. Without a (known) class, the classifier
 * alone decides.
 *
 * @example
 * classifySparkPostBounce(bounceClassOf("10"), { code: "550", enhanced: null, diagnostic: "550 mailbox unavailable" });
 * // { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown", rule: "sparkpost-class-10" }
 */
export function classifySparkPostBounce(cls: BounceClassRow | undefined, smtp: Smtp): BounceVerdict {
  const text = smtp.diagnostic ?? "";
  const run = (permanent: boolean | null): Classification =>
    classify({ diagnostic: smtp.diagnostic, smtpCode: smtp.code, enhancedCode: smtp.enhanced, permanent });

  if (cls === undefined) return pick(run(null));
  const rule = `sparkpost-class-${cls.code}`;

  if (cls.certain && cls.reason !== null) {
    if (text.trim() === "" || SUPPRESSION_TEXT.test(text)) return decided(cls.reason, true, rule);
    // Any other text names another cause (a daily sending limit, an unconfigured sending domain:
    // SparkPost's policy rejections), which says nothing about the recipient: the classifier's verdict
    // when it finds one, else `undefined` (invalid/other), which suppresses nothing.
    const c = run(true);
    return isVagueRule(c.rule) ? decided("undefined", true, rule) : pick(c);
  }

  const c = run(cls.permanent);
  if (REASONS[c.reason].class === "hard") return pick(c);
  if (cls.reason === null) return UNDECIDED.has(c.reason) ? decided(c.reason, c.permanent, rule) : pick(c);
  return isGeneric(c) ? decided(cls.reason, c.permanent, rule) : pick(c);
}

/**
 * A `policy_rejection`: SparkPost refused to send (its suppression list, a policy, a limit). With a
 * known class it reads as a bounce of that class (usually 25); without one, a text naming the
 * suppression list is `suppressed`, anything else the classifier's permanent verdict, `undefined`
 * (invalid/other, which suppresses nothing) when it finds nothing specific.
 *
 * @example
 * classifySparkPostPolicyRejection(undefined, { code: "554", enhanced: null, diagnostic: "recipient address suppressed due to customer policy" });
 * // { type: "invalid", subtype: "blocklisted", reason: "suppressed", rule: "sparkpost-policy-rejection-suppressed" }
 */
export function classifySparkPostPolicyRejection(cls: BounceClassRow | undefined, smtp: Smtp): BounceVerdict {
  if (cls !== undefined) return classifySparkPostBounce(cls, smtp);
  if (SUPPRESSION_TEXT.test(smtp.diagnostic ?? "")) {
    return decided("suppressed", true, "sparkpost-policy-rejection-suppressed");
  }
  const c = classify({
    diagnostic: smtp.diagnostic,
    smtpCode: smtp.code,
    enhancedCode: smtp.enhanced,
    permanent: true,
  });
  return isVagueRule(c.rule) ? decided("undefined", true, "sparkpost-policy-rejection") : pick(c);
}
