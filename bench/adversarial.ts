/**
 * 10 KB adversarial diagnostics for the classifier: repeated near-misses of the rules' own
 * phrases (each fragment cut just before it would match), long runs of spaces, digits and dots,
 * code-like numbers, and unicode (CJK near-misses, combining marks, astral characters).
 */
import type { ProviderCodeTable } from "../lambdas/core/classifier/provider-codes.js";
import type { TextRule } from "../lambdas/core/classifier/rules.js";

export const ADVERSARIAL_CHARS = 10 * 1024;

/** `unit` repeated to exactly `ADVERSARIAL_CHARS` UTF-16 units. */
export function fill(unit: string): string {
  if (unit.length === 0) return "";
  return unit.repeat(Math.ceil(ADVERSARIAL_CHARS / unit.length)).slice(0, ADVERSARIAL_CHARS);
}

/** The phrase with its last character dropped: every prefix matches, the whole never does. */
const nearMiss = (phrase: string): string => (phrase.length > 1 ? phrase.slice(0, -1) : `${phrase}\u200b`);

/** Strings that stress any rule: runs, numbers, whitespace the normalizer collapses, unicode. */
export function genericStrings(): Map<string, string> {
  return new Map([
    ["spaces", fill(" ")],
    ["spaced-letters", fill("a ")],
    ["mixed-whitespace", fill(" \t\n\r\u00a0x")],
    ["digits", fill("5")],
    ["dots", fill(".")],
    ["digits-dots", fill("5.")],
    ["ip-like", fill("192.0.2.")],
    ["codes", fill("550 5.1.")],
    ["code-run", fill("5.1.1.5.5.0")],
    ["angle-brackets", fill("<a@b")],
    ["cjk-near-miss", fill("用户不邮箱地址")],
    ["combining", fill("e\u0301\u0308")],
    ["astral", fill("😀𝒜")],
    ["upper-latin", fill("USER UNKNOWn ÄÖÜ ß İ ")],
    // The shapes the regular-expression rules and the SES-title normalizer look for, cut short.
    ["reply-colon-near-miss", fill("550: : user unknow ")],
    ["unknown-user-long-local", fill(`unknown user <${"a".repeat(80)}`)],
    ["ses-title-near-miss", `5.1.0 - ${fill("unknown address error ")}`],
  ]);
}

/** Near-misses of a provider code table: its code shapes without the digits that complete them. */
export function providerCodeStrings(table: ProviderCodeTable): Map<string, string> {
  const also = table.also?.[0] ?? "";
  return new Map([
    [`${table.id}:prefix-run`, fill("ofr005_50 lpn007_4 aup#in-131 ")],
    [`${table.id}:also-then-codes`, `${also} ${fill("aup#in-13 ofr_4 ")}`.slice(0, ADVERSARIAL_CHARS)],
    [`${table.id}:hash-run`, fill("aup#")],
  ]);
}

/** Near-misses built from one text rule's own needles, sequences and regular expression. */
export function ruleStrings(rule: TextRule): Map<string, string> {
  const out = new Map<string, string>();
  const any = rule.any ?? [];
  if (any.length > 0) {
    out.set(`${rule.id}:any-near-miss`, fill(`${any.map(nearMiss).join(" ")} `));
    const first = any[0] ?? "";
    out.set(`${rule.id}:any-prefix-run`, fill(first.slice(0, Math.max(1, first.length - 1))));
  }
  for (const [i, fragments] of (rule.seq ?? []).entries()) {
    out.set(`${rule.id}:seq${i}-head-run`, fill(fragments[0] ?? ""));
    out.set(`${rule.id}:seq${i}-all-but-last`, fill(fragments.slice(0, -1).join("")));
  }
  if (rule.re !== undefined) {
    const literal = /^[^\\([{.*+?|^$]*/.exec(rule.re.source)?.[0] ?? "";
    out.set(`${rule.id}:re-digit-dots`, `${literal}${fill("1.22.333.")}`.slice(0, ADVERSARIAL_CHARS));
    out.set(`${rule.id}:re-literal-run`, fill(`${literal}1.2.3 `));
  }
  // Evidence present once, then near-misses of the conditions checked after it.
  const evidence = any[0] ?? rule.seq?.[0]?.join(" ") ?? "";
  for (const [name, list] of [
    ["also", rule.also],
    ["unless", rule.unless],
  ] as const) {
    if (list !== undefined && list.length > 0)
      out.set(`${rule.id}:${name}-near-miss`, `${evidence} ${fill(`${list.map(nearMiss).join(" ")} `)}`);
  }
  if (rule.stage !== undefined) {
    out.set(
      `${rule.id}:stage-near-miss`,
      `${evidence} ${fill("in reply to rcpt to comman after data in reply to ")}`,
    );
  }
  return out;
}
