/**
 * The checkpoint of the SES import (issue #14, lambdas/ses-account/import.ts): one item per
 * deployment, pk `SESIMPORT`, sk `STATE`, `kind: "ses-import"`. It holds the window being read
 * (its start and end, the tenants it is for), the token of the next page, the window's counts so
 * far, and the last completed window, whose end is where the next window starts (less an overlap).
 *
 * Runs take a lease: `acquire` sets a fresh `leaseToken` and `leaseUntil` (epoch ms) unless a live
 * lease is there, and every later write is conditional on that token, so the scheduled function and
 * `npm run ses:import` can never interleave their pages silently. A run that dies leaves its lease
 * to expire (`leaseUntil`); each page's save renews it.
 */
import { randomBytes } from "node:crypto";
import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { CallContext } from "./context.js";
import { isConditionalCheckFailed, toStoreError } from "./errors.js";
import type { ItemKey } from "./keys.js";
import type { SuppressionStore } from "./store.js";

/** The checkpoint's key: one per table. */
export const SES_IMPORT_STATE_KEY: ItemKey = { pk: "SESIMPORT", sk: "STATE" };

/** What a window's pages came to. */
export type SesImportCounts = {
  /** Pages read and handled. */
  readonly pages: number;
  /** Addresses SES listed on them. */
  readonly listed: number;
  /** Events recorded for the first time (one per address and tenant). */
  readonly imported: number;
  /** Events recorded before (a re-read page, an overlap): nothing changed. */
  readonly duplicates: number;
  /** Listed addresses we put in SES ourselves (sync-out markers): not SES's own, not imported. */
  readonly skippedOurs: number;
  /** Listed entries that are no address (or lack a reason or time): not imported. */
  readonly skippedInvalid: number;
};

/** No pages yet. */
export const ZERO_COUNTS: SesImportCounts = {
  pages: 0,
  listed: 0,
  imported: 0,
  duplicates: 0,
  skippedOurs: 0,
  skippedInvalid: 0,
};

/**
 * `a` plus `b`, field by field.
 *
 * @example addCounts(ZERO_COUNTS, { ...ZERO_COUNTS, pages: 1 }).pages; // 1
 */
export function addCounts(a: SesImportCounts, b: SesImportCounts): SesImportCounts {
  return {
    pages: a.pages + b.pages,
    listed: a.listed + b.listed,
    imported: a.imported + b.imported,
    duplicates: a.duplicates + b.duplicates,
    skippedOurs: a.skippedOurs + b.skippedOurs,
    skippedInvalid: a.skippedInvalid + b.skippedInvalid,
  };
}

/** The slice of the list a window reads: SES's `LastUpdateTime` in [start, end]. */
export type SesImportWindow = {
  /** ISO time; `null`: from the beginning of the list. */
  readonly start: string | null;
  /** ISO time, fixed when the window opened so its pages stay one listing. */
  readonly end: string;
  /** The tenants its events are for, sorted. */
  readonly tenants: readonly string[];
};

/** A window read to its last page. */
export type SesImportCompleted = SesImportWindow & {
  readonly counts: SesImportCounts;
  /** ISO time. */
  readonly completedAt: string;
};

/** The checkpoint as stored (an empty one before the first run). */
export type SesImportCheckpoint = {
  /** The window being read; `null` between windows. */
  readonly window: SesImportWindow | null;
  /** The token of the window's next page; `null`: its first page. */
  readonly nextToken: string | null;
  /** The window's counts so far (every run of it together). */
  readonly counts: SesImportCounts;
  readonly lastCompleted: SesImportCompleted | null;
  /** Epoch ms until which a run holds the checkpoint; `null` when none does. */
  readonly leaseUntil: number | null;
  /** ISO time of the last write; `null` before the first. */
  readonly updatedAt: string | null;
};

/** The empty checkpoint. */
export const EMPTY_CHECKPOINT: SesImportCheckpoint = {
  window: null,
  nextToken: null,
  counts: ZERO_COUNTS,
  lastCompleted: null,
  leaseUntil: null,
  updatedAt: null,
};

