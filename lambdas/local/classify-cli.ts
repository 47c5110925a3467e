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
 *
 * With `--eml FILE…` stdin is not read: each raw bounce or complaint email is parsed
 * (`parseBounceEmail`) and mapped (`emailEvents`, providers/email/events.ts), one JSON line per
 * recipient event (`{"file","recipient","kind","action","status","type","subtype","reason","rule"}`,
 * `feedbackType` on a complaint, `why` on a bounce with `--explain`); an email without events is one
 * `{"file","kind","ignored"}` line, a file that cannot be read or parsed one `{"file","error"}` line.
 */

import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import * as z from "zod";
import { classify, prepare, RULES } from "../core/classifier/index.js";
import type { DiagnosticInput } from "../core/classifier/types.js";
import type { NormalizedEvent } from "../core/events.js";
import { classifierInput, emailEvents } from "../providers/email/events.js";
import { parseBounceEmail } from "../providers/email/parse.js";
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

function explain(input: DiagnosticInput, ruleId: string, permanent: boolean): Explanation {
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

/** One `--eml` output line: a recipient's event, an email without any, or a file that failed. */
export type EmlOutput =
  | {
      readonly file: string;
      readonly recipient: string;
      readonly kind: string;
      readonly action: string | null;
      readonly status: string | null;
      readonly type: string;
      readonly subtype: string | null;
      readonly reason: string | null;
      readonly rule: string | null;
      readonly feedbackType?: string;
      readonly why?: Explanation;
    }
  | { readonly file: string; readonly kind: string; readonly ignored: number }
  | { readonly file: string; readonly error: string };

/**
 * The CLI prints no provider; `emailEvents` needs an event source, and `email` is not one yet
 * (registered by the raw-email adapter, a later step of issue #15).
 */
const EML_PROVIDER: NormalizedEvent["provider"] = "ses";
/** The CLI's events are printed, never stored: the tenant, received time and id only fill the shape. */
const EML_CONTEXT = { tenant: "local", receivedAt: new Date(0), reportId: "classify-cli" } as const;

/**
 * The output lines of one raw email (`--eml`): one per recipient event, in the report's order.
 *
 * @example
 * await emlLines("bounce.eml", readFileSync("bounce.eml"));
 * // [{ file: "bounce.eml", recipient: "jdoe@example.org", kind: "dsn", action: "failed", status: "5.1.1",
 * //    type: "invalid", subtype: "mailbox_not_found", reason: "user_unknown", rule: "enhanced-5.1.1" }]
 */
export async function emlLines(file: string, raw: Buffer, withWhy = false): Promise<EmlOutput[]> {
  let parsed: Awaited<ReturnType<typeof parseBounceEmail>>;
  try {
    parsed = await parseBounceEmail(raw);
  } catch (error) {
    return [{ file, error: messageOf(error) }];
  }
  const { events, ignored } = emailEvents(parsed, EML_CONTEXT, EML_PROVIDER);
  if (events.length === 0) return [{ file, kind: parsed.kind, ignored }];
  return events.map((event) => {
    // emailEvents keeps the first block of an address: so does this look-up.
    const r = parsed.recipients.find((x) => x.recipient === event.recipient);
    const action = r?.action ?? null;
    const line: EmlOutput = {
      file,
      recipient: event.recipient,
      kind: parsed.kind,
      action,
      status: r?.status ?? null,
      type: event.type,
      subtype: event.subtype,
      reason: event.reason,
      rule: event.rule,
      ...(event.feedbackType === null ? {} : { feedbackType: event.feedbackType }),
    };
    const bounce = event.type === "invalid" || event.type === "soft_bounce";
    if (!withWhy || !bounce || event.smtp === null) return line;
    // The classifier's own input for this recipient, so `why` reads what decided.
    const input = classifierInput(
      action === "delayed" ? "delayed" : "failed",
      event.smtp,
      r?.command ?? null,
    );
    return { ...line, why: explain(input, event.rule ?? "", classify(input).permanent) };
  });
}

/**
 * `--eml`: the output lines of each file, in order (a file that cannot be read is an error line).
 *
 * @example
 * for await (const out of emlFileLines(["a.eml", "b.eml"])) console.log(out);
 */
export async function* emlFileLines(files: readonly string[], withWhy = false): AsyncGenerator<string> {
  for (const file of files) {
    let raw: Buffer;
    try {
      raw = await readFile(file);
    } catch (error) {
      yield JSON.stringify({ file, error: messageOf(error) });
      continue;
    }
    for (const out of await emlLines(file, raw, withWhy)) yield JSON.stringify(out);
  }
}

export const HELP = `Usage: npm run classify [-- --explain] < diagnostics.txt
       npm run classify -- --eml [--explain] FILE.eml…

Reads SMTP diagnostics from stdin, one per line, and writes one JSON object per line to stdout:
{"type", "subtype", "reason", "rule"}. A line starting with { is read as JSON:
{"diagnostic": "...", "smtpCode"?: "550", "enhancedCode"?: "5.1.1", "permanent"?: true}.
Exactly one output line per input line; a line that cannot be read yields {"error", "line"}.

With --eml, stdin is not read: each raw bounce or complaint email (DSN, ARF) is parsed and mapped
to events, one JSON object per recipient: {"file", "recipient", "kind", "action", "status", "type",
"subtype", "reason", "rule"} (and "feedbackType" for a complaint). An email without events yields
{"file", "kind", "ignored"}; a file that cannot be read or parsed, {"file", "error"}.

Options:
      --explain   add "why" to each object: the rule's tier and note, the codes and SMTP stage read
                  from the input, and whether the failure was judged permanent (with --eml:
                  on each bounce)
      --eml       read the files named after the options as raw emails instead of stdin
  -h, --help      this text

Exit codes:
  0  every line was answered (lines that were errors included: they are reported inline); with
     --eml, every file was (unreadable or unparsable ones included, reported inline)
  1  stdin or stdout failed
  2  bad usage (an unknown option, an argument without --eml, --eml without a file)
`;

/** The command line: `eml` lists the files of `--eml`, `null` when stdin is read. */
export type ClassifyArgs = { explain: boolean; help: boolean; eml: string[] | null };

/** Bad usage: the message is the one line `main` prints. */
class UsageError extends Error {}

/**
 * Reads the command line (without node and the script).
 *
 * @throws UsageError for an unknown option, an argument without `--eml` (input then comes from
 * stdin only), or `--eml` without a file.
 * @example
 * parseClassifyArgs(["--explain"]); // { explain: true, help: false, eml: null }
 * parseClassifyArgs(["--eml", "a.eml", "b.eml"]); // { explain: false, help: false, eml: ["a.eml", "b.eml"] }
 */
export function parseClassifyArgs(argv: readonly string[]): ClassifyArgs {
  let parsed: { values: { explain?: boolean; help?: boolean; eml?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        explain: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        eml: { type: "boolean" },
      },
    });
  } catch (error) {
    // Node's own message, without its hint about `--` (the input never comes from arguments).
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/, ""));
  }
  const { values, positionals } = parsed;
  const explain = values.explain ?? false;
  const help = values.help ?? false;
  if (help) return { explain, help, eml: null };
  if (values.eml) {
    if (positionals.length === 0) throw new UsageError("--eml needs at least one file");
    return { explain, help, eml: positionals };
  }
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument '${positionals[0]}': the diagnostics are read from stdin`);
  }
  return { explain, help, eml: null };
}

async function main(argv: readonly string[]): Promise<number> {
  let args: ClassifyArgs;
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
  if (args.eml !== null) {
    for await (const out of emlFileLines(args.eml, args.explain)) {
      if (!process.stdout.write(`${out}\n`)) await once(process.stdout, "drain");
    }
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
