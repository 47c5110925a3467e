/**
 * The bounce classifier (design.md §2.5): turns whatever a provider said about one failed recipient
 * into `{type, subtype, reason, rule}`, explaining itself by naming the rule that decided.
 *
 * Order, first match wins:
 * 1. `provider-reason` — a reason the ESP states with certainty;
 * 2. receivers' own numbered codes (`provider-codes.ts`), then the text rules (`rules.ts`),
 *    specific and provider-specific wordings first;
 * 3. the enhanced status code table (`codes.ts`), then the X.6 / X.7 subject fall-backs;
 * 4. weak ("late") text rules;
 * 5. specific reply codes (521, 525, 551, 556…), then the reply-code class;
 * 6. `fallback-text` (some text, nothing known: `on_hold`) / `fallback-empty` (`undefined`).
 *
 * Then, when the source states `Action: delayed` (the sending MTA is still trying), `action-delayed`
 * makes the verdict `expired` unless a specific soft reason decided: a delay notice is never
 * permanent, whatever its text says.
 *
 * Permanence: a 5xx reply or 5.x.x enhanced code, or the ESP saying permanent. The codes the
 * provider gave in structured form win over codes found in the text; the text's codes are used
 * when none were given. An ESP "transient" verdict does not override a 5xx code (SES has been seen
 * to mark real 5xx rejections Transient). Type and subtype come only from `typeFor`.
 *
 * Pure and total: never throws, no I/O.
 */

import { MAX_DIAGNOSTIC_CHARS } from "../limits.js";
import { ENHANCED_CODE, enhancedCodeIn, REPLY_CODE, replyCodeIn } from "../smtp-codes.js";
import { REASONS, type Reason, typeFor } from "../taxonomy.js";
import { ENHANCED_CODES, type EnhancedCodeRow } from "./codes.js";
import { needleSet, needleSetBuilder, TextBigrams } from "./prefilter.js";
import { PROVIDER_CODE_TABLES, type ProviderCodeTable, reasonFromProviderCode } from "./provider-codes.js";
import { type RuleExample, type Stage, TEXT_RULES, type TextRule } from "./rules.js";
import type { Classification, DiagnosticInput } from "./types.js";

export type { EnhancedCodeRow } from "./codes.js";
export { ENHANCED_CODES, reasonForEnhancedCode } from "./codes.js";
export type { CodeRange, ProviderCodeTable } from "./provider-codes.js";
export { PROVIDER_CODE_TABLES } from "./provider-codes.js";
export type { RuleExample, Stage, TextRule } from "./rules.js";
export { TEXT_RULES } from "./rules.js";
export type { Classification, DiagnosticInput } from "./types.js";

/** Rule id reported only if reading the input itself throws (never for plain data). */
export const FALLBACK_ERROR_RULE_ID = "fallback-error";

/** The rules that decide on no specific evidence: the reply code's class alone, or a fall-back. */
const VAGUE_RULE_IDS: ReadonlySet<string> = new Set(["reply-5xx", "reply-4xx"]);

/**
 * Whether a verdict rests on no specific evidence (only the reply code's class, or a fall-back),
 * so that a provider's own stated reason should win over it.
 *
 * @example
 * isVagueRule(classify({ smtpCode: "550" }).rule); // true
 * isVagueRule("text-user-unknown");                 // false
 */
export function isVagueRule(rule: string): boolean {
  return VAGUE_RULE_IDS.has(rule) || rule.startsWith("fallback-");
}

/**
 * Longest diagnostic looked at; beyond this the text is cut. It is the limit of the diagnostic an
 * event stores (`core/limits.ts`, the one source): the classifier sees what is kept, no more, so an
 * event classified again from its stored diagnostic gets the same verdict.
 */
export { MAX_DIAGNOSTIC_CHARS };

/** Where a rule sits in the decision order. */
export type RuleTier = "provider" | "text" | "enhanced" | "late-text" | "reply" | "fallback" | "action";

