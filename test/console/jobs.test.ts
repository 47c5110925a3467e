/**
 * The job pages' pure decisions (console/src/jobs.ts), held to the contract they read
 * (lambdas/contract/jobs.ts, exports.ts, list-checks.ts): every job state, real job answers parsed
 * with the contract's schemas, the API's body limit, and the terminal command the page offers.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fileSize, percent } from "../../console/src/format.js";
import {
  anyActive,
  CLEAN_LIST_COMMAND,
  filtersText,
  isActive,
  LIST_CHECK_BODY_BYTES,
  linkState,
  listContentType,
  progressOf,
} from "../../console/src/jobs.js";
import { ExportJob } from "../../lambdas/contract/exports.js";
import { JOB_FILE_DAYS, JOB_STATUSES, type JobStatus } from "../../lambdas/contract/jobs.js";
import {
  LIST_CHECK_BODY_BYTES as API_LIST_CHECK_BODY_BYTES,
  LIST_CHECK_CONTENT_TYPES,
  ListCheckJob,
} from "../../lambdas/contract/list-checks.js";
import { HELP as CLEAN_LIST_HELP } from "../../lambdas/local/clean-list-cli.js";

const NOW = Date.parse("2026-12-02T08:00:00Z");
const DAY_MS = 86_400_000;

/** An export as `GET /v1/exports/{id}` answers it, checked by the contract's schema. */
const exportJob = (status: JobStatus, over: Partial<ExportJob> = {}): ExportJob =>
  ExportJob.parse({
    id: "0193a1b2c3d4e5f60718293a",
    status,
    progress: { done: 0, rows: null },
    createdAt: "2026-12-02T07:59:00Z",
    startedAt: null,
    finishedAt: null,
    attempts: 1,
    expiresAt: null,
    error: null,
    kind: "suppressions",
    format: "csv",
    filters: {},
    masked: false,
    rows: null,
    bytes: null,
    url: null,
    ...over,
  });

