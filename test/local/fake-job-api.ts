/**
 * A small stand-in of the job API on 127.0.0.1 (a real socket, node:http), speaking the contract
 * (lambdas/contract/exports.ts, list-checks.ts: every request body is parsed with the contract's
 * schema, every answer with the job's schema before it is sent): `POST /v1/exports`,
 * `GET /v1/exports/{id}`, `POST /v1/exports/{id}/retry`, `POST /v1/list-checks` (`{upload: true}`),
 * the presigned PUT, `POST /v1/list-checks/{id}/start`, `GET /v1/list-checks/{id}`,
 * `POST /v1/list-checks/{id}/retry`, and the files' presigned GET links. A started job moves one
 * step on every read: queued → running (total unknown) → running (total known) → succeeded, or
 * failed at the third read with `failWith`. For the client's tests (job-client.ts and the two CLIs)
 * where the real jobs would be slow or cannot be made to misbehave; the same CLIs run against the
 * real routes in the `… against npm start` blocks.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { ExportJob, ExportRequest } from "../../lambdas/contract/exports.js";
import type { JobStatus } from "../../lambdas/contract/jobs.js";
import {
  DROP_COLUMNS,
  ListCheckJob,
  ListCheckStartRequest,
  type ListCheckSummary,
  ROW_REASONS,
} from "../../lambdas/contract/list-checks.js";
import type { ScriptRun } from "../support/run-tsx.js";

/** What the fake saw of the last PUT to an upload link. */
export type UploadSeen = {
  contentLength: string | undefined;
  transferEncoding: string | undefined;
  /** Bytes received. */
  bytes: number;
};

export type FakeJobApi = {
  readonly url: string;
  /** `METHOD /path` of every request, in order (links' queries dropped). */
  readonly requests: string[];
  /** The last PUT to an upload link. */
  readonly lastUpload: UploadSeen;
  /** The status a job has now, without reading it (a read moves it). */
  statusOf(id: string): JobStatus | undefined;
  /** The next `n` API requests are answered 503 problem+json with this `Retry-After` (default `0`). */
  answer503(n: number, retryAfter?: string): void;
  /** Jobs started from now on fail at their third read with this error (`null`: they succeed). */
  failWith(error: string | null): void;
  /** Reads of a job, once running, answer `rows: null` throughout (a total the job never knows). */
  unknownTotal(yes: boolean): void;
  /** While on, a running job stays running however often it is read. */
  hold(yes: boolean): void;
  /** While on, the upload links answer 403 as S3 does for an expired link, reading no body. */
  refuseUploads(yes: boolean): void;
  /** While on, the file links send half their bytes (of a full `Content-Length`) and hang up. */
  truncateDownloads(yes: boolean): void;
  /** Turns every switch above off again (no 503s, no failing jobs…), as between two tests. */
  reset(): void;
  close(): Promise<void>;
};

type FakeJob = {
  readonly id: string;
  readonly kind: "export" | "list-check";
  readonly body: Record<string, unknown>;
  reads: number;
  status: JobStatus;
  attempts: number;
  failWith: string | null;
  /** The uploaded list (list checks). */
  uploaded: string | null;
  /** The files of a succeeded list check. */
  result: { keep: string; drop: string; summary: ListCheckSummary } | null;
};

export type FakeJobApiOptions = {
  readonly apiKey: string;
  /** The export file's text (whatever the request). */
  readonly exportFile?: string;
};

/** The signature of the fake's links: the CLIs must never print it. */
export const LINK_SIGNATURE = "X-Amz-Signature=fake-secret";

const problem = (
  res: ServerResponse,
  status: number,
  title: string,
  detail: string,
  extra: { headers?: Record<string, string>; errors?: { path: string; message: string }[] } = {},
) => {
  res.writeHead(status, { "content-type": "application/problem+json", ...extra.headers });
  res.end(
    JSON.stringify({
      type: `https://suppression-service.dev/problems/${title.toLowerCase().replace(/\s+/g, "-")}`,
      title,
      status,
      detail,
      ...(extra.errors ? { errors: extra.errors } : {}),
    }),
  );
};