/** Everything a rule may look at, prepared once per classification. */
export type MatchContext = {
  /** Diagnostic, lower-cased, whitespace collapsed, at most MAX_DIAGNOSTIC_CHARS. */
  readonly text: string;
  /** Reply code (given, else found in the text), e.g. "550". */
  readonly reply: string | null;
  /** Enhanced code (given, else found in the text), e.g. "5.1.1". */
  readonly enhanced: string | null;
  /** Class of the failure from its codes: 5, 4, or null when no failure code is known. */
  readonly codeClass: 4 | 5 | null;
  readonly providerReason: Reason | null;
  /** The text's bigrams, for the substring prefilter. */
  readonly bigrams: TextBigrams;
  /** SMTP stage the source states (`DiagnosticInput.stage`), else the one the text names (computed on first use). */
  stage(): Stage | null;
};

/** One entry of the decision table, in order. `match` answers the reason when the rule applies. */
export type Rule = {
  readonly id: string;
  readonly tier: RuleTier;
  /** The reason the rule gives; null when it varies (`provider-reason`, a provider's code table). */
  readonly reason: Reason | null;
  /** An input this rule must win on. */
  readonly example: RuleExample & Pick<DiagnosticInput, "providerReason" | "action" | "stage">;
  readonly note?: string;
  readonly match: (ctx: MatchContext) => Reason | null;
};

// ── Input normalization ─────────────────────────────────────────────────────────────────────────

const NEEDS_COLLAPSE = /[\t\n\r\f\v\u00a0\u3000]| {2}/;
const WHITESPACE_RUN = /\s+/g;

function normalizeCode(value: unknown, shape: RegExp): string | null {
  if (typeof value === "number" && Number.isInteger(value)) return normalizeCode(String(value), shape);
  if (typeof value !== "string" || value.length > 16) return null;
  const trimmed = value.trim();
  return shape.test(trimmed) ? trimmed : null;
}

/**
 * Amazon SES's legacy bounce text opens with its own status and that status's RFC 3463 title, then
 * quotes the receiver: "5.1.0 - Unknown address error 550-'5.7.1 … Access denied'". The title is
 * SES's wording, not the receiver's, so it is dropped before any rule reads the text.
 */
