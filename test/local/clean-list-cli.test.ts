/**
 * `npm run clean-list` (lambdas/local/clean-list-cli.ts): `--help` and usage errors as a process
 * (one line on stderr, exit code 2); against a fake of the job API on a real socket, the list
 * streamed to the presigned PUT (its length up front, never chunked), the job started and
 * followed, the two files streamed down, the summary; a refused upload, a failed job, Ctrl-C, an
 * unreachable service; and end to end against the local server (`… against npm start`, which
 * needs the `/v1/list-checks` routes).
 */
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DROP_COLUMNS, LIST_CHECK_UPLOAD_BYTES, ROW_REASONS } from "../../lambdas/contract/list-checks.js";
import {
  type CleanListOptions,
  formatCleanList,
  HELP,
  parseCleanListArgs,
  runCleanList,
} from "../../lambdas/local/clean-list-cli.js";
import type { JobCore, Progress } from "../../lambdas/local/job-client.js";
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

const CLI = "lambdas/local/clean-list-cli.ts";
const KEY = "test-key-clean-list-cli";
const dir = mkdtempSync(join(tmpdir(), "clean-list-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a file in the test's directory and returns its path. */
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** One line on stderr, naming the problem, with no stack frames. */
const expectOneLine = oneLineOf("clean-list");

/** A progress that records what it is told. */
function recorder(
  onJob: (job: JobCore) => void = () => undefined,
  onBytes: (label: string) => void = () => undefined,
) {
  const jobs: string[] = [];
  const bytes: [string, number, number | null][] = [];
  const notes: string[] = [];
  const progress: Progress = {
    job: (job) => {
      jobs.push(job.status);
      onJob(job);
    },
    bytes: (label, n, total) => {
      bytes.push([label, n, total]);
      onBytes(label);
    },
    note: (text) => notes.push(text),
    stop: () => undefined,
  };
  return { progress, jobs, bytes, notes };
}

const lines = (path: string) =>
  readFileSync(path, "utf8")
    .split(/\r?\n/)
    .filter((line) => line !== "");

/** A small list: a header, two rows to keep, one of each reason to drop. */
const SMALL = [
  "email,name",
  "ann@example.org,Ann",
  "blocked@example.org,Bo",
  "not-an-address,Cy",
  "ann@example.org,Ann again",
  "dee@example.org,Dee",
].join("\n");

/** The summary's counts for a list like SMALL: five rows, two kept, one dropped for each cause. */
const SMALL_COUNTS = {
  rows: 5,
  kept: 2,
  dropped: 3,
  invalid: 1,
  duplicates: 1,
  suppressed: 1,
  byCause: { manual: 1, invalid_syntax: 1, duplicate: 1 },
};

describe("npm run clean-list: usage", () => {
  it("--help prints usage, options and exit codes", async () => {
    // Act, Assess
    await expectHelp(CLI, HELP, "Usage: npm run clean-list -- FILE");
  });

  it.concurrent.each([
    [
      ["--bogus", "f.csv"],
      /Unknown option '--bogus' \(a FILE whose name starts with - goes after --\); see --help$/m,
    ],
    [[], /name the list FILE to clean/],
    [["a.csv", "b.csv"], /unexpected argument 'b\.csv'/],
    [["--id", "nope"], /--id: a job id is 24 lower-case hex digits/],
    [["--retry", "nope"], /--retry: a job id is 24 lower-case hex digits/],
    [["f.csv", "--id", "0".repeat(24)], /give FILE or --id <job>, not both/],
    [["--id", "0".repeat(24), "--retry", "0".repeat(24)], /give --id or --retry, not both/],
    [
      ["--retry", "0".repeat(24), "--scope", "news"],
      /--scope and --column are for a new list check; --retry/,
    ],
    [["f.csv", "--scope", "news letter"], /--scope: a scope is `\*` or names/],
    [["f.csv", "--column", "x".repeat(300)], /--column: /],
    [["f.csv", "--url", "file:///x"], /--url must be an http\(s\) URL/],
    [["no-such-file.csv"], /^clean-list: no-such-file\.csv: cannot be read \(ENOENT/],
  ])("%j is one line on stderr and exit code 2", async (args, message) => {
    // Act, Assess
    await expectUsageError(CLI, expectOneLine, args, message);
  });

  it("a list over the upload limit is exit code 2 before anything is sent", async () => {
    // Prepare
    const path = join(dir, "huge.csv");
    writeFileSync(path, "");
    truncateSync(path, LIST_CHECK_UPLOAD_BYTES + 1); // sparse: no disk used
    // Act
    const run = await runTsx(CLI, [path, "--url", "http://127.0.0.1:1"], {
      env: { SUPPRESSION_API_KEY: "k" },
    });
    // Assess
    expect(run.code).toBe(2);
    expectOneLine(
      run.stderr,
      /huge\.csv: 256 MiB; the service takes lists of at most 256 MiB \(split it\)$/m,
    );
  });

  it("reads the scope and column into the contract's request; --key wins over the environment", () => {
    // Act
    const start = parseCleanListArgs(["list.csv", "--scope", "newsletter", "--column", " Email "], {
      SUPPRESSION_API_KEY: "env",
    });
    const follow = parseCleanListArgs(["--id", "a".repeat(24), "--key", "flag", "--out-dir", "out"], {
      SUPPRESSION_API_KEY: "env",
    });
    // Assess
    expect(start).toEqual({
      action: "start",
      file: "list.csv",
      request: { upload: true, scope: "newsletter", column: "Email" },
      url: "http://127.0.0.1:3000",
      apiKey: "env",
      outDir: undefined,
      json: false,
    });
    expect(follow).toMatchObject({ action: "follow", id: "a".repeat(24), apiKey: "flag", outDir: "out" });
    expect(parseCleanListArgs(["--retry", "b".repeat(24)], { SUPPRESSION_API_KEY: "k" })).toMatchObject({
      action: "retry",
      id: "b".repeat(24),
    });
  });
});

describe("npm run clean-list against a fake job API", () => {
  let api: FakeJobApi;
  beforeAll(async () => {
    api = await startFakeJobApi({ apiKey: KEY });
  });
  afterAll(async () => {
    await api?.close();
  });
  afterEach(() => api.reset());
  const start = (path: string, outDir = dir): CleanListOptions => ({
    action: "start",
    file: path,
    request: { upload: true },
    url: api.url,
    apiKey: KEY,
    outDir,
    json: false,
  });

  it("streams a large list to the presigned PUT with its length up front, never chunked", async () => {
    // Prepare
    const rows = Array.from({ length: 40_000 }, (_, i) => `user${i}@example.org,User ${i}`);
    const path = file("big.csv", `email,name\n${rows.join("\n")}\nblocked@example.org,Bo\n`);
    const size = statSync(path).size;
    const seen = recorder();
    const before = api.requests.length;
    // Act
    const outcome = await runCleanList(start(path), { progress: seen.progress, intervalMs: 1 });
    // Assess
    expect(outcome.error).toBeUndefined();
    expect(outcome.exitCode).toBe(0);
    expect(api.lastUpload).toEqual({ contentLength: String(size), transferEncoding: undefined, bytes: size });
    const sent = seen.bytes.filter(([label]) => label === "upload").map(([, n]) => n);
    expect(sent.length).toBeGreaterThan(2);
    expect(sent.every((n, i) => i === 0 || n > (sent[i - 1] ?? 0))).toBe(true);
    expect(sent[0]).toBeLessThan(size);
    expect(sent.at(-1)).toBe(size);
    const id = outcome.job?.id ?? "";
    expect(api.requests.slice(before, before + 3)).toEqual([
      "POST /v1/list-checks",
      `PUT /uploads/${id}`,
      `POST /v1/list-checks/${id}/start`,
    ]);
    expect(api.requests.slice(-2)).toEqual([`GET /files/${id}/keep`, `GET /files/${id}/drop`]);
    expect(outcome.keep?.path).toBe(join(dir, "big.keep.csv"));
    expect(lines(join(dir, "big.keep.csv"))).toEqual(["email,name", ...rows]);
    expect(lines(join(dir, "big.drop.csv"))).toEqual([
      `email,name,${DROP_COLUMNS.join(",")}`,
      "blocked@example.org,Bo,manual,manual",
    ]);
    expect(seen.bytes.some(([label]) => label === "download keep")).toBe(true);
    expect(outcome.job?.summary).toMatchObject({ rows: 40_001, kept: 40_000, dropped: 1, suppressed: 1 });
  });

  it("as a process: the aligned summary on stdout, a status line per change on stderr", async () => {
    // Prepare
    const path = file("small.csv", SMALL);
    const out = mkdtempSync(join(dir, "out-"));
    // Act
    const run = await runTsx(CLI, [path, "--url", api.url, "--out-dir", out], {
      env: { SUPPRESSION_API_KEY: KEY },
    });
    // Assess
    expect(run.code, run.stderr).toBe(0);
    const id = /list check ([0-9a-f]{24}):/.exec(run.stderr)?.[1] ?? "";
    expect(run.stderr.split("\n").filter(Boolean)).toEqual([
      `list check ${id}: queued, 0 rows`,
      `list check ${id}: running, 0 rows`,
      `list check ${id}: succeeded, 5/5 rows`,
    ]);
    const keep = join(out, "small.keep.csv");
    const drop = join(out, "small.drop.csv");
    // The widest label, "  same address as an earlier row", is 32 characters; counts right-aligned.
    const col = (label: string, n: number) => `${label.padEnd(32)}  ${n}`;
    expect(ROW_REASONS.duplicate).toBe("same address as an earlier row");
    expect(run.stdout.split("\n")).toEqual([
      col("rows", 5),
      col("kept", 2),
      col("dropped", 3),
      col("  suppressed", 1),
      col("  invalid", 1),
      col("  duplicates", 1),
      "by cause",
      col("  manual", 1),
      col("  invalid_syntax", 1),
      col("  duplicate", 1),
      "by reason",
      col("  manual", 1),
      col("  not an email address", 1),
      col("  same address as an earlier row", 1),
      `keep: ${keep} (${statSync(keep).size} bytes)`,
      `drop: ${drop} (${statSync(drop).size} bytes)`,
      expect.stringMatching(new RegExp(`^list check ${id}; the service keeps the files until 20\\d\\d-`)),
      "",
    ]);
    expect(lines(keep)).toEqual(["email,name", "ann@example.org,Ann", "dee@example.org,Dee"]);
  });

  it("--json prints the job's summary and the two files as one object", async () => {
    // Prepare
    const path = file("json.csv", SMALL);
    // Act
    const run = await runTsx(CLI, [path, "--url", api.url, "--json"], { env: { SUPPRESSION_API_KEY: KEY } });
    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      status: "succeeded",
      summary: {
        ...SMALL_COUNTS,
        byReason: { manual: 1, "not an email address": 1, [ROW_REASONS.duplicate]: 1 },
      },
      keep: { path: join(dir, "json.keep.csv"), bytes: statSync(join(dir, "json.keep.csv")).size },
      drop: { path: join(dir, "json.drop.csv"), bytes: statSync(join(dir, "json.drop.csv")).size },
      expiresAt: expect.any(String),
      error: null,
    });
  });

  it("retries a 503 after its Retry-After, and says so", async () => {
    // Prepare
    // 0 s: not the 1 s it waits when no Retry-After is given.
    api.answer503(2, "0");
    const seen = recorder();
    // Act
    const outcome = await runCleanList(start(file("retried.csv", SMALL)), {
      progress: seen.progress,
      intervalMs: 1,
    });
    // Assess
    expect(outcome.exitCode).toBe(0);
    expect(seen.notes).toEqual([
      "the service answered 503; again in 0.0 s",
      "the service answered 503; again in 0.0 s",
    ]);
  });

  it("an upload link that refuses is one line without its signature; the job is never started", async () => {
    // Prepare
    api.refuseUploads(true);
    const before = api.requests.length;
    // Act
    const outcome = await runCleanList(start(file("refused.csv", SMALL)), { intervalMs: 1 });
    // Assess
    const id = outcome.job?.id ?? "";
    expect(outcome.exitCode).toBe(1);
    expect(outcome.error).toBe(`PUT ${api.url}/uploads/${id}: 403 AccessDenied: Request has expired`);
    expect(outcome.error).not.toContain(LINK_SIGNATURE);
    expect(api.requests.slice(before)).toEqual(["POST /v1/list-checks", `PUT /uploads/${id}`]);
    expect(api.statusOf(id)).toBe("awaiting_upload");
  });

  it("a job that fails is exit code 1 with its error on one line; --retry runs it again", async () => {
    // Prepare
    api.failWith("the store did not answer");
    const path = file("failing.csv", SMALL);
    // Act
    const failed = await runTsx(CLI, [path, "--url", api.url], { env: { SUPPRESSION_API_KEY: KEY } });
    api.failWith(null);
    const id = /list check ([0-9a-f]{24}) failed/.exec(failed.stderr)?.[1] ?? "";
    const retried = await runCleanList(
      { action: "retry", id, url: api.url, apiKey: KEY, outDir: dir, json: false },
      { intervalMs: 1 },
    );
    // Assess
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe("");
    expect(failed.stderr.split("\n").filter(Boolean).at(-1)).toBe(
      `clean-list: list check ${id} failed: the store did not answer; npm run clean-list -- --retry ${id} runs it again`,
    );
    expect(existsSync(join(dir, "failing.keep.csv"))).toBe(false);
    expect(retried).toMatchObject({ exitCode: 0, job: { id, attempts: 2, status: "succeeded" } });
    expect(retried.keep?.path).toBe(join(dir, `${id}.keep.csv`));
  });

  it("a wrong key is the service's 401 on one line, exit code 1", async () => {
    // Act
    const run = await runTsx(CLI, [file("wrong-key.csv", SMALL), "--url", api.url], {
      env: { SUPPRESSION_API_KEY: "wrong" },
    });
    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      "clean-list: POST /v1/list-checks: 401 Unauthorized: The bearer key is missing or not valid. (check --key or SUPPRESSION_API_KEY)\n",
    );
  });

  it("--id of a list check whose list never came is exit code 1, not a wait forever", async () => {
    // Prepare
    const created = await fetch(`${api.url}/v1/list-checks`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ upload: true }),
    });
    const { id } = (await created.json()) as { id: string };
    // Act
    const outcome = await runCleanList(
      { action: "follow", id, url: api.url, apiKey: KEY, outDir: dir, json: false },
      { intervalMs: 1 },
    );
    // Assess
    expect(outcome).toMatchObject({
      exitCode: 1,
      error: `list check ${id} is awaiting_upload: its list was never uploaded and started; npm run clean-list -- FILE starts a new one`,
    });
  });

  it("Ctrl-C during the upload: exit code 130, and the job was never started", async () => {
    // Prepare
    const controller = new AbortController();
    const rows = Array.from({ length: 40_000 }, (_, i) => `user${i}@example.org`);
    const path = file("interrupted-upload.csv", `email\n${rows.join("\n")}\n`);
    const seen = recorder(undefined, (label) => {
      if (label === "upload") controller.abort();
    });
    // Act
    const outcome = await runCleanList(start(path), {
      progress: seen.progress,
      signal: controller.signal,
      intervalMs: 1,
    });
    // Assess
    const id = outcome.job?.id ?? "";
    expect(outcome.exitCode).toBe(130);
    expect(outcome.error).toBe(`stopped before the list was uploaded; list check ${id} was never started`);
    expect(api.requests).not.toContain(`POST /v1/list-checks/${id}/start`);
    expect(api.statusOf(id)).toBe("awaiting_upload");
  });

  it("Ctrl-C as a process while it waits: exit code 130, the job goes on, --id picks it up", async () => {
    // Prepare
    api.hold(true);
    const path = file("interrupted.csv", SMALL);
    // Act
    const stopped = await runInterrupted(
      CLI,
      [path, "--url", api.url],
      { SUPPRESSION_API_KEY: KEY },
      /: running, /,
    );
    const id = /list check ([0-9a-f]{24}): running/.exec(stopped.stderr)?.[1] ?? "";
    const statusAfterStop = api.statusOf(id);
    api.hold(false);
    const resumed = await runTsx(CLI, ["--id", id, "--url", api.url, "--out-dir", dir, "--json"], {
      env: { SUPPRESSION_API_KEY: KEY },
    });
    // Assess
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toBe("");
    expect(stopped.stderr.split("\n").filter(Boolean).at(-1)).toBe(
      `clean-list: stopped waiting; list check ${id} goes on in the service: npm run clean-list -- --id ${id} waits for it and downloads the files`,
    );
    expect(statusAfterStop).toBe("running");
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ id, status: "succeeded", summary: { kept: 2 } });
    expect(lines(join(dir, `${id}.keep.csv`))).toEqual([
      "email,name",
      "ann@example.org,Ann",
      "dee@example.org,Dee",
    ]);
  });

  it("a download cut short is exit code 1 and leaves no partial file", async () => {
    // Prepare
    api.truncateDownloads(true);
    const out = mkdtempSync(join(dir, "cut-"));
    // Act
    const outcome = await runCleanList(start(file("cut.csv", SMALL), out), { intervalMs: 1 });
    // Assess
    expect(outcome.exitCode).toBe(1);
    expect(outcome.error).toMatch(
      new RegExp(`^GET ${api.url}/files/[0-9a-f]{24}/keep → ${out}/cut\\.keep\\.csv: `),
    );
    expect(outcome.error).not.toContain(LINK_SIGNATURE);
    expect(existsSync(join(out, "cut.keep.csv"))).toBe(false);
    expect(existsSync(join(out, "cut.keep.csv.part"))).toBe(false);
  });

  it("an unreachable --url is one line and exit code 1", async () => {
    // Prepare
    const url = await closedUrl();
    // Act
    const run = await runTsx(CLI, [file("unreachable.csv", SMALL), "--url", url], {
      env: { SUPPRESSION_API_KEY: KEY },
    });
    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expectOneLine(
      run.stderr,
      new RegExp(`^clean-list: cannot reach ${url} \\(POST /v1/list-checks\\): connect ECONNREFUSED`),
    );
  });

  it("formats nothing but JSON for a run that did not finish", () => {
    expect(formatCleanList({ exitCode: 1, error: "x" }, false)).toBe("");
    expect(JSON.parse(formatCleanList({ exitCode: 1, error: "x" }, true))).toEqual({
      id: null,
      status: null,
      summary: null,
      keep: null,
      drop: null,
      expiresAt: null,
      error: "x",
    });
  });
});

