/**
 * The scheduled `ses-import` function (lambdas/handlers/ses-import.ts) over a real store (the
 * embedded engine, through the real SDK) and a mocked SESv2 list: it imports for the opted-in
 * tenants, skips our own addresses, stops starting pages before its timeout and leaves the token
 * for the next invocation, does nothing when nobody opted in or another run holds the checkpoint,
 * and logs counts, never an address. Time comes from the test's clock: no timing is asserted.
 */
import { randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import type { Context } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_POLICY } from "../../lambdas/core/policy/index.js";
import {
  createSesImportHandler,
  handler as deployedHandler,
  SES_IMPORT_MARGIN_MS,
  type SesImportHandlerDeps,
} from "../../lambdas/handlers/ses-import.js";
import { SES_IMPORT_LEASE_MS } from "../../lambdas/ses-account/import.js";
import { SesSyncSettingError } from "../../lambdas/ses-account/settings.js";
import { createDynamoDbClient, toDocumentClient } from "../../lambdas/store/client.js";
import { ensureTable } from "../../lambdas/store/schema.js";
import { sesImportState } from "../../lambdas/store/ses-import-state.js";
import { sesMarkers } from "../../lambdas/store/ses-markers.js";
import { createStore, type SuppressionStore } from "../../lambdas/store/store.js";
import { type FakeSesList, fakeSesList, summary } from "../providers/ses-account-list/fake-ses-list.js";
import { type RunningEngine, startDynalite } from "../support/engines.js";

const HOUR = 3_600_000;

function lambdaContext(remainingMs: number): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: "ses-import-test",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:ses-import-test",
    memoryLimitInMB: "256",
    awsRequestId: randomUUID(),
    logGroupName: "/aws/lambda/ses-import-test",
    logStreamName: "test",
    getRemainingTimeInMillis: () => remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Four SES entries of fresh addresses, updated in the last hours. */
function listing() {
  const tag = randomUUID().slice(0, 8);
  const at = (h: number) => new Date(Math.floor(Date.now() / 1000) * 1000 - h * HOUR);
  return [
    summary(`b1-${tag}@example.org`, "BOUNCE", at(4)),
    summary(`c1-${tag}@example.org`, "COMPLAINT", at(3)),
    summary(`b2-${tag}@example.org`, "BOUNCE", at(2)),
    summary(`b3-${tag}@example.org`, "BOUNCE", at(1)),
  ];
}

