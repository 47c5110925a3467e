/**
 * `npm run export` (lambdas/local/export-cli.ts) and its job client (job-client.ts): usage errors
 * and `--help` as a process; the progress on a terminal and off one; the client against a fake of
 * the job API on a real socket (503 retried after its Retry-After, problem answers, a failed job,
 * Ctrl-C, an unreachable service, the download streamed); and end to end against the local server
 * (`… against npm start`, which needs the `/v1/exports` routes): the exported file holds exactly
 * what the list routes return.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { stripVTControlCharacters } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { JobStatus } from "../../lambdas/contract/jobs.js";
import { formatExport, HELP, parseExportArgs, runExport } from "../../lambdas/local/export-cli.js";
import {
  type JobCore,
  type Progress,
  problemLine,
  redactLink,
  terminalProgress,
} from "../../lambdas/local/job-client.js";
import { runTsx } from "../support/run-tsx.js";
import { expectHelp, expectUsageError, oneLineOf } from "./cli-test-helpers.js";
import {
  closedUrl,
  type FakeJobApi,
  LINK_SIGNATURE,
  runInterrupted,
  startFakeJobApi,
} from "./fake-job-api.js";
import { call, useLocalServer } from "./http-helpers.js";

const CLI = "lambdas/local/export-cli.ts";
const KEY = "test-key-export-cli";
const dir = mkdtempSync(join(tmpdir(), "export-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One line on stderr, naming the problem, with no stack frames. */
const expectOneLine = oneLineOf("export");

/** A progress that records what it is told. */
function recorder(onJob: (job: JobCore) => void = () => undefined) {
  const jobs: string[] = [];
  const bytes: [string, number, number | null][] = [];
  const notes: string[] = [];
  const progress: Progress = {
    job: (job) => {
      jobs.push(`${job.status}:${job.progress.done}/${job.progress.rows}`);
      onJob(job);
    },
    bytes: (label, n, total) => bytes.push([label, n, total]),
    note: (text) => notes.push(text),
    stop: () => undefined,
  };
  return { progress, jobs, bytes, notes };
}

/** A stream that records what is written to it, a terminal or not. */
function captured(isTTY: boolean) {
  let text = "";
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        text += String(chunk);
        done();
      },
    }),
    { isTTY, columns: 120 },
  );
  return { stream, text: () => text };
}

/** Text without terminal control sequences. */
const plain = (text: string) => stripVTControlCharacters(text);

const job = (status: JobStatus, done: number, rows: number | null): JobCore => ({
  id: "0123456789abcdef01234567",
  status,
  progress: { done, rows },
  error: null,
});

