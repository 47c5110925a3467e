/**
 * `npm run import -- --provider <name> FILE…`: bulk backfills through `POST /v1/import/{provider}`.
 * Streams files of provider payloads (import-payloads.ts), sends them in chunks of at most
 * `MAX_EVENTS_PER_REQUEST` events one request at a time (import-client.ts), and prints exact totals.
 * `HELP` below is the user's documentation (also in docs/http-api.md, "Bulk import").
 */
import { readFile, stat } from "node:fs/promises";
import { parseArgs } from "node:util";
import { Presets, SingleBar } from "cli-progress";
import { MAX_EVENTS_PER_REQUEST } from "../handlers/webhook-request.js";
import { isProvider, PROVIDERS, type Provider } from "../providers/registry.js";
import { runMain } from "./cli-main.js";
import { type PostResult, postChunk, type RetryPolicy } from "./import-client.js";
import {
  type Chunk,
  ChunkBuilder,
  chunkBody,
  InputFileError,
  itemsOf,
  readPayloads,
  splitChunk,
} from "./import-payloads.js";

export const HELP = `Usage: npm run import -- --provider <provider> [options] FILE…

Imports provider payloads into the suppression service through POST /v1/import/<provider>,
in chunks of at most ${MAX_EVENTS_PER_REQUEST} events (the service's per-request limit), one request at a time.
Re-running a file is safe: events already stored come back as duplicates.

Files (read as a stream, never whole): a JSON document, a JSON array (its elements are the
payloads), or JSON Lines (one payload per line); concatenated documents work too. For email,
each file is one message, read whole and sent in a request of its own.
A payload is what the provider posts or exports:
  ses        an SES record, an SNS message, an SNS/SQS Lambda event, an EventBridge event
  sendgrid   an event webhook batch (array) or one event
  mailgun    a webhook body, an event, or an Events API page ({"items": [...]})
  postmark   a webhook record or a Bounces API page ({"Bounces": [...]})
  sparkpost  a webhook batch (array) or one {"msys": …} element
  sendcloud  an event as JSON (a "request" counts one event per recipient)
  email      one raw email per file (.eml: a DSN or an ARF report), sent whole as message/rfc822

Options:
  -p, --provider <name>   ${PROVIDERS.join(" | ")} (required)
      --url <url>         the service (default http://127.0.0.1:3000)
      --api-key <key>     bearer key (default: $SUPPRESSION_API_KEY; prefer the variable:
                          arguments are visible to other users of the machine)
      --dry-run           the service classifies and decides, but stores nothing
      --chunk-size <n>    events per request, 1..${MAX_EVENTS_PER_REQUEST} (default ${MAX_EVENTS_PER_REQUEST})
      --retries <n>       retries of a chunk answered 429/5xx or not answered (default 5); waits
                          Retry-After when given (at most --max-wait), else 1 s, 2 s, 4 s…
      --max-wait <s>      the longest wait between retries, in seconds (default 30)
      --json              print the totals as one JSON object instead of text
  -h, --help              this text

A chunk the service finds too large (413) is split in two and sent again. A progress bar is drawn
on stderr when it is a terminal; the totals go to stdout.

Exit codes:
  0  every chunk was stored (accepted, duplicate or ignored)
  1  some chunks still failed after their retries (the totals count them; re-run the files),
     or 3 chunks in a row failed and the import stopped
  2  bad usage, or a file that cannot be read as JSON (the error names file:line)
  3  the service refused a chunk (4xx: wrong key, unknown provider, malformed payload…); stopped
`;

const DEFAULT_URL = "http://127.0.0.1:3000";
/** The provider whose files are raw emails, one message each, not JSON payloads. */
const RAW_EMAIL: Provider = "email";
/** After this many chunks in a row fail, the service is taken to be down and the import stops. */
const MAX_CONSECUTIVE_FAILURES = 3;

/** Everything one import run needs. */
export type ImportOptions = {
  readonly provider: Provider;
  readonly url: string;
  readonly apiKey: string;
  readonly files: readonly string[];
  readonly dryRun: boolean;
  readonly chunkSize: number;
  readonly retries: number;
  readonly maxWaitMs: number;
  /** Per request; default 60 s (the deployed function gives up after 10 s, API Gateway after 30 s). */
  readonly timeoutMs?: number;
  readonly json: boolean;
};