const SES_STATUS_TITLE = /^[245]\.\d{1,3}\.\d{1,3} - [a-z ]{1,60}? (?=[245]\d\d-')/;

function normalizeText(value: unknown): string {
  if (typeof value !== "string" || value.length === 0) return "";
  const cut = value.length > MAX_DIAGNOSTIC_CHARS ? value.slice(0, MAX_DIAGNOSTIC_CHARS) : value;
  const lower = cut.toLowerCase();
  const text = NEEDS_COLLAPSE.test(lower) ? lower.replace(WHITESPACE_RUN, " ").trim() : lower.trim();
  const sesTitle = SES_STATUS_TITLE.exec(text);
  return sesTitle === null ? text : text.slice(sesTitle[0].length);
}

/** Wordings that say at which SMTP stage the receiver refused, in session order. */
const STAGE_HINTS: readonly (readonly [Stage, readonly string[]])[] = [
  ["connect", ["after initial connection", "refused to talk to me", "in reply to connect"]],
  [
    "helo",
    [
      "after ehlo",
      "after helo",
      "in reply to ehlo command",
      "in reply to helo command",
      "my name was rejected",
    ],
  ],
  ["mail", ["in reply to mail from command", "after mail from", "[mail_from]", "sender was rejected"]],
  [
    "rcpt",
    [
      "in reply to rcpt to command",
      "after rcpt to",
      "[rcpt_to]",
      "does not like recipient",
      "our rcpt to",
      "most progress was rcpt to",
    ],
  ],
  [
    "data",
    [
      "end of data",
      "in reply to data command",
      "after data",
      "our final data",
      "failed after i sent the message",
      "[data]",
    ],
  ],
];
const STAGE_SETS = STAGE_HINTS.map(([stage, hints]) => [stage, needleSet(hints)] as const);
const STAGES: ReadonlySet<string> = new Set(STAGE_HINTS.map(([stage]) => stage));

function classOf(code: string | null): 2 | 4 | 5 | null {
  const c = code === null ? 0 : code.charCodeAt(0);
  return c === 53 ? 5 : c === 52 ? 4 : c === 50 ? 2 : null;
}

class Context implements MatchContext {
  private stageFound: Stage | null | undefined;
  readonly bigrams: TextBigrams;
  constructor(
    readonly text: string,
    readonly reply: string | null,
    readonly enhanced: string | null,
    readonly codeClass: 4 | 5 | null,
    readonly providerReason: Reason | null,
    givenStage: Stage | null,
  ) {
    this.bigrams = new TextBigrams(text);
    if (givenStage !== null) this.stageFound = givenStage;
  }

  stage(): Stage | null {
    if (this.stageFound === undefined) {
      this.stageFound = null;
      for (const [stage, set] of STAGE_SETS) {
        if (this.bigrams.firstIn(set) >= 0) {
          this.stageFound = stage;
          break;
        }
      }
    }
    return this.stageFound;
  }
}

/**
 * Prepares the context rules read: normalized text, codes (given, else from the text), the code
 * class and the SMTP stage (lazily). Exported for benchmarks that time single rules.
 *
 * @example
 * const ctx = prepare({ diagnostic: "smtp; 550 5.1.1 User unknown" });
 * ctx.reply;     // "550"
 * ctx.enhanced;  // "5.1.1"
 * ctx.codeClass; // 5
 */
export function prepare(input: DiagnosticInput): MatchContext {
  const text = normalizeText(input.diagnostic);
  const givenReply = normalizeCode(input.smtpCode, REPLY_CODE);
  const givenEnhanced = normalizeCode(input.enhancedCode, ENHANCED_CODE);
  const textReply = givenReply === null && text.length > 0 ? replyCodeIn(text) : null;
  const textEnhanced = givenEnhanced === null && text.length > 0 ? enhancedCodeIn(text) : null;
  // Structured codes beat numbers in free text; either code saying 5 makes the failure permanent.
  const given = givenReply !== null || givenEnhanced !== null;
  const a = classOf(given ? givenReply : textReply);
  const b = classOf(given ? givenEnhanced : textEnhanced);
  const codeClass = a === 5 || b === 5 ? 5 : a === 4 || b === 4 ? 4 : null;
  const providerReason =
    typeof input.providerReason === "string" && Object.hasOwn(REASONS, input.providerReason)
      ? input.providerReason
      : null;
  const stage = typeof input.stage === "string" && STAGES.has(input.stage) ? input.stage : null;
  return new Context(
    text,
    givenReply ?? textReply,
    givenEnhanced ?? textEnhanced,
    codeClass,
    providerReason,
    stage,
  );
}

// ── Rule compilation ─────────────────────────────────────────────────────────────────────────────

type NeedleBuilder = ReturnType<typeof needleSetBuilder>;

/**
 * Whether the fragments occur in `text` in this order, each after the end of the one before (a
 * text rule's `seq` list; also read by the corpus evaluation).
 *
 * @example
 * inOrder("mailbox is over quota", ["mailbox", "quota"]); // true
 */
export function inOrder(text: string, fragments: readonly string[]): boolean {
  let from = 0;
  for (const fragment of fragments) {
    const at = text.indexOf(fragment, from);
    if (at < 0) return false;
    from = at + fragment.length;
  }
  return true;
}

function compileText(rule: TextRule, tier: "text" | "late-text", buildNeedles: NeedleBuilder): Rule {
  const { seq, re, stage, notStage, codeClass, enhanced, notEnhanced, reason } = rule;
  const any = rule.any === undefined ? undefined : buildNeedles(rule.any);
  const also = rule.also === undefined ? undefined : buildNeedles(rule.also);
  const unless = rule.unless === undefined ? undefined : buildNeedles(rule.unless);
  // A `seq` list can only match when its longest fragment occurs: prefilter on that.
  const seqKeys =
    seq === undefined
      ? undefined
      : buildNeedles(seq.map((fragments) => fragments.reduce((x, y) => (y.length > x.length ? y : x), "")));
  const seqMatches = (ctx: MatchContext): boolean => {
    if (seq === undefined || seqKeys === undefined) return false;
    const { needles } = seqKeys;
    for (let i = 0; i < seq.length; i++) {
      // Narrow the key set to one needle at a time: cheap, and keeps list order.
      const key = needles[i] as string;
      if (ctx.text.includes(key) && inOrder(ctx.text, seq[i] as readonly string[])) return true;
    }
    return false;
  };
  const match = (ctx: MatchContext): Reason | null => {
    if (ctx.text.length === 0) return null;
    if (codeClass !== undefined && ctx.codeClass !== codeClass) return null;
    if (
      enhanced !== undefined &&
      (ctx.enhanced === null || !enhanced.some((p) => ctx.enhanced?.startsWith(p)))
    )
      return null;
    if (notEnhanced?.some((p) => ctx.enhanced?.startsWith(p)) === true) return null;
    // The SMTP stage is computed once per text; most texts name none, which ends here cheaply.
    if (stage !== undefined) {
      const found = ctx.stage();
      if (found === null || !stage.includes(found)) return null;
    }
    // `also` before the evidence: it is cheap, and it spares a regular expression most texts.
    if (also !== undefined && ctx.bigrams.firstIn(also) < 0) return null;
    const evidence =
      (any !== undefined && ctx.bigrams.firstIn(any) >= 0) ||
      (seqKeys !== undefined && ctx.bigrams.firstIn(seqKeys) >= 0 && seqMatches(ctx)) ||
      re?.test(ctx.text) === true;
    if (!evidence) return null;
    if (notStage !== undefined) {
      const found = ctx.stage();
      if (found !== null && notStage.includes(found)) return null;
    }
    if (unless !== undefined && ctx.bigrams.firstIn(unless) >= 0) return null;
    return reason;
  };
  return {
    id: rule.id,
    tier,
    reason,
    example: rule.example,
    ...(rule.note === undefined ? {} : { note: rule.note }),
    match,
  };
}

function compileProviderCodes(table: ProviderCodeTable): Rule {
  const markers = needleSet(table.marker);
  return {
    id: table.id,
    tier: "text",
    reason: null,
    example: table.example,
    note: table.note,
    // The bigram prefilter keeps the table's pattern off the texts that lack every marker.
    match: (ctx) => (ctx.bigrams.firstIn(markers) < 0 ? null : reasonFromProviderCode(table, ctx.text)),
  };
}

function compileEnhanced(row: EnhancedCodeRow): Rule {
  return {
    id: `enhanced-${row.code}`,
    tier: "enhanced",
    reason: row.reason,
    example: { diagnostic: "", enhancedCode: row.code },
    note: row.title,
    match: (ctx) => (ctx.enhanced === row.code ? row.reason : null),
  };
}

const subjectFallback = (subject: "6" | "7", reason: Reason, title: string): Rule => ({
  id: `enhanced-x.${subject}`,
  tier: "enhanced",
  reason,
  example: { diagnostic: "", enhancedCode: `5.${subject}.99` },
  note: title,
  match: (ctx) => (ctx.enhanced?.[2] === subject && ctx.enhanced[3] === "." ? reason : null),
});

const replyRule = (code: string, reason: Reason, title: string): Rule => ({
  id: `reply-${code}`,
  tier: "reply",
  reason,
  example: { diagnostic: "", smtpCode: code },
  note: title,
  match: (ctx) => (ctx.reply === code ? reason : null),
});

const PROVIDER_RULE: Rule = {
  id: "provider-reason",
  tier: "provider",
  reason: null,
  example: {
    diagnostic: "Amazon SES did not send to this address: it is on the account-level suppression list",
    providerReason: "suppressed",
  },
  note: "The ESP states the reason itself (e.g. SES OnAccountSuppressionList).",
  match: (ctx) => ctx.providerReason,
};

const EXACT_CODE_RULES: readonly Rule[] = ENHANCED_CODES.map(compileEnhanced);
const SUBJECT_RULES: readonly Rule[] = [
  subjectFallback("6", "content_error", "X.6.x: message content or media status"),
  subjectFallback("7", "security_error", "X.7.x: security or policy status"),
];
const ENHANCED_TIER: readonly Rule[] = [...EXACT_CODE_RULES, ...SUBJECT_RULES];
/** The exact-code rules are looked up, which is equivalent to scanning them in order (codes are unique). */
const EXACT_CODE_RULE = new Map<string, { readonly rule: Rule; readonly reason: Reason }>(
  ENHANCED_CODES.map((row, i) => [row.code, { rule: EXACT_CODE_RULES[i] as Rule, reason: row.reason }]),
);
const REPLY_TIER: readonly Rule[] = [
  replyRule("521", "not_accept", "RFC 7504: host does not accept mail"),
  replyRule("556", "not_accept", "RFC 7504: domain does not accept mail"),
  replyRule("525", "suspend", "RFC 4954: user account disabled"),
  replyRule("551", "has_moved", "RFC 5321: user not local, please try <forward-path>"),
  replyRule("530", "security_error", "RFC 4954: authentication required"),
  replyRule("421", "system_error", "RFC 5321: service not available, closing transmission channel"),
  replyRule("535", "security_error", "RFC 4954: authentication credentials invalid"),
  {
    id: "reply-5xx",
    tier: "reply",
    reason: "undefined",
    example: { diagnostic: "", smtpCode: "550" },
    note: "Permanent failure with no more specific evidence.",
    match: (ctx) => (ctx.codeClass === 5 ? "undefined" : null),
  },
  {
    id: "reply-4xx",
    tier: "reply",
    reason: "undefined",
    example: { diagnostic: "", smtpCode: "451" },
    note: "Temporary failure with no more specific evidence.",
    match: (ctx) => (ctx.codeClass === 4 ? "undefined" : null),
  },
];
const FALLBACK_EMPTY: Rule = {
  id: "fallback-empty",
  tier: "fallback",
  reason: "undefined",
  example: { diagnostic: "" },
  note: "Nothing to go on at all.",
  match: () => "undefined",
};
const FALLBACK_TIER: readonly Rule[] = [
  {
    id: "fallback-text",
    tier: "fallback",
    reason: "on_hold",
    example: { diagnostic: "Something went wrong with your message." },
    note: "Text we cannot place and no failure code: undecided, soft unless the ESP said permanent.",
    match: (ctx) => (ctx.text.length > 0 ? "on_hold" : null),
  },
  FALLBACK_EMPTY,
];

/**
 * `Action: delayed`: applied after the table, it keeps a specific soft verdict and turns anything
 * else (a vague one, or a hard wording such as `user unknown` in a notice of delay, which is not
 * final either) into `expired`, Sisimai's reason for a delivery still being retried.
 */
const ACTION_DELAYED_RULE: Rule = {
  id: "action-delayed",
  tier: "action",
  reason: "expired",
  example: { diagnostic: "", action: "delayed" },
  note: "RFC 3464 Action: delayed — the sending MTA is still retrying; never permanent.",
  match: () => "expired",
};

/** What `createClassifier` compiles; each part defaults to the service's own table. */
export type ClassifierTables = {
  /** The text rules in decision order (default `TEXT_RULES`). */
  readonly textRules?: readonly TextRule[];
};

/** A compiled decision table and the function that applies it. */
export type Classifier = {
  /** The whole decision table, in the order it is applied. */
  readonly rules: readonly Rule[];
  readonly classify: (input: DiagnosticInput) => Classification;
};

/**
 * Compiles a decision table. The service uses one, over its own tables (`classify`, `RULES`);
 * the corpus evaluation builds others, e.g. with the text rules a held-out source's records
 * alone support taken out (lambdas/local/corpus-eval.ts, leave-one-source-out).
 *
 * @example
 * const { classify } = createClassifier({ textRules: TEXT_RULES.filter((r) => r.reason !== "filtered") });
 * classify({ diagnostic: "550 5.1.1 user unknown" }).reason; // "user_unknown"
 */
export function createClassifier(tables: ClassifierTables = {}): Classifier {
  const textRules = tables.textRules ?? TEXT_RULES;
  // Needle sets share anchor statistics over every list in the table.
  const buildNeedles = needleSetBuilder(
    textRules.flatMap((r) => [r.any ?? [], r.also ?? [], r.unless ?? [], ...(r.seq ?? [])]),
  );
  const textTier: readonly Rule[] = [
    ...PROVIDER_CODE_TABLES.map(compileProviderCodes),
    ...textRules.filter((r) => r.late !== true).map((r) => compileText(r, "text", buildNeedles)),
  ];
  const lateTier: readonly Rule[] = textRules
    .filter((r) => r.late === true)
    .map((r) => compileText(r, "late-text", buildNeedles));
  const rules: readonly Rule[] = [
    PROVIDER_RULE,
    ...textTier,
    ...ENHANCED_TIER,
    ...lateTier,
    ...REPLY_TIER,
    ...FALLBACK_TIER,
    ACTION_DELAYED_RULE,
  ];

  const decide = (ctx: MatchContext): { rule: Rule; reason: Reason } => {
    const fromProvider = PROVIDER_RULE.match(ctx);
    if (fromProvider !== null) return { rule: PROVIDER_RULE, reason: fromProvider };
    if (ctx.text.length > 0) {
      for (const rule of textTier) {
        const reason = rule.match(ctx);
        if (reason !== null) return { rule, reason };
      }
    }
    if (ctx.enhanced !== null) {
      const exact = EXACT_CODE_RULE.get(ctx.enhanced);
      if (exact !== undefined) return exact;
      for (const rule of SUBJECT_RULES) {
        const reason = rule.match(ctx);
        if (reason !== null) return { rule, reason };
      }
    }
    for (const tier of [lateTier, REPLY_TIER, FALLBACK_TIER]) {
      for (const rule of tier) {
        const reason = rule.match(ctx);
        if (reason !== null) return { rule, reason };
      }
    }
    // Unreachable: fallback-empty always matches.
    return { rule: FALLBACK_EMPTY, reason: "undefined" };
  };

  const classifyOne = (input: DiagnosticInput): Classification => {
    try {
      const ctx = prepare(input ?? {});
      const { rule, reason } = decide(ctx);
      if (input?.action === "delayed") {
        // A delay is never permanent; a specific soft reason stands, anything else is `expired`.
        const soft = typeFor(reason, false);
        if (soft.type === "soft_bounce" && !isVagueRule(rule.id)) {
          return { ...soft, reason, rule: rule.id, permanent: false };
        }
        return {
          ...typeFor("expired", false),
          reason: "expired",
          rule: ACTION_DELAYED_RULE.id,
          permanent: false,
        };
      }
      const permanent = input?.permanent === true || ctx.codeClass === 5;
      const { type, subtype } = typeFor(reason, permanent);
      return { type, subtype, reason, rule: rule.id, permanent };
    } catch {
      // Defensive only (e.g. a hostile getter on the input object): the classifier must be total.
      return {
        ...typeFor("undefined", false),
        reason: "undefined",
        rule: FALLBACK_ERROR_RULE_ID,
        permanent: false,
      };
    }
  };
  return { rules, classify: classifyOne };
}

const SERVICE_CLASSIFIER = createClassifier();

/** The whole decision table, in the order it is applied. */
export const RULES: readonly Rule[] = SERVICE_CLASSIFIER.rules;

/**
 * Classifies one failed recipient's diagnostic into type, subtype, fine reason and deciding rule.
 * Never throws; unknown input ends in `fallback-text` / `fallback-empty`.
 *
 * @example
 * classify({ diagnostic: "smtp; 550 5.1.1 <jdoe@example.org>: Recipient address rejected: User unknown" });
 * // { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown", rule: "text-user-unknown", permanent: true }
 * classify({ diagnostic: "邮箱已满", smtpCode: "452" });
 * // { type: "soft_bounce", subtype: "other", reason: "mailbox_full", rule: "text-mailbox-full", permanent: false }
 * classify({ diagnostic: "451 4.3.0 Temporary local problem", action: "delayed" });
 * // { type: "soft_bounce", subtype: "service_unreachable", reason: "expired", rule: "action-delayed", permanent: false }
 */
export function classify(input: DiagnosticInput): Classification {
  return SERVICE_CLASSIFIER.classify(input);
}
