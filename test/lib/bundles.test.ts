/**
 * The real thing: one synth with esbuild bundling (local binary, no Docker), then each function's
 * bundle read back from the cloud assembly and its size reported against its budget.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CHECK_BUNDLE_BUDGET_KB, OTHER_BUNDLE_BUDGET_KB } from "../../bench/budgets.js";
import { deployedFunctions, FUNCTION_SPECS } from "../../lib/functions.js";
import { ALL_ON, functionProperties, type Synthesized, synth } from "./synth.js";

/**
 * KB (1024 bytes) of minified index.mjs; the check is on every send's path (design.md §6: cold
 * start). The same numbers as the benchmark's (bench/budgets.ts).
 */
const BUDGET_KB: Readonly<Record<string, number>> = { check: CHECK_BUNDLE_BUDGET_KB };
const DEFAULT_BUDGET_KB = OTHER_BUNDLE_BUDGET_KB;

let s: Synthesized;
let synthMs = 0;
const sizes: Record<string, { kb: number; mapKb: number; dir: string }> = {};

beforeAll(() => {
  const started = performance.now();
  // Every opt-in part on, so the opt-in functions are bundled (and measured) too.
  s = synth(ALL_ON, { bundle: true });
  synthMs = performance.now() - started;
  for (const name of deployedFunctions(ALL_ON)) {
    const key = (functionProperties(s.template, name).Code as { S3Key: string }).S3Key;
    const dir = join(s.outdir, `asset.${key.replace(/\.zip$/, "")}`);
    const kb = (file: string) => statSync(join(dir, file)).size / 1024;
    sizes[name] = { kb: kb("index.mjs"), mapKb: kb("index.mjs.map"), dir };
  }
  const rows = Object.entries(sizes).map(
    ([name, { kb, mapKb }]) =>
      `  ${name.padEnd(14)} ${kb.toFixed(1).padStart(7)} KB  (budget ${BUDGET_KB[name] ?? DEFAULT_BUDGET_KB} KB; map ${mapKb.toFixed(0)} KB)`,
  );
  console.log(
    `Lambda bundles (esbuild, minified ESM; synth with bundling ${(synthMs / 1000).toFixed(1)} s):\n${rows.join("\n")}`,
  );
}, 120_000);

describe("bundles", () => {
  it.each(deployedFunctions(ALL_ON))("%s fits its budget", (name) => {
    const size = sizes[name];
    expect(size).toBeDefined();
    expect(size?.kb).toBeLessThanOrEqual(BUDGET_KB[name] ?? DEFAULT_BUDGET_KB);
  });

  it.each(deployedFunctions(ALL_ON))("%s ships only index.mjs and its source map", (name) => {
    const dir = sizes[name]?.dir ?? "";
    expect(existsSync(dir)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(["index.mjs", "index.mjs.map"]);
  });
});

describe("a policy file", () => {
  it("is copied next to index.mjs of the ingesting functions only", () => {
    const withPolicy = synth({ policyFile: "docs/examples/ses-bounce.json" }, { bundle: true });
    for (const name of deployedFunctions()) {
      const props = functionProperties(withPolicy.template, name);
      const key = (props.Code as { S3Key: string }).S3Key;
      const files = readdirSync(join(withPolicy.outdir, `asset.${key.replace(/\.zip$/, "")}`));
      expect(files.includes("policy.json"), name).toBe(FUNCTION_SPECS[name]?.policy === true);
    }
  }, 120_000);
});
