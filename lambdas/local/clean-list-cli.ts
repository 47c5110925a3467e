/**
 * `npm run clean-list -- FILE`: cleans a mailing list through a list-check job: creates it with
 * `{upload: true}`, streams FILE to the presigned PUT link, starts it, waits with a progress bar on
 * stderr, downloads `<name>.keep.csv` and `<name>.drop.csv`, and prints the summary. `HELP` below is
 * the user's documentation (docs/jobs-cli.md shows it in use).
 */
import { stat } from "node:fs/promises";
import { basename, dirname, extname, join, resolve } from "node:path";
import { JOB_FILE_DAYS } from "../contract/jobs.js";
import {
  LIST_CHECK_UPLOAD_BYTES,
  ListCheckJob,
  type ListCheckStartRequest,
  type ListCheckSummary,
  ListCheckStartRequest as StartSchema,
} from "../contract/list-checks.js";
import {
  DEFAULT_URL,
  downloadFile,
  JobServiceError,
  silentProgress,
  uploadFile,
  WaitInterruptedError,
} from "./job-client.js";
import {
  connectionOf,
  followJob,
  type JobIo,
  jobClientFor,
  jobTargetOf,
  parseJobArgv,
  runJobCli,
} from "./job-command.js";

export const HELP = `Usage: npm run clean-list -- FILE [--scope <scope>] [--column <name>] [--out-dir <dir>] [options]
       npm run clean-list -- --id <job> | --retry <job> [--out-dir <dir>] [options]

Cleans a mailing list against the suppression list, through the service's list checks
(POST /v1/list-checks): uploads FILE (a CSV with a header, or one address per line; up to
${LIST_CHECK_UPLOAD_BYTES / 2 ** 20} MiB, streamed), waits for the job with a progress bar on stderr, then writes
  <name>.keep.csv   the rows to keep, exactly as they were (the header kept)
  <name>.drop.csv   the rows to drop, with the columns cause and reason added
and prints the summary: kept, dropped, invalid, duplicates, per cause and per reason. The key needs
the check or admin scope. The service keeps the files ${JOB_FILE_DAYS} days.

Options:
      --scope <scope>      check for this scope (entries at * and its ancestors count; default *)
      --column <name>      the address column's header (default: a column named email, e-mail,
                           email address, address or mail; else the first column, no header)
      --out-dir <dir>      where to write the two files (default: FILE's directory)
      --id <job>           wait for the list check <job> (started earlier) and download its files,
                           named <job>.keep.csv and <job>.drop.csv
      --retry <job>        run the failed list check <job> again (on the list it was given), then
                           wait and download as --id does
      --url <url>          the service (default ${DEFAULT_URL})
      --key <key>          bearer key (default: $SUPPRESSION_API_KEY; prefer the variable:
                           arguments are visible to other users of the machine)
      --json               print the summary as one JSON object instead of text
  -h, --help               this text

Ctrl-C stops waiting, not the job: it goes on in the service, and --id <job> picks it up again.

Exit codes:
  0  the two files are written
  1  the job failed (its error is printed; --retry <job> runs it again), the service refused or
     did not answer, or a file could not be uploaded, downloaded or written
  2  bad usage: an unknown option, no FILE, one that cannot be read or is over
     ${LIST_CHECK_UPLOAD_BYTES / 2 ** 20} MiB, a bad scope, column or job id, no API key
  130  stopped by Ctrl-C (a started job goes on)
`;

export type CleanListOptions = (
  | { readonly action: "start"; readonly file: string; readonly request: ListCheckStartRequest }
  | { readonly action: "follow" | "retry"; readonly id: string }
) & {
  readonly url: string;
  readonly apiKey: string;
  readonly outDir: string | undefined;
  readonly json: boolean;
};

/** Bad usage: exit code 2; the message is the one line printed. */
export class CleanListUsageError extends Error {
  override readonly name = "CleanListUsageError";
}

/**
 * Reads the command line and the environment; scope and column are checked with the contract's
 * schema (`ListCheckStartRequest`).
 *
 * @throws CleanListUsageError for bad usage.
 * @example
 * parseCleanListArgs(["list.csv", "--scope", "newsletter"], { SUPPRESSION_API_KEY: "k" });
 * // { action: "start", file: "list.csv", request: { upload: true, scope: "newsletter" }, … }
 */