/** Exact counts of one run. `accepted + duplicates` is every event the service stored or had. */
export type ImportTotals = {
  files: number;
  /** Items read (events, records…, after pages and arrays are opened). */
  payloads: number;
  /** Requests answered with a summary. */
  requests: number;
  /** Chunks split in two after a 413. */
  splits: number;
  /** Normalized events in the answers. */
  events: number;
  accepted: number;
  duplicates: number;
  ignored: number;
  failedChunks: number;
  /** Items in the failed chunks. */
  failedPayloads: number;
  retries: number;
};

export type ImportOutcome = {
  readonly totals: ImportTotals;
  readonly exitCode: 0 | 1 | 2 | 3;
  /** Why the run stopped early or failed, when it did. */
  readonly error?: string;
};

/** What the run tells its user while it goes: progress, retries. */
export type ImportReporter = {
  start?(totalBytes: number): void;
  progress?(bytes: number, totals: ImportTotals, file: string): void;
  retry?(why: string, waitMs: number, attempt: number): void;
  stop?(): void;
};

class Stop extends Error {
  constructor(
    readonly exitCode: 1 | 2 | 3,
    message: string,
  ) {
    super(message);
  }
}

const emptyTotals = (): ImportTotals => ({
  files: 0,
  payloads: 0,
  requests: 0,
  splits: 0,
  events: 0,
  accepted: 0,
  duplicates: 0,
  ignored: 0,
  failedChunks: 0,
  failedPayloads: 0,
  retries: 0,
});

const span = (chunk: Chunk): string => {
  const first = chunk.items[0]?.where ?? "?";
  const last = chunk.items.at(-1)?.where ?? first;
  return first === last ? first : `${first} … ${last}`;
};

/**
 * Runs one import: reads `options.files` in order and sends their items in chunks. Never throws for
 * the user's or the service's problems: they end in `exitCode` and `error`, with the totals so far.
 *
 * @example
 * const { totals, exitCode } = await runImport({ provider: "sendgrid", url: server.url,
 *   apiKey: server.apiKey, files: ["events.jsonl"], dryRun: false, chunkSize: 500, retries: 5,
 *   maxWaitMs: 30_000, json: false });
 */
