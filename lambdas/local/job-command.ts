/**
 * What `npm run export` and `npm run clean-list` share around the job client (job-client.ts):
 * their common options (`--id`, `--retry`, `--url`, `--key`, `--json`, `--help`), the key and URL
 * they connect with, following a job with progress, and their whole `main` (`runJobCommand`).
 */
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import type * as z from "zod";
import { JOB_ID_PATTERN } from "../contract/jobs.js";
import { runMain, unexpectedFailure } from "./cli-main.js";
import {
  DEFAULT_URL,
  JobClient,
  type JobCore,
  type Progress,
  silentProgress,
  terminalProgress,
  withInterrupt,
} from "./job-client.js";

/** The `parseArgs` options both job commands take, after their own. */
const JOB_CLI_OPTIONS = {
  id: { type: "string" },
  retry: { type: "string" },
  url: { type: "string" },
  key: { type: "string" },
  "api-key": { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Makes the command's bad-usage error (exit code 2) of a message. */
export type UsageOf = (message: string) => Error;

/**
 * Reads a job command's `argv` (strict, positionals allowed): its own `options`, then `--id`,
 * `--retry`, `--url`, `--key`, `--api-key`, `--json`, `-h`/`--help`. Node's parse errors become
 * `usage` errors, its hint about `--` becomes `hint` (none: dropped).
 *
 * @throws what `usage` makes, for an unknown option, a missing value…
 * @example
 * const { values, positionals } = parseJobArgv(argv, { scope: { type: "string" } }, usage);
 */
export function parseJobArgv<const T extends ParseArgsOptionsConfig>(
  argv: readonly string[],
  options: T,
  usage: UsageOf,
  hint = "",
) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { ...options, ...JOB_CLI_OPTIONS },
    });
  } catch (error) {
    throw usage(argvMessage(error, hint));
  }
}

/** `--url`, `--key` / `--api-key` / `$SUPPRESSION_API_KEY`. */
export function connectionOf(
  values: { url?: string | undefined; key?: string | undefined; "api-key"?: string | undefined },
  env: NodeJS.ProcessEnv,
  usage: UsageOf,
): { url: string; apiKey: string } {
  const apiKey = values.key ?? values["api-key"] ?? env.SUPPRESSION_API_KEY ?? "";
  if (apiKey === "") throw usage("no API key: set SUPPRESSION_API_KEY or pass --key");
  const url = values.url ?? DEFAULT_URL;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw usage(`--url must be an http(s) URL; got ${url}`);
  }
  return { url, apiKey };
}

/** A job id of `--id` / `--retry`, checked as the service checks it. */
export function jobIdOf(flag: string, value: string, usage: UsageOf): string {
  if (!JOB_ID_PATTERN.test(value)) throw usage(`${flag}: a job id is 24 lower-case hex digits; got ${value}`);
  return value;
}

/** Node's parse errors in this command's words: its hint about `--` becomes `hint` (none: dropped). */
const argvMessage = (error: unknown, hint = ""): string =>
  (error instanceof Error ? error.message : String(error)).replace(
    /\. To specify a positional argument.*$/s,
    hint,
  );

/** An existing job to follow (`--id`) or to run again (`--retry`). */
export type JobTarget = { readonly action: "follow" | "retry"; readonly id: string };

/**
 * `--id <job>` or `--retry <job>`, when one is given (`undefined` when neither is): not both, then
 * `refuse(flag)` throws for what only a new job takes, then the id is checked.
 *
 * @throws what `usage` makes, for bad usage.
 * @example
 * const target = jobTargetOf(values, usage, (flag) => { if (values.scope) throw usage(`not with ${flag}`); });
 * if (target) return { ...target, ...common };
 */
export function jobTargetOf(
  values: { id?: string | undefined; retry?: string | undefined },
  usage: UsageOf,
  refuse: (flag: "--id" | "--retry") => void,
): JobTarget | undefined {
  if (values.id === undefined && values.retry === undefined) return undefined;
  if (values.id !== undefined && values.retry !== undefined) throw usage("give --id or --retry, not both");
  refuse(values.id !== undefined ? "--id" : "--retry");
  if (values.id !== undefined) return { action: "follow", id: jobIdOf("--id", values.id, usage) };
  return { action: "retry", id: jobIdOf("--retry", values.retry ?? "", usage) };
}