const rowsOf = (text: string) => text.split("\n").filter((line) => line !== "").length;

/**
 * A list check of the fake, for its tests: the first line is the header when it says `email`; a
 * value without `@` is `invalid_syntax`, a repeated one `duplicate`, one starting `blocked` a
 * manual entry; the rest is kept.
 */
function cleanList(text: string): { keep: string; drop: string; summary: ListCheckSummary } {
  const lines = text.split(/\r?\n/).filter((line) => line !== "");
  const header = lines[0]?.toLowerCase().includes("email") ? lines.shift() : undefined;
  const keep: string[] = header === undefined ? [] : [header];
  const drop: string[] = header === undefined ? [] : [`${header},${DROP_COLUMNS.join(",")}`];
  const seen = new Set<string>();
  const summary: ListCheckSummary = {
    rows: lines.length,
    kept: 0,
    dropped: 0,
    invalid: 0,
    duplicates: 0,
    suppressed: 0,
    byCause: {},
    byReason: {},
  };
  for (const line of lines) {
    const address = (line.split(",")[0] ?? "").trim().toLowerCase();
    const [cause, reason] = !address.includes("@")
      ? (["invalid_syntax", "not an email address"] as const)
      : seen.has(address)
        ? (["duplicate", ROW_REASONS.duplicate] as const)
        : address.startsWith("blocked")
          ? (["manual", "manual"] as const)
          : [null, null];
    seen.add(address);
    if (cause === null) {
      keep.push(line);
      summary.kept++;
      continue;
    }
    drop.push(`${line},${cause},${reason}`);
    summary.dropped++;
    if (cause === "invalid_syntax") summary.invalid++;
    else if (cause === "duplicate") summary.duplicates++;
    else summary.suppressed++;
    summary.byCause[cause] = (summary.byCause[cause] ?? 0) + 1;
    summary.byReason[reason] = (summary.byReason[reason] ?? 0) + 1;
  }
  const asText = (rows: string[]) => (rows.length === 0 ? "" : `${rows.join("\n")}\n`);
  return { keep: asText(keep), drop: asText(drop), summary };
}

/**
 * Starts the fake on a free port.
 *
 * @example
 * const api = await startFakeJobApi({ apiKey: "k" });
 * await runExport({ action: "start", request: { kind: "suppressions" }, url: api.url, apiKey: "k", … });
 * await api.close();
 */
