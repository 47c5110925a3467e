/**
 * Scores a classifier against the dev corpus (`test/fixtures/corpus/bounces.jsonl`, see its README and
 * design.md §6): records whose text embeds a libsisimai.org reason URL are left out, and so are
 * non-bounces (feedback, vacation, delivered). The expected type and subtype come from
 * `typeFor(sisimaiReason, permanent)` with permanence from the record's own codes (a 5 → permanent);
 * the p5 / v4 alternative labels count as right too (Sisimai's own authors disagree there).
 *
 * Used by the corpus test (regression gate), the benchmark, and runnable on its own:
 *   tsx lambdas/local/corpus-eval.ts [path/to/bounces.jsonl] [--tuning-only]
 * (`npm run eval:corpus`, `-- --help` for `HELP`). A corpus file that cannot be read or parsed, or a
 * bad argument, is one line on stderr and exit 2.
 *
 * Held-back slice: a record is held back when the first byte of SHA-256(`HELD_BACK_SEED` + its id)
 * is below `HELD_BACK_SHARE` × 256 (about 20%). The split depends only on the id, so it is stable
 * as the corpus grows. Tune on the "tuning" slice (`--tuning-only` lists only its misses); the
 * held-back figures show whether the rules generalize — do not tune against its misses.
 *
 * Leave-one-source-out (`leaveOneSourceOut`): each source (the record's `mta`) is scored by a table
 * whose text rules lost the phrases only that source's records contain (docs/classification.md).
 */

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import * as z from "zod";
import {
  classify,
  createClassifier,
  inOrder,
  prepare,
  TEXT_RULES,
  type TextRule,
} from "../core/classifier/index.js";
import type { Classification, DiagnosticInput } from "../core/classifier/types.js";
import { REASONS, type Reason, typeFor } from "../core/taxonomy.js";

/** Default location: the corpus in the repository (test/fixtures/corpus), found from this module. */
export const DEFAULT_CORPUS_URL = new URL("../../test/fixtures/corpus/bounces.jsonl", import.meta.url);
/** `DEFAULT_CORPUS_URL` as a file path. */
export const DEFAULT_CORPUS_PATH = fileURLToPath(DEFAULT_CORPUS_URL);

const CorpusRecord = z.object({
  id: z.string(),
  /** The MTA or receiving host the record came from (`Exim`, `Gmail`, …): its source. */
  mta: z.string().optional(),
  smtpCode: z.string().nullable(),
  enhancedCode: z.string().nullable(),
  diagnostic: z.string(),
  sisimaiReason: z.string(),
  altReasonP5: z.string().optional(),
  altReasonV4: z.string().optional(),
  labelHintInText: z.boolean().optional(),
});
export type CorpusRecord = z.infer<typeof CorpusRecord>;

/** Sisimai's reasons that are not bounces in our taxonomy. */
const NOT_BOUNCES = new Set(["feedback", "vacation", "delivered"]);

const SISIMAI_TO_OURS: Readonly<Record<string, Reason>> = {
  userunknown: "user_unknown",
  hasmoved: "has_moved",
  hostunknown: "host_unknown",
  notaccept: "not_accept",
  suspend: "suspend",
  mailboxfull: "mailbox_full",
  exceedlimit: "exceed_limit",
  mesgtoobig: "mesg_too_big",
  systemfull: "system_full",
  systemerror: "system_error",
  mailererror: "mailer_error",
  networkerror: "network_error",
  expired: "expired",
  speeding: "speeding",
  toomanyconn: "too_many_conn",
  failedstarttls: "failed_starttls",
  blocked: "blocked",
  badreputation: "bad_reputation",
  requireptr: "require_ptr",
  authfailure: "auth_failure",
  rejected: "rejected",
  filtered: "filtered",
  norelaying: "no_relaying",
  spamdetected: "spam_detected",
  virusdetected: "virus_detected",
  policyviolation: "policy_violation",
  contenterror: "content_error",
  notcompliantrfc: "not_compliant_rfc",
  securityerror: "security_error",
  syntaxerror: "syntax_error",
  suppressed: "suppressed",
  onhold: "on_hold",
  undefined: "undefined",
};

/**
 * Sisimai's reason id (no underscores) in our snake_case vocabulary, or null when it is not a
 * bounce reason of ours.
 *
 * @example
 * toOurReason("userunknown"); // "user_unknown"
 * toOurReason("vacation");    // null
 */
