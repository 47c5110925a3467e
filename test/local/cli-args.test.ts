/**
 * Every command-line entry point (`npm run classify`, `npm run import`, `npm run eval:corpus`,
 * `npm run docs`, `npm start`) as a process: `--help` prints usage, options and exit codes on stdout and exits 0;
 * a bad argument or a missing file is ONE line on stderr (no stack trace) and exit code 2.
 */
import { describe, expect, it } from "vitest";
import { runTsx } from "../support/run-tsx.js";

const CLASSIFY = "lambdas/local/classify-cli.ts";
const IMPORT = "lambdas/local/import-cli.ts";
const EVAL = "lambdas/local/corpus-eval.ts";
const SERVER = "lambdas/local/server.ts";
const DOCS = "lambdas/local/provider-docs.ts";

/** One line on stderr, naming the problem, with no stack frames. */
function expectOneLine(stderr: string, prefix: string, message: RegExp): void {
  expect(stderr).toMatch(new RegExp(`^${prefix}: [^\\n]+\\n$`));
  expect(stderr).toMatch(message);
  expect(stderr).not.toMatch(/\bat .*:\d+:\d+/);
}

describe.concurrent("--help", () => {
  it.each([
    [CLASSIFY, "npm run classify"],
    [IMPORT, "npm run import"],
    [EVAL, "npm run eval:corpus"],
    [SERVER, "npm start"],
    [DOCS, "npm run docs"],
  ])("%s prints usage, options and exit codes", async (script, usage) => {
    // Act
    const long = await runTsx(script, ["--help"]);
    const short = await runTsx(script, ["-h"]);
    // Assess
    expect(long.code).toBe(0);
    expect(long.stderr).toBe("");
    expect(long.stdout.startsWith(`Usage: ${usage}`)).toBe(true);
    expect(long.stdout).toMatch(/\nOptions:\n[\s\S]*-h, --help/);
    expect(long.stdout).toMatch(/\nExit codes:\n[\s\S]*\n {2}2 {2}bad usage/);
    expect(short).toEqual(long);
  });
});

describe.concurrent("bad arguments: one line on stderr, exit code 2", () => {
  const env = { SUPPRESSION_API_KEY: "k" };
  it.each([
    [CLASSIFY, ["--bogus"], "classify", /Unknown option '--bogus'; see --help$/m],
    [
      CLASSIFY,
      ["file.txt"],
      "classify",
      /unexpected argument 'file\.txt': the diagnostics are read from stdin/,
    ],
    [CLASSIFY, ["--explain=yes"], "classify", /'--explain' does not take an argument/],
    [IMPORT, ["--bogus", "-p", "ses", "f"], "import", /Unknown option '--bogus' \(a FILE whose name starts/],
    [IMPORT, ["-p"], "import", /'-p, --provider <value>' argument missing/],
    [IMPORT, ["-p", "nope", "f"], "import", /--provider is one of ses, /],
    [IMPORT, ["-p", "ses", "--chunk-size", "0", "f"], "import", /--chunk-size is an integer from 1 to/],
    [IMPORT, ["-p", "ses"], "import", /name at least one FILE/],
    [EVAL, ["--bogus"], "eval:corpus", /Unknown option '--bogus'/],
    [DOCS, ["--bogus"], "docs", /Unknown option '--bogus'/],
    [DOCS, ["--provider", "nope"], "docs", /--provider is one of ses, /],
    [EVAL, ["a.jsonl", "b.jsonl"], "eval:corpus", /name one corpus file; got 2/],
    [SERVER, ["--port", "80"], "suppression-service could not start", /Unknown option '--port'/],
    [SERVER, ["extra"], "suppression-service could not start", /the server is configured by the environment/],
  ])("%s %j", async (script, args, prefix, message) => {
    // Act
    const run = await runTsx(script, args, { env });
    // Assess
    expect(run.code).toBe(2);
    expectOneLine(run.stderr, prefix, message);
  });

  it("npm start with a bad PORT or STORE_* value", async () => {
    // Act
    const port = await runTsx(SERVER, [], { env: { PORT: "http" } });
    const attempts = await runTsx(SERVER, [], { env: { STORE_MAX_ATTEMPTS: "-1" } });
    // Assess
    expect(port.code).toBe(2);
    expectOneLine(port.stderr, "suppression-service could not start", /PORT must be a port number, got http/);
    expect(attempts.code).toBe(2);
    expectOneLine(
      attempts.stderr,
      "suppression-service could not start",
      /STORE_MAX_ATTEMPTS must be a positive/,
    );
  });
});

describe.concurrent("missing files: one line on stderr, exit code 2", () => {
  it("npm run import", async () => {
    // Act
    const run = await runTsx(IMPORT, ["-p", "ses", "no-such-file.jsonl"], {
      env: { SUPPRESSION_API_KEY: "k" },
    });
    // Assess
    expect(run.code).toBe(2);
    expectOneLine(run.stderr, "import", /no-such-file\.jsonl: cannot be read \(ENOENT/);
  });

  it("npm run eval:corpus", async () => {
    // Act
    const run = await runTsx(EVAL, ["no-such-file.jsonl"]);
    // Assess
    expect(run.code).toBe(2);
    expectOneLine(run.stderr, "eval:corpus", /cannot read the corpus .*no-such-file\.jsonl: no such file/);
  });

  it("npm start with a POLICY_FILE that does not exist", async () => {
    // Act
    const run = await runTsx(SERVER, [], {
      env: { POLICY_FILE: "no-such-policy.json", PORT: "0", DATA_DIR: ":memory:" },
    });
    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expectOneLine(
      run.stderr,
      "suppression-service could not start",
      /POLICY_FILE no-such-policy\.json cannot be read/,
    );
  });
});