export function parseCleanListArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): CleanListOptions | "help" {
  const usage = (message: string) => new CleanListUsageError(message);
  const { values, positionals } = parseJobArgv(
    argv,
    {
      scope: { type: "string" },
      column: { type: "string" },
      "out-dir": { type: "string" },
    },
    usage,
    " (a FILE whose name starts with - goes after --)",
  );
  if (values.help) return "help";
  const common = {
    ...connectionOf(values, env, usage),
    outDir: values["out-dir"],
    json: values.json ?? false,
  };
  const target = jobTargetOf(values, usage, (flag) => {
    if (positionals[0] !== undefined) throw usage(`give FILE or ${flag} <job>, not both`);
    if (values.scope !== undefined || values.column !== undefined) {
      throw usage(`--scope and --column are for a new list check; ${flag} takes the job's own`);
    }
  });
  if (target) return { ...target, ...common };
  const [file, extra] = positionals;
  if (file === undefined) throw usage("name the list FILE to clean");
  if (extra !== undefined) throw usage(`unexpected argument '${extra}' (one FILE at a time)`);
  const request = StartSchema.safeParse({
    upload: true,
    ...(values.scope !== undefined ? { scope: values.scope } : {}),
    ...(values.column !== undefined ? { column: values.column } : {}),
  });
  if (!request.success) {
    const issue = request.error.issues[0];
    throw usage(`--${String(issue?.path[0] ?? "scope")}: ${issue?.message ?? "invalid"}`);
  }
  return { action: "start", file, request: request.data, ...common };
}

export type CleanListOutcome = {
  readonly exitCode: 0 | 1 | 2 | 130;
  readonly job?: ListCheckJob;
  readonly keep?: { readonly path: string; readonly bytes: number };
  readonly drop?: { readonly path: string; readonly bytes: number };
  readonly error?: string;
};

/** The progress, Ctrl-C (ends the wait or a transfer, not the job) and the polling interval. */
export type CleanListIo = JobIo;

/** Bytes in MiB, one decimal at most. */
const mib = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

/** `list.csv` → `list`, the stem of the two files. */
const stemOf = (file: string) => basename(file, extname(file));

/**
 * Runs one list cleaning. Never throws for the user's or the service's problems: they end in
 * `exitCode` (2: FILE cannot be read; 1: the service or the job) and `error`.
 *
 * @example
 * const outcome = await runCleanList({ action: "start", file: "list.csv", request: { upload: true },
 *   url: server.url, apiKey: key, outDir: undefined, json: false });
 * outcome.keep?.path; // ".../list.keep.csv"
 */
export async function runCleanList(
  options: CleanListOptions,
  io: CleanListIo = {},
): Promise<CleanListOutcome> {
  const progress = io.progress ?? silentProgress;
  const client = jobClientFor(options, progress);
  const signal = io.signal ? { signal: io.signal } : {};
  let job: ListCheckJob | undefined;
  let started = options.action !== "start";
  try {
    let stem: string;
    let outDir: string;
    if (options.action === "start") {
      try {
        const info = await stat(options.file);
        if (!info.isFile()) return { exitCode: 2, error: `${options.file}: not a file` };
        if (info.size > LIST_CHECK_UPLOAD_BYTES) {
          return {
            exitCode: 2,
            error: `${options.file}: ${mib(info.size)} MiB; the service takes lists of at most ${mib(LIST_CHECK_UPLOAD_BYTES)} MiB (split it)`,
          };
        }
      } catch (error) {
        return {
          exitCode: 2,
          error: `${options.file}: cannot be read (${error instanceof Error ? error.message : String(error)})`,
        };
      }
      stem = stemOf(options.file);
      outDir = options.outDir ?? dirname(options.file);
      job = await client.call("POST", "/v1/list-checks", ListCheckJob, { body: options.request, ...signal });
      if (job.upload === null) {
        return { exitCode: 1, job, error: `list check ${job.id} was answered without an upload link` };
      }
      await uploadFile(job.upload.url, options.file, {
        ...signal,
        onBytes: (sent, total) => progress.bytes("upload", sent, total),
      });
      job = await client.call("POST", `/v1/list-checks/${job.id}/start`, ListCheckJob, signal);
      started = true;
    } else {
      stem = options.id;
      outDir = options.outDir ?? ".";
      job =
        options.action === "retry"
          ? await client.call("POST", `/v1/list-checks/${options.id}/retry`, ListCheckJob, signal)
          : await client.call("GET", `/v1/list-checks/${options.id}`, ListCheckJob, signal);
    }
    const id = job.id;
    job = await followJob(client, `/v1/list-checks/${id}`, ListCheckJob, job, { ...io, progress }, (j) => {
      job = j;
    });
    if (job.status === "failed") {
      return {
        exitCode: 1,
        job,
        error: `list check ${id} failed: ${job.error ?? "no reason given"}; npm run clean-list -- --retry ${id} runs it again`,
      };
    }
    if (job.status !== "succeeded") {
      return {
        exitCode: 1,
        job,
        error: `list check ${id} is ${job.status}: its list was never uploaded and started; npm run clean-list -- FILE starts a new one`,
      };
    }
    if (job.files === null) {
      return {
        exitCode: 1,
        job,
        error: `list check ${id} succeeded, but its files are gone${job.expiresAt ? ` (they expired at ${job.expiresAt})` : ""}`,
      };
    }
    const keepPath = resolve(join(outDir, `${stem}.keep.csv`));
    const dropPath = resolve(join(outDir, `${stem}.drop.csv`));
    const keep = await downloadFile(job.files.keep, keepPath, {
      ...signal,
      onBytes: (n, total) => progress.bytes("download keep", n, total),
    });
    const drop = await downloadFile(job.files.drop, dropPath, {
      ...signal,
      onBytes: (n, total) => progress.bytes("download drop", n, total),
    });
    return { exitCode: 0, job, keep: { path: keepPath, bytes: keep }, drop: { path: dropPath, bytes: drop } };
  } catch (error) {
    const id = job?.id;
    const last = job ? { job } : {};
    if (error instanceof WaitInterruptedError) {
      return {
        exitCode: 130,
        ...last,
        error:
          id === undefined
            ? "stopped before the service answered"
            : started
              ? `stopped waiting; list check ${id} goes on in the service: npm run clean-list -- --id ${id} waits for it and downloads the files`
              : `stopped before the list was uploaded; list check ${id} was never started`,
      };
    }
    if (error instanceof JobServiceError) return { exitCode: 1, ...last, error: error.message };
    throw error;
  } finally {
    progress.stop();
  }
}