describe("npm run export: usage", () => {
  it("--help prints usage, options and exit codes", async () => {
    // Act, Assess
    await expectHelp(CLI, HELP, "Usage: npm run export");
  });

  it.concurrent.each([
    [["--bogus"], /Unknown option '--bogus'; see --help$/m],
    [["--format", "csv"], /--kind is required/],
    [["--kind", "lists"], /--kind is one of suppressions, events; got lists/],
    [["--kind", "events", "--format", "xml"], /--format is one of csv, jsonl; got xml/],
    [["--kind", "suppressions", "--filter", "type=invalid"], /unknown filter 'type' for --kind suppressions/],
    [["--kind", "events", "--filter", "limit=5"], /unknown filter 'limit' for --kind events/],
    [["--kind", "suppressions", "--filter", "cause=nope"], /--filter cause: Invalid option/],
    [["--kind", "suppressions", "--filter", "cause"], /--filter takes name=value; got 'cause'/],
    [["--kind", "events", "--filter", "tag=a", "--filter", "tag=b"], /--filter tag is given twice/],
    [["--kind", "events", "--filter", "from=yesterday"], /--filter from: /],
    [["--id", "nope"], /--id: a job id is 24 lower-case hex digits; got nope/],
    [["--retry", "A".repeat(24)], /--retry: a job id is 24 lower-case hex digits/],
    [["--id", "0".repeat(24), "--kind", "events"], /--kind is for a new export/],
    [["--id", "0".repeat(24), "--retry", "0".repeat(24)], /give --id or --retry, not both/],
    [["--kind", "events", "extra"], /unexpected argument 'extra'/],
    [["--kind", "events", "--url", "ftp://x"], /--url must be an http\(s\) URL; got ftp:\/\/x/],
    [["--kind", "events", "--out", " "], /--out needs a file name/],
  ])("%j is one line on stderr and exit code 2", async (args, message) => {
    // Act, Assess
    await expectUsageError(CLI, expectOneLine, args, message);
  });

  it("without a key is exit code 2", async () => {
    // Act
    const run = await runTsx(CLI, ["--kind", "events"], { env: { SUPPRESSION_API_KEY: "" } });
    // Assess
    expect(run.code).toBe(2);
    expectOneLine(run.stderr, /no API key: set SUPPRESSION_API_KEY or pass --key/);
  });

  it("reads filters into the contract's request; --key wins over the environment", () => {
    // Act
    const options = parseExportArgs(
      ["-k", "suppressions", "-f", "jsonl", "--filter", "cause=complaint", "--filter", "q=@example.org"],
      { SUPPRESSION_API_KEY: "env" },
    );
    const follow = parseExportArgs(["--id", "a".repeat(24), "--key", "flag", "--url", "http://h:1"], {
      SUPPRESSION_API_KEY: "env",
    });
    const retry = parseExportArgs(["--retry", "b".repeat(24), "--api-key", "old-flag"], {});
    // Assess
    expect(options).toEqual({
      action: "start",
      request: { kind: "suppressions", format: "jsonl", filters: { cause: "complaint", q: "@example.org" } },
      url: "http://127.0.0.1:3000",
      apiKey: "env",
      out: undefined,
      json: false,
    });
    expect(follow).toMatchObject({ action: "follow", id: "a".repeat(24), apiKey: "flag", url: "http://h:1" });
    expect(retry).toMatchObject({ action: "retry", id: "b".repeat(24), apiKey: "old-flag" });
    expect(parseExportArgs(["--kind", "events", "-h"], {})).toBe("help");
  });
});

describe("job client helpers", () => {
  it("writes a problem answer as one line with its status, title, detail and issues", () => {
    expect(
      problemLine(
        "POST /v1/exports",
        400,
        {
          title: "Bad Request",
          detail: "The body is not valid.",
          errors: [{ path: "filters.cause", message: "Invalid option" }],
        },
        "",
      ),
    ).toBe("POST /v1/exports: 400 Bad Request: The body is not valid. (filters.cause: Invalid option)");
    expect(problemLine("GET /v1/exports/x", 404, { title: "Not Found" }, "")).toBe(
      "GET /v1/exports/x: 404 Not Found",
    );
    expect(
      problemLine("GET /x", 503, { title: "Service Unavailable", detail: "The store\ndid not answer." }, ""),
    ).toBe("GET /x: 503 Service Unavailable: The store did not answer.");
    expect(
      problemLine(
        "GET link",
        403,
        undefined,
        "<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>",
      ),
    ).toBe("GET link: 403 AccessDenied: Request has expired");
    expect(problemLine("GET /x", 502, undefined, "Bad gateway\nupstream")).toBe(
      "GET /x: 502 Bad gateway upstream",
    );
    expect(problemLine("GET /x", 500, undefined, "")).toBe("GET /x: 500");
  });

  it("never prints a presigned link's signature", () => {
    expect(redactLink("http://127.0.0.1:9/b/k.csv?X-Amz-Signature=abc&X-Amz-Credential=x")).toBe(
      "http://127.0.0.1:9/b/k.csv",
    );
    expect(redactLink("not a link")).toBe("the link");
  });
});

