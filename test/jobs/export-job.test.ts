/**
 * The export job (lambdas/jobs/export) run by `runJob` on both DynamoDB engines and s3rver, through
 * the real SDKs: the file holds every live entry exactly as the list route pages them (CSV and
 * JSONL, masked without `pii`); a store fault half way fails the job, leaves no file, and a retry
 * succeeds with no duplicate row; a link is refused once its time is up; and (DynamoDB Local) an
 * export of 100,000 entries completes with flat memory, measured and reported.
 */
import { randomUUID } from "node:crypto";
import { text } from "node:stream/consumers";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPORT_CSV_COLUMNS, ListEntry } from "../../lambdas/contract/index.js";
import { maskJson } from "../../lambdas/core/mask.js";
import {
  createFileStore,
  createS3Client,
  type FileStore,
  S3RVER_CREDENTIALS,
} from "../../lambdas/files/index.js";
import { listEntry } from "../../lambdas/handlers/list-view.js";
import { serviceLogger } from "../../lambdas/handlers/log-safety.js";
import { type ExportResult, type ExportSpec, runExport } from "../../lambdas/jobs/export/export-job.js";
import { runJob } from "../../lambdas/jobs/run-job.js";
import { JOB_RUNNERS } from "../../lambdas/jobs/runners.js";
import { type EmbeddedS3, startEmbeddedS3 } from "../../lambdas/local/embedded-s3.js";
import { type JobRecord, type JobRef, jobsStore } from "../../lambdas/store/jobs.js";
import { listsStore } from "../../lambdas/store/lists.js";
import { ensureTable, LISTS_INDEX } from "../../lambdas/store/schema.js";
import type { SuppressionStore } from "../../lambdas/store/store.js";
import { decisionFor, events, nowSeconds, type Probe, probedStore } from "../store/helpers.js";
import { ENGINES, type RunningEngine } from "../support/engines.js";
import { seedEntries } from "./seed-entries.js";

const TABLE = "export-job-test";
const BUCKET = "export-job-files";
const ACTOR = { keyId: "k-export", name: "export test" };
const logger = serviceLogger({ logLevel: "SILENT" });
const freshTenant = (): string => `t-${randomUUID().slice(0, 8)}`;

/** Every entry of `tenant` as the list route pages them (its store read and its item view). */
async function routeItems(store: SuppressionStore, tenant: string, now: number): Promise<ListEntry[]> {
  const items: ListEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await listsStore(store).entries({ tenant, limit: 100, ...(cursor ? { cursor } : {}) }, now);
    items.push(...page.entries.map(listEntry));
    cursor = page.cursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}

