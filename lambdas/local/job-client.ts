/**
 * The HTTP half of `npm run export` (export-cli.ts) and `npm run clean-list` (clean-list-cli.ts): a
 * small typed client of the job API (design.md §5.3: `/v1/exports`, `/v1/list-checks`), polling a
 * job until it ends, streaming a file to a presigned PUT link and a presigned GET link to a file
 * (never whole in memory), and the progress shown on stderr while it goes. What the two
 * commands share around it (their options and `main`) is job-command.ts.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { setTimeout as sleepFor } from "node:timers/promises";
import { Presets, SingleBar } from "cli-progress";
import type * as z from "zod";
import type { JobProgress, JobStatus } from "../contract/jobs.js";
import { retryAfterMs } from "./import-client.js";

/** The service `--url` names when it is not given: `npm start`'s. */
export const DEFAULT_URL = "http://127.0.0.1:3000";

/** What every job of the job API carries, whatever its kind (contract/jobs.ts, `JOB_FIELDS`). */
export type JobCore = {
  readonly id: string;
  readonly status: JobStatus;
  readonly progress: JobProgress;
  readonly error: string | null;
};

/** Whether `status` is one a job never leaves (until retried). */
export const isFinal = (status: JobStatus): boolean => status === "succeeded" || status === "failed";

/**
 * Whether a job in `status` stops moving by itself: finished, or waiting for its list to be
 * uploaded and started (which only its caller does).
 */
export const isSettled = (status: JobStatus): boolean => isFinal(status) || status === "awaiting_upload";

/**
 * The service (or a link) failed or refused; the message is the one line the CLIs print.
 * `status` is the HTTP status, `null` when nothing answered.
 *
 * @example
 * throw new JobServiceError("GET /v1/exports/x: 404 Not Found: No such export.", 404);
 */
