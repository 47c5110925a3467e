/**
 * `npm run eval:corpus` as a process: it scores the corpus in the repository from any working
 * directory, and a corpus it cannot load is one readable line and exit code 2, never a stack trace.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { CORPUS as BENCH_CORPUS } from "../../bench/classify.js";
import { DEFAULT_CORPUS_PATH } from "../../lambdas/local/corpus-eval.js";
import { runTsx } from "../support/run-tsx.js";

const CLI = "lambdas/local/corpus-eval.ts";
const IN_REPO = fileURLToPath(new URL("../fixtures/corpus/bounces.jsonl", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "corpus-eval-"));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("eval:corpus", () => {
  it("and the bench read the corpus in the repository", () => {
    expect(DEFAULT_CORPUS_PATH).toBe(IN_REPO);
    expect(BENCH_CORPUS).toBe(IN_REPO);
  });

  it("scores the in-repo corpus by default", async () => {
    // Act
    const run = await runTsx(CLI);
    // Assess
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^corpus: \d{3} bounces; type\+subtype \d+ \(\d+\.\d%\); reason \d+/);
  });

  it.each([
    [
      "a missing file",
      () => join(scratch, "missing.jsonl"),
      /cannot read the corpus .*missing\.jsonl: no such file \(ENOENT\)/,
    ],
    ["a directory", () => scratch, /cannot read the corpus .*: it is a directory \(EISDIR\)/],
    [
      "a line that is not JSON",
      () => file("not-json.jsonl", "nope\n"),
      /not-json\.jsonl is not a corpus: corpus line 1: not JSON/,
    ],
    [
      "a record of the wrong shape",
      () => file("shape.jsonl", '{"id": 1}\n'),
      /shape\.jsonl is not a corpus: corpus line 1: id: /,
    ],
    ["an empty file", () => file("empty.jsonl", ""), /empty\.jsonl holds no corpus records/],
  ])("answers %s with one line on stderr and exit code 2", async (_, path, message) => {
    // Act
    const run = await runTsx(CLI, [path()]);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^eval:corpus: [^\n]+\n$/);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\bat .*:\d+:\d+/);
  });
});

function file(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}
