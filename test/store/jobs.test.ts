/**
 * The background jobs' items (store/jobs.ts) on both engines, through the real SDK: create and get
 * (ids, times, ttl); lists newest first, paged, per kind and tenant, expired jobs skipped, foreign
 * cursors refused; a claim per run, every later write of the run bound to its token so a stale run
 * retried away can no longer write; the error and progress a failure keeps; what is stale and what
 * a retry, a start and a failed launch accept.
 */
import { randomUUID } from "node:crypto";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JOB_FILE_DAYS, JOB_STALE_SECONDS, JOB_STOPPED_ERROR } from "../../lambdas/contract/jobs.js";
import { InputError } from "../../lambdas/core/errors.js";
import {
  isStale,
  type JobKind,
  type JobListRequest,
  type JobRecord,
  type JobRef,
  type JobsStore,
  jobAsSeen,
  jobsStore,
  MAX_JOB_ERROR_CHARS,
  newJobId,
} from "../../lambdas/store/jobs.js";
import { ensureTable } from "../../lambdas/store/schema.js";
import { ENGINES, type RunningEngine } from "../support/engines.js";
import { probedStore } from "./helpers.js";

const TABLE = "jobs-test";
const ACTOR = { keyId: "k-jobs-1", name: "jobs test" };
const DAY_MS = 86_400_000;
const STALE_MS = JOB_STALE_SECONDS * 1000;
const JOB_ID = /^[0-9a-f]{24}$/;

/** A tenant of its own per test. */
const freshTenant = (): string => `t-${randomUUID().slice(0, 8)}`;
/** Epoch seconds `days` after `ms`, as a job's ttl holds them. */
const ttlAfter = (ms: number, days: number): number => Math.floor((ms + days * DAY_MS) / 1000);
const refOf = (job: JobRecord): JobRef => ({ tenant: job.tenant, kind: job.kind, id: job.id });

type ExportSpec = { readonly format: "csv" | "jsonl"; readonly n: number };
type ExportResult = { readonly file: string; readonly rows: number };