export function toOurReason(sisimai: string): Reason | null {
  const ours = SISIMAI_TO_OURS[sisimai.toLowerCase()];
  return ours !== undefined && Object.hasOwn(REASONS, ours) ? ours : null;
}

/**
 * Parses the corpus JSONL text into records (blank lines skipped; a malformed line throws, naming it).
 *
 * @example
 * parseCorpus('{"id":"a#1","smtpCode":"550","enhancedCode":"5.1.1","diagnostic":"User unknown","sisimaiReason":"userunknown"}');
 */
export function parseCorpus(jsonl: string): CorpusRecord[] {
  const out: CorpusRecord[] = [];
  jsonl.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new Error(`corpus line ${i + 1}: not JSON (${error instanceof Error ? error.message : error})`);
    }
    const parsed = CorpusRecord.safeParse(value);
    if (!parsed.success) {
      const issues = parsed.error.issues.map(
        (issue) => `${issue.path.join(".") || "record"}: ${issue.message}`,
      );
      throw new Error(`corpus line ${i + 1}: ${issues.join("; ")}`);
    }
    out.push(parsed.data);
  });
  return out;
}

/** The corpus file cannot be scored: missing, unreadable, malformed or empty. The message is one line. */
export class CorpusFileError extends Error {
  override readonly name = "CorpusFileError";
}

/** Why a file could not be read, in words (the errno code kept for searching). */
function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const words: Readonly<Record<string, string>> = {
    ENOENT: "no such file",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EISDIR: "it is a directory",
  };
  if (code !== undefined && Object.hasOwn(words, code)) return `${words[code]} (${code})`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Reads and parses the corpus file.
 *
 * @throws CorpusFileError when the file cannot be read, a line is not a corpus record, or it holds none.
 * @example
 * const records = loadCorpus(); // test/fixtures/corpus/bounces.jsonl
 */
export function loadCorpus(path: string | URL = DEFAULT_CORPUS_URL): CorpusRecord[] {
  const shown = path instanceof URL ? fileURLToPath(path) : path;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CorpusFileError(`cannot read the corpus ${shown}: ${readFailure(error)}`, { cause: error });
  }
  let records: CorpusRecord[];
  try {
    records = parseCorpus(text);
  } catch (error) {
    throw new CorpusFileError(`${shown} is not a corpus: ${error instanceof Error ? error.message : error}`, {
      cause: error,
    });
  }
  if (records.length === 0) throw new CorpusFileError(`${shown} holds no corpus records`);
  return records;
}

/** A record kept for scoring, with the classifier input and the accepted answers. */
export type ScoredCase = {
  readonly record: CorpusRecord;
  readonly input: DiagnosticInput;
  readonly permanent: boolean;
  /** The label and, where Sisimai versions disagree, the alternatives. */
  readonly acceptedReasons: readonly Reason[];
};

/**
 * Keeps the records a classifier is scored on (design.md §6) and prepares their inputs.
 *
 * @example
 * const cases = scoringCases(loadCorpus());
 */
export function scoringCases(records: readonly CorpusRecord[]): ScoredCase[] {
  const cases: ScoredCase[] = [];
  for (const record of records) {
    if (record.labelHintInText === true || record.diagnostic.includes("libsisimai.org/en/reason")) continue;
    if (NOT_BOUNCES.has(record.sisimaiReason)) continue;
    const label = toOurReason(record.sisimaiReason);
    if (label === null) continue;
    const alternatives = [record.altReasonP5, record.altReasonV4]
      .map((r) => (r === undefined ? null : toOurReason(r)))
      .filter((r): r is Reason => r !== null);
    const permanent =
      record.smtpCode?.startsWith("5") === true || record.enhancedCode?.startsWith("5") === true;
    cases.push({
      record,
      input: { diagnostic: record.diagnostic, smtpCode: record.smtpCode, enhancedCode: record.enhancedCode },
      permanent,
      acceptedReasons: [label, ...alternatives],
    });
  }
  return cases;
}

/** Seed of the held-back split; changing it re-draws the slice (and voids its "unseen" status). */
export const HELD_BACK_SEED = "suppression-service/corpus-held-back/v1";
/** Share of records held back from tuning. */
export const HELD_BACK_SHARE = 0.2;

/**
 * Whether the record with this id belongs to the held-back slice (deterministic, seeded).
 *
 * @example
 * isHeldBack("lhost-postfix-01.eml#1"); // true or false, always the same for this id
 */