export async function startFakeJobApi(options: FakeJobApiOptions): Promise<FakeJobApi> {
  const dir = mkdtempSync(join(tmpdir(), "fake-job-api-"));
  const jobs = new Map<string, FakeJob>();
  const requests: string[] = [];
  const lastUpload: UploadSeen = { contentLength: undefined, transferEncoding: undefined, bytes: 0 };
  const exportFile = options.exportFile ?? "subject,cause\na@example.org,bounce\n";
  let unavailable = 0;
  let retryAfter = "0";
  let failing: string | null = null;
  let unknown = false;
  let holding = false;
  let refusing = false;
  let truncating = false;
  let base = "";

  const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

  /** The job moved one step, as its reads see it. */
  const advance = (job: FakeJob) => {
    if (job.status !== "queued" && job.status !== "running") return;
    if (holding && job.status === "running") return;
    job.reads++;
    if (job.reads === 1) job.status = "running";
    else if (job.reads === 3 && job.failWith !== null) job.status = "failed";
    else if (job.reads >= 4) job.status = "succeeded";
  };

  const total = (job: FakeJob) =>
    job.kind === "export" ? rowsOf(exportFile) - 1 : (job.result?.summary.rows ?? 0);

  const jobFields = (job: FakeJob) => {
    const done = job.status === "succeeded";
    const known = !unknown && job.reads >= 2;
    return {
      id: job.id,
      status: job.status,
      progress: {
        done: done ? total(job) : job.reads >= 2 ? Math.floor(total(job) / 2) : 0,
        rows: done || known ? total(job) : null,
      },
      createdAt: at(-5000),
      startedAt: job.status === "queued" || job.status === "awaiting_upload" ? null : at(-4000),
      finishedAt: done || job.status === "failed" ? at(0) : null,
      attempts: job.attempts,
      expiresAt: done ? at(7 * 86_400_000) : null,
      error: job.status === "failed" ? job.failWith : null,
    };
  };

  const link = (path: string) => `${base}${path}?X-Amz-Credential=x&${LINK_SIGNATURE}`;

  const view = (job: FakeJob): unknown => {
    const done = job.status === "succeeded";
    if (job.kind === "export") {
      return ExportJob.parse({
        ...jobFields(job),
        kind: job.body.kind,
        format: job.body.format ?? "csv",
        filters: job.body.filters ?? {},
        masked: false,
        rows: done ? total(job) : null,
        bytes: done ? Buffer.byteLength(exportFile) : null,
        url: done ? link(`/files/${job.id}/export`) : null,
      });
    }
    return ListCheckJob.parse({
      ...jobFields(job),
      scope: job.body.scope ?? null,
      column: job.body.column ?? null,
      upload:
        job.status === "awaiting_upload"
          ? { url: link(`/uploads/${job.id}`), method: "PUT", expiresAt: at(3_600_000) }
          : null,
      files: done ? { keep: link(`/files/${job.id}/keep`), drop: link(`/files/${job.id}/drop`) } : null,
      summary: done ? job.result?.summary : null,
    });
  };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };

  /** A file link's answer: the whole text, or (truncating) half of it under the full length. */
  const sendFile = (res: ServerResponse, text: string) => {
    const bytes = Buffer.from(text, "utf8");
    res.writeHead(200, { "content-type": "text/csv", "content-length": bytes.length });
    if (!truncating) {
      res.end(bytes);
      return;
    }
    res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", base);
    const method = req.method ?? "GET";
    requests.push(`${method} ${url.pathname}`);
    const parts = url.pathname.split("/").filter((p) => p !== "");
    const signed = url.search.includes(LINK_SIGNATURE);
    // The links (presigned: no bearer key, S3's XML errors).
    if (parts[0] === "files") {
      const job = jobs.get(parts[1] ?? "");
      if (job === undefined || !signed) {
        res.writeHead(403, { "content-type": "application/xml" });
        res.end("<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>");
        return;
      }
      if (parts[2] === "export") return sendFile(res, exportFile);
      return sendFile(res, parts[2] === "keep" ? (job.result?.keep ?? "") : (job.result?.drop ?? ""));
    }
    if (parts[0] === "uploads" && method === "PUT") {
      const job = jobs.get(parts[1] ?? "");
      if (job === undefined || !signed || refusing) {
        res.writeHead(403, { "content-type": "application/xml", connection: "close" });
        res.end("<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>");
        return;
      }
      lastUpload.contentLength = req.headers["content-length"];
      lastUpload.transferEncoding = req.headers["transfer-encoding"];
      lastUpload.bytes = 0;
      req.on("data", (chunk: Buffer) => {
        lastUpload.bytes += chunk.length;
      });
      const path = join(dir, `${job.id}.upload`);
      await pipeline(req, createWriteStream(path));
      job.uploaded = path;
      res.writeHead(200);
      res.end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    if (req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return problem(res, 401, "Unauthorized", "The bearer key is missing or not valid.");
    }
    if (unavailable > 0) {
      unavailable--;
      return problem(res, 503, "Service Unavailable", "The store did not answer in time.", {
        headers: { "retry-after": retryAfter },
      });
    }
    const text = Buffer.concat(chunks).toString("utf8");
    const [v1, collection, id, verb] = parts;
    if (v1 !== "v1" || (collection !== "exports" && collection !== "list-checks")) {
      return problem(res, 404, "Not Found", `No route ${method} ${url.pathname}.`);
    }
    const kind = collection === "exports" ? "export" : "list-check";
    if (method === "POST" && id === undefined) {
      const parsed = (kind === "export" ? ExportRequest : ListCheckStartRequest).safeParse(
        text === "" ? undefined : JSON.parse(text),
      );
      if (!parsed.success) {
        return problem(res, 400, "Bad Request", "The body is not valid.", {
          errors: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
        });
      }
      const job: FakeJob = {
        id: `${Date.now().toString(16).padStart(12, "0")}${randomBytes(6).toString("hex")}`,
        kind,
        body: parsed.data as Record<string, unknown>,
        reads: 0,
        status: kind === "export" ? "queued" : "awaiting_upload",
        attempts: kind === "export" ? 1 : 0,
        failWith: failing,
        uploaded: null,
        result: null,
      };
      jobs.set(job.id, job);
      return send(res, 202, view(job));
    }
    const job = jobs.get(id ?? "");
    if (job === undefined || job.kind !== kind) {
      return problem(res, 404, "Not Found", `There is no ${kind} ${id} in this tenant.`);
    }
    if (method === "POST" && verb === "start" && kind === "list-check") {
      if (job.status !== "awaiting_upload") {
        return problem(res, 409, "Conflict", `The list check is ${job.status}, not awaiting_upload.`);
      }
      if (job.uploaded === null) return problem(res, 409, "Conflict", "Nothing was uploaded.");
      job.result = cleanList(await readFile(job.uploaded, "utf8"));
      Object.assign(job, { status: "queued", attempts: 1 });
      return send(res, 202, view(job));
    }
    if (method === "POST" && verb === "retry") {
      if (job.status !== "failed") {
        return problem(res, 409, "Conflict", `The job is ${job.status}, not failed.`);
      }
      Object.assign(job, { status: "queued", reads: 0, attempts: job.attempts + 1, failWith: null });
      return send(res, 202, view(job));
    }
    if (method === "GET" && verb === undefined) {
      advance(job);
      return send(res, 200, view(job));
    }
    return problem(res, 404, "Not Found", `No route ${method} ${url.pathname}.`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) problem(res, 500, "Internal Server Error", String(error));
      else res.destroy();
    });
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", () => listening()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    lastUpload,
    statusOf: (id) => jobs.get(id)?.status,
    answer503: (n, after = "0") => {
      unavailable = n;
      retryAfter = after;
    },
    failWith: (error) => {
      failing = error;
    },
    unknownTotal: (yes) => {
      unknown = yes;
    },
    hold: (yes) => {
      holding = yes;
    },
    refuseUploads: (yes) => {
      refusing = yes;
    },
    truncateDownloads: (yes) => {
      truncating = yes;
    },
    reset: () => {
      unavailable = 0;
      retryAfter = "0";
      failing = null;
      unknown = false;
      holding = false;
      refusing = false;
      truncating = false;
    },
    close: async () => {
      await new Promise<void>((closed) => {
        server.close(() => closed());
        server.closeAllConnections();
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The URL of a fake that is closed again: nothing listens there, a connection is refused.
 *
 * @example
 * const url = await closedUrl(); // "http://127.0.0.1:40123", refusing
 */
export async function closedUrl(): Promise<string> {
  const closed = await startFakeJobApi({ apiKey: "closed" });
  await closed.close();
  return closed.url;
}

const REPO = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Runs a CLI as its npm script does (tsx on the pinned node, from the repository root, as
 * test/support/run-tsx.ts) and sends it SIGINT, as Ctrl-C does, once its stderr matches `when`.
 * A CLI that never gets there is killed after `timeoutMs`.
 *
 * @example
 * const run = await runInterrupted("lambdas/local/export-cli.ts", ["--kind", "events"], env, /: running, /);
 * run.code; // 130
 */
export function runInterrupted(
  script: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  when: RegExp,
  timeoutMs = 20_000,
): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
      cwd: REPO,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let sent = false;
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      if (!sent && when.test(stderr)) {
        sent = true;
        child.kill("SIGINT");
      }
    });
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
