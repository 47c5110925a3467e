import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TEXT_RULES, type TextRule } from "../../../lambdas/core/classifier/index.js";
import { assembleTextRules, REASON_FILES, RULE_ORDER } from "../../../lambdas/core/classifier/rules.js";
import { REASONS } from "../../../lambdas/core/taxonomy.js";

/**
 * The text rules' ids in the order of the single `rules.ts` array before it was split into one file
 * per reason (issue #10), copied from that array. The decision order must not move by accident:
 * a rule added later needs no entry here, but moving or removing one of these is done here too,
 * on purpose.
 */
const ORDER_BEFORE_SPLIT = [
  "provider-google-groups",
  "provider-gmail-state-after-data",
  "text-too-many-invalid-recipients",
  "text-mailing-list-member",
  "text-spam-classification",
  "provider-gmail-limited-unauthenticated",
  "text-not-compliant-rfc",
  "text-auth-failure",
  "text-require-ptr",
  "text-sender-rejected",
  "text-bad-reputation",
  "text-not-accept",
  "text-system-full",
  "text-mailbox-full",
  "text-too-many-conn",
  "provider-gmail-limited-without-tls",
  "text-speeding",
  "provider-cpanel-unrouteable",
  "text-blocked-list",
  "text-blocked-client",
  "text-no-relaying",
  "text-exceed-limit",
  "text-mesg-too-big",
  "text-suspend",
  "text-has-moved",
  "text-virus",
  "text-content-error",
  "text-policy",
  "text-spam",
  "stage-mail-from-refused",
  "text-bad-address-format",
  "text-host-unknown-temporary",
  "text-host-unknown-4xx",
  "text-host-unknown",
  "text-mailer-error",
  "text-user-unknown-after-data",
  "provider-kddi-filter",
  "text-user-unknown-mailbox-status",
  "text-user-unknown-policy-status",
  "text-unknown-user-then-address",
  "text-user-unknown",
  "text-mailbox-unavailable",
  "text-recipient-filtered",
  "text-failed-starttls",
  "text-security",
  "text-connection-refused",
  "text-network-error",
  "provider-mxlogic-drd",
  "text-system-error",
  "text-expired",
  "text-syntax-error",
  "stage-connect-refused",
  "late-transaction-failed",
  "late-mail-rejected",
  "late-access-denied",
  "late-no-valid-recipients",
] as const;

const RULES_DIR = new URL("../../../lambdas/core/classifier/rules/", import.meta.url);
/** The files of `rules/` that are not a reason's: the order list and the rule type. */
const NOT_A_REASON: ReadonlySet<string> = new Set(["order.ts", "types.ts"]);

/** A `rules/<reason>.ts` file, its reason taken from its name (the one place the mapping lives). */
type ReasonFile = { readonly file: string; readonly reason: string; readonly rules: readonly TextRule[] };

function isRuleList(value: unknown): value is readonly TextRule[] {
  return (
    Array.isArray(value) &&
    value.every(
      (r: unknown) =>
        typeof r === "object" && r !== null && "id" in r && typeof r.id === "string" && "reason" in r,
    )
  );
}

/** Every reason file on disk, loaded: what is there, not what `rules.ts` says is there. */
const REASON_FILES_ON_DISK: readonly ReasonFile[] = await Promise.all(
  readdirSync(RULES_DIR)
    .filter((file) => file.endsWith(".ts") && !NOT_A_REASON.has(file))
    .sort()
    .map(async (file): Promise<ReasonFile> => {
      const module: Record<string, unknown> = await import(new URL(file, RULES_DIR).href);
      const rules = module.rules;
      if (!isRuleList(rules)) throw new Error(`rules/${file} does not export a \`rules\` list`);
      return { file, reason: file.slice(0, -".ts".length), rules };
    }),
);

const ids = (rules: readonly TextRule[]): string[] => rules.map((r) => r.id);
const rule = (id: string, reason: TextRule["reason"] = "filtered"): TextRule => ({
  id,
  reason,
  any: [id],
  example: { diagnostic: id },
});