describe.each(ENGINES)("the export job on $name and s3rver", (engine) => {
  let running: RunningEngine;
  let s3: EmbeddedS3;
  let s3Client: S3Client;
  let files: FileStore;
  let store: SuppressionStore;
  let probe: Probe;
  let client: DynamoDBClient;

  beforeAll(async () => {
    running = await engine.start();
    await ensureTable(running.client, TABLE);
    s3 = await startEmbeddedS3({ bucket: BUCKET });
    s3Client = createS3Client({ endpoint: s3.endpoint, credentials: S3RVER_CREDENTIALS });
    files = createFileStore({ client: s3Client, bucket: BUCKET });
    ({ store, probe, client } = probedStore(running.endpoint, TABLE));
  }, 120_000);
  afterAll(async () => {
    client?.destroy();
    s3Client?.destroy();
    await s3?.stop();
    await running?.stop();
  });

  /** A queued export of `tenant`, run to its end. */
  async function exportOf(tenant: string, spec: ExportSpec): Promise<{ ref: JobRef; end: string }> {
    const job = await jobsStore(store).create(
      { tenant, kind: "export", spec, createdBy: ACTOR, status: "queued" },
      Date.now(),
    );
    const ref: JobRef = { tenant, kind: "export", id: job.id };
    const end = await runJob(ref, { store, files, logger, runners: JOB_RUNNERS });
    return { ref, end };
  }
  const jobOf = async (ref: JobRef) =>
    (await jobsStore(store).get<ExportSpec, ExportResult>(ref, Date.now())) as JobRecord<
      ExportSpec,
      ExportResult
    >;
  const fileOf = async (ref: JobRef) => text(await files.read((await jobOf(ref)).result?.key ?? ""));
  const keysOf = async (ref: JobRef): Promise<string[]> => {
    const out = await s3Client.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `jobs/${ref.tenant}/export/${ref.id}/` }),
    );
    return (out.Contents ?? []).map((o) => o.Key ?? "");
  };

  async function seedBounces(tenant: string, n: number): Promise<void> {
    const at = nowSeconds() - 3_600;
    for (let i = 0; i < n; i += 25) {
      await Promise.all(
        Array.from({ length: Math.min(25, n - i) }, (_, j) => {
          const event = { ...events.userUnknown(`u${i + j}@x-${tenant}.example`, at + i + j), tenant };
          return store.recordEvent(event, decisionFor(event), at + i + j);
        }),
      );
    }
  }

  it("writes every live entry as the list route pages them, in JSONL and in CSV, masked without pii", async () => {
    // Arrange: 230 entries (three pages)
    const tenant = freshTenant();
    await seedBounces(tenant, 230);
    const expected = await routeItems(store, tenant, nowSeconds());
    // Act
    const jsonl = await exportOf(tenant, {
      kind: "suppressions",
      format: "jsonl",
      filters: {},
      masked: false,
    });
    const masked = await exportOf(tenant, {
      kind: "suppressions",
      format: "jsonl",
      filters: {},
      masked: true,
    });
    const csv = await exportOf(tenant, { kind: "suppressions", format: "csv", filters: {}, masked: false });
    // Assert
    expect([jsonl.end, masked.end, csv.end]).toEqual(["succeeded", "succeeded", "succeeded"]);
    const lines = (await fileOf(jsonl.ref)).trimEnd().split("\n");
    expect(lines.map((l) => ListEntry.parse(JSON.parse(l)))).toEqual(expected);
    const maskedLines = (await fileOf(masked.ref))
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(maskedLines).toEqual(expected.map(maskJson));
    expect(JSON.stringify(maskedLines)).not.toContain(`u1@x-${tenant}`);
    const rows = parse(await fileOf(csv.ref), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual(EXPORT_CSV_COLUMNS.suppressions.map(([name]) => name));
    expect(rows.map((r) => [r.subject, r.cause, r.reason, r.since, r.causes])).toEqual(
      expected.map((e) => [
        e.subject,
        e.cause,
        e.reason.reason ?? "",
        e.since,
        e.causes.map((c) => c.cause).join("|"),
      ]),
    );
    const job = await jobOf(jsonl.ref);
    expect(job.progress).toEqual({ done: 230, rows: 230 });
    expect(job.result?.rows).toBe(230);
  }, 120_000);

  it("knows an events export's total from the status view's counts before it writes a row", async () => {
    // Arrange: 30 bounces, so 30 events in the default window
    const tenant = freshTenant();
    await seedBounces(tenant, 30);
    const job = await jobsStore(store).create(
      {
        tenant,
        kind: "export",
        spec: { kind: "events", format: "jsonl", filters: {}, masked: false },
        createdBy: ACTOR,
        status: "queued",
      },
      Date.now(),
    );
    const seen: { done: number; rows: number | null }[] = [];
    // Act
    const outcome = await runExport({
      job: { ...job, attempts: 1 },
      store,
      files,
      logger,
      now: Date.now,
      signal: new AbortController().signal,
      progress: (p) => seen.push(p),
    });
    // Assert
    expect(seen[0]).toEqual({ done: 0, rows: 30 });
    expect(seen.every((p) => p.rows === 30)).toBe(true);
    expect(outcome.progress).toEqual({ done: 30, rows: 30 });
  }, 60_000);

  it("fails half way on a store fault, leaves no file, and a retry succeeds without duplicate rows", async () => {
    // Arrange: 300 entries; the lists Queries after the first page's fail (a store outage mid-export)
    const tenant = freshTenant();
    await seedBounces(tenant, 300);
    const expected = (await routeItems(store, tenant, nowSeconds())).map((e) => e.subject);
    probe.reset();
    await listsStore(store).entries({ tenant, limit: 100 }, nowSeconds());
    const firstPage = probe.count("QueryCommand");
    let queries = 0;
    let failing = true;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { IndexName?: string };
        if (
          context.commandName === "QueryCommand" &&
          input.IndexName === LISTS_INDEX &&
          failing &&
          ++queries > firstPage
        ) {
          throw Object.assign(new Error("injected outage"), { code: "ECONNRESET" });
        }
        return next(args);
      },
      { step: "initialize", name: "exportFault" },
    );
    try {
      // Act
      const first = await exportOf(tenant, {
        kind: "suppressions",
        format: "jsonl",
        filters: {},
        masked: false,
      });
      const failed = await jobOf(first.ref);
      const leftBehind = await keysOf(first.ref);
      failing = false;
      const retried = await jobsStore(store).retry(first.ref, Date.now());
      const second = await runJob(first.ref, { store, files, logger, runners: JOB_RUNNERS });
      // Assert
      expect(first.end).toBe("failed");
      expect(failed.status).toBe("failed");
      expect(failed.error).toMatch(/^the store was unavailable .*retry the job$/);
      expect(failed.progress.done).toBe(100);
      expect(leftBehind).toEqual([]);
      expect(retried?.ok).toBe(true);
      expect(second).toBe("succeeded");
      const subjects = (await fileOf(first.ref))
        .trimEnd()
        .split("\n")
        .map((l) => (JSON.parse(l) as ListEntry).subject);
      expect(subjects).toEqual(expected);
      expect(new Set(subjects).size).toBe(300);
      expect((await jobOf(first.ref)).attempts).toBe(2);
      expect(await keysOf(first.ref)).toEqual([(await jobOf(first.ref)).result?.key]);
    } finally {
      client.middlewareStack.remove("exportFault");
      probe.reset();
    }
  }, 120_000);

  it("hands out a link S3 refuses once its time is up, and none for a file already gone", async () => {
    // Arrange: a file whose end is 2 s away (links signed at a clock 7 days minus 2 s behind)
    const tenant = freshTenant();
    await seedBounces(tenant, 3);
    const { ref } = await exportOf(tenant, {
      kind: "suppressions",
      format: "csv",
      filters: {},
      masked: false,
    });
    const key = (await jobOf(ref)).result?.key ?? "";
    const end = nowSeconds() + 2;
    // Act
    const url = await files.downloadUrl(key, end, "suppressions.csv");
    const before = await fetch(url);
    const beforeText = await before.text();
    await new Promise((r) => setTimeout(r, 3_500));
    const after = await fetch(url);
    const afterText = await after.text();
    // Assert
    expect(before.status).toBe(200);
    expect(before.headers.get("content-disposition")).toBe('attachment; filename="suppressions.csv"');
    expect(beforeText.split("\n")[0]).toBe(EXPORT_CSV_COLUMNS.suppressions.map(([n]) => n).join(","));
    expect(after.status).toBe(403);
    expect(afterText).toMatch(/expired/i);
    await expect(files.downloadUrl(key, nowSeconds() - 1, "x.csv")).rejects.toThrow(/expired/);
  }, 60_000);

  it.runIf(engine.name === "DynamoDB Local")(
    "exports 100,000 entries with flat memory (measured: heap and RSS growth reported)",
    async () => {
      // Arrange
      const tenant = freshTenant();
      const at = nowSeconds() - 3_600;
      await seedEntries(store, client, TABLE, tenant, 100_000, (i) => `m${i}@big-${tenant}.example`, at);
      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      const rssBefore = process.memoryUsage().rss;
      let heapPeak = heapBefore;
      let rssPeak = rssBefore;
      const sampler = setInterval(() => {
        const m = process.memoryUsage();
        heapPeak = Math.max(heapPeak, m.heapUsed);
        rssPeak = Math.max(rssPeak, m.rss);
      }, 50);
      // Act
      let outcome: { ref: JobRef; end: string };
      try {
        outcome = await exportOf(tenant, { kind: "suppressions", format: "csv", filters: {}, masked: false });
      } finally {
        clearInterval(sampler);
      }
      // Assert
      const job = await jobOf(outcome.ref);
      const mb = (n: number) => Math.round(n / 2 ** 20);
      console.info(
        `export of 100,000 entries: ${mb(job.result?.bytes ?? 0)} MB file; heap growth peak ${mb(heapPeak - heapBefore)} MB, RSS growth peak ${mb(rssPeak - rssBefore)} MB`,
      );
      expect(outcome.end).toBe("succeeded");
      expect(job.result?.rows).toBe(100_000);
      // Flat: the whole file would be ~20 MB of text and ~100 MB of items; a few parts and a page are held.
      expect(heapPeak - heapBefore).toBeLessThan(96 * 2 ** 20);
    },
    600_000,
  );
});