describe("the job pages' decisions", () => {
  it("polls while a job is queued or running, never for one waiting for its upload or finished", () => {
    // Act
    const active = JOB_STATUSES.map((status) => [status, isActive(status)]);
    // Assess
    expect(active).toEqual([
      ["awaiting_upload", false],
      ["queued", true],
      ["running", true],
      ["succeeded", false],
      ["failed", false],
    ]);
    expect(anyActive([exportJob("succeeded"), exportJob("failed")])).toBe(false);
    expect(anyActive([exportJob("succeeded"), exportJob("queued")])).toBe(true);
    expect(anyActive([])).toBe(false);
  });

  it("shows an indeterminate bar while a moving job's total is unknown, a full one when done", () => {
    expect(progressOf({ status: "running", progress: { done: 40, rows: 100 } })).toEqual({
      value: 40,
      max: 100,
    });
    expect(progressOf({ status: "running", progress: { done: 140, rows: 100 } })).toEqual({
      value: 100,
      max: 100,
    });
    expect(progressOf({ status: "running", progress: { done: 40, rows: null } })).toBeNull();
    expect(progressOf({ status: "running", progress: { done: 0, rows: 0 } })).toBeNull();
    expect(progressOf({ status: "queued", progress: { done: 0, rows: null } })).toBeNull();
    expect(progressOf({ status: "succeeded", progress: { done: 0, rows: 0 } })).toEqual({ value: 1, max: 1 });
    expect(progressOf({ status: "failed", progress: { done: 3, rows: null } })).toEqual({ value: 0, max: 1 });
    expect(progressOf({ status: "failed", progress: { done: 3, rows: 10 } })).toEqual({ value: 3, max: 10 });
    expect(progressOf({ status: "awaiting_upload", progress: { done: 0, rows: null } })).toEqual({
      value: 0,
      max: 1,
    });
  });

  it("offers a link until the file expires, and says when it has", () => {
    expect(linkState({ url: "http://s3/x", expiresAt: "2026-12-09T08:00:00.000Z" }, NOW)).toBe("link");
    expect(linkState({ url: "http://s3/x", expiresAt: "2026-12-02T08:00:00.001Z" }, NOW)).toBe("link");
    expect(linkState({ url: "http://s3/x", expiresAt: "2026-12-02T08:00:00.000Z" }, NOW)).toBe("expired");
    expect(linkState({ url: null, expiresAt: "2026-12-01T08:00:00.000Z" }, NOW)).toBe("expired");
    expect(linkState({ url: null, expiresAt: null }, NOW)).toBe("none");
  });

  it("reads the contract's jobs: a running export has no link, a finished one until its files go", () => {
    // Prepare
    const finishedAt = new Date(NOW - DAY_MS).toISOString();
    const expiresAt = new Date(NOW + (JOB_FILE_DAYS - 1) * DAY_MS).toISOString();
    const running = exportJob("running", { startedAt: finishedAt, progress: { done: 10, rows: 40 } });
    const done = exportJob("succeeded", {
      startedAt: finishedAt,
      finishedAt,
      expiresAt,
      progress: { done: 40, rows: 40 },
      rows: 40,
      bytes: 1234,
      url: "https://bucket.s3.example.com/jobs/x/export.csv?X-Amz-Signature=s",
    });
    const check = ListCheckJob.parse({
      id: done.id,
      status: done.status,
      progress: done.progress,
      createdAt: done.createdAt,
      startedAt: done.startedAt,
      finishedAt: done.finishedAt,
      attempts: done.attempts,
      expiresAt: done.expiresAt,
      error: null,
      scope: null,
      column: null,
      upload: null,
      files: { keep: "https://s3.example.com/k", drop: "https://s3.example.com/d" },
      summary: {
        rows: 40,
        kept: 40,
        dropped: 0,
        invalid: 0,
        duplicates: 0,
        suppressed: 0,
        byCause: {},
        byReason: {},
      },
    });
    // Act / Assess
    expect(linkState(running, NOW)).toBe("none");
    expect(progressOf(running)).toEqual({ value: 10, max: 40 });
    expect(linkState(done, NOW)).toBe("link");
    expect(linkState(done, Date.parse(expiresAt))).toBe("expired");
    expect(linkState({ url: check.files?.keep ?? null, expiresAt: check.expiresAt }, NOW)).toBe("link");
  });

  it("writes filters in one line, in their order, and none as null", () => {
    expect(filtersText({ cause: "complaint", q: "@example.org", scope: "" })).toBe(
      "cause=complaint, q=@example.org",
    );
    expect(
      filtersText({ type: "invalid", from: "2026-11-25T00:00:00.000Z", to: "2026-12-02T00:00:00.000Z" }),
    ).toBe("type=invalid, from=2026-11-25T00:00:00.000Z, to=2026-12-02T00:00:00.000Z");
    expect(filtersText({ cause: undefined, reason: null })).toBeNull();
    expect(filtersText({})).toBeNull();
  });

  it("sends a plain list as text/plain and anything else as text/csv, both types the API takes", () => {
    expect(listContentType("campaign.csv", "text/csv")).toBe("text/csv");
    expect(listContentType("campaign.CSV", "")).toBe("text/csv");
    expect(listContentType("export.xlsx.txt", "")).toBe("text/plain");
    expect(listContentType("addresses.TXT", "")).toBe("text/plain");
    expect(listContentType("addresses", "text/plain")).toBe("text/plain");
    expect(listContentType("addresses", "application/vnd.ms-excel")).toBe("text/csv");
    expect(LIST_CHECK_CONTENT_TYPES).toContain(listContentType("a.csv", ""));
    expect(LIST_CHECK_CONTENT_TYPES).toContain(listContentType("a.txt", ""));
  });

  it("sends in the body up to the API's limit, and beyond it offers a command that exists", () => {
    // Prepare
    const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> })
      .scripts;
    // Act
    const [npm, run, script, dashes, file] = CLEAN_LIST_COMMAND.split(" ");
    // Assess
    expect(LIST_CHECK_BODY_BYTES).toBe(API_LIST_CHECK_BODY_BYTES);
    expect(fileSize(LIST_CHECK_BODY_BYTES)).toBe("5 MiB");
    expect([npm, run, dashes, file]).toEqual(["npm", "run", "--", "list.csv"]);
    expect(scripts[script ?? ""]).toBe("tsx lambdas/local/clean-list-cli.ts");
    expect(CLEAN_LIST_HELP.startsWith(`Usage: npm run ${script} -- FILE`)).toBe(true);
  });

  it("formats sizes and rates as the pages show them", () => {
    expect(fileSize(0)).toBe("0 bytes");
    expect(fileSize(1536)).toBe("1.5 KiB");
    expect(fileSize(6.25 * 1024 * 1024)).toBe("6.3 MiB");
    expect(percent(0.02)).toBe("2%");
    expect(percent(0.001)).toBe("0.1%");
    expect(percent(0.000417)).toBe("0.042%");
    expect(percent(0.07)).toBe("7%");
    expect(percent(null)).toBe("—");
  });
});
