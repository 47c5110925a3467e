/**
 * The SES import (issue #14): reads the SES account-level suppression list
 * (`ListSuppressedDestinations`) page by page and records each address as a `ses-account-list`
 * event of every opted-in tenant, through the same `ingest` as every other event (policy,
 * allowlist, idempotent recording). `npm run ses:import` runs it once; the scheduled `ses-import`
 * function runs it again and again, so what SES suppresses by itself (its own bounces and
 * complaints) reaches the tenants' lists.
 *
 * - **Windows.** Each run reads a window of SES's `LastUpdateTime`: a new one starts where the
 *   last completed window ended, less `SES_IMPORT_OVERLAP_MS` (an address SES updated while that
 *   window was read is read again, a duplicate at worst), or at the beginning of the list the
 *   first time, with `restart`, or for tenants the last window was not for; `since` starts it
 *   there. Its end is fixed when it opens, so its pages stay one listing.
 * - **Checkpoint.** After each page the window, the next page's token and the counts are saved
 *   (store/ses-import-state.ts), so a run that fails or runs out of time resumes at the next
 *   page. Recording is idempotent, so a page handled again (its save failed) counts its events
 *   as duplicates and the store holds each once.
 * - **Our own entries.** Addresses the sync-out put in SES (a marker says so, `isOurs`) are
 *   skipped: importing them would spread one tenant's suppression to every tenant.
 * - **An expired token** (`SesNextTokenError`) reopens the window from its first page, with a
 *   new end; pages read again are duplicates.
 * - **A lease** on the checkpoint keeps two runs (the schedule and the CLI) from interleaving: a
 *   run that finds another's live lease fails with `SesImportBusyError`.
 */
import type { SESv2Client } from "@aws-sdk/client-sesv2";
import type { NormalizedEvent } from "../core/events.js";
import { sesAccountListEvent } from "../providers/ses-account-list/events.js";
import {
  addCounts,
  type SesImportCheckpoint,
  type SesImportCounts,
  type SesImportState,
  type SesImportWindow,
  ZERO_COUNTS,
} from "../store/ses-import-state.js";
import { listSuppressedPages, SesNextTokenError, type SuppressedPage } from "./list-suppressed.js";

/** How far back of the last completed window's end a new window starts. */
export const SES_IMPORT_OVERLAP_MS = 15 * 60_000;
/** How long a run holds the checkpoint without saving a page; each save renews it. */
export const SES_IMPORT_LEASE_MS = 5 * 60_000;
/** Expired page tokens one run recovers from (each reopens the window) before it gives up. */
export const MAX_WINDOW_RESTARTS = 3;
/** `isOurs` checks in flight at once. */
const OURS_CONCURRENCY = 16;

/** What recording a page's events came to (`ingest`'s summary has both). */
export type RecordSummary = { readonly accepted: number; readonly duplicates: number };

/** What the importer needs; the handler and the CLI build them over the store. */
export type SesImportDeps = {
  readonly ses: SESv2Client;
  readonly state: Pick<SesImportState, "get" | "acquire" | "save" | "complete" | "release">;
  /** Whether we put `address` (canonical) in SES ourselves (store/ses-markers.ts holders). */
  readonly isOurs: (address: string) => Promise<boolean>;
  /** Records events idempotently: `ingest` with the store and the policy. */
  readonly record: (events: readonly NormalizedEvent[]) => Promise<RecordSummary>;
  readonly now?: () => Date;
};

/** What one progress report says. */
export type SesImportProgress = {
  /** `window`: a window opened or resumed; `page`: a page was handled; `restart`: a token expired. */
  readonly phase: "window" | "page" | "restart";
  readonly window: SesImportWindow;
  readonly resumed: boolean;
  /** The window's counts so far, earlier runs included. */
  readonly counts: SesImportCounts;
  /** This run's. */
  readonly run: SesImportCounts;
  /** Whether SES has more pages. */
  readonly more: boolean;
};