export function isHeldBack(id: string): boolean {
  const digest = createHash("sha256").update(`${HELD_BACK_SEED}\n${id}`).digest();
  return (digest[0] ?? 0) < Math.round(HELD_BACK_SHARE * 256);
}

/**
 * Splits the cases into the tuning slice and the held-back slice.
 *
 * @example
 * const { tuning, heldBack } = splitCases(scoringCases(loadCorpus()));
 */
export function splitCases(cases: readonly ScoredCase[]): {
  tuning: ScoredCase[];
  heldBack: ScoredCase[];
} {
  const tuning: ScoredCase[] = [];
  const heldBack: ScoredCase[] = [];
  for (const c of cases) (isHeldBack(c.record.id) ? heldBack : tuning).push(c);
  return { tuning, heldBack };
}

export type Miss = {
  readonly id: string;
  readonly expected: readonly Reason[];
  readonly got: Classification;
  readonly typeOk: boolean;
  readonly diagnostic: string;
};

export type CorpusScore = {
  readonly total: number;
  readonly typeAgree: number;
  readonly reasonAgree: number;
  readonly typeRate: number;
  readonly reasonRate: number;
  readonly misses: readonly Miss[];
  /** Fine-reason confusion: `expected → got` (expected = the corpus label) with counts, misses only. */
  readonly confusion: ReadonlyMap<string, number>;
};

/**
 * Scores `classifier` on the cases: type+subtype agreement (any accepted reason's mapping) and
 * fine-reason agreement.
 *
 * @example
 * const score = scoreCorpus(scoringCases(loadCorpus()));
 * console.log(score.typeRate, score.reasonRate);
 */
export function scoreCorpus(
  cases: readonly ScoredCase[],
  classifier: (input: DiagnosticInput) => Classification = classify,
): CorpusScore {
  let typeAgree = 0;
  let reasonAgree = 0;
  const misses: Miss[] = [];
  const confusion = new Map<string, number>();
  for (const c of cases) {
    const got = classifier(c.input);
    const typeOk = c.acceptedReasons.some((reason) => {
      const want = typeFor(reason, c.permanent);
      return want.type === got.type && want.subtype === got.subtype;
    });
    const reasonOk = c.acceptedReasons.includes(got.reason);
    if (typeOk) typeAgree++;
    if (reasonOk) reasonAgree++;
    if (!reasonOk) {
      const key = `${c.acceptedReasons[0] ?? "?"} → ${got.reason}`;
      confusion.set(key, (confusion.get(key) ?? 0) + 1);
    }
    if (!typeOk || !reasonOk) {
      misses.push({
        id: c.record.id,
        expected: c.acceptedReasons,
        got,
        typeOk,
        diagnostic: c.record.diagnostic,
      });
    }
  }
  return { ...agreement(cases.length, typeAgree, reasonAgree), misses, confusion };
}

/** Counts of agreement and their rates. */
function agreement(total: number, typeAgree: number, reasonAgree: number) {
  return {
    total,
    typeAgree,
    reasonAgree,
    typeRate: total === 0 ? 0 : typeAgree / total,
    reasonRate: total === 0 ? 0 : reasonAgree / total,
  };
}

/** The source a record came from: its MTA or receiving host (`Exim`, `Gmail`, …). */
const sourceOf = (c: ScoredCase): string => c.record.mta ?? c.record.id;

/** Whether one rule phrase (a substring, an ordered fragment list or a pattern) occurs in `text`. */
function phraseIn(text: string, phrase: string | readonly string[] | RegExp): boolean {
  if (typeof phrase === "string") return text.includes(phrase);
  if (phrase instanceof RegExp) return phrase.test(text);
  return inOrder(text, phrase);
}

/**
 * The text rules without what only the held-out source's texts support: every phrase of a rule
 * (an `any` or `also` or `unless` entry, a `seq` list, the `re`) that occurs in some record of
 * the source and in no record of any other source is taken out, as if the rule had been written
 * without ever seeing that source. A rule left with no evidence, or with an empty `also`, goes.
 */