describe("the progress", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("on a terminal is a bar: a row counter until the total is known, then the rows; bytes in KiB", () => {
    // Prepare
    const out = captured(true);
    const progress = terminalProgress("export", out.stream);
    // Act
    progress.job(job("queued", 0, null));
    progress.job(job("running", 40, null));
    progress.job(job("running", 50, 100));
    progress.job(job("succeeded", 100, 100));
    progress.bytes("download", 3 * 1024, 6 * 1024);
    progress.stop();
    // Assess
    const text = out.text();
    expect(text.startsWith("\x1b7\x1b[?25l")).toBe(true);
    expect(text.endsWith("\x1b[?25h\x1b[?7h\x1b8\n")).toBe(true);
    const lines = plain(text)
      .split("\n")
      .filter((line) => line !== "");
    expect(lines).toEqual([
      "export queued 0 rows | 0s",
      "export running 40 rows | 0s",
      `export running ${"█".repeat(20)}${"░".repeat(20)} 50% | 50/100 rows | 0s`,
      `export succeeded ${"█".repeat(40)} 100% | 100/100 rows | 0s`,
      `export download ${"█".repeat(20)}${"░".repeat(20)} 50% | 3/6 KiB | 0s`,
    ]);
  });

  it("off a terminal is a line per status change, and one at most every lineEveryMs while it stays", () => {
    // Prepare
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.parse("2026-12-02T08:00:00Z"));
    const out = captured(false);
    const progress = terminalProgress("export", out.stream, { lineEveryMs: 10_000 });
    // Act
    progress.job(job("queued", 0, null));
    progress.job(job("queued", 0, null));
    progress.job(job("running", 5, null));
    vi.advanceTimersByTime(9_999);
    progress.job(job("running", 6, 10));
    vi.advanceTimersByTime(1);
    progress.job(job("running", 7, 10));
    progress.bytes("download", 10, 20);
    progress.job(job("succeeded", 10, 10));
    progress.note("the service answered 503; again in 1.0 s");
    progress.stop();
    // Assess
    expect(out.text()).toBe(
      [
        "export 0123456789abcdef01234567: queued, 0 rows",
        "export 0123456789abcdef01234567: running, 5 rows",
        "export 0123456789abcdef01234567: running, 7/10 rows",
        "export 0123456789abcdef01234567: succeeded, 10/10 rows",
        "export: the service answered 503; again in 1.0 s",
        "",
      ].join("\n"),
    );
  });
});

