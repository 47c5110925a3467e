/**
 * Assertions the CLI tests of test/local share: a CLI's `--help`, and its problems as one line on
 * stderr (bad usage: exit code 2).
 */
import { expect } from "vitest";
import { runTsx } from "../support/run-tsx.js";

/** Asserts that `stderr` is one line, naming the problem, with no stack frames. */
export type ExpectOneLine = (stderr: string, message: RegExp) => void;

/**
 * The one-line check of the CLI whose lines on stderr start with `<name>: `.
 *
 * @example
 * const expectOneLine = oneLineOf("export");
 * expectOneLine(run.stderr, /no API key/);
 */
export const oneLineOf =
  (name: string): ExpectOneLine =>
  (stderr, message) => {
    expect(stderr).toMatch(new RegExp(`^${name}: [^\\n]+\\n$`));
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\bat .*:\d+:\d+/);
  };

/**
 * Runs `cli --help` and `cli -h`: both print `help` (which starts with `usage` and has its options
 * and exit codes: 2 bad usage, 130 Ctrl-C) on stdout, nothing on stderr, and exit 0.
 *
 * @example
 * await expectHelp("lambdas/local/export-cli.ts", HELP, "Usage: npm run export");
 */
export async function expectHelp(cli: string, help: string, usage: string): Promise<void> {
  const long = await runTsx(cli, ["--help"]);
  const short = await runTsx(cli, ["-h"]);
  expect(long.code).toBe(0);
  expect(long.stderr).toBe("");
  expect(long.stdout).toBe(help);
  expect(long.stdout.startsWith(usage)).toBe(true);
  expect(long.stdout).toMatch(/\nOptions:\n[\s\S]*-h, --help/);
  expect(long.stdout).toMatch(/\nExit codes:\n[\s\S]*\n {2}2 {2}bad usage/);
  expect(long.stdout).toMatch(/\n {2}130 {2}stopped by Ctrl-C/);
  expect(short).toEqual(long);
}

/**
 * Runs `cli` with `args` (and an API key): exit code 2, nothing on stdout, one line on stderr that
 * matches `message`.
 *
 * @example
 * await expectUsageError(CLI, oneLineOf("export"), ["--bogus"], /Unknown option '--bogus'/);
 */
export async function expectUsageError(
  cli: string,
  expectOneLine: ExpectOneLine,
  args: readonly string[],
  message: RegExp,
): Promise<void> {
  const run = await runTsx(cli, args, { env: { SUPPRESSION_API_KEY: "k" } });
  expect(run.code).toBe(2);
  expect(run.stdout).toBe("");
  expectOneLine(run.stderr, message);
}
