/**
 * `npm run ses:import -- --tenant <id> …` (issue #14): reads the SES account-level suppression
 * list and records each address as a `ses-account-list` event of the tenants named
 * (lambdas/ses-account/import.ts), in the store itself, without a server: the local embedded store
 * (`DATA_DIR`), a DynamoDB-compatible endpoint, or the deployed table, as `npm run keys` does.
 * Progress and resume come from the checkpoint the scheduled `ses-import` function shares.
 * `HELP` below is the user's documentation.
 *
 * `main` takes its SES client, environment and streams as parameters, so tests run it in process
 * with a mocked SESv2 client.
 */
import { parseArgs } from "node:util";
import type { SESv2Client } from "@aws-sdk/client-sesv2";
import { Presets, SingleBar } from "cli-progress";
import { isTenant, TENANT_PATTERN } from "../core/access.js";
import { ingest } from "../handlers/ingestion.js";
import { getPolicy } from "../handlers/policy-source.js";
import { createSesClient } from "../ses-account/client.js";
import {
  runSesImport,
  SES_IMPORT_OVERLAP_MS,
  SesImportBusyError,
  type SesImportOutcome,
  type SesImportProgress,
} from "../ses-account/import.js";
import { SES_MAX_PAGE_SIZE } from "../ses-account/list-suppressed.js";
import { StoreUnavailableError } from "../store/index.js";
import { type SesImportCounts, sesImportState } from "../store/ses-import-state.js";
import { sesMarkers } from "../store/ses-markers.js";
import { runMain, unexpectedFailure } from "./cli-main.js";
import {
  describeTarget,
  failureParts,
  openStore,
  StoreInUseError,
  type StoreTarget,
  TARGET_FLAGS,
  TARGET_OPTIONS_HELP,
  targetHelp,
  targetOf,
} from "./store-target.js";

export { describeTarget, type StoreTarget } from "./store-target.js";

/** The prefix of its lines on stderr. */
const NAME = "ses-import";

export const HELP = `Usage: npm run ses:import -- --tenant <id>[,<id>…] [options]

Reads the SES account-level suppression list (ListSuppressedDestinations, in the account and
region of the AWS credentials) and records every address on it as an event of each tenant named,
source ses-account-list, reason suppressed: BOUNCE as invalid/blocklisted, COMPLAINT as a
complaint; the tenant's policy and allowlist then decide as for any event. Recording is
idempotent: a run read again records only duplicates. Addresses this service put in SES itself
(its sync-out) are skipped.

Each run reads a window of the list (by SES's last update time): the first run everything, later
runs from where the last completed window ended (less ${SES_IMPORT_OVERLAP_MS / 60_000} minutes). After every page
the window, the next page's token and the counts are saved in the store (the checkpoint the
scheduled ses-import function shares), so a run that failed or was stopped resumes at the next
page. Only one run at a time holds the checkpoint.

Options:
      --tenant <id>      a tenant to import for (required); repeat it or give a comma list
      --since <time>     start a new window at this ISO time (e.g. 2026-11-01T00:00:00Z), even
                         when a window is in progress
      --restart          ignore the checkpoint: a new window over the whole list (or --since)
      --dry-run          read the list and count what would be recorded; record nothing, save
                         nothing
      --region <region>  the SES region (default: $AWS_REGION, $AWS_DEFAULT_REGION)
      --page-size <n>    addresses per SES page, 1..${SES_MAX_PAGE_SIZE} (default ${SES_MAX_PAGE_SIZE})
      --json             print the summary as one JSON object instead of text
${TARGET_OPTIONS_HELP}
  -h, --help             this text

${targetHelp("events")}

On a terminal a counter shows the addresses read and what came of them; otherwise a line on
stderr per page. Ctrl-C stops after the page in hand (its checkpoint saved); run again to resume.

Exit codes:
  0  the window was read to its end
  1  failed: SES or the store did not answer or refused, another run holds the checkpoint
  2  bad usage: an unknown option, no or a bad tenant, a bad time or page size
  130  stopped by Ctrl-C (run again to resume)
`;