/** How a job command shows its work and is stopped. */
export type JobIo = {
  readonly progress?: Progress;
  /** Ctrl-C: ends the wait or a transfer, not the job. */
  readonly signal?: AbortSignal;
  /** Between two reads of the job; default 1 s. */
  readonly intervalMs?: number;
};

/** A client of the service `options` name that notes each retry on `progress`. */
export const jobClientFor = (
  options: { readonly url: string; readonly apiKey: string },
  progress: Progress,
): JobClient =>
  new JobClient({
    url: options.url,
    apiKey: options.apiKey,
    onRetry: (why, waitMs) =>
      progress.note(`the service answered ${why}; again in ${(waitMs / 1000).toFixed(1)} s`),
  });

/**
 * Shows `job` on the progress, then waits for it at `path` (`JobClient.waitFor`), showing every
 * read; `seen` is told each read first, so that an interrupted wait still knows the job as last
 * read.
 *
 * @throws as `JobClient.waitFor`.
 * @example
 * job = await followJob(client, `/v1/exports/${job.id}`, ExportJob, job, io, (j) => { job = j; });
 */
export function followJob<J extends JobCore>(
  client: JobClient,
  path: string,
  schema: z.ZodType<J>,
  job: J,
  io: JobIo,
  seen: (job: J) => void,
): Promise<J> {
  const progress = io.progress ?? silentProgress;
  progress.job(job);
  return client.waitFor(path, schema, {
    ...(io.signal ? { signal: io.signal } : {}),
    ...(io.intervalMs !== undefined ? { intervalMs: io.intervalMs } : {}),
    onUpdate: (j) => {
      seen(j);
      progress.job(j);
    },
  });
}

/** The parts of a job command that `runJobCommand` puts together. */
export type JobCommand<
  O extends { readonly json: boolean },
  R extends { readonly exitCode: number; readonly error?: string },
> = {
  /** The prefix of its lines on stderr: `export`, `clean-list`. */
  readonly name: string;
  /** The progress's name (`terminalProgress`). */
  readonly progressName: string;
  readonly help: string;
  /** Its bad-usage error, which `parse` throws: one line and exit code 2. */
  readonly usageError: abstract new (
    message: string,
  ) => Error;
  readonly parse: (argv: readonly string[], env: NodeJS.ProcessEnv) => O | "help";
  readonly run: (options: O, io: JobIo) => Promise<R>;
  /** The summary, one JSON object with `json`. */
  readonly format: (outcome: R, json: boolean) => string;
};

/**
 * A job command's `main`: reads the command line (bad usage: one line, exit code 2; `--help`: the
 * help, 0), runs it with the progress on stderr and Ctrl-C stopping the wait, prints the summary
 * (with `--json` whatever the outcome, else on success) and the error on stderr.
 *
 * @returns the exit code.
 * @example
 * const code = await runJobCommand(command, ["--id", id, "--json"]);
 */
export async function runJobCommand<
  O extends { readonly json: boolean },
  R extends { readonly exitCode: number; readonly error?: string },
>(command: JobCommand<O, R>, argv: readonly string[]): Promise<number> {
  let options: O | "help";
  try {
    options = command.parse(argv, process.env);
  } catch (error) {
    if (!(error instanceof command.usageError)) throw error;
    process.stderr.write(`${command.name}: ${error.message}; see --help\n`);
    return 2;
  }
  if (options === "help") {
    process.stdout.write(command.help);
    return 0;
  }
  const opts = options;
  const progress = terminalProgress(command.progressName);
  const outcome = await withInterrupt((signal) => command.run(opts, { progress, signal }));
  if (opts.json) process.stdout.write(`${command.format(outcome, true)}\n`);
  else if (outcome.exitCode === 0) process.stdout.write(`${command.format(outcome, false)}\n`);
  if (outcome.error) process.stderr.write(`${command.name}: ${outcome.error}\n`);
  return outcome.exitCode;
}

/**
 * Runs the job command as the CLI when the module at `moduleUrl` is the script node runs
 * (`runMain`: an unexpected throw is `<name>: unexpected failure: …` and exit code 1).
 *
 * @example
 * runJobCli(import.meta.url, { name: "export", progressName: "export", help: HELP, … });
 */
export function runJobCli<
  O extends { readonly json: boolean },
  R extends { readonly exitCode: number; readonly error?: string },
>(moduleUrl: string, command: JobCommand<O, R>): void {
  runMain(moduleUrl, (argv) => runJobCommand(command, argv), unexpectedFailure(command.name));
}