describe.each(ENGINES)("the jobs in the store on $name", (engine) => {
  let running: RunningEngine;
  let client: DynamoDBClient;
  let jobs: JobsStore;

  /** A new job of `tenant`; its spec numbered `n` so tests can tell jobs apart. */
  const create = (
    tenant: string,
    nowMs: number,
    o: { kind?: JobKind; status?: "queued" | "awaiting_upload"; n?: number } = {},
  ): Promise<JobRecord> =>
    jobs.create<ExportSpec>(
      {
        tenant,
        kind: o.kind ?? "export",
        spec: { format: "csv", n: o.n ?? 0 },
        createdBy: ACTOR,
        status: o.status ?? "queued",
      },
      nowMs,
    );
  /** A created job claimed at `nowMs`: its run and token. */
  const claimed = async (tenant: string, nowMs: number): Promise<{ ref: JobRef; token: string }> => {
    const job = await create(tenant, nowMs);
    const run = await jobs.claim(refOf(job), nowMs);
    if (run?.runToken == null) throw new Error("the claim failed");
    return { ref: refOf(job), token: run.runToken };
  };
  /** Every page of a list, following cursors. */
  const readAll = async (request: Omit<JobListRequest, "cursor">, nowMs: number) => {
    const pages: JobRecord[][] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 50; i++) {
      const page = await jobs.list({ ...request, ...(cursor === undefined ? {} : { cursor }) }, nowMs);
      pages.push([...page.items]);
      if (page.cursor === null) return pages;
      cursor = page.cursor;
    }
    throw new Error("the cursor never ended");
  };
  const refusal = async (request: JobListRequest, nowMs: number): Promise<InputError> => {
    const outcome = await jobs.list(request, nowMs).then(
      () => new Error("expected an InputError"),
      (error: unknown) => error,
    );
    if (outcome instanceof InputError) return outcome;
    throw outcome;
  };

  beforeAll(async () => {
    running = await engine.start();
    await ensureTable(running.client, TABLE);
    let store: ReturnType<typeof probedStore>["store"];
    ({ store, client } = probedStore(running.endpoint, TABLE));
    jobs = jobsStore(store);
  }, 120_000);
  afterAll(async () => {
    client?.destroy();
    await running?.stop();
  });

  describe("create and get", () => {
    it("round-trips a queued job with a time-sortable 24-hex id", async () => {
      // Arrange
      const tenant = freshTenant();
      const t0 = Date.now();

      // Act
      const created = await create(tenant, t0, { n: 7 });
      const got = await jobs.get<ExportSpec, ExportResult>(refOf(created), t0 + 1);

      // Assert
      expect(created.id).toMatch(JOB_ID);
      expect(created.id.slice(0, 12)).toBe(t0.toString(16).padStart(12, "0"));
      expect(got).toEqual(created);
      expect(got).toEqual({
        tenant,
        kind: "export",
        id: created.id,
        status: "queued",
        spec: { format: "csv", n: 7 },
        result: null,
        progress: { done: 0, rows: null },
        createdAt: new Date(t0).toISOString(),
        createdBy: ACTOR,
        queuedAt: t0,
        startedAt: null,
        finishedAt: null,
        heartbeatAt: null,
        attempts: 0,
        error: null,
        runToken: null,
        ttl: ttlAfter(t0, JOB_FILE_DAYS + 1),
      });
    });

    it("round-trips an awaiting_upload job, not queued yet", async () => {
      // Arrange
      const tenant = freshTenant();
      const t0 = Date.now();

      // Act
      const created = await create(tenant, t0, { kind: "list-check", status: "awaiting_upload" });
      const got = await jobs.get(refOf(created), t0);

      // Assert
      expect(got).toEqual(created);
      expect(got).toMatchObject({ kind: "list-check", status: "awaiting_upload", queuedAt: null });
      expect(got?.ttl).toBe(ttlAfter(t0, JOB_FILE_DAYS + 1));
    });

    it("makes ids that sort by creation time and never repeat", () => {
      // Arrange
      const t0 = Date.now();

      // Act
      const ids = [t0, t0 + 1, t0 + 255, t0 + 256, t0 + DAY_MS].map(newJobId);
      const same = Array.from({ length: 50 }, () => newJobId(t0));

      // Assert
      for (const id of [...ids, ...same]) expect(id).toMatch(JOB_ID);
      expect([...ids].sort()).toEqual(ids);
      expect(new Set(same).size).toBe(same.length);
    });

    it("gets nothing for a malformed id, another tenant's job, another kind or an unknown id", async () => {
      // Arrange
      const tenant = freshTenant();
      const t0 = Date.now();
      const job = await create(tenant, t0);

      // Act
      const answers = await Promise.all([
        jobs.get({ tenant, kind: "export", id: "not-a-job-id" }, t0),
        jobs.get({ tenant, kind: "export", id: job.id.toUpperCase() }, t0),
        jobs.get({ tenant, kind: "export", id: `${job.id}0` }, t0),
        jobs.get({ tenant: freshTenant(), kind: "export", id: job.id }, t0),
        jobs.get({ tenant, kind: "list-check", id: job.id }, t0),
        jobs.get({ tenant, kind: "export", id: newJobId(t0) }, t0),
      ]);

      // Assert
      expect(answers).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
      expect(await jobs.get(refOf(job), t0)).toBeDefined();
    });

    it("gets nothing once the job's ttl has passed", async () => {
      // Arrange
      const tenant = freshTenant();
      const t0 = Date.now();
      const job = await create(tenant, t0);

      // Act
      const before = await jobs.get(refOf(job), job.ttl * 1000 - 1);
      const at = await jobs.get(refOf(job), job.ttl * 1000);

      // Assert
      expect(before?.id).toBe(job.id);
      expect(at).toBeUndefined();
    });
  });

  describe("list", () => {
    it("lists newest first across pages, one kind and one tenant only", async () => {
      // Arrange
      const tenant = freshTenant();
      const other = freshTenant();
      const t0 = Date.now();
      const exports: JobRecord[] = [];
      for (let i = 0; i < 5; i++) exports.push(await create(tenant, t0 + i * 10, { n: i }));
      await create(tenant, t0 + 1, { kind: "list-check", status: "awaiting_upload" });
      await create(tenant, t0 + 100, { kind: "list-check" });
      await create(other, t0 + 2);

      // Act
      const pages = await readAll({ tenant, kind: "export", limit: 2 }, t0 + 1_000);
      const checks = await readAll({ tenant, kind: "list-check", limit: 10 }, t0 + 1_000);
      const others = await readAll({ tenant: other, kind: "export", limit: 10 }, t0 + 1_000);

      // Assert
      expect(pages.length).toBeGreaterThanOrEqual(3);
      expect(pages[0]).toHaveLength(2);
      expect(pages[1]).toHaveLength(2);
      expect(pages.flat().map((j) => j.spec.n)).toEqual([4, 3, 2, 1, 0]);
      expect(pages.flat()).toEqual([...exports].reverse());
      expect(checks.flat().map((j) => j.status)).toEqual(["queued", "awaiting_upload"]);
      expect(checks.flat().every((j) => j.kind === "list-check" && j.tenant === tenant)).toBe(true);
      expect(others.flat()).toHaveLength(1);
      expect(others.flat()[0]?.tenant).toBe(other);
    });

    it("skips expired jobs, on a page and across pages", async () => {
      // Arrange
      const tenant = freshTenant();
      const t0 = Date.now();
      const old = [];
      for (let i = 0; i < 3; i++) old.push(await create(tenant, t0 + i, { n: i }));
      const fresh = [];
      for (let i = 0; i < 3; i++) fresh.push(await create(tenant, t0 + 2 * DAY_MS + i, { n: 10 + i }));
      // The old ones expire a day after their files would: a day later than created + JOB_FILE_DAYS.
      const after = ttlAfter(t0 + 2, JOB_FILE_DAYS + 1) * 1000 + 1;

      // Act
      const all = await readAll({ tenant, kind: "export", limit: 2 }, t0 + 2 * DAY_MS + 10);
      const live = await readAll({ tenant, kind: "export", limit: 2 }, after);
      const onePage = await jobs.list({ tenant, kind: "export", limit: 10 }, after);

      // Assert
      expect(all.flat().map((j) => j.spec.n)).toEqual([12, 11, 10, 2, 1, 0]);
      expect(live.flat().map((j) => j.spec.n)).toEqual([12, 11, 10]);
      expect(onePage.items.map((j) => j.spec.n)).toEqual([12, 11, 10]);
      expect(onePage.cursor).toBeNull();
      expect(await jobs.get(refOf(old[0] as JobRecord), after)).toBeUndefined();
      expect(await jobs.get(refOf(fresh[0] as JobRecord), after)).toBeDefined();
    });

    it("refuses a cursor from another tenant, another kind, or garbled, with an InputError", async () => {
      // Arrange
      const tenant = freshTenant();
      const other = freshTenant();
      const t0 = Date.now();
      for (let i = 0; i < 3; i++) await create(tenant, t0 + i);
      await create(other, t0);
      await create(tenant, t0, { kind: "list-check" });
      const first = await jobs.list({ tenant, kind: "export", limit: 1 }, t0 + 10);
      const cursor = first.cursor;
      if (cursor === null) throw new Error("expected a cursor");

      // Act
      const foreignTenant = await refusal({ tenant: other, kind: "export", limit: 1, cursor }, t0 + 10);
      const foreignKind = await refusal({ tenant, kind: "list-check", limit: 1, cursor }, t0 + 10);
      const garbled = await refusal({ tenant, kind: "export", limit: 1, cursor: `${cursor}x` }, t0 + 10);
      const own = await jobs.list({ tenant, kind: "export", limit: 1, cursor }, t0 + 10);

      // Assert
      for (const error of [foreignTenant, foreignKind, garbled]) {
        expect(error.issues).toEqual([{ path: "cursor", message: "not a cursor of this list" }]);
      }
      expect(own.items).toHaveLength(1);
      expect(own.items[0]?.id).not.toBe(first.items[0]?.id);
    });
  });

  describe("claim and the run's writes", () => {
    it("claims a queued job once: running, attempts 1, a run token, started now", async () => {
      // Arrange
      const tenant = freshTenant();
      const t0 = Date.now();
      const job = await create(tenant, t0);
      const waiting = await create(tenant, t0, { status: "awaiting_upload" });

      // Act
      const run = await jobs.claim(refOf(job), t0 + 50);
      const again = await jobs.claim(refOf(job), t0 + 60);
      const notStarted = await jobs.claim(refOf(waiting), t0 + 60);
      const elsewhere = await jobs.claim({ ...refOf(job), tenant: freshTenant() }, t0 + 60);

      // Assert
      expect(run).toMatchObject({
        status: "running",
        attempts: 1,
        startedAt: new Date(t0 + 50).toISOString(),
        heartbeatAt: t0 + 50,
        progress: { done: 0, rows: null },
      });
      expect(run?.runToken).toMatch(/^[0-9a-f]{32}$/);
      expect(again).toBeUndefined();
      expect(notStarted).toBeUndefined();
      expect(elsewhere).toBeUndefined();
      expect(await jobs.get(refOf(job), t0 + 60)).toEqual(run);
      expect((await jobs.get(refOf(waiting), t0 + 60))?.status).toBe("awaiting_upload");
    });

    it("takes a heartbeat only with the run's token", async () => {
      // Arrange
      const tenant = freshTenant();
      const t0 = Date.now();
      const { ref, token } = await claimed(tenant, t0);

      // Act
      const beat = await jobs.heartbeat(ref, token, { done: 40, rows: 100 }, t0 + 5_000);
      const wrong = await jobs.heartbeat(ref, "f".repeat(32), { done: 99, rows: 100 }, t0 + 6_000);

      // Assert
      expect(beat).toBe(true);
      expect(wrong).toBe(false);
      expect(await jobs.get(ref, t0 + 6_000)).toMatchObject({
        status: "running",
        progress: { done: 40, rows: 100 },
        heartbeatAt: t0 + 5_000,
      });
    });

    it("succeeds with the result, its ttl JOB_FILE_DAYS after the finish", async () => {
      // Arrange
      const tenant = freshTenant();
      const t0 = Date.now();
      const { ref, token } = await claimed(tenant, t0);
      const end = t0 + 30_000;

      // Act
      const done = await jobs.succeed<ExportSpec, ExportResult>(
        ref,
        token,
        { file: "exports/a.csv", rows: 9 },
        { done: 9, rows: 9 },
        end,
      );
      const twice = await jobs.succeed(ref, token, { file: "other", rows: 1 }, { done: 1, rows: 1 }, end);
      const beat = await jobs.heartbeat(ref, token, { done: 1, rows: 1 }, end + 1);

      // Assert
      expect(done).toMatchObject({
        status: "succeeded",
        result: { file: "exports/a.csv", rows: 9 },
        progress: { done: 9, rows: 9 },
        finishedAt: new Date(end).toISOString(),
        runToken: null,
        error: null,
        ttl: ttlAfter(end, JOB_FILE_DAYS),
      });
      expect(twice).toBeUndefined();
      expect(beat).toBe(false);
      expect(await jobs.get(ref, end + 1)).toEqual(done);
    });

    it("fails with the error on one line, cut at MAX_JOB_ERROR_CHARS, and the progress made", async () => {
      // Arrange
      const tenant = freshTenant();
      const t0 = Date.now();
      const first = await claimed(tenant, t0);
      const second = await claimed(tenant, t0 + 1);
      const third = await claimed(tenant, t0 + 2);
      const end = t0 + 10_000;

      // Act
      const failed = await jobs.fail(
        first.ref,
        first.token,
        "  store\n\tunavailable:   Query  \r\n timed out ",
        { done: 12, rows: 40 },
        end,
      );
      const long = await jobs.fail(
        second.ref,
        second.token,
        `a b${"x".repeat(5_000)}`,
        { done: 0, rows: null },
        end,
      );
      const blank = await jobs.fail(third.ref, third.token, " \n\t ", { done: 1, rows: null }, end);
      const wrong = await jobs.fail(first.ref, first.token, "again", { done: 0, rows: null }, end + 1);

      // Assert
      expect(failed).toMatchObject({
        status: "failed",
        error: "store unavailable: Query timed out",
        progress: { done: 12, rows: 40 },
        finishedAt: new Date(end).toISOString(),
        runToken: null,
        result: null,
        ttl: ttlAfter(end, JOB_FILE_DAYS),
      });
      expect(long?.error).toHaveLength(MAX_JOB_ERROR_CHARS);
      expect(long?.error?.startsWith("a bxxx")).toBe(true);
      expect(blank?.error).toBe("failed");
      expect(wrong).toBeUndefined();
      expect(await jobs.get(first.ref, end + 1)).toEqual(failed);
    });

    it("lets a stale run write nothing once a retry re-queued the job and a new run claimed it", async () => {
      // Arrange
      const tenant = freshTenant();
      const t0 = Date.now();
      const old = await claimed(tenant, t0);
      await jobs.heartbeat(old.ref, old.token, { done: 5, rows: null }, t0 + 1_000);
      const later = t0 + 1_000 + STALE_MS + 1;
      const retried = await jobs.retry(old.ref, later);
      const run = await jobs.claim(old.ref, later + 10);
      const token = run?.runToken;
      if (token == null) throw new Error("the second claim failed");

      // Act
      const oldBeat = await jobs.heartbeat(old.ref, old.token, { done: 50, rows: null }, later + 20);
      const oldSucceed = await jobs.succeed(
        old.ref,
        old.token,
        { file: "old" },
        { done: 50, rows: 50 },
        later + 30,
      );
      const oldFail = await jobs.fail(old.ref, old.token, "old run", { done: 50, rows: 50 }, later + 30);
      const newBeat = await jobs.heartbeat(old.ref, token, { done: 3, rows: null }, later + 40);
      const newSucceed = await jobs.succeed(
        old.ref,
        token,
        { file: "new" },
        { done: 7, rows: 7 },
        later + 50,
      );
      const oldFailAfter = await jobs.fail(
        old.ref,
        old.token,
        "old run",
        { done: 0, rows: null },
        later + 60,
      );

      // Assert
      expect(retried?.ok).toBe(true);
      expect(run).toMatchObject({ status: "running", attempts: 2 });
      expect(token).not.toBe(old.token);
      expect([oldBeat, oldSucceed, oldFail]).toEqual([false, undefined, undefined]);
      expect(newBeat).toBe(true);
      expect(newSucceed).toMatchObject({ status: "succeeded", result: { file: "new" }, attempts: 2 });
      expect(oldFailAfter).toBeUndefined();
      expect(await jobs.get(old.ref, later + 60)).toEqual(newSucceed);
    });
  });

  describe("stale jobs and retry", () => {
    it("shows a running job failed once its heartbeat is older than JOB_STALE_SECONDS", async () => {
      // Arrange
      const tenant = freshTenant();
      const t0 = Date.now();
      const { ref, token } = await claimed(tenant, t0);
      await jobs.heartbeat(ref, token, { done: 1, rows: null }, t0 + 2_000);
      const job = (await jobs.get(ref, t0 + 2_000)) as JobRecord;

      // Act
      const fresh = jobAsSeen(job, t0 + 2_000 + STALE_MS);
      const stale = jobAsSeen(job, t0 + 2_000 + STALE_MS + 1);

      // Assert
      expect(isStale(job, t0 + 2_000 + STALE_MS)).toBe(false);
      expect(fresh).toBe(job);
      expect(isStale(job, t0 + 2_000 + STALE_MS + 1)).toBe(true);
      expect(stale).toEqual({ ...job, status: "failed", error: JOB_STOPPED_ERROR });
    });

    it("never shows an awaiting, succeeded or failed job stale", async () => {
      // Arrange
      const tenant = freshTenant();
      const t0 = Date.now();
      const waiting = await create(tenant, t0, { status: "awaiting_upload" });
      const a = await claimed(tenant, t0);
      const b = await claimed(tenant, t0);
      const succeeded = await jobs.succeed(a.ref, a.token, {}, { done: 0, rows: 0 }, t0);
      const failed = await jobs.fail(b.ref, b.token, "boom", { done: 0, rows: null }, t0);
      const much = t0 + 100 * STALE_MS;

      // Act
      const seen = [waiting, succeeded, failed].map((j) => jobAsSeen(j as JobRecord, much));

      // Assert
      expect(seen.map((j) => j.status)).toEqual(["awaiting_upload", "succeeded", "failed"]);
      expect(seen[2]?.error).toBe("boom");
    });

    it("retries a stale running job, and refuses a fresh one", async () => {
      // Arrange
      const tenant = freshTenant();
      const t0 = Date.now();
      const { ref, token } = await claimed(tenant, t0);
      await jobs.heartbeat(ref, token, { done: 8, rows: 20 }, t0 + 1_000);

      // Act
      const fresh = await jobs.retry(ref, t0 + 1_000 + STALE_MS);
      const stale = await jobs.retry(ref, t0 + 1_000 + STALE_MS + 1);

      // Assert
      expect(fresh).toMatchObject({ ok: false, job: { status: "running", runToken: token } });
      expect(stale).toMatchObject({
        ok: true,
        job: {
          status: "queued",
          queuedAt: t0 + 1_000 + STALE_MS + 1,
          progress: { done: 0, rows: null },
          runToken: null,
          heartbeatAt: null,
          attempts: 1,
        },
      });
    });

    it("retries a failed job with a clean slate, and refuses a succeeded, a queued or an unknown one", async () => {
      // Arrange
      const tenant = freshTenant();
      const t0 = Date.now();
      const a = await claimed(tenant, t0);
      const b = await claimed(tenant, t0);
      await jobs.fail(a.ref, a.token, "boom", { done: 3, rows: 10 }, t0 + 100);
      await jobs.succeed(b.ref, b.token, { file: "f" }, { done: 10, rows: 10 }, t0 + 100);
      const queued = await create(tenant, t0 + 200);
      const later = t0 + DAY_MS;

      // Act
      const retried = await jobs.retry(a.ref, later);
      const done = await jobs.retry(b.ref, later);
      const notYet = await jobs.retry(refOf(queued), t0 + 300);
      const unknown = await jobs.retry({ tenant, kind: "export", id: newJobId(t0) }, later);
      const foreign = await jobs.retry({ ...a.ref, tenant: freshTenant() }, later);
      const reclaimed = await jobs.claim(a.ref, later + 1);

      // Assert
      expect(retried).toEqual({
        ok: true,
        job: expect.objectContaining({
          status: "queued",
          queuedAt: later,
          error: null,
          result: null,
          progress: { done: 0, rows: null },
          finishedAt: null,
          runToken: null,
          ttl: ttlAfter(later, JOB_FILE_DAYS + 1),
        }),
      });
      expect(done).toMatchObject({ ok: false, job: { status: "succeeded", result: { file: "f" } } });
      expect(notYet).toMatchObject({ ok: false, job: { status: "queued" } });
      expect(unknown).toBeUndefined();
      expect(foreign).toBeUndefined();
      expect(reclaimed).toMatchObject({ status: "running", attempts: 2, error: null });
    });

    it("retries a queued job that was never launched once it is stale, and shows it failed", async () => {
      // Arrange
      const tenant = freshTenant();
      const t0 = Date.now();
      const job = await create(tenant, t0);

      // Act
      const seen = jobAsSeen(job, t0 + STALE_MS + 1);
      const retried = await jobs.retry(refOf(job), t0 + STALE_MS + 1);

      // Assert
      expect(seen).toMatchObject({ status: "failed", error: JOB_STOPPED_ERROR });
      expect(retried).toMatchObject({ ok: true, job: { status: "queued", queuedAt: t0 + STALE_MS + 1 } });
    });

    it("neither retries nor starts a job whose ttl has passed", async () => {
      // Arrange
      const tenant = freshTenant();
      const t0 = Date.now();
      const { ref, token } = await claimed(tenant, t0);
      const failed = await jobs.fail(ref, token, "boom", { done: 0, rows: null }, t0);
      const waiting = await create(tenant, t0, { kind: "list-check", status: "awaiting_upload" });
      const gone = (failed?.ttl ?? 0) * 1000 + DAY_MS;

      // Act
      const retried = await jobs.retry(ref, gone);
      const started = await jobs.start(refOf(waiting), gone);

      // Assert
      expect(retried).toBeUndefined();
      expect(started).toBeUndefined();
      expect(await jobs.get(ref, t0 + 1)).toMatchObject({ status: "failed", error: "boom" });
    });
  });

  describe("start and failQueued", () => {
    it("starts an awaiting_upload job once: queued now, then refused", async () => {
      // Arrange
      const tenant = freshTenant();
      const t0 = Date.now();
      const job = await create(tenant, t0, { kind: "list-check", status: "awaiting_upload" });
      const at = t0 + 60_000;

      // Act
      const started = await jobs.start(refOf(job), at);
      const again = await jobs.start(refOf(job), at + 1);
      const unknown = await jobs.start({ ...refOf(job), id: newJobId(t0) }, at);
      const run = await jobs.claim(refOf(job), at + 2);

      // Assert
      expect(started).toEqual({
        ok: true,
        job: { ...job, status: "queued", queuedAt: at, ttl: ttlAfter(at, JOB_FILE_DAYS + 1) },
      });
      expect(again).toEqual({ ok: false, job: started?.job });
      expect(unknown).toBeUndefined();
      expect(run).toMatchObject({ status: "running", attempts: 1 });
    });

    it("fails a job that could not be launched only while it is queued", async () => {
      // Arrange
      const tenant = freshTenant();
      const t0 = Date.now();
      const queued = await create(tenant, t0);
      const waiting = await create(tenant, t0, { status: "awaiting_upload" });
      const run = await claimed(tenant, t0);

      // Act
      const failed = await jobs.failQueued(refOf(queued), "could not\n invoke", t0 + 10);
      const twice = await jobs.failQueued(refOf(queued), "again", t0 + 20);
      const notQueued = await jobs.failQueued(refOf(waiting), "no", t0 + 10);
      const isRunning = await jobs.failQueued(run.ref, "no", t0 + 10);
      const retried = await jobs.retry(refOf(queued), t0 + 30);

      // Assert
      expect(failed).toMatchObject({
        status: "failed",
        error: "could not invoke",
        finishedAt: new Date(t0 + 10).toISOString(),
        ttl: ttlAfter(t0 + 10, JOB_FILE_DAYS),
      });
      expect(twice).toBeUndefined();
      expect(notQueued).toBeUndefined();
      expect(isRunning).toBeUndefined();
      expect((await jobs.get(run.ref, t0 + 10))?.status).toBe("running");
      expect(retried).toMatchObject({ ok: true, job: { status: "queued", error: null } });
    });
  });

  describe("activeCount", () => {
    it("counts the kind's queued and running jobs that are not stale, and nothing else", async () => {
      // Arrange: at t0 two queued exports, one running, one failed, one awaiting, one list check
      const tenant = freshTenant();
      const t0 = Date.now();
      await create(tenant, t0);
      await create(tenant, t0 + 1);
      const run = await claimed(tenant, t0 + 2);
      const gone = await claimed(tenant, t0 + 3);
      await jobs.fail(gone.ref, gone.token, "boom", { done: 0, rows: null }, t0 + 4);
      await create(tenant, t0 + 5, { status: "awaiting_upload" });
      await create(tenant, t0 + 6, { kind: "list-check" });
      // Act
      const now = await jobs.activeCount(tenant, "export", t0 + 10);
      const checks = await jobs.activeCount(tenant, "list-check", t0 + 10);
      const other = await jobs.activeCount(freshTenant(), "export", t0 + 10);
      await jobs.heartbeat(run.ref, run.token, { done: 1, rows: null }, t0 + STALE_MS);
      const later = await jobs.activeCount(tenant, "export", t0 + STALE_MS + 5);
      // Assert: later, the queued ones are stale; only the run that beat is still active
      expect(now).toBe(3);
      expect(checks).toBe(1);
      expect(other).toBe(0);
      expect(later).toBe(1);
    });
  });
});
