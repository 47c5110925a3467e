/**
 * The SES import's checkpoint (store/ses-import-state.ts) on both engines, through the real SDK:
 * empty before the first run; one lease at a time, taken over only once it expired; every save,
 * completion and release bound to the lease, so a run whose lease was taken can no longer write;
 * what a save and a completion keep.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureTable } from "../../lambdas/store/schema.js";
import {
  EMPTY_CHECKPOINT,
  type SesImportCounts,
  SesImportLeaseLostError,
  type SesImportState,
  type SesImportWindow,
  sesImportState,
  ZERO_COUNTS,
} from "../../lambdas/store/ses-import-state.js";
import { ENGINES, type RunningEngine } from "../support/engines.js";
import { probedStore } from "./helpers.js";

const T0 = Date.parse("2026-11-20T10:00:00Z");
const LEASE = 60_000;
const WINDOW: SesImportWindow = {
  start: null,
  end: "2026-11-20T10:00:00.000Z",
  tenants: ["acme", "default"],
};
const COUNTS: SesImportCounts = {
  pages: 2,
  listed: 7,
  imported: 10,
  duplicates: 2,
  skippedOurs: 1,
  skippedInvalid: 1,
};

describe.each(ENGINES)("the SES import checkpoint on $name", (engine) => {
  let running: RunningEngine;
  const clients: { destroy(): void }[] = [];

  beforeAll(async () => {
    running = await engine.start();
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await running?.stop();
  });

  /** The checkpoint of a table of its own (one checkpoint per table). */
  const freshState = async (): Promise<SesImportState> => {
    const table = `ses-import-${randomUUID().slice(0, 8)}`;
    await ensureTable(running.client, table);
    const { store, client } = probedStore(running.endpoint, table);
    clients.push(client);
    return sesImportState(store);
  };

  /** A lease, failing the test when it is refused. */
  const acquired = async (state: SesImportState, nowMs: number): Promise<string> => {
    const got = await state.acquire(nowMs, LEASE);
    if (!got.ok) throw new Error("the lease was refused");
    return got.lease;
  };

  it("is empty before the first run, and the first acquire creates it", async () => {
    // Prepare
    const state = await freshState();
    // Act
    const before = await state.get();
    const got = await state.acquire(T0, LEASE);
    // Assert
    expect(before).toEqual(EMPTY_CHECKPOINT);
    expect(got).toMatchObject({
      ok: true,
      checkpoint: {
        window: null,
        nextToken: null,
        counts: ZERO_COUNTS,
        lastCompleted: null,
        leaseUntil: T0 + LEASE,
      },
    });
    expect((await state.get()).leaseUntil).toBe(T0 + LEASE);
  });

  it("refuses a second lease while the first is live, and hands it over once it expired", async () => {
    // Prepare
    const state = await freshState();
    const first = await acquired(state, T0);
    // Act
    const refused = await state.acquire(T0 + LEASE - 1, LEASE);
    const taken = await state.acquire(T0 + LEASE + 1, LEASE);
    // Assert
    expect(refused).toEqual({ ok: false, heldUntil: T0 + LEASE });
    expect(taken.ok).toBe(true);
    // The first run can no longer write: not save, not complete, not release.
    await expect(
      state.save(first, { window: WINDOW, nextToken: "t", counts: COUNTS }, T0 + LEASE + 2, LEASE),
    ).rejects.toBeInstanceOf(SesImportLeaseLostError);
    await expect(
      state.complete(first, { ...WINDOW, counts: COUNTS, completedAt: WINDOW.end }, T0 + LEASE + 2),
    ).rejects.toBeInstanceOf(SesImportLeaseLostError);
    expect(await state.release(first)).toBe(false);
  });

  it("keeps what a save writes, renews the lease, and gives it to the next run once released", async () => {
    // Prepare
    const state = await freshState();
    const lease = await acquired(state, T0);
    // Act
    await state.save(lease, { window: WINDOW, nextToken: "tok-2", counts: COUNTS }, T0 + 1_000, LEASE);
    const saved = await state.get();
    const released = await state.release(lease);
    const next = await state.acquire(T0 + 2_000, LEASE);
    // Assert
    expect(saved).toMatchObject({
      window: WINDOW,
      nextToken: "tok-2",
      counts: COUNTS,
      lastCompleted: null,
      leaseUntil: T0 + 1_000 + LEASE,
    });
    expect(released).toBe(true);
    expect(next).toMatchObject({
      ok: true,
      checkpoint: { window: WINDOW, nextToken: "tok-2", counts: COUNTS },
    });
  });

  it("completing a window keeps it as the last completed, closes it and frees the lease", async () => {
    // Prepare
    const state = await freshState();
    const lease = await acquired(state, T0);
    await state.save(lease, { window: WINDOW, nextToken: "tok-2", counts: COUNTS }, T0 + 1_000, LEASE);
    const completed = { ...WINDOW, counts: COUNTS, completedAt: "2026-11-20T10:05:00.000Z" };
    // Act
    await state.complete(lease, completed, T0 + 2_000);
    // Assert
    const after = await state.get();
    expect(after).toMatchObject({
      window: null,
      nextToken: null,
      counts: ZERO_COUNTS,
      lastCompleted: completed,
      leaseUntil: null,
    });
    expect((await state.acquire(T0 + 3_000, LEASE)).ok).toBe(true);
  });

  it("saves a first page's null token and a window from the beginning", async () => {
    // Prepare
    const state = await freshState();
    const lease = await acquired(state, T0);
    // Act
    await state.save(
      lease,
      { window: { ...WINDOW, start: null }, nextToken: null, counts: ZERO_COUNTS },
      T0,
      LEASE,
    );
    // Assert
    expect(await state.get()).toMatchObject({
      window: { start: null },
      nextToken: null,
      counts: ZERO_COUNTS,
    });
  });
});
