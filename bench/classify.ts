/**
 * Classifier benchmarks: throughput over the corpus's real diagnostics, and the slowest single
 * rule of the decision table on 10 KB adversarial strings.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  classify,
  type DiagnosticInput,
  type MatchContext,
  PROVIDER_CODE_TABLES,
  prepare,
  RULES,
  type Rule,
  TEXT_RULES,
} from "../lambdas/core/classifier/index.js";
import { genericStrings, providerCodeStrings, ruleStrings } from "./adversarial.js";
import { atLeast, atMost, type Figures } from "./report.js";
import { nowMs, p50, sig } from "./stats.js";

/** The corpus in the repository (test/fixtures/corpus), found from this module wherever it is run. */
export const CORPUS = fileURLToPath(new URL("../test/fixtures/corpus/bounces.jsonl", import.meta.url));

type CorpusRecord = { diagnostic?: string | null; smtpCode?: string | null; enhancedCode?: string | null };

/** The corpus as classifier inputs: its diagnostic and the codes that came with it. */
export function corpusInputs(path = CORPUS): DiagnosticInput[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const r = JSON.parse(line) as CorpusRecord;
      return {
        diagnostic: r.diagnostic ?? null,
        smtpCode: r.smtpCode ?? null,
        enhancedCode: r.enhancedCode ?? null,
      };
    });
}

/** Classifications per second over `inputs`, repeated; the median of several timed rounds. */
function throughput(inputs: readonly DiagnosticInput[], scale: number): { perS: number; sink: number } {
  let sink = 0;
  const pass = () => {
    for (const input of inputs) sink += classify(input).rule.length;
  };
  const warmUntil = nowMs() + 500 * scale;
  while (nowMs() < warmUntil) pass();
  const rates: number[] = [];
  for (let round = 0; round < 7; round++) {
    const start = nowMs();
    let done = 0;
    while (nowMs() - start < 400 * scale) {
      pass();
      done += inputs.length;
    }
    rates.push(done / ((nowMs() - start) / 1000));
  }
  return { perS: p50(rates), sink };
}

/** The codes a rule's own example carries, so code conditions hold and the text is what gets tested. */
function codesOf(rule: Rule): DiagnosticInput {
  return { smtpCode: rule.example.smtpCode ?? null, enhancedCode: rule.example.enhancedCode ?? null };
}

/**
 * Median ms of one `rule.match` on `text`. Each repetition prepares a fresh context and matches once
 * untimed, so the context's lazy shared work (bigram table, SMTP stage) is done; the timed second
 * call is the rule's own matcher alone. That shared work is in the whole-`classify` timing.
 */
function timeRule(rule: Rule, text: string, reps: number): number {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const ctx: MatchContext = prepare({ ...codesOf(rule), diagnostic: text });
    rule.match(ctx);
    const start = nowMs();
    rule.match(ctx);
    times.push(nowMs() - start);
  }
  return p50(times);
}

/** Median ms of a whole `classify` call (normalization included) on `text`. */
function timeClassify(text: string, reps: number): number {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const start = nowMs();
    classify({ diagnostic: text });
    times.push(nowMs() - start);
  }
  return p50(times);
}

type Worst = { rule: string; input: string; ms: number };

/** Every rule on every adversarial string (3 runs each), then the 10 slowest again with 31 runs. */
function worstRule(strings: Map<string, string>): Worst[] {
  const coarse: Worst[] = [];
  for (const rule of RULES) {
    for (const [name, text] of strings)
      coarse.push({ rule: rule.id, input: name, ms: timeRule(rule, text, 3) });
  }
  coarse.sort((a, b) => b.ms - a.ms);
  const byId = new Map(RULES.map((r) => [r.id, r]));
  return coarse
    .slice(0, 10)
    .map((w) => {
      const rule = byId.get(w.rule);
      const text = strings.get(w.input) ?? "";
      return rule === undefined ? w : { ...w, ms: timeRule(rule, text, 31) };
    })
    .sort((a, b) => b.ms - a.ms);
}

export type ClassifyBenchResult = { figures: Figures; notes: string[] };

/** Both classifier figures; `scale` shortens the throughput rounds. */
export function benchClassify(scale: number): ClassifyBenchResult {
  const inputs = corpusInputs();
  const { perS } = throughput(inputs, scale);
  const strings = genericStrings();
  for (const rule of TEXT_RULES) for (const [name, text] of ruleStrings(rule)) strings.set(name, text);
  for (const table of PROVIDER_CODE_TABLES)
    for (const [name, text] of providerCodeStrings(table)) strings.set(name, text);
  const worst = worstRule(strings);
  const top = worst[0] ?? { rule: "none", input: "none", ms: Number.NaN };
  const classifyTimes = [...strings].map(([name, text]) => ({ name, ms: timeClassify(text, 5) }));
  classifyTimes.sort((a, b) => b.ms - a.ms);
  const slowestCall = classifyTimes[0];
  return {
    figures: {
      classify_per_s: atLeast(Math.round(perS), "per_s", 200_000),
      classify_worst_ms_10kb: atMost(top.ms, "ms", 1),
      classify_worst_call_ms_10kb: atMost(slowestCall?.ms ?? Number.NaN, "ms", 1),
    },
    notes: [
      `classify: ${inputs.length} corpus inputs, ${RULES.length} rules, ${strings.size} adversarial strings`,
      `slowest rules on 10 KB: ${worst
        .slice(0, 3)
        .map((w) => `${w.rule} on ${w.input} ${sig(w.ms, 3)} ms`)
        .join("; ")}`,
      `slowest whole classify() call on 10 KB (normalization included): ${slowestCall?.name} ${sig(slowestCall?.ms ?? Number.NaN, 3)} ms`,
    ],
  };
}
