/**
 * The SES import (lambdas/ses-account/import.ts) over a mocked SESv2 list and a real store on both
 * engines: every page's events exactly, for every tenant; a run that fails on page 2 resumed by the
 * next at the saved token with exact totals and nothing twice; a re-read recording only duplicates;
 * our own addresses (sync-out markers) skipped; where a new window starts; an expired token
 * reopening the window; the time budget; a dry run recording and saving nothing; one run at a time.
 * Time only ever comes from the clock the test gives: nothing here asserts on timings.
 */
import { randomUUID } from "node:crypto";
import type { SuppressedDestinationSummary } from "@aws-sdk/client-sesv2";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { NormalizedEvent } from "../../lambdas/core/events.js";
import { DEFAULT_POLICY } from "../../lambdas/core/policy/index.js";
import { ingest } from "../../lambdas/handlers/ingestion.js";
import { sesAccountListEvent } from "../../lambdas/providers/ses-account-list/index.js";
import {
  runSesImport,
  SES_IMPORT_LEASE_MS,
  SES_IMPORT_OVERLAP_MS,
  SesImportBusyError,
  type SesImportDeps,
  type SesImportOptions,
  type SesImportProgress,
} from "../../lambdas/ses-account/import.js";
import { SesListError } from "../../lambdas/ses-account/list-suppressed.js";
import { toDocumentClient } from "../../lambdas/store/client.js";
import { addressPk } from "../../lambdas/store/keys.js";
import { ensureTable } from "../../lambdas/store/schema.js";
import {
  EMPTY_CHECKPOINT,
  type SesImportState,
  sesImportState,
} from "../../lambdas/store/ses-import-state.js";
import { sesMarkers } from "../../lambdas/store/ses-markers.js";
import { type FakeSesList, fakeSesList, summary } from "../providers/ses-account-list/fake-ses-list.js";
import { probedStore } from "../store/helpers.js";
import { ENGINES, type RunningEngine } from "../support/engines.js";

const TENANTS = ["default", "acme"] as const;
const HOUR = 3_600_000;

/** Five entries SES holds (three bounces, two complaints), updated in the last hours, fresh addresses. */
function listing(): SuppressedDestinationSummary[] {
  const tag = randomUUID().slice(0, 8);
  const at = (hoursAgo: number) => new Date(Math.floor(Date.now() / 1000) * 1000 - hoursAgo * HOUR);
  return [
    summary(`b1-${tag}@example.org`, "BOUNCE", at(5)),
    summary(`c1-${tag}@example.org`, "COMPLAINT", at(4)),
    summary(`B2-${tag}@Example.org`, "BOUNCE", at(3)),
    summary(`c2-${tag}@example.org`, "COMPLAINT", at(2)),
    summary(`b3-${tag}@example.org`, "BOUNCE", at(1)),
  ];
}

/** The events the importer should record for `entries`, every tenant. */
const expectedEvents = (
  entries: readonly SuppressedDestinationSummary[],
  tenants: readonly string[] = TENANTS,
) =>
  entries.flatMap((e) =>
    [...tenants].sort().map((tenant) => {
      const m = sesAccountListEvent(e, tenant);
      if (!m.ok) throw new Error(m.problem);
      return m.event;
    }),
  );