export function rulesWithout(texts: { held: readonly string[]; rest: readonly string[] }): TextRule[] {
  const learnedFromHeld = (phrase: string | readonly string[] | RegExp): boolean =>
    texts.held.some((t) => phraseIn(t, phrase)) && !texts.rest.some((t) => phraseIn(t, phrase));
  const keep = <T extends string | readonly string[]>(list: readonly T[] | undefined): T[] | undefined =>
    list?.filter((phrase) => !learnedFromHeld(phrase));
  const out: TextRule[] = [];
  for (const rule of TEXT_RULES) {
    const any = keep(rule.any);
    const seq = keep(rule.seq);
    const also = keep(rule.also);
    const unless = keep(rule.unless);
    const re = rule.re !== undefined && learnedFromHeld(rule.re) ? undefined : rule.re;
    const evidence = (any?.length ?? 0) > 0 || (seq?.length ?? 0) > 0 || re !== undefined;
    if (!evidence || (also !== undefined && also.length === 0)) continue;
    const { any: _a, seq: _s, also: _l, unless: _u, re: _r, ...rest } = rule;
    out.push({
      ...rest,
      ...(any !== undefined && any.length > 0 ? { any } : {}),
      ...(seq !== undefined && seq.length > 0 ? { seq } : {}),
      ...(also !== undefined ? { also } : {}),
      ...(unless !== undefined && unless.length > 0 ? { unless } : {}),
      ...(re !== undefined ? { re } : {}),
    });
  }
  return out;
}

/** Leave-one-source-out: each source scored by a table that never saw its texts. */
export type LosoScore = {
  readonly total: number;
  readonly typeAgree: number;
  readonly reasonAgree: number;
  readonly typeRate: number;
  readonly reasonRate: number;
  /** Per source: its size, agreements, and how many rule phrases holding it out took away. */
  readonly sources: readonly {
    readonly source: string;
    readonly total: number;
    readonly typeAgree: number;
    readonly reasonAgree: number;
    readonly phrasesRemoved: number;
  }[];
};

const phraseCount = (rules: readonly TextRule[]): number =>
  rules.reduce(
    (n, r) =>
      n +
      (r.any?.length ?? 0) +
      (r.seq?.length ?? 0) +
      (r.also?.length ?? 0) +
      (r.unless?.length ?? 0) +
      (r.re === undefined ? 0 : 1),
    0,
  );

/**
 * Leave-one-source-out cross-validation (issue #15): for every source (MTA or receiving host) in
 * turn, its records are scored by a classifier whose text rules lost every phrase that only that
 * source's records contain (`rulesWithout`). The documented parts (enhanced codes, reply codes,
 * receivers' numbered codes) stay. The honest proxy for bounces from a source the rules never saw.
 *
 * @example
 * const loso = leaveOneSourceOut(scoringCases(loadCorpus()));
 * console.log(loso.typeRate, loso.reasonRate);
 */
export function leaveOneSourceOut(cases: readonly ScoredCase[]): LosoScore {
  const texts = cases.map((c) => prepare(c.input).text);
  const sources = [...new Set(cases.map(sourceOf))].sort();
  const allPhrases = phraseCount(TEXT_RULES);
  const rows = sources.map((source) => {
    const held: string[] = [];
    const rest: string[] = [];
    cases.forEach((c, i) => {
      (sourceOf(c) === source ? held : rest).push(texts[i] as string);
    });
    const textRules = rulesWithout({ held, rest });
    const score = scoreCorpus(
      cases.filter((c) => sourceOf(c) === source),
      createClassifier({ textRules }).classify,
    );
    return {
      source,
      total: score.total,
      typeAgree: score.typeAgree,
      reasonAgree: score.reasonAgree,
      phrasesRemoved: allPhrases - phraseCount(textRules),
    };
  });
  const sum = (key: "total" | "typeAgree" | "reasonAgree") => rows.reduce((n, r) => n + r[key], 0);
  return { ...agreement(sum("total"), sum("typeAgree"), sum("reasonAgree")), sources: rows };
}

const pct = (n: number): string => `${(n * 100).toFixed(1)}%`;

function summary(
  label: string,
  score: Pick<CorpusScore, "total" | "typeAgree" | "reasonAgree" | "typeRate" | "reasonRate">,
): string {
  return (
    `${label}: ${score.total} bounces; type+subtype ${score.typeAgree} (${pct(score.typeRate)}); ` +
    `reason ${score.reasonAgree} (${pct(score.reasonRate)})`
  );
}

function printConfusion(score: CorpusScore): void {
  const rows = [...score.confusion].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  for (const [key, count] of rows) console.log(`  ${String(count).padStart(3)}  ${key}`);
}