export type SesImportCliOptions = {
  readonly tenants: readonly string[];
  readonly since?: Date;
  readonly restart: boolean;
  readonly dryRun: boolean;
  readonly region?: string;
  readonly pageSize?: number;
  readonly json: boolean;
  readonly target: StoreTarget;
};

/** Bad usage: exit code 2; the message is the one line printed. */
export class SesImportUsageError extends Error {
  override readonly name = "SesImportUsageError";
}

const usage = (message: string) => new SesImportUsageError(message);

/** An ISO date-time with a zone, as the events' own `occurredAt`. */
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

function parseWith(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      tenant: { type: "string", multiple: true },
      since: { type: "string" },
      restart: { type: "boolean" },
      "dry-run": { type: "boolean" },
      region: { type: "string" },
      "page-size": { type: "string" },
      json: { type: "boolean" },
      ...TARGET_FLAGS,
      help: { type: "boolean", short: "h" },
    },
  });
}

/**
 * Reads the command line (`argv` without node and the script) and the environment.
 *
 * @throws SesImportUsageError for bad usage (exit code 2)
 * @example
 * parseSesImportArgs(["--tenant", "default,acme", "--dry-run"], {}, new Date());
 * // { tenants: ["default", "acme"], restart: false, dryRun: true, json: false,
 * //   target: { kind: "local", dataDir: ".data", tableName: "suppressions" } }
 */