describe.each(ENGINES)("the SES import on $name", (engine) => {
  let running: RunningEngine;
  const clients: { destroy(): void }[] = [];
  let ses: FakeSesList;

  beforeAll(async () => {
    running = await engine.start();
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await running?.stop();
  });
  afterEach(() => ses?.mock.restore());

  /** A store over a table of its own (one checkpoint per table), and the importer's deps over it. */
  const setup = async (entries: SuppressedDestinationSummary[], overrides: Partial<SesImportDeps> = {}) => {
    const table = `ses-import-${randomUUID().slice(0, 8)}`;
    await ensureTable(running.client, table);
    const { store, client } = probedStore(running.endpoint, table);
    clients.push(client);
    ses = fakeSesList(entries);
    const markers = sesMarkers(store);
    const recorded: NormalizedEvent[][] = [];
    const deps: SesImportDeps = {
      ses: ses.client,
      state: sesImportState(store),
      isOurs: async (address) => (await markers.holders(address)).length > 0,
      record: (events) => {
        recorded.push([...events]);
        return ingest({ events: [...events], ignored: 0 }, { store, policy: DEFAULT_POLICY, dryRun: false });
      },
      ...overrides,
    };
    const run = (options: Partial<SesImportOptions> = {}) =>
      runSesImport(deps, { tenants: TENANTS, pageSize: 2, ...options });
    return { store, table, deps, run, recorded, state: deps.state as SesImportState, markers };
  };

  /** Every ses-account-list event the store holds for `address` of `tenant`. */
  const storedEvents = async (table: string, tenant: string, address: string) => {
    const doc = toDocumentClient(running.client);
    const out = await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":pk": addressPk(tenant, address), ":prefix": "E#ses-account-list#" },
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).map((item) => item.event as Omit<NormalizedEvent, "tenant">);
  };

  /** Asserts that the store holds exactly `events`, each once. */
  const expectStored = async (table: string, events: readonly NormalizedEvent[]) => {
    for (const { tenant, ...event } of events) {
      const stored = await storedEvents(table, tenant, event.recipient);
      expect(stored, `${tenant} ${event.recipient}`).toEqual([expect.objectContaining(event)]);
    }
  };

  it("records every page's events for every tenant, reports each page, and completes the window", async () => {
    // Prepare
    const entries = listing();
    const { store, table, run, recorded, state } = await setup(entries);
    const progress: SesImportProgress[] = [];
    // Act
    const outcome = await run({ onProgress: (p) => progress.push(p) });
    // Assert
    const expected = expectedEvents(entries);
    expect(recorded.flat()).toEqual(expected);
    expect(recorded.map((page) => page.length)).toEqual([4, 4, 2]);
    await expectStored(table, expected);
    expect(outcome).toMatchObject({
      status: "completed",
      resumed: false,
      windowRestarts: 0,
      dryRun: false,
      window: { start: null, tenants: ["acme", "default"] },
      counts: { pages: 3, listed: 5, imported: 10, duplicates: 0, skippedOurs: 0, skippedInvalid: 0 },
    });
    expect(outcome.run).toEqual(outcome.counts);
    expect(progress.map((p) => [p.phase, p.counts.pages, p.more])).toEqual([
      ["window", 0, true],
      ["page", 1, true],
      ["page", 2, true],
      ["page", 3, false],
    ]);
    expect(ses.calls.map((c) => [c.NextToken, c.StartDate, c.EndDate?.toISOString()])).toEqual([
      [undefined, undefined, outcome.window.end],
      ["tok-2-0", undefined, outcome.window.end],
      ["tok-4-0", undefined, outcome.window.end],
    ]);
    const checkpoint = await state.get();
    expect(checkpoint).toMatchObject({
      window: null,
      nextToken: null,
      leaseUntil: null,
      lastCompleted: { ...outcome.window, counts: outcome.counts },
    });
    // The events suppress: bounces as bounces, complaints as complaints.
    const [bounce, complaint] = await store.checkAddresses("acme", [
      expected[0]?.recipient ?? "",
      expected[2]?.recipient ?? "",
    ]);
    expect(bounce).toMatchObject({ suppressed: true, cause: "bounce" });
    expect(complaint).toMatchObject({ suppressed: true, cause: "complaint" });
  });

  it("resumes after a failure on page 2 at the saved token: exact totals, nothing recorded twice", async () => {
    // Prepare
    const entries = listing();
    const { table, run, recorded, state } = await setup(entries);
    ses.failCalls.add(2);
    // Act
    const failed = await run().catch((e: unknown) => e);
    const between = await state.get();
    const resumed = await run();
    // Assert
    expect(failed).toBeInstanceOf(SesListError);
    expect(between).toMatchObject({
      nextToken: "tok-2-0",
      counts: { pages: 1, listed: 2, imported: 4, duplicates: 0 },
      leaseUntil: null, // released by the failed run, so the next one need not wait
    });
    expect(ses.calls.map((c) => c.NextToken)).toEqual([undefined, "tok-2-0", "tok-2-0", "tok-4-0"]);
    expect(resumed).toMatchObject({
      status: "completed",
      resumed: true,
      counts: { pages: 3, listed: 5, imported: 10, duplicates: 0 },
      run: { pages: 2, listed: 3, imported: 6, duplicates: 0 },
    });
    expect(resumed.window).toEqual(between.window);
    expect(recorded.flat()).toEqual(expectedEvents(entries));
    await expectStored(table, expectedEvents(entries));
  });

  it("counts a page whose recording failed half-way as duplicates when it is read again, and stores each event once", async () => {
    // Prepare: the second page's recording fails after it wrote the first tenant's events.
    const entries = listing();
    let pages = 0;
    const ctx = await setup(entries);
    const { table, state } = ctx;
    const record = ctx.deps.record;
    const failing: SesImportDeps = {
      ...ctx.deps,
      record: async (events) => {
        pages++;
        if (pages !== 2) return record(events);
        await record(events.filter((e) => e.tenant === "acme"));
        throw new Error("injected store failure");
      },
    };
    // Act
    await expect(runSesImport(failing, { tenants: TENANTS, pageSize: 2 })).rejects.toThrow(
      "injected store failure",
    );
    const outcome = await runSesImport(failing, { tenants: TENANTS, pageSize: 2 });
    // Assert
    expect(outcome.counts).toMatchObject({ pages: 3, listed: 5, imported: 8, duplicates: 2 });
    await expectStored(table, expectedEvents(entries));
    expect((await state.get()).lastCompleted?.counts.imported).toBe(8);
  });

  it("records only duplicates when the same list is read again from the beginning", async () => {
    // Prepare
    const entries = listing();
    const { table, run } = await setup(entries);
    await run();
    // Act
    const again = await run({ restart: true });
    // Assert
    expect(again).toMatchObject({
      status: "completed",
      resumed: false,
      window: { start: null },
      counts: { pages: 3, listed: 5, imported: 0, duplicates: 10 },
    });
    await expectStored(table, expectedEvents(entries));
  });

  it("starts the next window at the last one's end less the overlap, and records what SES suppressed since", async () => {
    // Prepare
    const entries = listing();
    const { table, run } = await setup(entries);
    const first = await run();
    const later = summary(
      `late-${randomUUID().slice(0, 8)}@example.org`,
      "BOUNCE",
      new Date(Date.parse(first.window.end) + 1),
    );
    ses.entries = [...entries, later];
    const callsBefore = ses.calls.length;
    // Act
    const second = await run();
    // Assert
    const start = new Date(Date.parse(first.window.end) - SES_IMPORT_OVERLAP_MS);
    expect(second.window.start).toBe(start.toISOString());
    expect(ses.calls[callsBefore]?.StartDate).toEqual(start);
    expect(second.counts).toMatchObject({ listed: 1, imported: 2, duplicates: 0 });
    await expectStored(table, expectedEvents([...entries, later]));
  });

  it("starts at since when given, and from the beginning for a tenant the last window was not for", async () => {
    // Prepare
    const entries = listing();
    const { run } = await setup(entries);
    await run({ tenants: ["default"] });
    const since = entries[3]?.LastUpdateTime as Date;
    // Act
    const fromSince = await run({ tenants: ["default"], since });
    const newTenant = await run({ tenants: ["default", "acme"] });
    // Assert
    expect(fromSince).toMatchObject({
      window: { start: since.toISOString() },
      counts: { listed: 2, duplicates: 2, imported: 0 },
    });
    expect(newTenant).toMatchObject({
      window: { start: null },
      counts: { listed: 5, imported: 5, duplicates: 5 },
    });
  });

  it("skips the addresses we put in SES ourselves, for every tenant, and counts them", async () => {
    // Prepare
    const entries = listing();
    const { table, run, markers } = await setup(entries);
    const ours = expectedEvents(entries.slice(2, 3))[0]?.recipient ?? "";
    await markers.put("acme", ours, "BOUNCE");
    // Act
    const outcome = await run();
    // Assert
    expect(outcome.counts).toMatchObject({ listed: 5, imported: 8, skippedOurs: 1, skippedInvalid: 0 });
    for (const tenant of TENANTS) expect(await storedEvents(table, tenant, ours)).toEqual([]);
    await expectStored(table, expectedEvents([...entries.slice(0, 2), ...entries.slice(3)]));
  });

  it("skips and counts what is not an address, and asks isOurs only about canonical addresses", async () => {
    // Prepare
    const entries = listing();
    const asked: string[] = [];
    const { run, recorded } = await setup(
      [...entries, summary("not an address", "BOUNCE", new Date(Date.now() - HOUR))],
      {
        isOurs: async (address) => {
          asked.push(address);
          return false;
        },
      },
    );
    // Act
    const outcome = await run();
    // Assert
    expect(outcome.counts).toMatchObject({ pages: 3, listed: 6, imported: 10, skippedInvalid: 1 });
    expect(asked.sort()).toEqual([...new Set(expectedEvents(entries).map((e) => e.recipient))].sort());
    expect(recorded.flat()).toEqual(expectedEvents(entries));
  });

  it("reopens the window when SES refuses an expired token, and the pages read again are duplicates", async () => {
    // Prepare: a first run stops after page 1 (its budget spent on the test's clock).
    const entries = listing();
    let clock = Date.now();
    const { table, run } = await setup(entries, { now: () => new Date(clock) });
    ses.onCall = () => {
      clock += 60_000;
    };
    const stopped = await run({ budgetMs: 30_000 });
    ses.expireTokens();
    // Act
    const outcome = await run();
    // Assert
    expect(stopped).toMatchObject({ status: "stopped", counts: { pages: 1, imported: 4 } });
    expect(outcome).toMatchObject({
      status: "completed",
      resumed: true,
      windowRestarts: 1,
      counts: { pages: 4, listed: 7, imported: 10, duplicates: 4 },
    });
    expect(outcome.window.start).toBe(stopped.window.start);
    expect(Date.parse(outcome.window.end)).toBeGreaterThan(Date.parse(stopped.window.end));
    await expectStored(table, expectedEvents(entries));
  });

  it("stops starting pages once its budget is spent, with the next page's token saved", async () => {
    // Prepare
    const entries = listing();
    let clock = Date.now();
    const { run, state } = await setup(entries, { now: () => new Date(clock) });
    ses.onCall = () => {
      clock += 60_000;
    };
    // Act: the budget allows a page to start at 0 and 60 s, not at 120 s.
    const outcome = await run({ budgetMs: 90_000 });
    // Assert
    expect(outcome).toMatchObject({ status: "stopped", counts: { pages: 2, imported: 8 } });
    expect(ses.calls).toHaveLength(2);
    expect(await state.get()).toMatchObject({ nextToken: "tok-4-0", leaseUntil: null, counts: { pages: 2 } });
  });

  it("stops before the next page when its signal is aborted", async () => {
    // Prepare
    const entries = listing();
    const { run } = await setup(entries);
    const controller = new AbortController();
    // Act
    const outcome = await run({
      signal: controller.signal,
      onProgress: (p) => p.phase === "page" && controller.abort(),
    });
    // Assert
    expect(outcome).toMatchObject({ status: "stopped", counts: { pages: 1 } });
  });

  it("in a dry run counts what would be recorded and records, saves and locks nothing", async () => {
    // Prepare
    const entries = listing();
    const { table, run, recorded, state } = await setup(entries);
    await state.acquire(Date.now(), SES_IMPORT_LEASE_MS); // a live lease does not stop a dry run
    const before = await state.get();
    // Act
    const outcome = await run({ dryRun: true });
    // Assert
    expect(outcome).toMatchObject({
      status: "completed",
      dryRun: true,
      counts: { pages: 3, listed: 5, imported: 10, duplicates: 0 },
    });
    expect(recorded).toEqual([]);
    for (const { tenant, recipient } of expectedEvents(entries)) {
      expect(await storedEvents(table, tenant, recipient)).toEqual([]);
    }
    expect(await state.get()).toEqual(before);
  });

  it("refuses to run while another run holds the checkpoint, and touches nothing", async () => {
    // Prepare
    const entries = listing();
    const { run, state, recorded } = await setup(entries);
    const other = await state.acquire(Date.now(), SES_IMPORT_LEASE_MS);
    // Act
    const error = await run().catch((e: unknown) => e);
    // Assert
    expect(other.ok).toBe(true);
    expect(error).toBeInstanceOf(SesImportBusyError);
    expect((error as SesImportBusyError).heldUntil).toBeGreaterThan(Date.now());
    expect(ses.calls).toEqual([]);
    expect(recorded).toEqual([]);
  });

  it("refuses no tenants and a since in the future before reading anything", async () => {
    // Prepare
    const { run, state } = await setup(listing());
    // Act / Assert
    await expect(run({ tenants: [] })).rejects.toBeInstanceOf(RangeError);
    await expect(run({ since: new Date(Date.now() + HOUR) })).rejects.toBeInstanceOf(RangeError);
    expect(ses.calls).toEqual([]);
    expect(await state.get()).toEqual(EMPTY_CHECKPOINT);
  });
});
