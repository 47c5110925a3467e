/**
 * `npm run classify` (design.md §5.1): reads diagnostics from stdin, one per line, and writes one
 * JSON object per line: `{"type","subtype","reason","rule"}`. With `-- --explain` each object also
 * carries `why`: the deciding rule's tier and note, the codes and SMTP stage read from the input,
 * and whether the failure was judged permanent.
 *
 * A line is JSON when its first non-blank character is `{`:
 * `{"diagnostic": "...", "smtpCode"?: "550", "enhancedCode"?: "5.1.1", "permanent"?: true}`;
 * any other line is the diagnostic text itself.
 *
 * Decisions (so the output can be pasted next to the input):
 * - exactly one output line per input line, in order — a blank line is classified as an empty
 *   diagnostic (`fallback-empty`), not skipped;
 * - a line that starts with `{` but is not valid JSON, or does not fit the schema, yields
 *   `{"error": "...", "line": n}` and processing continues;
 * - the exit code is 0 even when some lines were errors (they are reported inline, where the caller
 *   sees them next to their input); it is 1 when stdin or stdout themselves fail, 2 for bad usage
 *   (one line on stderr; `--help` prints `HELP`).
 */

import { once } from "node:events";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import * as z from "zod";
import { classify, prepare, RULES } from "../core/classifier/index.js";
import { messageOf, runMain } from "./cli-main.js";

const code = z
  .union([z.string().max(32), z.number().int()])
  .transform((v) => String(v))
  .nullish();

/** One JSON input line. Unknown keys are ignored. */
export const ClassifyLine = z.object({
  diagnostic: z.string().max(1_000_000),
  smtpCode: code,
  enhancedCode: code,
  permanent: z.boolean().nullish(),
});

/** Why a verdict was reached, for `--explain`. */
export type Explanation = {
  readonly tier: string;
  readonly note: string;
  readonly smtpCode: string | null;
  readonly enhancedCode: string | null;
  readonly stage: string | null;
  readonly permanent: boolean;
};

export type ClassifyOutput =
  | {
      readonly type: string;
      readonly subtype: string;
      readonly reason: string;
      readonly rule: string;
      readonly why?: Explanation;
    }
  | { readonly error: string; readonly line: number };

const RULE_BY_ID = new Map(RULES.map((r) => [r.id, r]));

/** What each tier means, for rules without a note of their own. */
const TIER_NOTES: Readonly<Record<string, string>> = {
  provider: "The ESP stated the reason itself.",
  text: "The text contains a wording of this reason (lambdas/core/classifier/rules.ts).",
  enhanced: "Decided by the RFC 3463 enhanced status code.",
  "late-text": "A weak wording, used only because no specific code or wording decided first.",
  reply: "Decided by the SMTP reply code alone.",
  fallback: "Nothing specific to go on.",
};

function explain(input: z.infer<typeof ClassifyLine>, ruleId: string, permanent: boolean): Explanation {
  const rule = RULE_BY_ID.get(ruleId);
  const ctx = prepare(input);
  const tier = rule?.tier ?? "fallback";
  return {
    tier,
    note: rule?.note ?? TIER_NOTES[tier] ?? "",
    smtpCode: ctx.reply,
    enhancedCode: ctx.enhanced,
    stage: ctx.stage(),
    permanent,
  };
}

/**
 * Classifies one input line (plain text or JSON) into its output object.
 *
 * @example
 * classifyLine("550 5.1.1 User unknown", 1);
 * // { type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown", rule: "text-user-unknown" }
 * classifyLine('{"diagnostic": "Mailbox full", "smtpCode": "452"}', 2);
 * // { type: "soft_bounce", subtype: "other", reason: "mailbox_full", rule: "text-mailbox-full" }
 */
export function classifyLine(raw: string, lineNumber: number, withWhy = false): ClassifyOutput {
  const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  let input: z.infer<typeof ClassifyLine> = { diagnostic: line };
  if (line.trimStart().startsWith("{")) {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (e) {
      return { error: `invalid JSON: ${e instanceof Error ? e.message : String(e)}`, line: lineNumber };
    }
    const parsed = ClassifyLine.safeParse(json);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
        .join("; ");
      return { error: `invalid input: ${detail}`, line: lineNumber };
    }
    input = parsed.data;
  }
  const { type, subtype, reason, rule, permanent } = classify(input);
  return withWhy
    ? { type, subtype, reason, rule, why: explain(input, rule, permanent) }
    : { type, subtype, reason, rule };
}

/**
 * Turns input lines into output JSON lines (without newlines), one for one.
 *
 * @example
 * for await (const out of classifyLines(["User unknown", "{bad"])) console.log(out);
 */
export async function* classifyLines(
  lines: AsyncIterable<string> | Iterable<string>,
  withWhy = false,
): AsyncGenerator<string> {
  let n = 0;
  for await (const line of lines) {
    n += 1;
    yield JSON.stringify(classifyLine(line, n, withWhy));
  }
}

export const HELP = `Usage: npm run classify [-- --explain] < diagnostics.txt

Reads SMTP diagnostics from stdin, one per line, and writes one JSON object per line to stdout:
{"type", "subtype", "reason", "rule"}. A line starting with { is read as JSON:
{"diagnostic": "...", "smtpCode"?: "550", "enhancedCode"?: "5.1.1", "permanent"?: true}.
Exactly one output line per input line; a line that cannot be read yields {"error", "line"}.

Options:
      --explain   add "why" to each object: the rule's tier and note, the codes and SMTP stage read
                  from the input, and whether the failure was judged permanent
  -h, --help      this text

Exit codes:
  0  every line was answered (lines that were errors included: they are reported inline)
  1  stdin or stdout failed
  2  bad usage (an unknown option or an argument)
`;

/** Bad usage: the message is the one line `main` prints. */
class UsageError extends Error {}

/**
 * Reads the command line (without node and the script).
 *
 * @throws UsageError for an unknown option or an argument (input comes from stdin only).
 * @example
 * parseClassifyArgs(["--explain"]); // { explain: true, help: false }
 */
export function parseClassifyArgs(argv: readonly string[]): { explain: boolean; help: boolean } {
  let parsed: { values: { explain?: boolean; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: { explain: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    // Node's own message, without its hint about `--` (the input never comes from arguments).
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/, ""));
  }
  const { values, positionals } = parsed;
  if (positionals.length > 0 && !values.help) {
    throw new UsageError(`unexpected argument '${positionals[0]}': the diagnostics are read from stdin`);
  }
  return { explain: values.explain ?? false, help: values.help ?? false };
}

async function main(argv: readonly string[]): Promise<number> {
  let args: { explain: boolean; help: boolean };
  try {
    args = parseClassifyArgs(argv);
  } catch (error) {
    process.stderr.write(`classify: ${(error as Error).message}; see --help\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const out of classifyLines(rl, args.explain)) {
    if (!process.stdout.write(`${out}\n`)) await once(process.stdout, "drain");
  }
  return 0;
}

runMain(import.meta.url, main, (error) => {
  process.stderr.write(`classify: ${messageOf(error)}\n`);
});