describe("text rule order", () => {
  it("keeps every rule of before the split, in exactly the order it had", () => {
    // Prepare: rules added since the split may sit anywhere; the old ones keep their order.
    const before: ReadonlySet<string> = new Set(ORDER_BEFORE_SPLIT);
    // Assess
    expect(ids(TEXT_RULES).filter((id) => before.has(id))).toEqual(ORDER_BEFORE_SPLIT);
  });

  it("assembles the table in the order of RULE_ORDER", () => {
    expect(ids(TEXT_RULES)).toEqual(RULE_ORDER);
  });

  it("lists every rule of every reason file exactly once in RULE_ORDER, and nothing else", () => {
    // Prepare
    const defined = REASON_FILES_ON_DISK.flatMap((f) => ids(f.rules));
    // Assess
    for (const id of defined)
      expect(
        RULE_ORDER.filter((o) => o === id),
        id,
      ).toHaveLength(1);
    expect([...RULE_ORDER].sort()).toEqual([...defined].sort());
  });

  it("puts the late rules last, so the list reads as the decision order", () => {
    // Prepare
    const late = TEXT_RULES.map((r) => r.late === true);
    // Assess: once a late rule is listed, only late rules follow.
    expect(late.slice(late.indexOf(true)).every(Boolean)).toBe(true);
  });
});

describe("rule files by reason", () => {
  it("finds the reason files", () => {
    expect(REASON_FILES_ON_DISK.length).toBeGreaterThan(20);
  });

  it.each(REASON_FILES_ON_DISK.map((f) => [f.file, f] as const))(
    "%s is named after a reason of the taxonomy and holds only rules of that reason",
    (_file, { reason, rules }) => {
      expect(Object.hasOwn(REASONS, reason), reason).toBe(true);
      expect(rules.length).toBeGreaterThan(0);
      for (const r of rules) expect(r.reason, r.id).toBe(reason);
    },
  );

  it.each(REASON_FILES_ON_DISK.map((f) => [f.file, f] as const))(
    "%s lists its rules in their relative decision order",
    (_file, { rules }) => {
      // Prepare
      const own = new Set(ids(rules));
      // Assess
      expect(ids(rules)).toEqual(RULE_ORDER.filter((id) => own.has(id)));
    },
  );

  it("holds the eight filtered rules, once spread over eight sections, in filtered.ts in their old order", () => {
    // Prepare
    const eight = [
      "provider-gmail-state-after-data",
      "text-user-unknown-after-data",
      "provider-kddi-filter",
      "text-user-unknown-mailbox-status",
      "text-user-unknown-policy-status",
      "text-unknown-user-then-address",
      "text-recipient-filtered",
      "late-mail-rejected",
    ];
    const file = REASON_FILES_ON_DISK.find((f) => f.reason === "filtered");
    // Assess
    expect(ids(file?.rules ?? []).filter((id) => eight.includes(id))).toEqual(eight);
    expect(ORDER_BEFORE_SPLIT.filter((id) => eight.includes(id))).toEqual(eight);
    expect(TEXT_RULES.filter((r) => r.reason === "filtered")).toEqual(file?.rules);
  });

  it("assembles every reason file on disk, each once", () => {
    // Prepare: compare the lists themselves, not copies.
    const onDisk = REASON_FILES_ON_DISK.map((f) => f.rules);
    // Assess
    expect(REASON_FILES).toHaveLength(onDisk.length);
    for (const rules of onDisk) expect(REASON_FILES.filter((r) => r === rules)).toHaveLength(1);
  });
});

describe("assembleTextRules", () => {
  it("orders the files' rules by the order list", () => {
    // Prepare
    const a = rule("text-a");
    const b = rule("text-b", "blocked");
    // Act
    const table = assembleTextRules(["text-b", "text-a"], [[a], [b]]);
    // Assess
    expect(table).toEqual([b, a]);
    expect(table[0]).toBe(b);
  });

  it.each([
    ["an id listed twice", ["text-a", "text-a"], [[rule("text-a")]], /lists "text-a" twice/],
    ["an id with no rule", ["text-a", "text-b"], [[rule("text-a")]], /"text-b", which no rules/],
    ["a rule not listed", ["text-a"], [[rule("text-a"), rule("text-b")]], /missing from RULE_ORDER: text-b/],
    ["a rule defined twice", ["text-a"], [[rule("text-a")], [rule("text-a")]], /"text-a" is defined twice/],
  ] as const)("refuses %s", (_case, order, files, message) => {
    expect(() => assembleTextRules(order, files)).toThrow(message);
  });
});
