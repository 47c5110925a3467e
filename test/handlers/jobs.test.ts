/**
 * The `jobs` Lambda (lambdas/handlers/jobs.ts) on dynalite and s3rver: a malformed invocation is
 * dropped without touching the store; a queued export is run once to its end; invoking it again
 * (Lambda may deliver an event twice) finds nothing queued and writes nothing.
 */
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFileStore, createS3Client, S3RVER_CREDENTIALS } from "../../lambdas/files/index.js";
import { createJobsHandler } from "../../lambdas/handlers/jobs.js";
import { serviceLogger } from "../../lambdas/handlers/log-safety.js";
import type { RuntimeDeps } from "../../lambdas/handlers/runtime.js";
import type { JobServices } from "../../lambdas/jobs/services.js";
import { type EmbeddedS3, startEmbeddedS3 } from "../../lambdas/local/embedded-s3.js";
import { jobsStore } from "../../lambdas/store/jobs.js";
import { ensureTable } from "../../lambdas/store/schema.js";
import type { SuppressionStore } from "../../lambdas/store/store.js";
import { probedStore } from "../store/helpers.js";
import { type RunningEngine, startDynalite } from "../support/engines.js";

const TABLE = "jobs-handler-test";
const BUCKET = "jobs-handler-files";
const CONTEXT = { awsRequestId: "test", functionName: "jobs" } as Context;

describe("the jobs function", () => {
  let engine: RunningEngine;
  let s3: EmbeddedS3;
  let store: SuppressionStore;
  let handler: ReturnType<typeof createJobsHandler>;
  let calls: () => number;

  beforeAll(async () => {
    engine = await startDynalite();
    await ensureTable(engine.client, TABLE);
    s3 = await startEmbeddedS3({ bucket: BUCKET });
    const probed = probedStore(engine.endpoint, TABLE);
    store = probed.store;
    calls = () => [...probed.probe.calls.values()].reduce((a, b) => a + b, 0);
    const files = createFileStore({
      client: createS3Client({ endpoint: s3.endpoint, credentials: S3RVER_CREDENTIALS }),
      bucket: BUCKET,
    });
    const logger = serviceLogger({ logLevel: "SILENT" });
    const deps = { logger, store: () => store, now: () => new Date() } as unknown as RuntimeDeps;
    const services: JobServices = { files: () => files, launch: async () => undefined };
    handler = createJobsHandler(deps, services);
  }, 60_000);
  afterAll(async () => {
    await s3?.stop();
    await engine?.stop();
  });

  it.each([
    {},
    { tenant: "default", kind: "export", id: "nope" },
    { tenant: "default", kind: "zip", id: "0".repeat(24) },
  ])("drops the malformed invocation %j without a store call", async (event) => {
    // Arrange
    const before = calls();
    // Act
    const end = await handler(event, CONTEXT);
    // Assert
    expect(end).toBe("malformed");
    expect(calls()).toBe(before);
  });

  it("runs a queued export once; a second delivery of the same invocation finds nothing to run", async () => {
    // Arrange
    const job = await jobsStore(store).create(
      {
        tenant: "t-jobs",
        kind: "export",
        spec: { kind: "suppressions", format: "csv", filters: {}, masked: true },
        createdBy: { keyId: "k", name: "test" },
        status: "queued",
      },
      Date.now(),
    );
    const event = { tenant: "t-jobs", kind: "export", id: job.id };
    // Act
    const first = await handler(event, CONTEXT);
    const second = await handler(event, CONTEXT);
    // Assert
    expect(first).toBe("succeeded");
    expect(second).toBe("not-queued");
    expect(
      (await jobsStore(store).get({ tenant: "t-jobs", kind: "export", id: job.id }, Date.now()))?.attempts,
    ).toBe(1);
  });
});