export class JobServiceError extends Error {
  override readonly name = "JobServiceError";
  constructor(
    message: string,
    readonly status: number | null,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The caller's signal ended the wait (Ctrl-C); the job itself goes on in the service.
 *
 * @example
 * if (error instanceof WaitInterruptedError) console.error("the job keeps running");
 */
export class WaitInterruptedError extends Error {
  override readonly name = "WaitInterruptedError";
  constructor(options?: ErrorOptions) {
    super("stopped waiting", options);
  }
}

export type JobClientOptions = {
  /** The service, e.g. `http://127.0.0.1:3000` or the deployed API's URL. */
  readonly url: string;
  readonly apiKey: string;
  /**
   * Retries of a request answered 429 or 503 (a read also 502 or 504, and, while polling, one not
   * answered at all); default 4.
   */
  readonly retries?: number;
  /** The longest wait between attempts, whatever `Retry-After` asks; default 30 s. */
  readonly maxWaitMs?: number;
  /** Per request; default 30 s (API Gateway gives up after 30 s anyway). */
  readonly timeoutMs?: number;
  /** Told before each retry: why, and how long until it. */
  readonly onRetry?: (why: string, waitMs: number, attempt: number) => void;
};

export type CallOptions = {
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Ends the call (and any wait before a retry) with `WaitInterruptedError`. */
  readonly signal?: AbortSignal;
  /**
   * Also retry when nothing answered (a refused connection, a timeout). Only for reads, and only
   * once the service was reached: an unreachable `--url` is reported at once.
   */
  readonly retryUnanswered?: boolean;
};

export type WaitOptions<J extends JobCore = JobCore> = {
  /** Between two reads of the job; default 1 s. */
  readonly intervalMs?: number;
  readonly signal?: AbortSignal;
  /** Told every read of the job, the final one included. */
  readonly onUpdate?: (job: J) => void;
};

/** The innermost reason of a failed `fetch` (`connect ECONNREFUSED 127.0.0.1:1`, not "fetch failed"). */
function reasonOf(error: unknown): string {
  let inner: unknown = error;
  const seen = new Set<unknown>();
  while (inner instanceof Error && inner.cause !== undefined && !seen.has(inner.cause)) {
    seen.add(inner);
    inner = inner.cause;
  }
  if (inner instanceof Error && inner.name === "TimeoutError") return "no answer in time";
  if (inner instanceof AggregateError && inner.errors[0] instanceof Error) return inner.errors[0].message;
  return inner instanceof Error ? inner.message || inner.name : String(inner);
}

/** A link without its query: a presigned URL's signature is a credential and never printed. */
export const redactLink = (link: string): string => {
  if (!URL.canParse(link)) return "the link";
  const url = new URL(link);
  return `${url.origin}${url.pathname}`;
};

function parseJson(text: string): unknown {
  try {
    return text === "" ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * One line for an answer that is not a success: the status, and the problem document's title,
 * detail and first input issues when the body is one (RFC 9457), else the start of the body.
 *
 * @example
 * problemLine("GET /v1/exports/x", 404, { title: "Not Found", detail: "No export x." }, "");
 * // "GET /v1/exports/x: 404 Not Found: No export x."
 */
export function problemLine(what: string, status: number, body: unknown, text: string): string {
  if (typeof body === "object" && body !== null) {
    const b = body as Record<string, unknown>;
    const title = typeof b.title === "string" ? b.title.trim() : "";
    const detail = typeof b.detail === "string" ? b.detail.trim() : "";
    const issues = Array.isArray(b.errors)
      ? b.errors
          .slice(0, 3)
          .map((e: unknown) => {
            const issue = (typeof e === "object" && e !== null ? e : {}) as Record<string, unknown>;
            return `${String(issue.path ?? "")}: ${String(issue.message ?? "")}`;
          })
          .join("; ")
      : "";
    if (detail !== "" || title !== "") {
      const head = `${what}: ${status}${title ? ` ${title}` : ""}`;
      const more = issues && !detail.includes(issues) ? ` (${issues})` : "";
      return oneLine(detail ? `${head}: ${detail}${more}` : `${head}${more}`);
    }
  }
  const s3 = /<Code>([^<]*)<\/Code>[\s\S]*?<Message>([^<]*)<\/Message>/.exec(text);
  if (s3) return oneLine(`${what}: ${status} ${s3[1]}: ${s3[2]}`);
  const start = text.trim().slice(0, 200);
  return oneLine(`${what}: ${status}${start ? ` ${start}` : ""}`);
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, " ");

/**
 * Whether an answer is worth another attempt: the service says "later" (429 throttled, 503 its
 * store is unavailable, both before anything was done), or, for a read, a gateway gave up (502,
 * 504: a POST might have started a job, and is not sent twice).
 */
const isRetryable = (method: "GET" | "POST", status: number): boolean =>
  status === 429 || status === 503 || (method === "GET" && (status === 502 || status === 504));

/**
 * A typed client of the job API on `fetch`: bearer key, JSON in and out, answers parsed with the
 * contract's schemas, problem+json answers as one `JobServiceError` line, 429 and 503 retried after
 * their `Retry-After` (else 1 s, 2 s, 4 s…; at most `retries` times, never longer than `maxWaitMs`).
 *
 * @example
 * const client = new JobClient({ url: "http://127.0.0.1:3000", apiKey: key });
 * const job = await client.call("POST", "/v1/exports", ExportJob, { body: { kind: "suppressions" } });
 * const done = await client.waitFor(`/v1/exports/${job.id}`, ExportJob, { onUpdate: console.log });
 */
export class JobClient {
  readonly #base: string;
  readonly #apiKey: string;
  readonly #retries: number;
  readonly #maxWaitMs: number;
  readonly #timeoutMs: number;
  readonly #onRetry: JobClientOptions["onRetry"];

  constructor(options: JobClientOptions) {
    this.#base = options.url.replace(/\/+$/, "");
    this.#apiKey = options.apiKey;
    this.#retries = options.retries ?? 4;
    this.#maxWaitMs = options.maxWaitMs ?? 30_000;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#onRetry = options.onRetry;
  }

  /** The service's origin, for messages. */
  get origin(): string {
    return this.#base;
  }

  /**
   * One request; the answer parsed with `schema`.
   *
   * @throws JobServiceError for an answer other than 2xx (after the retries of a 503…), an answer
   *   `schema` refuses, or no answer; WaitInterruptedError when `signal` ends it.
   */
  async call<T>(
    method: "GET" | "POST",
    path: string,
    schema: z.ZodType<T>,
    options: CallOptions = {},
  ): Promise<T> {
    const what = `${method} ${path.split("?")[0]}`;
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.#apiKey}`,
      accept: "application/json",
    };
    if (options.body !== undefined) headers["content-type"] = "application/json";
    for (let attempt = 1; ; attempt++) {
      let why: string;
      let waitMs: number | undefined;
      try {
        const timeout = AbortSignal.timeout(this.#timeoutMs);
        const response = await fetch(`${this.#base}${path}`, {
          method,
          headers,
          ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
          signal: options.signal ? AbortSignal.any([timeout, options.signal]) : timeout,
        });
        const text = await response.text();
        const body = parseJson(text);
        if (response.ok) {
          const parsed = schema.safeParse(body);
          if (parsed.success) return parsed.data;
          const issue = parsed.error.issues[0];
          throw new JobServiceError(
            `${what}: ${response.status}, but not the answer this command knows (${issue ? `${issue.path.join(".") || "body"}: ${issue.message}` : "unreadable"}); is --url this service, of the same version?`,
            response.status,
          );
        }
        if (!isRetryable(method, response.status) || attempt > this.#retries) {
          const hint = response.status === 401 ? " (check --key or SUPPRESSION_API_KEY)" : "";
          throw new JobServiceError(
            `${problemLine(what, response.status, body, text)}${hint}`,
            response.status,
          );
        }
        why = `${response.status}`;
        waitMs = retryAfterMs(response.headers.get("retry-after"), Date.now());
      } catch (error) {
        if (error instanceof JobServiceError) throw error;
        if (options.signal?.aborted) throw new WaitInterruptedError({ cause: error });
        if (!options.retryUnanswered || attempt > this.#retries) {
          throw new JobServiceError(`cannot reach ${this.#base} (${what}): ${reasonOf(error)}`, null, {
            cause: error,
          });
        }
        why = reasonOf(error);
      }
      const wait = Math.min(this.#maxWaitMs, waitMs ?? 1000 * 2 ** (attempt - 1));
      this.#onRetry?.(why, wait, attempt);
      await pause(wait, options.signal);
    }
  }

  /**
   * Reads the job at `path` every `intervalMs` until it settles (`isSettled`: `succeeded` or
   * `failed`, or `awaiting_upload`, which never moves by itself); a read that is not answered is
   * retried (the service may be restarting).
   *
   * @throws JobServiceError as `call`; WaitInterruptedError when `signal` ends the wait (the job
   *   goes on).
   */
  async waitFor<J extends JobCore>(
    path: string,
    schema: z.ZodType<J>,
    options: WaitOptions<J> = {},
  ): Promise<J> {
    for (;;) {
      const job = await this.call("GET", path, schema, {
        retryUnanswered: true,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      options.onUpdate?.(job);
      if (isSettled(job.status)) return job;
      await pause(options.intervalMs ?? 1000, options.signal);
    }
  }
}

async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleepFor(ms, undefined, signal ? { signal } : {});
  } catch (error) {
    throw new WaitInterruptedError({ cause: error });
  }
}

export type TransferOptions = {
  readonly signal?: AbortSignal;
  /** Told as bytes go: so far, and the total when known. */
  readonly onBytes?: (bytes: number, total: number | null) => void;
};

/** Counts the bytes that go through it, and tells `onBytes` as they do. */
function byteCounter(
  total: number | null,
  onBytes: TransferOptions["onBytes"],
): Transform & { bytes: number } {
  const counter = Object.assign(
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        counter.bytes += chunk.length;
        onBytes?.(counter.bytes, total);
        done(null, chunk);
      },
    }),
    { bytes: 0 },
  );
  return counter;
}

/** How long an upload waits, after its body failed, for the link's answer (which says why). */
const ANSWER_GRACE_MS = 1_000;

/**
 * Streams `file` to a presigned PUT link (S3 wants its length up front: a plain `PUT` with
 * `Content-Length`, not chunked), a chunk at a time whatever the file's size.
 *
 * @returns the bytes sent.
 * @throws JobServiceError when the link refuses the file or cannot be reached;
 *   WaitInterruptedError when `signal` ends it.
 * @example
 * await uploadFile(job.upload.url, "list.csv", { onBytes: (sent, total) => bar.update(sent) });
 */
export async function uploadFile(link: string, file: string, options: TransferOptions = {}): Promise<number> {
  const size = (await stat(file)).size;
  const url = new URL(link);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  const where = `PUT ${redactLink(link)}`;
  const answer = new Promise<IncomingMessage>((resolve, reject) => {
    const req = send(url, {
      method: "PUT",
      headers: { "content-length": String(size) },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    req.once("response", resolve);
    req.once("error", reject);
    // A link that refuses early may close the connection under the body: its answer says why, so
    // the body's failure counts only when no answer comes soon after.
    pipeline(createReadStream(file), byteCounter(size, options.onBytes), req).catch((error: unknown) => {
      setTimeout(() => reject(error), options.signal?.aborted ? 0 : ANSWER_GRACE_MS);
    });
  });
  let response: IncomingMessage;
  try {
    response = await answer;
  } catch (error) {
    if (options.signal?.aborted) throw new WaitInterruptedError({ cause: error });
    throw new JobServiceError(`${where}: ${reasonOf(error)}`, null, { cause: error });
  }
  // The answer's body: S3's error document when it refused (kept up to 64 KiB), else nothing.
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    if (length < 64 * 1024) chunks.push(chunk);
    length += chunk.length;
  }
  const status = response.statusCode ?? 0;
  if (status < 200 || status > 299) {
    const text = Buffer.concat(chunks).toString("utf8");
    throw new JobServiceError(problemLine(where, status, parseJson(text), text), status);
  }
  return size;
}

/**
 * Streams a presigned GET link to `path` (through `path.part`, renamed when complete, so `path` is
 * never a partial file).
 *
 * @returns the bytes written.
 * @throws JobServiceError when the link refuses (an expired link: 403) or cannot be reached;
 *   WaitInterruptedError when `signal` ends it.
 * @example
 * const bytes = await downloadFile(job.url, "export.csv");
 */
export async function downloadFile(
  link: string,
  path: string,
  options: TransferOptions = {},
): Promise<number> {
  const where = `GET ${redactLink(link)}`;
  let response: Response;
  try {
    response = await fetch(link, options.signal ? { signal: options.signal } : {});
  } catch (error) {
    if (options.signal?.aborted) throw new WaitInterruptedError({ cause: error });
    throw new JobServiceError(`${where}: ${reasonOf(error)}`, null, { cause: error });
  }
  if (!response.ok || response.body === null) {
    const text = await response.text();
    throw new JobServiceError(problemLine(where, response.status, parseJson(text), text), response.status);
  }
  const header = response.headers.get("content-length");
  const length = Number(header);
  const total = header !== null && Number.isInteger(length) && length >= 0 ? length : null;
  const count = byteCounter(total, options.onBytes);
  const part = `${path}.part`;
  try {
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
      count,
      createWriteStream(part),
      options.signal ? { signal: options.signal } : {},
    );
    await rename(part, path);
  } catch (error) {
    await rm(part, { force: true });
    if (options.signal?.aborted) throw new WaitInterruptedError({ cause: error });
    throw new JobServiceError(`${where} → ${path}: ${reasonOf(error)}`, null, { cause: error });
  }
  return count.bytes;
}

/** What the user sees while a command works: a bar on a terminal, a few lines otherwise. */
export type Progress = {
  /** A job was read: its status and rows. */
  job(job: JobCore): void;
  /** Bytes of an upload or a download (`label`: "upload", "download keep"…). */
  bytes(label: string, bytes: number, total: number | null): void;
  /** A note (a retry…), on a line of its own. */
  note(text: string): void;
  /** Clears the bar; call before printing anything else. */
  stop(): void;
};

/** Where the progress goes: stderr, or (tests) any stream that says whether it is a terminal. */
export type ProgressStream = NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };

/**
 * The progress of one command on `stream` (stderr). On a terminal, a cli-progress bar: a bar of
 * the rows when the job knows its total, else a row counter; bytes (uploads, downloads) in KiB; a
 * new bar (on a line of its own) when the job's status changes. Otherwise a line when the job's
 * status changes, and at most every `lineEveryMs` while it stays (`0`: only the changes).
 *
 * @example
 * const progress = terminalProgress("export");
 * await client.waitFor(path, ExportJob, { onUpdate: progress.job });
 * progress.stop();
 */
export function terminalProgress(
  name: string,
  stream: ProgressStream = process.stderr,
  options: { readonly lineEveryMs?: number } = {},
): Progress {
  const tty = stream.isTTY === true;
  const lineEveryMs = options.lineEveryMs ?? 15_000;
  let bar: SingleBar | undefined;
  let shown: string | undefined;
  let lastStatus: string | undefined;
  let lastLineAt = 0;

  const show = (label: string, unit: string, known: boolean, value: number, total: number) => {
    const key = `${label}:${known}`;
    if (bar !== undefined && shown === key) {
      bar.setTotal(total);
      bar.update(value);
      return;
    }
    bar?.stop();
    bar = new SingleBar(
      {
        stream,
        format: known
          ? `${name} ${label} {bar} {percentage}% | {value}/{total} ${unit} | {duration_formatted}`
          : `${name} ${label} {value} ${unit} | {duration_formatted}`,
        hideCursor: true,
        fps: 10,
      },
      Presets.shades_classic,
    );
    bar.start(total, value);
    shown = key;
  };
  const rowsText = (job: JobCore) =>
    job.progress.rows === null
      ? `${job.progress.done} rows`
      : `${job.progress.done}/${job.progress.rows} rows`;
  const clear = () => {
    bar?.stop();
    bar = undefined;
    shown = undefined;
  };

  return {
    job(job) {
      if (tty) {
        show(job.status, "rows", job.progress.rows !== null, job.progress.done, job.progress.rows ?? 0);
        return;
      }
      const now = Date.now();
      if (job.status !== lastStatus || (lineEveryMs > 0 && now - lastLineAt >= lineEveryMs)) {
        stream.write(`${name} ${job.id}: ${job.status}, ${rowsText(job)}\n`);
        lastStatus = job.status;
        lastLineAt = now;
      }
    },
    bytes(label, bytes, total) {
      if (!tty) return;
      show(label, "KiB", total !== null, Math.ceil(bytes / 1024), Math.ceil((total ?? 0) / 1024));
    },
    note(text) {
      clear();
      stream.write(`${name}: ${text}\n`);
    },
    stop: clear,
  };
}

/** A progress that shows nothing (tests, `--json` in scripts). */
export const silentProgress: Progress = {
  job: () => undefined,
  bytes: () => undefined,
  note: () => undefined,
  stop: () => undefined,
};

/**
 * Runs `work` with a signal that Ctrl-C (SIGINT) aborts, and restores the default Ctrl-C after.
 *
 * @example
 * await withInterrupt((signal) => client.waitFor(path, schema, { signal }));
 */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onInt = () => controller.abort(new Error("SIGINT"));
  process.once("SIGINT", onInt);
  try {
    return await work(controller.signal);
  } finally {
    process.removeListener("SIGINT", onInt);
  }
}
