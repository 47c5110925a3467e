import * as z from "zod";
import { type InputIssue, toInputIssues } from "../errors.js";
import { FEEDBACK_TYPES, REASON_IDS } from "../taxonomy.js";
import { DEFAULT_POLICY, deepFreeze } from "./defaults.js";

/** At most a century: keeps every computed epoch far inside safe integers and DynamoDB TTL range. */
const MAX_DAYS = 36_500;

const Days = z.number().positive().max(MAX_DAYS);
/** A number of days, or `null` for never. */
const DaysOrNever = Days.nullable();
const ReasonList = z.array(z.enum(REASON_IDS)).min(1);

const BounceRuleSchema = z.strictObject({
  /** The fine reasons of an `invalid` event this rule suppresses. */
  reasons: ReasonList,
  expiresAfterDays: DaysOrNever,
});

const BounceSectionSchema = z
  .strictObject({ rules: z.array(BounceRuleSchema) })
  .superRefine((section, ctx) => {
    const seen = new Map<string, number>();
    section.rules.forEach((rule, i) => {
      rule.reasons.forEach((reason, j) => {
        const path = ["rules", i, "reasons", j];
        if (reason === "unsubscribed") {
          ctx.addIssue({
            code: "custom",
            path,
            message:
              "`unsubscribed` is not a bounce reason: an ESP refusing an unsubscribed address is governed by unsubscribe.suppressRefusals",
          });
        }
        const first = seen.get(reason);
        if (first !== undefined) {
          ctx.addIssue({ code: "custom", path, message: `reason "${reason}" is already in rules.${first}` });
        } else {
          seen.set(reason, i);
        }
      });
    });
  });

const SoftBounceSectionSchema = z.strictObject({
  /** The fine reasons of a `soft_bounce` that count toward escalation (recipient-side conditions). */
  reasons: z.array(z.enum(REASON_IDS)),
  /** Escalate when this many counted soft bounces fall within `windowDays`. */
  threshold: z.int().min(1).max(1000),
  windowDays: Days,
  /** How long an escalation lasts after the last soft bounce of the window (always finite). */
  suppressForDays: Days,
});

const ComplaintSectionSchema = z.strictObject({
  expiresAfterDays: DaysOrNever,
  /** ARF feedback types that are not complaints about the mail (e.g. `not-spam`). */
  ignoreFeedbackTypes: z.array(z.enum(FEEDBACK_TYPES)),
});

const UnsubscribeSectionSchema = z.strictObject({
  expiresAfterDays: DaysOrNever,
  /**
   * Whether an `invalid` event with reason `unsubscribed` (the ESP refused to send because the address
   * unsubscribed there) suppresses as an unsubscribe of the event's scope.
   */
  suppressRefusals: z.boolean(),
});

const HistorySectionSchema = z.strictObject({
  /** How long event history, and the tombstones that guard against late old events, are kept. */
  keepDays: Days,
});

/** The fully specified policy the service runs with (design.md §3). */
export const PolicySchema = z.strictObject({
  bounce: BounceSectionSchema,
  softBounce: SoftBounceSectionSchema,
  complaint: ComplaintSectionSchema,
  unsubscribe: UnsubscribeSectionSchema,
  history: HistorySectionSchema,
});
export type Policy = z.infer<typeof PolicySchema>;

/** A policy document as written in `POLICY_FILE`: any section may be left out (the default is used). */
export const PolicyDocumentSchema = PolicySchema.partial();
export type PolicyDocument = z.infer<typeof PolicyDocumentSchema>;

/** A policy document that cannot be used; `issues` point at the offending places (dotted paths). */
export class PolicyError extends Error {
  override readonly name = "PolicyError";
  constructor(
    message: string,
    readonly issues: readonly InputIssue[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * Validates a policy document (already parsed from JSON) and completes it with the defaults.
 *
 * Rule: the document is validated strictly (unknown keys are errors, at any depth). Each of the
 * top-level sections (`bounce`, `softBounce`, `complaint`, `unsubscribe`, `history`) is optional; a
 * section that is present must be complete and **replaces** the default section as a whole (no
 * deep merge: what you read in the file is what runs for that section). `bounce.rules` may be empty
 * (no invalid event then suppresses as a bounce); a reason may appear in one bounce rule only.
 *
 * @throws PolicyError listing every problem with its path, e.g. `softBounce.threshold`.
 * @example
 * const policy = parsePolicy({ complaint: { expiresAfterDays: null, ignoreFeedbackTypes: [] } });
 * policy.complaint.expiresAfterDays; // null: complaints now suppress forever
 * policy.softBounce.threshold;       // 3, the default section
 */
export function parsePolicy(json: unknown): Policy {
  const result = PolicyDocumentSchema.safeParse(json);
  if (!result.success) {
    const issues = toInputIssues(result.error.issues);
    const list = issues.map((i) => `${i.path || "(document)"}: ${i.message}`).join("; ");
    throw new PolicyError(`Invalid policy document: ${list}`, issues, { cause: result.error });
  }
  const doc = result.data;
  return deepFreeze({
    bounce: doc.bounce ?? DEFAULT_POLICY.bounce,
    softBounce: doc.softBounce ?? DEFAULT_POLICY.softBounce,
    complaint: doc.complaint ?? DEFAULT_POLICY.complaint,
    unsubscribe: doc.unsubscribe ?? DEFAULT_POLICY.unsubscribe,
    history: doc.history ?? DEFAULT_POLICY.history,
  });
}