/** The run no longer holds the checkpoint: its lease expired and another run took it. */
export class SesImportLeaseLostError extends Error {
  override readonly name = "SesImportLeaseLostError";
}

/** What `acquire` met: the lease and the checkpoint, or a live lease of another run. */
export type LeaseResult =
  | { readonly ok: true; readonly lease: string; readonly checkpoint: SesImportCheckpoint }
  | { readonly ok: false; readonly heldUntil: number | null };

const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

function countsOf(value: unknown): SesImportCounts {
  const v = isObject(value) ? value : {};
  return {
    pages: num(v.pages),
    listed: num(v.listed),
    imported: num(v.imported),
    duplicates: num(v.duplicates),
    skippedOurs: num(v.skippedOurs),
    skippedInvalid: num(v.skippedInvalid),
  };
}

function windowOf(value: unknown): SesImportWindow | null {
  if (!isObject(value) || typeof value.end !== "string") return null;
  const tenants = Array.isArray(value.tenants) ? value.tenants.filter((t) => typeof t === "string") : [];
  return { start: str(value.start), end: value.end, tenants };
}

/** The stored item → the checkpoint (the table's own attributes left out). */
function checkpointOf(item: Record<string, unknown> | undefined): SesImportCheckpoint {
  if (item === undefined) return EMPTY_CHECKPOINT;
  const done = isObject(item.lastCompleted) ? item.lastCompleted : undefined;
  const doneWindow = windowOf(done);
  return {
    window: windowOf(item.window),
    nextToken: str(item.nextToken),
    counts: countsOf(item.counts),
    lastCompleted:
      done && doneWindow
        ? {
            ...doneWindow,
            counts: countsOf(done.counts),
            completedAt: str(done.completedAt) ?? doneWindow.end,
          }
        : null,
    leaseUntil:
      typeof item.leaseToken === "string" && typeof item.leaseUntil === "number" ? item.leaseUntil : null,
    updatedAt: str(item.updatedAt),
  };
}

/** One conditional update of the checkpoint; the item after it, or `undefined` when the condition failed. */
async function update(
  call: CallContext,
  operation: string,
  input: {
    readonly expression: string;
    readonly condition: string;
    readonly names?: Record<string, string>;
    readonly values: Record<string, unknown>;
  },
): Promise<Record<string, unknown> | undefined> {
  try {
    const out = await call.doc.send(
      new UpdateCommand({
        TableName: call.tableName,
        Key: SES_IMPORT_STATE_KEY,
        UpdateExpression: input.expression,
        ConditionExpression: input.condition,
        ...(input.names ? { ExpressionAttributeNames: input.names } : {}),
        ExpressionAttributeValues: input.values,
        ReturnValues: "ALL_NEW",
      }),
      { abortSignal: call.signal },
    );
    return out.Attributes ?? {};
  } catch (err) {
    if (isConditionalCheckFailed(err)) return undefined;
    throw toStoreError(err, `UpdateItem (${operation})`);
  }
}

async function read(call: CallContext): Promise<Record<string, unknown> | undefined> {
  try {
    const out = await call.doc.send(
      new GetCommand({ TableName: call.tableName, Key: SES_IMPORT_STATE_KEY, ConsistentRead: true }),
      { abortSignal: call.signal },
    );
    return out.Item;
  } catch (err) {
    throw toStoreError(err, "GetItem (ses import state)");
  }
}

/** Where a run is: its window, the next page's token, the counts so far. */
export type SesImportProgressState = {
  readonly window: SesImportWindow;
  readonly nextToken: string | null;
  readonly counts: SesImportCounts;
};

const lost = (what: string) =>
  new SesImportLeaseLostError(
    `${what}: this run no longer holds the SES import checkpoint (its lease expired and another run took it)`,
  );