/** Rows of `[label, n]` as aligned text, numbers right-aligned. */
function aligned(rows: readonly (readonly [string, number])[]): string[] {
  const width = Math.max(0, ...rows.map(([label]) => label.length));
  const digits = Math.max(0, ...rows.map(([, n]) => String(n).length));
  return rows.map(([label, n]) => `${label.padEnd(width)}  ${String(n).padStart(digits)}`);
}

/**
 * The summary of a finished cleaning: aligned text (counts, then per cause and reason, then the
 * files), or JSON with `json`.
 *
 * @example
 * formatCleanList(outcome, false); // "rows        1000\nkept         950\n…"
 */
export function formatCleanList(outcome: CleanListOutcome, json: boolean): string {
  const summary: ListCheckSummary | null = outcome.job?.summary ?? null;
  if (json) {
    return JSON.stringify({
      id: outcome.job?.id ?? null,
      status: outcome.job?.status ?? null,
      summary,
      keep: outcome.keep ?? null,
      drop: outcome.drop ?? null,
      expiresAt: outcome.job?.expiresAt ?? null,
      error: outcome.exitCode === 0 ? null : (outcome.error ?? null),
    });
  }
  if (summary === null) return "";
  const rows: [string, number][] = [
    ["rows", summary.rows],
    ["kept", summary.kept],
    ["dropped", summary.dropped],
    ["  suppressed", summary.suppressed],
    ["  invalid", summary.invalid],
    ["  duplicates", summary.duplicates],
  ];
  const causes = Object.entries(summary.byCause).map(([cause, n]): [string, number] => [
    `  ${cause}`,
    n ?? 0,
  ]);
  const reasons = Object.entries(summary.byReason).map(([reason, n]): [string, number] => [`  ${reason}`, n]);
  const all = aligned([...rows, ...causes, ...reasons]);
  const lines = all.slice(0, rows.length);
  if (causes.length > 0) lines.push("by cause", ...all.slice(rows.length, rows.length + causes.length));
  if (reasons.length > 0) lines.push("by reason", ...all.slice(rows.length + causes.length));
  if (outcome.keep) lines.push(`keep: ${outcome.keep.path} (${outcome.keep.bytes} bytes)`);
  if (outcome.drop) lines.push(`drop: ${outcome.drop.path} (${outcome.drop.bytes} bytes)`);
  lines.push(
    `list check ${outcome.job?.id}; the service keeps the files until ${outcome.job?.expiresAt ?? "?"}`,
  );
  return lines.join("\n");
}

runJobCli(import.meta.url, {
  name: "clean-list",
  progressName: "list check",
  help: HELP,
  usageError: CleanListUsageError,
  parse: parseCleanListArgs,
  run: runCleanList,
  format: formatCleanList,
});