export type SesImportOptions = {
  /** The opted-in tenants; every listed address becomes an event of each. At least one. */
  readonly tenants: readonly string[];
  /** Start a new window here (a saved one is dropped). */
  readonly since?: Date;
  /** Ignore the checkpoint: a new window from the beginning of the list (or `since`). */
  readonly restart?: boolean;
  /** Count what would be recorded; record nothing, save nothing, take no lease. */
  readonly dryRun?: boolean;
  /** SES page size (default 1000, its largest). */
  readonly pageSize?: number;
  /** Default `SES_IMPORT_OVERLAP_MS`. */
  readonly overlapMs?: number;
  /** Default `SES_IMPORT_LEASE_MS`. */
  readonly leaseMs?: number;
  /**
   * Milliseconds (on `now`) after which no new page is started: the run stops with the next
   * page's token saved. The scheduled function sets it below its timeout.
   */
  readonly budgetMs?: number;
  /** Aborted: no new page is started (Ctrl-C in the CLI); the page in hand is finished and saved. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: SesImportProgress) => void;
};

/** How a run ended. */
export type SesImportOutcome = {
  /** `completed`: the window's last page was handled; `stopped`: budget or signal, token saved. */
  readonly status: "completed" | "stopped";
  readonly window: SesImportWindow;
  /** Whether the run continued a saved window. */
  readonly resumed: boolean;
  /** Times an expired token reopened the window. */
  readonly windowRestarts: number;
  readonly counts: SesImportCounts;
  readonly run: SesImportCounts;
  readonly dryRun: boolean;
};

/** Another run holds the checkpoint until `heldUntil` (epoch ms). */
export class SesImportBusyError extends Error {
  override readonly name = "SesImportBusyError";
  constructor(
    readonly heldUntil: number | null,
    options?: ErrorOptions,
  ) {
    super(
      `another SES import holds the checkpoint${heldUntil === null ? "" : ` until ${new Date(heldUntil).toISOString()}`}`,
      options,
    );
  }
}

/** The window a run reads, and where in it. */
type Plan = {
  readonly window: SesImportWindow;
  readonly token: string | null;
  readonly counts: SesImportCounts;
  readonly resumed: boolean;
};

const sameTenants = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((t, i) => t === b[i]);

/**
 * The window this run reads: the saved one, resumed at its token, unless told otherwise or it was
 * for other tenants; else a new one (see the module notes for where it starts).
 */
function planOf(
  checkpoint: SesImportCheckpoint,
  tenants: readonly string[],
  options: SesImportOptions,
  now: Date,
): Plan {
  const saved = checkpoint.window;
  if (
    saved !== null &&
    !options.restart &&
    options.since === undefined &&
    sameTenants(saved.tenants, tenants)
  ) {
    return { window: saved, token: checkpoint.nextToken, counts: checkpoint.counts, resumed: true };
  }
  const done = checkpoint.lastCompleted;
  const covered = done !== null && tenants.every((t) => done.tenants.includes(t));
  const overlap = options.overlapMs ?? SES_IMPORT_OVERLAP_MS;
  const start =
    options.since !== undefined
      ? options.since.toISOString()
      : options.restart || !covered
        ? null
        : new Date(Date.parse(done.end) - overlap).toISOString();
  return {
    window: { start, end: now.toISOString(), tenants },
    token: null,
    counts: ZERO_COUNTS,
    resumed: false,
  };
}

/** `work` over `items`, at most `limit` at once, results in order. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * One page: its summaries as events of every tenant, less the invalid ones and ours, recorded
 * (or, in a dry run, counted).
 */
async function handlePage(
  page: SuppressedPage,
  tenants: readonly string[],
  deps: SesImportDeps,
  dryRun: boolean,
): Promise<SesImportCounts> {
  let skippedInvalid = 0;
  const valid: { address: string; events: NormalizedEvent[] }[] = [];
  for (const summary of page.summaries) {
    const mapped = tenants.map((tenant) => sesAccountListEvent(summary, tenant));
    const first = mapped[0];
    if (first === undefined || !first.ok) {
      skippedInvalid++;
      continue;
    }
    valid.push({ address: first.address, events: mapped.flatMap((m) => (m.ok ? [m.event] : [])) });
  }
  const addresses = [...new Set(valid.map((v) => v.address))];
  const oursList = await mapLimit(addresses, OURS_CONCURRENCY, deps.isOurs);
  const ours = new Set(addresses.filter((_, i) => oursList[i]));
  const events = valid.filter((v) => !ours.has(v.address)).flatMap((v) => v.events);
  const skippedOurs = valid.length - valid.filter((v) => !ours.has(v.address)).length;
  let imported = events.length;
  let duplicates = 0;
  if (!dryRun && events.length > 0) {
    const summary = await deps.record(events);
    imported = summary.accepted;
    duplicates = summary.duplicates;
  }
  return { pages: 1, listed: page.summaries.length, imported, duplicates, skippedOurs, skippedInvalid };
}

/**
 * Runs the import: opens or resumes a window, handles its pages one by one, saves the checkpoint
 * after each, and completes the window after the last (see the module notes).
 *
 * @throws SesImportBusyError when another run holds the checkpoint (never in a dry run)
 * @throws SesImportLeaseLostError when this run's lease was taken over
 * @throws SesListError when SES fails (throttling is retried by its client first)
 * @throws RangeError for no tenants, or a `since` after now
 * @throws whatever `record` and `isOurs` throw (a store failure): the checkpoint then holds the
 *   last page handled, and the next run resumes after it
 * @example
 * const outcome = await runSesImport(
 *   { ses, state: sesImportState(store), isOurs, record: (events) => ingest({ events, ignored: 0 }, { store, policy, dryRun: false }) },
 *   { tenants: ["default"], onProgress: (p) => console.error(p.counts) },
 * );
 * outcome.status; // "completed"
 */
export async function runSesImport(
  deps: SesImportDeps,
  options: SesImportOptions,
): Promise<SesImportOutcome> {
  const now = deps.now ?? (() => new Date());
  const startedMs = now().getTime();
  const tenants = [...new Set(options.tenants)].sort();
  if (tenants.length === 0) throw new RangeError("the SES import needs at least one tenant");
  if (options.since !== undefined && !(options.since.getTime() <= startedMs)) {
    throw new RangeError(`since must be a time before now; got ${options.since.toISOString()}`);
  }
  const dryRun = options.dryRun ?? false;
  const leaseMs = options.leaseMs ?? SES_IMPORT_LEASE_MS;
  let lease: string | undefined;
  let checkpoint: SesImportCheckpoint;
  if (dryRun) {
    checkpoint = await deps.state.get();
  } else {
    const got = await deps.state.acquire(startedMs, leaseMs);
    if (!got.ok) throw new SesImportBusyError(got.heldUntil);
    lease = got.lease;
    checkpoint = got.checkpoint;
  }
  const plan = planOf(checkpoint, tenants, options, now());
  let { window, token, counts } = plan;
  let run = ZERO_COUNTS;
  let windowRestarts = 0;
  let completed = false;
  const save = async () => {
    if (lease !== undefined)
      await deps.state.save(lease, { window, nextToken: token, counts }, now().getTime(), leaseMs);
  };
  const report = (phase: SesImportProgress["phase"], more: boolean) =>
    options.onProgress?.({ phase, window, resumed: plan.resumed, counts, run, more });
  const shouldStop = () =>
    options.signal?.aborted === true ||
    (options.budgetMs !== undefined && now().getTime() - startedMs >= options.budgetMs);
  const outcome = (status: SesImportOutcome["status"]): SesImportOutcome => ({
    status,
    window,
    resumed: plan.resumed,
    windowRestarts,
    counts,
    run,
    dryRun,
  });

  try {
    // A new window is saved before its first page, so a run that fails there resumes it.
    if (!plan.resumed) await save();
    report("window", true);
    if (shouldStop()) return outcome("stopped");
    for (;;) {
      try {
        const pages = listSuppressedPages(deps.ses, {
          ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
          ...(window.start !== null ? { startDate: new Date(window.start) } : {}),
          endDate: new Date(window.end),
          ...(token !== null ? { nextToken: token } : {}),
        });
        for await (const page of pages) {
          const pageCounts = await handlePage(page, tenants, deps, dryRun);
          counts = addCounts(counts, pageCounts);
          run = addCounts(run, pageCounts);
          token = page.nextToken;
          if (token === null) break;
          await save();
          report("page", true);
          if (shouldStop()) return outcome("stopped");
        }
        break;
      } catch (err) {
        if (!(err instanceof SesNextTokenError) || token === null || windowRestarts >= MAX_WINDOW_RESTARTS) {
          throw err;
        }
        // The pages already handled are read again: duplicates, recorded once.
        windowRestarts++;
        window = { ...window, end: now().toISOString() };
        token = null;
        await save();
        report("restart", true);
      }
    }
    if (lease !== undefined) {
      await deps.state.complete(
        lease,
        { ...window, counts, completedAt: now().toISOString() },
        now().getTime(),
      );
    }
    completed = true;
    report("page", false);
    return outcome("completed");
  } finally {
    // A completed window released the lease with its last write; otherwise give it up now, so
    // the next run need not wait for it to expire (it would expire anyway if this fails).
    if (lease !== undefined && !completed) await deps.state.release(lease).catch(() => false);
  }
}
