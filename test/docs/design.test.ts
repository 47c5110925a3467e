/**
 * The repository stands alone (issue #10): docs/design.md states the numbers the code and the
 * benchmark enforce, no file points outside the repository for its docs or corpus, and every
 * relative Markdown link resolves.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  CHECK_BUNDLE_BUDGET_KB,
  CHECK_SCOPED_VS_BOOTSTRAP_RATIO_BUDGET,
  CHECK_VS_STORE_RATIO_BUDGET,
  EMAILS_PER_S_BUDGET,
  EMAILS_VS_SISIMAI_BUDGET,
  HISTORY_VS_QUERY_RATIO_BUDGET,
  LISTS_VS_QUERIES_RATIO_BUDGET,
  OTHER_BUNDLE_BUDGET_KB,
  STATUS_VS_QUERIES_RATIO_BUDGET,
} from "../../bench/budgets.js";
import { MAX_DIAGNOSTIC_CHARS, MAX_EVENT_ID_CHARS } from "../../lambdas/core/limits.js";
import { MAX_CHECK_ADDRESSES } from "../../lambdas/handlers/check-body.js";
import { MAX_BODY_BYTES } from "../../lambdas/handlers/http/body.js";
import { MAX_EVENTS_PER_REQUEST } from "../../lambdas/handlers/webhook-request.js";
import {
  httpFunctionTimeoutSeconds,
  ingestFunctionTimeoutSeconds,
  STORE_TIMEOUTS,
  sesEventsFunctionTimeoutSeconds,
} from "../../lambdas/store/budget.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
/** The design with its line breaks folded, so a phrase may wrap anywhere. */
const DESIGN = readFileSync(join(REPO, "docs/design.md"), "utf8").replace(/\s+/g, " ");

/** 3000 → "3 000", as the design writes thousands. */
const grouped = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, " ");

describe("docs/design.md states what the code enforces", () => {
  it.each([
    ["the check ratio budget", `within ${CHECK_VS_STORE_RATIO_BUDGET}× of the raw store calls`],
    [
      "the scoped-key check budget",
      `a check with a scoped key within ${CHECK_SCOPED_VS_BOOTSTRAP_RATIO_BUDGET}× of one with the bootstrap key`,
    ],
    ["the history ratio budget", `within ${HISTORY_VS_QUERY_RATIO_BUDGET}× of the raw index Query`],
    ["the lists ratio budget", `within ${LISTS_VS_QUERIES_RATIO_BUDGET}× of the raw index Queries`],
    [
      "the status-view ratio budget",
      `(events) within ${STATUS_VS_QUERIES_RATIO_BUDGET}× of the raw index Queries`,
    ],
    [
      "the raw-email budgets",
      `at ≥ ${grouped(EMAILS_PER_S_BUDGET)} a second and at ≥ ${EMAILS_VS_SISIMAI_BUDGET}× the rate of Sisimai`,
    ],
    ["the check bundle budget", `check ≤ ${CHECK_BUNDLE_BUDGET_KB} KB minified`],
    ["the other bundles' budget", `every other function ≤ ${OTHER_BUNDLE_BUDGET_KB} KB`],
    ["the ingest limit", `One request ingests at most ${grouped(MAX_EVENTS_PER_REQUEST)} events`],
    ["the diagnostic cap", `\`smtp.diagnostic\` holds at most ${MAX_DIAGNOSTIC_CHARS} characters`],
    ["the classifier's reading limit", `reads at most the first ${MAX_DIAGNOSTIC_CHARS} characters`],
    ["the event id cap", `\`eventId\` at most ${MAX_EVENT_ID_CHARS}`],
    ["the check limit", `more than ${MAX_CHECK_ADDRESSES} addresses`],
    ["the body limit", `a body over ${MAX_BODY_BYTES / 1024 / 1024} MiB`],
    [
      "the store time budget",
      `${STORE_TIMEOUTS.attemptTimeoutMs / 1000} s per DynamoDB attempt, really aborted, ` +
        `${STORE_TIMEOUTS.maxAttempts} attempts, ${STORE_TIMEOUTS.callBudgetMs / 1000} s per call in all`,
    ],
    ["the HTTP functions' timeout", `${httpFunctionTimeoutSeconds()} s for check and suppressions`],
    ["the ingest functions' timeout", `${ingestFunctionTimeoutSeconds()} s for import and webhook`],
    ["the SES consumer's timeout", `${sesEventsFunctionTimeoutSeconds()} s for ses-events`],
    ["NFC canonicalization", "put in Unicode NFC before anything else reads it"],
    ["the SES webhook's input", "reads only the verified SNS `Message`"],
  ])("%s", (_, phrase) => {
    expect(DESIGN).toContain(phrase);
  });
});

/** Tracked-kind files of the repository (not dependencies, build output or caches). */
function repositoryFiles(dir = REPO): string[] {
  const skip = new Set(["node_modules", ".git", "cdk.out", ".cache", ".data", "coverage"]);
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return skip.has(entry.name) ? [] : repositoryFiles(path);
    return /\.(ts|mts|js|mjs|json|md|ya?ml)$/.test(entry.name) || entry.name === "run" ? [path] : [];
  });
}

describe("the repository stands alone", () => {
  it("points at no design, provider reference or corpus outside it", () => {
    // `providers/shared/` and `../shared/*.js` imports are code of ours; only the docs and corpus
    // directories of the old sibling checkout (`shared` beside the repository) are outside.
    const outside = /(?:\.\.\/)+shared\/(?:docs|corpus)\b|\/work\/shared\b/;
    const offenders = repositoryFiles().flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .flatMap((line, i) =>
          outside.test(line) ? [`${relative(REPO, file)}:${i + 1}: ${line.trim()}`] : [],
        ),
    );
    expect(offenders).toEqual([]);
  });

  it("has every relative Markdown link resolve inside it", () => {
    const markdown = repositoryFiles().filter((file) => file.endsWith(".md"));
    expect(markdown.map((file) => relative(REPO, file))).toEqual(
      expect.arrayContaining([
        "README.md",
        "docs/design.md",
        "docs/providers.md",
        "test/fixtures/corpus/README.md",
      ]),
    );
    const broken = markdown.flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/\]\(([^)\s]+)\)/g)].flatMap(([, target = ""]) => {
        if (/^(?:[a-z][a-z0-9+.-]*:|#)/i.test(target)) return [];
        const path = resolve(dirname(file), decodeURI(target.split("#")[0] ?? ""));
        const inside = !relative(REPO, path).startsWith("..");
        return inside && existsSync(path) ? [] : [`${relative(REPO, file)} → ${target}`];
      }),
    );
    expect(broken).toEqual([]);
  });
});