export async function runImport(
  options: ImportOptions,
  reporter: ImportReporter = {},
): Promise<ImportOutcome> {
  const totals = emptyTotals();
  const url = `${options.url.replace(/\/+$/, "")}/v1/import/${options.provider}${options.dryRun ? "?dryRun=true" : ""}`;
  const policy: RetryPolicy = {
    retries: options.retries,
    maxWaitMs: options.maxWaitMs,
    timeoutMs: options.timeoutMs ?? 60_000,
    onRetry: (why, waitMs, attempt) => {
      totals.retries++;
      reporter.retry?.(why, waitMs, attempt);
    },
  };
  let consecutiveFailures = 0;
  let bytesBefore = 0;
  let bytesNow = 0;
  let file = "";

  const record = (result: PostResult & { kind: "stored" }) => {
    totals.requests++;
    totals.events += result.summary.events;
    totals.accepted += result.summary.accepted;
    totals.duplicates += result.summary.duplicates;
    totals.ignored += result.summary.ignored;
  };

  const send = async (chunk: Chunk): Promise<void> => {
    const result = await postChunk(url, options.apiKey, chunkBody(chunk), policy);
    if (result.kind === "stored") {
      record(result);
      consecutiveFailures = 0;
    } else if (result.kind === "refused" && result.status === 413 && chunk.items.length > 1) {
      totals.splits++;
      for (const half of splitChunk(chunk)) await send(half);
    } else if (result.kind === "refused") {
      const what = result.detail || `${result.status}`;
      throw new Stop(
        3,
        `the service refused the chunk of ${span(chunk)} (${result.status}${result.slug ? ` ${result.slug}` : ""}): ${what}`,
      );
    } else {
      totals.failedChunks++;
      totals.failedPayloads += chunk.items.length;
      consecutiveFailures++;
      if (consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
        throw new Stop(
          1,
          `${consecutiveFailures} chunks in a row failed (last: ${span(chunk)}: ${result.reason}); is the service up?`,
        );
      }
    }
    reporter.progress?.(bytesBefore + bytesNow, totals, file);
  };

  /** One raw email (`--provider email`): the whole file in one request, never split or wrapped. */
  const sendMessage = async (name: string, bytes: Buffer): Promise<void> => {
    const result = await postChunk(url, options.apiKey, bytes, policy, "message/rfc822");
    if (result.kind === "stored") {
      record(result);
      consecutiveFailures = 0;
    } else if (result.kind === "refused") {
      const what = result.detail || `${result.status}`;
      throw new Stop(
        3,
        `the service refused ${name} (${result.status}${result.slug ? ` ${result.slug}` : ""}): ${what}`,
      );
    } else {
      totals.failedChunks++;
      totals.failedPayloads++;
      consecutiveFailures++;
      if (consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
        throw new Stop(
          1,
          `${consecutiveFailures} messages in a row failed (last: ${name}: ${result.reason}); is the service up?`,
        );
      }
    }
  };

  try {
    const sizes = await Promise.all(
      options.files.map(async (f) => {
        try {
          return (await stat(f)).size;
        } catch (error) {
          throw new Stop(2, `${f}: cannot be read (${(error as Error).message})`);
        }
      }),
    );
    reporter.start?.(sizes.reduce((a, b) => a + b, 0));
    const chunks = new ChunkBuilder(options.chunkSize);
    for (const [i, name] of options.files.entries()) {
      file = name;
      bytesNow = 0;
      totals.files++;
      const onBytes = (bytes: number) => {
        bytesNow = bytes;
        reporter.progress?.(bytesBefore + bytesNow, totals, file);
      };
      if (options.provider === RAW_EMAIL) {
        totals.payloads++;
        await sendMessage(name, await readFile(name));
        onBytes(sizes[i] ?? 0);
        bytesBefore += sizes[i] ?? 0;
        bytesNow = 0;
        continue;
      }
      for await (const payload of readPayloads(name, onBytes)) {
        for (const item of itemsOf(options.provider, payload.value, payload.where)) {
          totals.payloads++;
          const full = chunks.add(item);
          if (full) await send(full);
        }
      }
      bytesBefore += sizes[i] ?? 0;
      bytesNow = 0;
    }
    const last = chunks.flush();
    if (last) await send(last);
  } catch (error) {
    if (error instanceof Stop) return { totals, exitCode: error.exitCode, error: error.message };
    if (error instanceof InputFileError) return { totals, exitCode: 2, error: error.message };
    throw error;
  } finally {
    reporter.stop?.();
  }
  if (totals.failedChunks > 0) {
    return {
      totals,
      exitCode: 1,
      error: `${totals.failedChunks} chunks (${totals.failedPayloads} payloads) failed after their retries; re-run the files (stored events count as duplicates)`,
    };
  }
  return { totals, exitCode: 0 };
}

/** The totals as the text summary. */
export function formatTotals(totals: ImportTotals, dryRun: boolean): string {
  return [
    `files ${totals.files}, payloads ${totals.payloads}, requests ${totals.requests} (${totals.splits} split, ${totals.retries} retries)`,
    `events ${totals.events}${dryRun ? " (dry run: nothing stored)" : ""}: accepted ${totals.accepted}, duplicates ${totals.duplicates}, ignored ${totals.ignored}`,
    `failed chunks ${totals.failedChunks} (${totals.failedPayloads} payloads)`,
  ].join("\n");
}

const int = (name: string, text: string, min: number, max: number): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Stop(2, `--${name} is an integer from ${min} to ${max}; got ${text}`);
  return n;
};

