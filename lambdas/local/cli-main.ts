/**
 * The entry point every terminal CLI of lambdas/local shares: run `main` when the module is the
 * script node was started with (not when a test imports it), set its exit code, and turn an
 * unexpected throw into one line on stderr and exit code 1.
 */
import { pathToFileURL } from "node:url";

/** A CLI's body: the command line without node and the script in, the exit code out. */
export type CliMain = (argv: readonly string[]) => Promise<number>;

/** Says what `main` threw; the exit code is then 1. */
export type CliFailure = (error: unknown) => void;

/** An error's message, or the thrown value as text. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The usual `CliFailure`: `<name>: unexpected failure: <message>` on stderr, no stack.
 *
 * @example
 * runMain(import.meta.url, main, unexpectedFailure("export"));
 */
export const unexpectedFailure =
  (name: string): CliFailure =>
  (error) => {
    process.stderr.write(`${name}: unexpected failure: ${messageOf(error)}\n`);
  };

/**
 * Whether the module at `moduleUrl` (its `import.meta.url`) is the script node runs (`script`,
 * default `process.argv[1]`).
 */
export const isMainModule = (moduleUrl: string, script: string | undefined = process.argv[1]): boolean =>
  script !== undefined && moduleUrl === pathToFileURL(script).href;

/**
 * Runs `main` with `process.argv.slice(2)` when the module at `moduleUrl` is the script node runs,
 * and sets `process.exitCode` to what it returns; when it throws, `onFailure` says so and the exit
 * code is 1. Imported (by a test), it does nothing.
 *
 * @example
 * runMain(import.meta.url, main, unexpectedFailure("keys"));
 */
export function runMain(moduleUrl: string, main: CliMain, onFailure: CliFailure): void {
  if (!isMainModule(moduleUrl)) return;
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      onFailure(error);
      process.exitCode = 1;
    },
  );
}