export function parseSesImportArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  now: Date = new Date(),
): SesImportCliOptions | "help" {
  let parsed: ReturnType<typeof parseWith>;
  try {
    parsed = parseWith(argv);
  } catch (error) {
    throw usage((error as Error).message.replace(/\. To specify a positional argument.*$/s, ""));
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  if (positionals[0] !== undefined) throw usage(`unexpected argument '${positionals[0]}'`);
  const tenants = [
    ...new Set(
      (values.tenant ?? [])
        .flatMap((t) => t.split(","))
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
  if (tenants.length === 0) throw usage("--tenant is required (the tenants to import for)");
  const bad = tenants.find((t) => !isTenant(t));
  if (bad !== undefined) throw usage(`--tenant: not a tenant id (${TENANT_PATTERN}): ${JSON.stringify(bad)}`);
  let since: Date | undefined;
  if (values.since !== undefined) {
    since = new Date(values.since);
    if (!ISO_TIME.test(values.since.trim()) || Number.isNaN(since.getTime())) {
      throw usage(`--since takes an ISO time such as 2026-11-01T00:00:00Z; got ${values.since}`);
    }
    if (since.getTime() > now.getTime()) throw usage(`--since is in the future: ${values.since}`);
  }
  let pageSize: number | undefined;
  if (values["page-size"] !== undefined) {
    pageSize = Number(values["page-size"]);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > SES_MAX_PAGE_SIZE) {
      throw usage(`--page-size is a whole number in 1..${SES_MAX_PAGE_SIZE}; got ${values["page-size"]}`);
    }
  }
  const region = values.region ?? (env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || undefined);
  if (values.region !== undefined && values.region.trim() === "") throw usage("--region needs a region");
  return {
    tenants,
    ...(since !== undefined ? { since } : {}),
    restart: values.restart ?? false,
    dryRun: values["dry-run"] ?? false,
    ...(region !== undefined ? { region } : {}),
    ...(pageSize !== undefined ? { pageSize } : {}),
    json: values.json ?? false,
    target: targetOf(values.endpoint, values.table, env, {
      usage,
      inMemory: "DATA_DIR=:memory: keeps nothing; give a directory, --endpoint or --table",
    }),
  };
}

/** How a run shows its progress. */
export type ImportProgressSink = {
  update(progress: SesImportProgress): void;
  /** Clears the counter; call before printing anything else. */
  stop(): void;
};

/** Where the progress goes: stderr, or (tests) any stream that says whether it is a terminal. */
export type ProgressStream = NodeJS.WritableStream & { readonly isTTY?: boolean };

const countsText = (c: SesImportCounts): string =>
  `listed ${c.listed}, imported ${c.imported}, duplicates ${c.duplicates}, skipped ours ${c.skippedOurs}, invalid ${c.skippedInvalid}`;

/**
 * The progress on `stream`: on a terminal a cli-progress counter of the addresses read (SES gives
 * no total); otherwise one line per page (and per window opened or restarted).
 *
 * @example
 * const progress = terminalProgress(process.stderr);
 * await runSesImport(deps, { tenants, onProgress: progress.update });
 * progress.stop();
 */
export function terminalProgress(stream: ProgressStream = process.stderr): ImportProgressSink {
  const tty = stream.isTTY === true;
  let bar: SingleBar | undefined;
  return {
    update(p) {
      if (tty) {
        const payload = { ...p.run, page: p.counts.pages };
        if (bar === undefined) {
          bar = new SingleBar(
            {
              stream,
              format: `${NAME} {value} addresses | imported {imported} dup {duplicates} ours {skippedOurs} invalid {skippedInvalid} | page {page} | {duration_formatted}`,
              hideCursor: true,
              fps: 10,
            },
            Presets.shades_classic,
          );
          bar.start(0, p.run.listed, payload);
        }
        bar.update(p.run.listed, payload);
        return;
      }
      if (p.phase === "window") {
        stream.write(
          `${NAME}: ${p.resumed ? "resuming" : "opening"} window ${p.window.start ?? "(beginning)"} → ${p.window.end} for ${p.window.tenants.join(", ")}\n`,
        );
      } else if (p.phase === "restart") {
        stream.write(`${NAME}: SES refused the page token; reading the window again from its first page\n`);
      } else {
        stream.write(`${NAME}: page ${p.counts.pages}: ${countsText(p.run)}\n`);
      }
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

/** What can be injected into a run (tests: a mocked SES client, a stream, a signal). */
export type SesImportIo = {
  /** The SES client; default one for `options.region` (client.ts). */
  readonly ses?: SESv2Client;
  readonly progress?: ImportProgressSink;
  /** Ctrl-C: no new page is started. */
  readonly signal?: AbortSignal;
};

/** How one run ended. */
export type SesImportCliOutcome = {
  readonly exitCode: 0 | 1 | 130;
  readonly outcome?: SesImportOutcome;
  readonly error?: string;
};

/** An error as one line: its message and its innermost cause. */
function failureLine(error: unknown, target: StoreTarget): string {
  const { message, reason } = failureParts(error);
  const where = error instanceof StoreUnavailableError ? ` (the store: ${describeTarget(target)})` : "";
  return `${message}${reason}${where}`.split("\n")[0] ?? message;
}

/**
 * Runs the import against the store `options.target` names, then closes the store (and the
 * embedded engine, which flushes its data). Never throws for SES's or the store's problems: they
 * end in `exitCode` 1 and `error`.
 *
 * @example
 * const { exitCode, outcome } = await runSesImportCli(options, { ses: mockedClient });
 */
export async function runSesImportCli(
  options: SesImportCliOptions,
  io: SesImportIo = {},
): Promise<SesImportCliOutcome> {
  const { target } = options;
  let close: (() => Promise<void>) | undefined;
  const ses = io.ses ?? createSesClient(options.region !== undefined ? { region: options.region } : {});
  try {
    const policy = getPolicy();
    const opened = await openStore(target, { policy });
    close = opened.close;
    const { store } = opened;
    const markers = sesMarkers(store);
    const outcome = await runSesImport(
      {
        ses,
        state: sesImportState(store),
        isOurs: async (address) => (await markers.holders(address)).length > 0,
        record: (events) => ingest({ events: [...events], ignored: 0 }, { store, policy, dryRun: false }),
      },
      {
        tenants: options.tenants,
        ...(options.since !== undefined ? { since: options.since } : {}),
        restart: options.restart,
        dryRun: options.dryRun,
        ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
        ...(io.signal !== undefined ? { signal: io.signal } : {}),
        ...(io.progress !== undefined ? { onProgress: io.progress.update } : {}),
      },
    );
    return { exitCode: outcome.status === "completed" ? 0 : 130, outcome };
  } catch (error) {
    if (error instanceof StoreInUseError) return { exitCode: 1, error: error.message };
    if (error instanceof SesImportBusyError) {
      return {
        exitCode: 1,
        error: `${error.message} (the scheduled ses-import function, or another npm run ses:import); try again after it`,
      };
    }
    return { exitCode: 1, error: failureLine(error, target) };
  } finally {
    io.progress?.stop();
    if (io.ses === undefined) ses.destroy();
    await close?.();
  }
}

/**
 * The summary of a run: JSON with `json`, else a few lines for people.
 *
 * @example
 * formatSummary(outcome, options, false);
 * // "Imported the SES suppression list for default: window (beginning) → 2026-11-20T10:00:00.000Z, read to its end.\n…"
 */
export function formatSummary(
  outcome: SesImportOutcome,
  options: SesImportCliOptions,
  json: boolean,
): string {
  if (json) {
    return JSON.stringify({ ...outcome, tenants: options.tenants, store: describeTarget(options.target) });
  }
  const { window, run, counts } = outcome;
  const head = outcome.dryRun ? "Dry run of the SES import" : "Imported the SES suppression list";
  const how =
    outcome.status === "completed"
      ? "read to its end"
      : "stopped; the checkpoint holds the next page: run again to resume";
  const lines = [
    `${head} for ${window.tenants.join(", ")}: window ${window.start ?? "(beginning)"} → ${window.end}${outcome.resumed ? " (resumed)" : ""}, ${how}.`,
    `This run: ${run.pages} pages, ${countsText(run)}.`,
  ];
  if (outcome.resumed || outcome.windowRestarts > 0) {
    lines.push(`The window so far: ${counts.pages} pages, ${countsText(counts)}.`);
  }
  if (outcome.windowRestarts > 0)
    lines.push(`SES refused the page token ${outcome.windowRestarts} time(s): pages were read again.`);
  if (outcome.dryRun) lines.push("Nothing was recorded or saved (imported: the events a run would record).");
  lines.push(`store: ${describeTarget(options.target)}`);
  return lines.join("\n");
}

/** What `main` reads and writes; the defaults are the process's own. */
export type SesImportMainIo = {
  readonly env?: NodeJS.ProcessEnv;
  readonly ses?: SESv2Client;
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: ProgressStream;
};

/**
 * The CLI: reads the command line (bad usage: one line, exit code 2; `--help`: the help, 0), runs
 * the import with the progress on stderr and Ctrl-C stopping it after the page in hand, prints
 * the summary on stdout (with `--json` whatever the outcome) and an error on stderr.
 *
 * @returns the exit code
 * @example
 * const code = await main(["--tenant", "default", "--endpoint", url], { ses: mockedClient });
 */
export async function main(argv: readonly string[], io: SesImportMainIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  let options: SesImportCliOptions | "help";
  try {
    options = parseSesImportArgs(argv, io.env ?? process.env);
  } catch (error) {
    if (!(error instanceof SesImportUsageError)) throw error;
    stderr.write(`${NAME}: ${error.message}; see --help\n`);
    return 2;
  }
  if (options === "help") {
    stdout.write(HELP);
    return 0;
  }
  const controller = new AbortController();
  const onInt = () => controller.abort();
  process.once("SIGINT", onInt);
  let result: SesImportCliOutcome;
  try {
    result = await runSesImportCli(options, {
      ...(io.ses !== undefined ? { ses: io.ses } : {}),
      progress: terminalProgress(stderr),
      signal: controller.signal,
    });
  } finally {
    process.removeListener("SIGINT", onInt);
  }
  if (result.outcome !== undefined && (options.json || result.exitCode !== 1)) {
    stdout.write(`${formatSummary(result.outcome, options, options.json)}\n`);
  }
  if (result.error !== undefined) stderr.write(`${NAME}: ${result.error}\n`);
  return result.exitCode;
}

runMain(import.meta.url, (argv) => main(argv), unexpectedFailure(NAME));