describe("the ses-import function", () => {
  let running: RunningEngine;
  let raw: ReturnType<typeof createDynamoDbClient>;
  let ses: FakeSesList;

  beforeAll(async () => {
    running = await startDynalite();
    raw = createDynamoDbClient({ endpoint: running.endpoint, region: "us-east-1" });
  });
  afterAll(async () => {
    raw?.destroy();
    await running?.stop();
  });
  afterEach(() => ses?.mock.restore());

  /** A store over a table of its own, a logger whose lines the test reads, and the handler's deps. */
  const setup = async (overrides: Partial<SesImportHandlerDeps> = {}) => {
    const table = `ses-import-fn-${randomUUID().slice(0, 8)}`;
    await ensureTable(running.client, table);
    const store: SuppressionStore = createStore({ client: toDocumentClient(raw), tableName: table });
    const entries = listing();
    ses = fakeSesList(entries);
    const logger = new Logger({ serviceName: "ses-import-test", logLevel: "SILENT" });
    const info = vi.spyOn(logger, "info");
    const warn = vi.spyOn(logger, "warn");
    const deps: SesImportHandlerDeps = {
      logger,
      store: () => store,
      policy: () => DEFAULT_POLICY,
      now: () => new Date(),
      ses: () => ses.client,
      tenants: () => ["default", "acme"],
      pageSize: 2,
      ...overrides,
    };
    return { store, entries, info, warn, handler: createSesImportHandler(deps) };
  };

  it("imports the list for the opted-in tenants, skips our own addresses, and logs counts only", async () => {
    // Prepare
    const { store, entries, info, handler } = await setup();
    const ours = entries[2]?.EmailAddress ?? "";
    await sesMarkers(store).put("default", ours, "BOUNCE");
    // Act
    const run = await handler({}, lambdaContext(900_000));
    // Assert
    expect(run).toMatchObject({
      status: "completed",
      resumed: false,
      counts: { pages: 2, listed: 4, imported: 6, duplicates: 0, skippedOurs: 1, skippedInvalid: 0 },
    });
    const verdicts = await store.checkAddresses(
      "acme",
      entries.map((e) => e.EmailAddress ?? ""),
    );
    expect(verdicts.map((v) => v.suppressed)).toEqual([true, true, false, true]);
    expect(info).toHaveBeenCalledWith(
      expect.stringMatching(/imported/),
      expect.objectContaining({
        status: "completed",
        tenants: 2,
        run: expect.objectContaining({ imported: 6 }),
      }),
    );
    expect(JSON.stringify(info.mock.calls)).not.toContain("@");
  });

  it("stops starting pages before its timeout, with the token saved, and the next invocation resumes there", async () => {
    // Prepare: a page of one, so four pages; the budget allows two.
    let clock = Date.now();
    const { store, handler } = await setup({ now: () => new Date(clock), pageSize: 1 });
    ses.onCall = () => {
      clock += 60_000;
    };
    // Act
    const first = await handler({}, lambdaContext(SES_IMPORT_MARGIN_MS + 90_000));
    const saved = await sesImportState(store).get();
    const second = await handler({}, lambdaContext(900_000));
    // Assert
    expect(first).toMatchObject({ status: "stopped", run: { pages: 2, imported: 4 } });
    expect(saved).toMatchObject({ nextToken: "tok-2-0", leaseUntil: null, counts: { pages: 2 } });
    expect(second).toMatchObject({
      status: "completed",
      resumed: true,
      run: { pages: 2, imported: 4 },
      counts: { pages: 4, listed: 4, imported: 8, duplicates: 0 },
    });
  });

  it("does nothing when no tenant opted in", async () => {
    // Prepare
    const { handler, info } = await setup({ tenants: () => [] });
    // Act
    const run = await handler({}, lambdaContext(900_000));
    // Assert
    expect(run).toEqual({ status: "disabled" });
    expect(ses.calls).toEqual([]);
    expect(info).toHaveBeenCalledWith(expect.stringMatching(/No tenant opted in/));
  });

  it("does nothing, and says so, while another run holds the checkpoint", async () => {
    // Prepare
    const { store, handler, warn } = await setup();
    const held = await sesImportState(store).acquire(Date.now(), SES_IMPORT_LEASE_MS);
    // Act
    const run = await handler({}, lambdaContext(900_000));
    // Assert
    expect(held.ok).toBe(true);
    expect(run).toMatchObject({ status: "busy", heldUntil: expect.stringMatching(/^\d{4}-/) });
    expect(ses.calls).toEqual([]);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/Another SES import/), expect.any(Object));
  });

  it("the deployed handler reads SES_SYNC_TENANTS: empty does nothing, a bad value fails loudly", async () => {
    // Prepare
    const before = process.env.SES_SYNC_TENANTS;
    try {
      // Act
      process.env.SES_SYNC_TENANTS = " ";
      const disabled = await deployedHandler({}, lambdaContext(900_000));
      process.env.SES_SYNC_TENANTS = "default,Not A Tenant";
      const bad = deployedHandler({}, lambdaContext(900_000));
      // Assert
      expect(disabled).toEqual({ status: "disabled" });
      await expect(bad).rejects.toBeInstanceOf(SesSyncSettingError);
    } finally {
      if (before === undefined) delete process.env.SES_SYNC_TENANTS;
      else process.env.SES_SYNC_TENANTS = before;
    }
  });
});