describe("npm run clean-list against npm start", () => {
  const running = useLocalServer(KEY);
  const run = Date.now().toString(36);
  const blocked = `blocked.${run}@cli.example.org`;
  const kept1 = `kept1.${run}@cli.example.org`;
  const kept2 = `kept2.${run}@cli.example.org`;

  beforeAll(async () => {
    const put = await call(running().url, "PUT", `/v1/suppressions/${encodeURIComponent(blocked)}`, {
      key: KEY,
      body: { note: "clean-list test" },
    });
    expect(put.status).toBeLessThan(300);
  });

  it("uploads the list, and writes the rows to keep and to drop with the summary", async () => {
    // Prepare
    const path = file(
      "e2e.csv",
      [
        "Email,Name",
        `${kept1},One`,
        `${blocked},Blocked`,
        "not an address,Nobody",
        `${kept2},Two`,
        `${kept1.toUpperCase()},One again`,
      ].join("\n"),
    );
    const out = mkdtempSync(join(dir, "e2e-"));
    // Act
    const cli = await runTsx(CLI, [path, "--url", running().url, "--out-dir", out, "--json"], {
      env: { SUPPRESSION_API_KEY: KEY },
    });
    // Assess
    expect(cli.code, cli.stderr).toBe(0);
    const summary = JSON.parse(cli.stdout);
    expect(summary).toMatchObject({
      status: "succeeded",
      summary: {
        ...SMALL_COUNTS,
        byReason: expect.objectContaining({ manual: 1, [ROW_REASONS.duplicate]: 1 }),
      },
      keep: { path: join(out, "e2e.keep.csv") },
      drop: { path: join(out, "e2e.drop.csv") },
      error: null,
    });
    expect(lines(join(out, "e2e.keep.csv"))).toEqual(["Email,Name", `${kept1},One`, `${kept2},Two`]);
    const drop = lines(join(out, "e2e.drop.csv"));
    expect(drop[0]).toBe(`Email,Name,${DROP_COLUMNS.join(",")}`);
    expect(drop.slice(1)).toEqual([
      `${blocked},Blocked,manual,manual`,
      expect.stringMatching(/^not an address,Nobody,invalid_syntax,/),
      `${kept1.toUpperCase()},One again,duplicate,${ROW_REASONS.duplicate}`,
    ]);
    expect(summary.keep.bytes).toBe(statSync(join(out, "e2e.keep.csv")).size);
  });

  it("--scope checks for that scope; an unknown job is the service's 404 on one line", async () => {
    // Prepare
    const path = file("e2e-scope.csv", `${kept1}\n${blocked}\n`);
    // Act
    const scoped = await runTsx(CLI, [path, "--scope", "newsletter", "--url", running().url, "--json"], {
      env: { SUPPRESSION_API_KEY: KEY },
    });
    const unknown = await runTsx(CLI, ["--id", "0".repeat(24), "--url", running().url], {
      env: { SUPPRESSION_API_KEY: KEY },
    });
    // Assess
    expect(scoped.code, scoped.stderr).toBe(0);
    expect(JSON.parse(scoped.stdout).summary).toMatchObject({ rows: 2, kept: 1, suppressed: 1 });
    expect(unknown.code).toBe(1);
    expectOneLine(unknown.stderr, new RegExp(`^clean-list: GET /v1/list-checks/${"0".repeat(24)}: 404 `));
  });
});