describe("npm run export against a fake job API", () => {
  let api: FakeJobApi;
  const exportFile = "subject,cause\na@example.org,bounce\nb@example.org,complaint\n";
  beforeAll(async () => {
    api = await startFakeJobApi({ apiKey: KEY, exportFile });
  });
  afterAll(async () => {
    await api?.close();
  });
  afterEach(() => api.reset());
  const base = () => ({ url: api.url, apiKey: KEY, json: false });

  it("starts the job, waits through queued and running, downloads the file and sums it up", async () => {
    // Prepare
    const out = join(dir, "fake.csv");
    const seen = recorder();
    // Act
    const outcome = await runExport(
      { action: "start", request: { kind: "suppressions", filters: { cause: "bounce" } }, ...base(), out },
      { progress: seen.progress, intervalMs: 1 },
    );
    // Assess
    expect(outcome.error).toBeUndefined();
    expect(outcome.exitCode).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(exportFile);
    expect(existsSync(`${out}.part`)).toBe(false);
    expect(outcome.bytes).toBe(Buffer.byteLength(exportFile));
    expect(outcome.job).toMatchObject({ filters: { cause: "bounce" }, rows: 2 });
    expect(seen.jobs).toEqual([
      "queued:0/null",
      "running:0/null",
      "running:1/2",
      "running:1/2",
      "succeeded:2/2",
    ]);
    expect(formatExport(outcome, false)).toMatch(
      new RegExp(`^export ${outcome.job?.id}: 2 rows, ${outcome.bytes} bytes → ${out} \\(suppressions, csv;`),
    );
  });

  it("retries a 503 after its Retry-After, and says so", async () => {
    // Prepare
    // 2 s: not the 1 s it waits when no Retry-After is given.
    api.answer503(1, "2");
    const out = join(dir, "retried.csv");
    const seen = recorder();
    const before = api.requests.length;
    const startedAt = Date.now();
    // Act
    const outcome = await runExport(
      { action: "start", request: { kind: "events", format: "csv" }, ...base(), out },
      { progress: seen.progress, intervalMs: 1 },
    );
    // Assess
    expect(outcome.exitCode).toBe(0);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(2000);
    expect(seen.notes).toEqual(["the service answered 503; again in 2.0 s"]);
    expect(api.requests.slice(before, before + 2)).toEqual(["POST /v1/exports", "POST /v1/exports"]);
    expect(readFileSync(out, "utf8")).toBe(exportFile);
  });

  it("gives up on a 503 that lasts past the retries: exit code 1, the problem on one line", async () => {
    // Prepare
    api.answer503(100, "0");
    const seen = recorder();
    // Act
    const outcome = await runExport(
      { action: "start", request: { kind: "events" }, ...base(), out: join(dir, "never-503.csv") },
      { progress: seen.progress },
    );
    // Assess
    expect(outcome).toEqual({
      exitCode: 1,
      error: "POST /v1/exports: 503 Service Unavailable: The store did not answer in time.",
    });
    expect(seen.notes).toHaveLength(4);
  });

  it("a job that fails is exit code 1 with its error; --retry runs it again", async () => {
    // Prepare
    api.failWith("the store did not answer");
    const out = join(dir, "failed.csv");
    // Act
    const failed = await runExport(
      { action: "start", request: { kind: "suppressions" }, ...base(), out },
      { intervalMs: 1 },
    );
    api.failWith(null);
    const id = failed.job?.id ?? "";
    const retried = await runExport({ action: "retry", id, ...base(), out }, { intervalMs: 1 });
    const again = await runExport({ action: "retry", id, ...base(), out }, { intervalMs: 1 });
    // Assess
    expect(failed.exitCode).toBe(1);
    expect(failed.job?.status).toBe("failed");
    expect(failed.error).toBe(
      `export ${id} failed: the store did not answer; npm run export -- --retry ${id} runs it again`,
    );
    expect(retried).toMatchObject({ exitCode: 0, job: { id, attempts: 2, status: "succeeded" } });
    expect(again.exitCode).toBe(1);
    expect(again.error).toBe(`POST /v1/exports/${id}/retry: 409 Conflict: The job is succeeded, not failed.`);
  });

  it("a failed job as a process: its error on one line, exit code 1, no file", async () => {
    // Prepare
    api.failWith("the store did not answer");
    const out = join(dir, "failed-process.csv");
    // Act
    const run = await runTsx(CLI, ["--kind", "suppressions", "--url", api.url, "--out", out], {
      env: { SUPPRESSION_API_KEY: KEY },
    });
    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    const lines = run.stderr.split("\n").filter(Boolean);
    expect(lines.at(-1)).toMatch(
      /^export: export [0-9a-f]{24} failed: the store did not answer; npm run export -- --retry [0-9a-f]{24} runs it again$/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it("an unknown job or a wrong key is one line with the status and the problem's detail", async () => {
    // Act
    const unknown = await runExport({ action: "follow", id: "f".repeat(24), ...base(), out: undefined });
    const wrongKey = await runTsx(CLI, ["--kind", "events", "--url", api.url], {
      env: { SUPPRESSION_API_KEY: "wrong" },
    });
    // Assess
    expect(unknown).toEqual({
      exitCode: 1,
      error: `GET /v1/exports/${"f".repeat(24)}: 404 Not Found: There is no export ${"f".repeat(24)} in this tenant.`,
    });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stdout).toBe("");
    expect(wrongKey.stderr).toBe(
      "export: POST /v1/exports: 401 Unauthorized: The bearer key is missing or not valid. (check --key or SUPPRESSION_API_KEY)\n",
    );
  });

  it("Ctrl-C stops waiting, says the job goes on and how to pick it up (exit code 130)", async () => {
    // Prepare
    const controller = new AbortController();
    let id = "";
    const seen = recorder((j) => {
      id = j.id;
      if (j.status === "running") controller.abort();
    });
    // Act
    const outcome = await runExport(
      { action: "start", request: { kind: "suppressions" }, ...base(), out: join(dir, "never.csv") },
      { progress: seen.progress, signal: controller.signal, intervalMs: 60_000 },
    );
    // Assess
    expect(outcome.exitCode).toBe(130);
    expect(outcome.error).toBe(
      `stopped waiting; export ${id} goes on in the service: npm run export -- --id ${id} waits for it and downloads the file`,
    );
    expect(api.statusOf(id)).toBe("running");
  });

  it("Ctrl-C as a process: exit code 130, the job is not cancelled, and --id picks it up", async () => {
    // Prepare
    api.hold(true);
    const out = join(dir, "picked-up.csv");
    const before = api.requests.length;
    // Act
    const stopped = await runInterrupted(
      CLI,
      ["--kind", "suppressions", "--url", api.url, "--out", out],
      { SUPPRESSION_API_KEY: KEY },
      /: running, /,
    );
    const id = /export ([0-9a-f]{24}): running/.exec(stopped.stderr)?.[1] ?? "";
    const during = api.requests.slice(before);
    const fileAfterStop = existsSync(out);
    const statusAfterStop = api.statusOf(id);
    api.hold(false);
    const resumed = await runTsx(CLI, ["--id", id, "--url", api.url, "--out", out], {
      env: { SUPPRESSION_API_KEY: KEY },
    });
    // Assess
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toBe("");
    expect(stopped.stderr.split("\n").filter(Boolean).at(-1)).toBe(
      `export: stopped waiting; export ${id} goes on in the service: npm run export -- --id ${id} waits for it and downloads the file`,
    );
    expect(during[0]).toBe("POST /v1/exports");
    expect(during.slice(1).every((r) => r === `GET /v1/exports/${id}`)).toBe(true);
    expect(fileAfterStop).toBe(false);
    expect(statusAfterStop).toBe("running");
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`^export ${id}: 2 rows, `));
    expect(readFileSync(out, "utf8")).toBe(exportFile);
  });

  it("as a process: the summary on stdout, a status line per change on stderr (not a terminal)", async () => {
    // Prepare
    const out = join(dir, "process.jsonl");
    // Act
    const run = await runTsx(CLI, ["--kind", "suppressions", "--url", api.url, "--out", out, "--json"], {
      env: { SUPPRESSION_API_KEY: KEY },
    });
    // Assess
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      status: "succeeded",
      kind: "suppressions",
      format: "csv",
      rows: 2,
      bytes: Buffer.byteLength(exportFile),
      path: out,
      masked: false,
      expiresAt: expect.any(String),
      error: null,
    });
    expect(run.stderr.split("\n").filter(Boolean)).toEqual([
      `export ${summary.id}: queued, 0 rows`,
      `export ${summary.id}: running, 0 rows`,
      `export ${summary.id}: succeeded, 2/2 rows`,
    ]);
    expect(readFileSync(out, "utf8")).toBe(exportFile);
  });

  it("an unreachable --url is one line and exit code 1", async () => {
    // Prepare
    const url = await closedUrl();
    // Act
    const run = await runTsx(CLI, ["--kind", "events", "--url", url], {
      env: { SUPPRESSION_API_KEY: KEY },
    });
    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expectOneLine(
      run.stderr,
      new RegExp(`^export: cannot reach ${url} \\(POST /v1/exports\\): connect ECONNREFUSED`),
    );
  });
});