/**
 * The SES import's checkpoint in `store`, each operation one store call under its budget. Times
 * are epoch milliseconds.
 *
 * @example
 * const state = sesImportState(store);
 * const got = await state.acquire(Date.now(), 300_000);
 * if (got.ok) {
 *   await state.save(got.lease, { window, nextToken: page.nextToken, counts }, Date.now(), 300_000);
 *   await state.complete(got.lease, { ...window, counts, completedAt: new Date().toISOString() }, Date.now());
 * }
 */
export function sesImportState(store: SuppressionStore) {
  return {
    /** The checkpoint as stored (`EMPTY_CHECKPOINT` before the first run); a consistent read. */
    get: (): Promise<SesImportCheckpoint> =>
      store.within("getSesImportState", async (call) => checkpointOf(await read(call))),

    /**
     * Takes the checkpoint for a run until `nowMs + leaseMs`, unless another run's lease is live.
     * Creates the item on first use.
     */
    acquire: (nowMs: number, leaseMs: number): Promise<LeaseResult> =>
      store.within("acquireSesImportState", async (call) => {
        const lease = randomBytes(16).toString("hex");
        const item = await update(call, "ses import lease", {
          expression: "SET #kind = :kind, leaseToken = :lease, leaseUntil = :until, updatedAt = :now",
          condition: "attribute_not_exists(leaseToken) OR leaseUntil < :nowMs",
          names: { "#kind": "kind" },
          values: {
            ":kind": "ses-import",
            ":lease": lease,
            ":until": nowMs + leaseMs,
            ":nowMs": nowMs,
            ":now": new Date(nowMs).toISOString(),
          },
        });
        if (item !== undefined) return { ok: true, lease, checkpoint: checkpointOf(item) };
        return { ok: false, heldUntil: checkpointOf(await read(call)).leaseUntil };
      }),

    /**
     * Saves where the run is (after a page, or a window opened) and renews its lease.
     *
     * @throws SesImportLeaseLostError when the run no longer holds the lease
     */
    save: (lease: string, state: SesImportProgressState, nowMs: number, leaseMs: number): Promise<void> =>
      store.within("saveSesImportState", async (call) => {
        const item = await update(call, "ses import checkpoint", {
          expression:
            "SET #window = :window, nextToken = :token, counts = :counts, leaseUntil = :until, updatedAt = :now",
          condition: "leaseToken = :lease",
          names: { "#window": "window" },
          values: {
            ":window": { ...state.window, tenants: [...state.window.tenants] },
            ":token": state.nextToken,
            ":counts": state.counts,
            ":until": nowMs + leaseMs,
            ":now": new Date(nowMs).toISOString(),
            ":lease": lease,
          },
        });
        if (item === undefined) throw lost("saving the checkpoint");
      }),

    /**
     * Ends the window: it becomes `lastCompleted`, no window is open, and the lease is released.
     *
     * @throws SesImportLeaseLostError when the run no longer holds the lease
     */
    complete: (lease: string, completed: SesImportCompleted, nowMs: number): Promise<void> =>
      store.within("completeSesImportState", async (call) => {
        const item = await update(call, "ses import completion", {
          expression:
            "SET lastCompleted = :done, counts = :zero, updatedAt = :now REMOVE #window, nextToken, leaseToken, leaseUntil",
          condition: "leaseToken = :lease",
          names: { "#window": "window" },
          values: {
            ":done": { ...completed, tenants: [...completed.tenants] },
            ":zero": ZERO_COUNTS,
            ":now": new Date(nowMs).toISOString(),
            ":lease": lease,
          },
        });
        if (item === undefined) throw lost("completing the window");
      }),

    /** Gives the lease up (the window and its token stay for the next run); `false` when not held. */
    release: (lease: string): Promise<boolean> =>
      store.within("releaseSesImportState", async (call) => {
        const item = await update(call, "ses import release", {
          expression: "REMOVE leaseToken, leaseUntil",
          condition: "leaseToken = :lease",
          values: { ":lease": lease },
        });
        return item !== undefined;
      }),
  };
}

export type SesImportState = ReturnType<typeof sesImportState>;