/**
 * Reads the command line (`argv` without node and the script) and the environment.
 *
 * @throws an error with `exitCode` 2 and a message for bad usage.
 * @example
 * parseImportArgs(["--provider", "ses", "bounces.jsonl"], { SUPPRESSION_API_KEY: "k" });
 * // { provider: "ses", url: "http://127.0.0.1:3000", apiKey: "k", files: ["bounces.jsonl"], … }
 */
export function parseImportArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ImportOptions | "help" {
  let parsed: ReturnType<typeof parseWith>;
  try {
    parsed = parseWith(argv);
  } catch (error) {
    // Node's hint about `--`, in this command's words.
    const message = (error as Error).message.replace(
      /\. To specify a positional argument.*$/,
      " (a FILE whose name starts with - goes after --)",
    );
    throw new Stop(2, message);
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  const provider = values.provider;
  if (provider === undefined) throw new Stop(2, "--provider is required");
  if (!isProvider(provider)) {
    throw new Stop(2, `--provider is one of ${PROVIDERS.join(", ")}; got ${provider}`);
  }
  const apiKey = values["api-key"] ?? env.SUPPRESSION_API_KEY ?? "";
  if (apiKey === "") throw new Stop(2, "no API key: set SUPPRESSION_API_KEY or pass --api-key");
  if (positionals.length === 0) throw new Stop(2, "name at least one FILE");
  const url = values.url ?? DEFAULT_URL;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new Stop(2, `--url must be an http(s) URL; got ${url}`);
  }
  return {
    provider,
    url,
    apiKey,
    files: positionals,
    dryRun: values["dry-run"] ?? false,
    chunkSize: int(
      "chunk-size",
      values["chunk-size"] ?? String(MAX_EVENTS_PER_REQUEST),
      1,
      MAX_EVENTS_PER_REQUEST,
    ),
    retries: int("retries", values.retries ?? "5", 0, 100),
    maxWaitMs: int("max-wait", values["max-wait"] ?? "30", 0, 3600) * 1000,
    json: values.json ?? false,
  };
}

function parseWith(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      provider: { type: "string", short: "p" },
      url: { type: "string" },
      "api-key": { type: "string" },
      "dry-run": { type: "boolean" },
      "chunk-size": { type: "string" },
      retries: { type: "string" },
      "max-wait": { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}

/** A cli-progress bar on stderr (a terminal only), and retry notes. */
function terminalReporter(): ImportReporter {
  const tty = process.stderr.isTTY === true;
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format:
        "{bar} {percentage}% | {value}/{total} KiB | accepted {accepted} dup {duplicates} ignored {ignored} failed {failed} | {file}",
      hideCursor: true,
      noTTYOutput: false,
    },
    Presets.shades_classic,
  );
  const payload = (totals: ImportTotals, file: string) => ({
    accepted: totals.accepted,
    duplicates: totals.duplicates,
    ignored: totals.ignored,
    failed: totals.failedChunks,
    file,
  });
  return {
    start: (totalBytes) => {
      if (tty) bar.start(Math.ceil(totalBytes / 1024), 0, payload(emptyTotals(), ""));
    },
    progress: (bytes, totals, file) => {
      if (tty) bar.update(Math.ceil(bytes / 1024), payload(totals, file));
    },
    retry: (why, waitMs, attempt) => {
      if (!tty) console.error(`retry ${attempt} in ${(waitMs / 1000).toFixed(1)} s: ${why}`);
    },
    stop: () => {
      if (tty) bar.stop();
    },
  };
}

async function main(argv: readonly string[]): Promise<number> {
  let options: ImportOptions | "help";
  try {
    options = parseImportArgs(argv, process.env);
  } catch (error) {
    console.error(`import: ${(error as Error).message}; see --help`);
    return 2;
  }
  if (options === "help") {
    console.log(HELP);
    return 0;
  }
  const outcome = await runImport(options, terminalReporter());
  if (options.json) console.log(JSON.stringify({ totals: outcome.totals, exitCode: outcome.exitCode }));
  else console.log(formatTotals(outcome.totals, options.dryRun));
  if (outcome.error) console.error(`import: ${outcome.error}`);
  return outcome.exitCode;
}

runMain(import.meta.url, main, (error) => {
  console.error("import: unexpected failure:", error);
});