describe("npm run export: the download", () => {
  let api: FakeJobApi;
  // 40 000 rows, ~1.2 MB: many chunks on the wire.
  const rows = Array.from({ length: 40_000 }, (_, i) => `user${i}@example.org,bounce`);
  const exportFile = `subject,cause\n${rows.join("\n")}\n`;
  beforeAll(async () => {
    api = await startFakeJobApi({ apiKey: KEY, exportFile });
  });
  afterAll(async () => {
    await api?.close();
  });
  const options = (out: string) =>
    ({
      action: "start",
      request: { kind: "suppressions" },
      url: api.url,
      apiKey: KEY,
      out,
      json: false,
    }) as const;

  it("is streamed to the file a chunk at a time, with its progress", async () => {
    // Prepare
    const out = join(dir, "big.csv");
    const seen = recorder();
    // Act
    const outcome = await runExport(options(out), { progress: seen.progress, intervalMs: 1 });
    // Assess
    const size = Buffer.byteLength(exportFile);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.bytes).toBe(size);
    expect(readFileSync(out, "utf8")).toBe(exportFile);
    expect(seen.bytes.length).toBeGreaterThan(2);
    expect(seen.bytes.every(([label, , total]) => label === "download" && total === size)).toBe(true);
    const counts = seen.bytes.map(([, n]) => n);
    expect(counts.every((n, i) => i === 0 || n > (counts[i - 1] ?? 0))).toBe(true);
    expect(counts[0]).toBeLessThan(size);
    expect(counts.at(-1)).toBe(size);
  });

  it("cut short is exit code 1 on one line without the link's signature, and leaves no file", async () => {
    // Prepare
    api.truncateDownloads(true);
    const out = join(dir, "cut.csv");
    // Act
    const outcome = await runExport(options(out), { intervalMs: 1 });
    api.truncateDownloads(false);
    // Assess
    expect(outcome.exitCode).toBe(1);
    expect(outcome.error).toMatch(
      new RegExp(`^GET ${api.url}/files/${outcome.job?.id}/export → ${out}: [^\\n]+$`),
    );
    expect(outcome.error).not.toContain(LINK_SIGNATURE);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.part`)).toBe(false);
  });
});

describe("npm run export against npm start", () => {
  const running = useLocalServer(KEY);
  const run = Date.now().toString(36);
  const addresses = Array.from({ length: 7 }, (_, i) => `export${i}.${run}@cli.example.org`);

  /** Every item of a list route, following `cursor` until it is null. */
  async function everything(path: string): Promise<unknown[]> {
    const items: unknown[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `${path.includes("?") ? "&" : "?"}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const page = await call(running().url, "GET", `${path}${query}`, { key: KEY });
      expect(page.status).toBe(200);
      items.push(...(page.body.items as unknown[]));
      cursor = page.body.cursor as string | null;
    } while (cursor !== null);
    return items;
  }

  const lines = (path: string) =>
    readFileSync(path, "utf8")
      .split("\n")
      .filter((line) => line !== "");

  beforeAll(async () => {
    for (const address of addresses) {
      const put = await call(running().url, "PUT", `/v1/suppressions/${encodeURIComponent(address)}`, {
        key: KEY,
        body: { note: "export test" },
      });
      expect(put.status).toBeLessThan(300);
    }
    const timestamp = Math.floor(Date.now() / 1000) - 60;
    const imported = await call(running().url, "POST", "/v1/import/sendgrid", {
      key: KEY,
      body: addresses.slice(0, 3).map((email, i) => ({
        email,
        timestamp,
        event: "bounce",
        sg_event_id: `export-${run}-${i}`,
        type: "bounce",
        status: "5.1.1",
        reason: "550 5.1.1 The email account that you tried to reach does not exist.",
      })),
    });
    expect(imported.status).toBe(200);
  });

  it("a JSON Lines export of the suppressions is exactly what GET /v1/suppressions lists", async () => {
    // Prepare
    const out = join(dir, "e2e-suppressions.jsonl");
    // Act
    const cli = await runTsx(
      CLI,
      ["--kind", "suppressions", "--format", "jsonl", "--url", running().url, "--out", out, "--json"],
      { env: { SUPPRESSION_API_KEY: KEY } },
    );
    const listed = await everything("/v1/suppressions");
    // Assess
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({
      status: "succeeded",
      kind: "suppressions",
      format: "jsonl",
      rows: listed.length,
      path: out,
      masked: false,
      error: null,
    });
    expect(listed.length).toBeGreaterThanOrEqual(addresses.length);
    expect(lines(out).map((line) => JSON.parse(line))).toEqual(listed);
  });

  it("a filtered CSV export has a header and one row per entry the filtered list holds", async () => {
    // Prepare
    const out = join(dir, "e2e-bounces.csv");
    // Act
    const cli = await runTsx(
      CLI,
      ["--kind", "suppressions", "--filter", "cause=bounce", "--url", running().url, "--out", out],
      { env: { SUPPRESSION_API_KEY: KEY } },
    );
    const listed = await everything("/v1/suppressions?cause=bounce");
    // Assess
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(
      new RegExp(`^export [0-9a-f]{24}: ${listed.length} rows, \\d+ bytes → ${out} `),
    );
    expect(listed).toHaveLength(3);
    expect(lines(out)).toHaveLength(listed.length + 1);
    for (const address of addresses.slice(0, 3)) expect(readFileSync(out, "utf8")).toContain(address);
    expect(readFileSync(out, "utf8")).not.toContain(addresses[3]);
  });

  it("an events export is exactly what GET /v1/events lists under the same filter", async () => {
    // Prepare
    const out = join(dir, "e2e-events.jsonl");
    // Act
    const cli = await runTsx(
      CLI,
      ["-k", "events", "-f", "jsonl", "--filter", "type=invalid", "--url", running().url, "-o", out],
      { env: { SUPPRESSION_API_KEY: KEY } },
    );
    const listed = await everything("/v1/events?type=invalid");
    // Assess
    expect(cli.code, cli.stderr).toBe(0);
    expect(listed).toHaveLength(3);
    expect(lines(out).map((line) => JSON.parse(line))).toEqual(listed);
  });

  it("an unknown job is the service's 404 on one line, exit code 1", async () => {
    // Act
    const cli = await runTsx(CLI, ["--id", "0".repeat(24), "--url", running().url], {
      env: { SUPPRESSION_API_KEY: KEY },
    });
    // Assess
    expect(cli.code).toBe(1);
    expectOneLine(cli.stderr, new RegExp(`^export: GET /v1/exports/${"0".repeat(24)}: 404 `));
  });
});