function printMisses(misses: readonly Miss[]): void {
  for (const m of misses) {
    const slice = isHeldBack(m.id) ? "held-back" : "tuning   ";
    console.log(
      `${m.typeOk ? "reason" : "TYPE  "} ${slice} ${m.id} want=${m.expected.join("|")} ` +
        `got=${m.got.reason} rule=${m.got.rule} ${m.got.type}/${m.got.subtype} :: ${m.diagnostic.slice(0, 160)}`,
    );
  }
}

export const HELP = `Usage: npm run eval:corpus [-- [--tuning-only] [CORPUS.jsonl]]

Scores the classifier against a bounce corpus (JSON Lines of Sisimai-labelled records) and prints
the agreement on the whole corpus, the tuning slice and the held-back slice (about 20%, never tune
against it), leave-one-source-out (each MTA scored without the phrases only its records carry), then the confusion table by reason and every miss with the rule that decided it.

Arguments:
  CORPUS.jsonl     the corpus file (default ${DEFAULT_CORPUS_PATH})

Options:
      --tuning-only  the confusion table and the misses of the tuning slice only
  -h, --help         this text

Exit codes:
  0  scored (misses are output, not failures)
  2  bad usage, or a corpus file that cannot be read or parsed
`;

export type EvalArgs = { readonly path?: string; readonly tuningOnly: boolean; readonly help: boolean };

/**
 * Reads the command line (without node and the script).
 *
 * @throws Error with a one-line message for an unknown option or more than one file.
 * @example
 * parseEvalArgs(["--tuning-only", "corpus.jsonl"]); // { path: "corpus.jsonl", tuningOnly: true, help: false }
 */
export function parseEvalArgs(argv: readonly string[]): EvalArgs {
  let parsed: { values: { "tuning-only"?: boolean; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: { "tuning-only": { type: "boolean" }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    // Node's hint about `--`, in this command's words.
    const message = (error as Error).message;
    throw new Error(
      message.replace(/\. To specify a positional argument.*$/, " (a file named -… goes after --)"),
    );
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new Error(`name one corpus file; got ${positionals.length}`);
  return {
    ...(positionals[0] !== undefined ? { path: positionals[0] } : {}),
    tuningOnly: values["tuning-only"] ?? false,
    help: values.help ?? false,
  };
}

/**
 * Prints the figures (whole corpus, tuning and held-back slices), the confusion table by reason and
 * every miss with the rule that decided it. With `--tuning-only` the table and the misses cover the
 * tuning slice alone: use that while changing rules, so the held-back slice stays unseen. A corpus
 * that cannot be loaded is one line on stderr and exit code 2 (no stack trace).
 */
function main(argv: readonly string[]): void {
  let args: EvalArgs;
  try {
    args = parseEvalArgs(argv);
  } catch (error) {
    console.error(`eval:corpus: ${(error as Error).message}; see --help`);
    process.exitCode = 2;
    return;
  }
  if (args.help) {
    process.stdout.write(HELP);
    return;
  }
  const { path, tuningOnly } = args;
  let records: CorpusRecord[];
  try {
    records = loadCorpus(path ?? DEFAULT_CORPUS_URL);
  } catch (error) {
    if (!(error instanceof CorpusFileError)) throw error;
    console.error(`eval:corpus: ${error.message}`);
    process.exitCode = 2;
    return;
  }
  const cases = scoringCases(records);
  const { tuning, heldBack } = splitCases(cases);
  const all = scoreCorpus(cases);
  const tuned = scoreCorpus(tuning);
  const held = scoreCorpus(heldBack);
  console.log(summary("corpus", all));
  console.log(summary("  tuning   ", tuned));
  console.log(summary("  held-back", held));
  const loso = leaveOneSourceOut(cases);
  console.log(summary("leave-one-source-out", loso));
  const shown = tuningOnly ? tuned : all;
  const scope = tuningOnly ? "tuning slice" : "whole corpus";
  console.log(`confusion by reason (expected → got: count), ${scope}:`);
  printConfusion(shown);
  console.log(`misses, ${scope} (TYPE: type or subtype differs; reason: only the fine reason does):`);
  printMisses(shown.misses);
}

const invokedAs = process.argv[1];
if (invokedAs !== undefined && import.meta.url === pathToFileURL(invokedAs).href) {
  main(process.argv.slice(2));
}
