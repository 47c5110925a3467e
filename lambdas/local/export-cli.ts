/**
 * `npm run export -- --kind suppressions|events …`: starts an export job (`POST /v1/exports`), or
 * follows one (`--id`) or retries a failed one (`--retry`), waits for it with a progress bar on
 * stderr, downloads its file by streaming and prints one summary line. Against `npm start` or a
 * deployed service (`--url`, `--key`). `HELP` below is the user's documentation (docs/jobs-cli.md
 * shows it in use).
 */
import { resolve } from "node:path";
import {
  EXPORT_FORMATS,
  EXPORT_KINDS,
  ExportJob,
  type ExportRequest,
  ExportRequest as ExportRequestSchema,
} from "../contract/exports.js";
import { JOB_FILE_DAYS } from "../contract/jobs.js";
import {
  DEFAULT_URL,
  downloadFile,
  JobServiceError,
  silentProgress,
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

export const HELP = `Usage: npm run export -- --kind <kind> [--format csv|jsonl] [--filter name=value …] [options]
       npm run export -- --id <job> | --retry <job> [options]

Exports the suppression list or the status view's events to a file, through the service's export
jobs (POST /v1/exports): starts the job, waits for it with a progress bar on stderr, downloads the
file and prints one line: rows, bytes and the file. The key needs the admin scope; without pii the
addresses in the file are masked. The service keeps the file ${JOB_FILE_DAYS} days.

Options:
  -k, --kind <kind>        ${EXPORT_KINDS.join(" | ")}: what GET /v1/suppressions or GET /v1/events lists
  -f, --format <format>    ${EXPORT_FORMATS.join(" | ")} (default csv)
      --filter <n>=<v>     a query parameter of that list route, but cursor and limit; repeat for
                           more: suppressions  cause, reason, source, scope, since, until, q
                                     events    type, provider, tag, from, to (at most 30 days)
  -o, --out <file>         where to write the file (default export-<job id>.<format>)
      --id <job>           wait for the export job <job> (started earlier) and download its file
      --retry <job>        run the failed export job <job> again, then wait and download
      --url <url>          the service (default ${DEFAULT_URL})
      --key <key>          bearer key (default: $SUPPRESSION_API_KEY; prefer the variable:
                           arguments are visible to other users of the machine)
      --json               print the summary as one JSON object instead of text
  -h, --help               this text

On a terminal a bar shows the rows (a counter until the job knows its total); otherwise a line on
stderr when the job's status changes. Ctrl-C stops waiting, not the job: it goes on in the service,
and --id <job> picks it up again.

Exit codes:
  0  the file is written
  1  the job failed (its error is printed; --retry <job> runs it again), the service refused or
     did not answer, or the file could not be downloaded or written
  2  bad usage: an unknown option, a bad kind, format, filter or job id, no API key
  130  stopped by Ctrl-C (the job goes on)
`;

/** What to do: start a job, follow one, or retry one. */
export type ExportAction =
  | { readonly action: "start"; readonly request: ExportRequest }
  | { readonly action: "follow" | "retry"; readonly id: string };

export type ExportOptions = ExportAction & {
  readonly url: string;
  readonly apiKey: string;
  /** The file to write; default `export-<id>.<format>` in the current directory. */
  readonly out: string | undefined;
  readonly json: boolean;
};

/** Bad usage: exit code 2; the message is the one line printed. */
export class ExportUsageError extends Error {
  override readonly name = "ExportUsageError";
}

/**
 * Reads the command line (`argv` without node and the script) and the environment; the request is
 * checked with the contract's own schema (`ExportRequest`), so a bad filter is exit 2 here, not a
 * 400 later.
 *
 * @throws ExportUsageError for bad usage.
 * @example
 * parseExportArgs(["--kind", "suppressions", "--filter", "cause=complaint"], { SUPPRESSION_API_KEY: "k" });
 * // { action: "start", request: { kind: "suppressions", filters: { cause: "complaint" } }, url: …, … }
 */
export function parseExportArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ExportOptions | "help" {
  const usage = (message: string) => new ExportUsageError(message);
  const { values, positionals } = parseJobArgv(
    argv,
    {
      kind: { type: "string", short: "k" },
      format: { type: "string", short: "f" },
      filter: { type: "string", multiple: true },
      out: { type: "string", short: "o" },
    },
    usage,
  );
  if (values.help) return "help";
  if (positionals[0] !== undefined) {
    throw usage(`unexpected argument '${positionals[0]}' (filters are --filter name=value)`);
  }
  const connection = connectionOf(values, env, usage);
  const common = { ...connection, out: values.out, json: values.json ?? false };
  if (values.out !== undefined && values.out.trim() === "") throw usage("--out needs a file name");
  const target = jobTargetOf(values, usage, () => {
    for (const flag of ["kind", "format", "filter"] as const) {
      if (values[flag] !== undefined) {
        throw usage(`--${flag} is for a new export; --id and --retry take the job's own`);
      }
    }
  });
  if (target) return { ...target, ...common };
  if (values.kind === undefined) {
    throw usage(`--kind is required (${EXPORT_KINDS.join(" or ")}), or --id / --retry <job>`);
  }
  if (!(EXPORT_KINDS as readonly string[]).includes(values.kind)) {
    throw usage(`--kind is one of ${EXPORT_KINDS.join(", ")}; got ${values.kind}`);
  }
  if (values.format !== undefined && !(EXPORT_FORMATS as readonly string[]).includes(values.format)) {
    throw usage(`--format is one of ${EXPORT_FORMATS.join(", ")}; got ${values.format}`);
  }
  const filters: Record<string, string> = {};
  for (const text of values.filter ?? []) {
    const at = text.indexOf("=");
    if (at <= 0) throw usage(`--filter takes name=value; got '${text}'`);
    const name = text.slice(0, at);
    if (Object.hasOwn(filters, name)) throw usage(`--filter ${name} is given twice`);
    filters[name] = text.slice(at + 1);
  }
  const request = ExportRequestSchema.safeParse({
    kind: values.kind,
    ...(Object.keys(filters).length > 0 ? { filters } : {}),
    ...(values.format !== undefined ? { format: values.format } : {}),
  });
  if (!request.success) {
    const issue = request.error.issues[0];
    const [head, name] = issue?.path ?? [];
    const flag =
      head === "filters"
        ? name === undefined
          ? "--filter"
          : `--filter ${String(name)}`
        : `--${String(head ?? "kind")}`;
    const message =
      issue?.code === "unrecognized_keys"
        ? `unknown filter ${issue.keys.map((k) => `'${k}'`).join(", ")} for --kind ${values.kind}`
        : (issue?.message ?? "invalid");
    throw usage(`${flag}: ${message}`);
  }
  return { action: "start", request: request.data, ...common };
}

/** How one run ended. */
export type ExportOutcome = {
  readonly exitCode: 0 | 1 | 130;
  /** The job as last read, when one was reached. */
  readonly job?: ExportJob;
  /** The file written (exit code 0). */
  readonly path?: string;
  /** Bytes written to `path`. */
  readonly bytes?: number;
  /** Why it failed or stopped. */
  readonly error?: string;
};

/** The progress, Ctrl-C (ends the wait or the download, not the job) and the polling interval. */
export type ExportIo = JobIo;

/**
 * Runs one export: starts (or retries, or follows) the job, waits for it, downloads its file.
 * Never throws for the service's problems: they end in `exitCode` 1 and `error`.
 *
 * @example
 * const outcome = await runExport({ action: "start", request: { kind: "suppressions" },
 *   url: server.url, apiKey: key, out: "list.csv", json: false });
 * outcome.exitCode; // 0; outcome.job?.rows is the number of entries in list.csv
 */
export async function runExport(options: ExportOptions, io: ExportIo = {}): Promise<ExportOutcome> {
  const progress = io.progress ?? silentProgress;
  const client = jobClientFor(options, progress);
  const signal = io.signal ? { signal: io.signal } : {};
  let job: ExportJob | undefined;
  try {
    if (options.action === "start") {
      job = await client.call("POST", "/v1/exports", ExportJob, { body: options.request, ...signal });
    } else if (options.action === "retry") {
      job = await client.call("POST", `/v1/exports/${options.id}/retry`, ExportJob, signal);
    } else {
      job = await client.call("GET", `/v1/exports/${options.id}`, ExportJob, signal);
    }
    const id = job.id;
    job = await followJob(client, `/v1/exports/${id}`, ExportJob, job, { ...io, progress }, (j) => {
      job = j;
    });
    if (job.status === "failed") {
      return {
        exitCode: 1,
        job,
        error: `export ${id} failed: ${job.error ?? "no reason given"}; npm run export -- --retry ${id} runs it again`,
      };
    }
    if (job.status !== "succeeded") {
      return { exitCode: 1, job, error: `export ${id} is ${job.status}, and does not move by itself` };
    }
    if (job.url === null) {
      return {
        exitCode: 1,
        job,
        error: `export ${id} succeeded, but its file is gone${job.expiresAt ? ` (it expired at ${job.expiresAt})` : ""}; start a new export`,
      };
    }
    const path = resolve(options.out ?? `export-${id}.${job.format}`);
    const bytes = await downloadFile(job.url, path, {
      ...signal,
      onBytes: (n, total) => progress.bytes("download", n, total ?? job?.bytes ?? null),
    });
    return { exitCode: 0, job, path, bytes };
  } catch (error) {
    const id = job?.id ?? (options.action === "start" ? undefined : options.id);
    if (error instanceof WaitInterruptedError) {
      return {
        exitCode: 130,
        ...(job ? { job } : {}),
        error:
          id === undefined
            ? "stopped before the service answered; npm run export -- … again (GET /v1/exports lists the jobs)"
            : `stopped waiting; export ${id} goes on in the service: npm run export -- --id ${id} waits for it and downloads the file`,
      };
    }
    if (error instanceof JobServiceError)
      return { exitCode: 1, ...(job ? { job } : {}), error: error.message };
    throw error;
  } finally {
    progress.stop();
  }
}

/**
 * The summary of a finished export: one line (rows, bytes, the file), or JSON with `json`.
 *
 * @example
 * formatExport(outcome, false); // "export 0193…: 1204 rows, 88211 bytes → /home/me/export-0193….csv"
 */
export function formatExport(outcome: ExportOutcome, json: boolean): string {
  const { job } = outcome;
  if (json) {
    return JSON.stringify({
      id: job?.id ?? null,
      status: job?.status ?? null,
      kind: job?.kind ?? null,
      format: job?.format ?? null,
      rows: job?.rows ?? null,
      bytes: outcome.bytes ?? null,
      path: outcome.path ?? null,
      masked: job?.masked ?? null,
      expiresAt: job?.expiresAt ?? null,
      error: outcome.exitCode === 0 ? null : (outcome.error ?? null),
    });
  }
  if (job === undefined || outcome.path === undefined) return "";
  const masked = job.masked ? ", addresses masked" : "";
  return `export ${job.id}: ${job.rows ?? "?"} rows, ${outcome.bytes ?? 0} bytes → ${outcome.path} (${job.kind}, ${job.format}${masked}; the service keeps it until ${job.expiresAt ?? "?"})`;
}

runJobCli(import.meta.url, {
  name: "export",
  progressName: "export",
  help: HELP,
  usageError: ExportUsageError,
  parse: parseExportArgs,
  run: runExport,
  format: formatExport,
});
