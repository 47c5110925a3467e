/**
 * The export job (docs/exports.md): pages through the same store reads as `GET /v1/suppressions`
 * or `GET /v1/events`, maps each item as the route does (masked as the route masks a key without
 * `pii`), and streams the text into one file (multipart upload: a page of items and a few parts in
 * memory, never the whole list). Each run writes its own file (`<attempt>/…`) and an upload that
 * fails is aborted, so a retry starts from scratch and never duplicates a row.
 */
import type {
  EventsExportFilters,
  ExportFormat,
  ExportKind,
  SuppressionsExportFilters,
} from "../../contract/exports.js";
import { maskJson } from "../../core/mask.js";
import { jobFileKey } from "../../files/index.js";
import { eventEntry } from "../../handlers/history-view.js";
import { listEntry, listFilters } from "../../handlers/list-view.js";
import { statusFilters, statusWindow } from "../../handlers/status-window.js";
import { listsStore, MAX_LIST_PAGE } from "../../store/lists.js";
import { MAX_STATUS_PAGE, statusStore } from "../../store/status.js";
import { statusCountsStore } from "../../store/status-counts.js";
import type { SuppressionStore } from "../../store/store.js";
import type { JobContext, JobOutcome } from "../run-job.js";
import { rowWriter } from "./rows.js";

/** What an export job keeps as its `spec`. */
export type ExportSpec = {
  readonly kind: ExportKind;
  readonly format: ExportFormat;
  /** An `events` export's window is resolved when it is created (`from` and `to` set). */
  readonly filters: SuppressionsExportFilters | EventsExportFilters;
  /** Addresses are masked in the file: the key that started it lacked `pii`. */
  readonly masked: boolean;
};

/** What a succeeded export keeps as its `result`. */
export type ExportResult = {
  /** The object key of the file. */
  readonly key: string;
  /** The name it downloads as. */
  readonly filename: string;
  readonly rows: number;
  readonly bytes: number;
};

/**
 * The rows an `events` export will hold, when the status view's counts (the same window and
 * filters, `GET /v1/event-counts`) are complete; `null` otherwise, and always for `suppressions`
 * (the list has no count but its length).
 */
async function expectedRows(
  store: SuppressionStore,
  tenant: string,
  spec: ExportSpec,
  now: number,
): Promise<number | null> {
  if (spec.kind !== "events") return null;
  const filters = spec.filters as EventsExportFilters;
  const { from, to } = statusWindow(filters, now);
  const counted = await statusCountsStore(store).counts({ tenant, from, to, ...statusFilters(filters) }, now);
  if (!counted.complete) return null;
  if (filters.type !== undefined) return counted.counts[filters.type];
  return Object.values(counted.counts).reduce((a, b) => a + b, 0);
}

/** The items of an export, a page at a time, exactly as the route pages them. */
async function* exportPages(
  store: SuppressionStore,
  tenant: string,
  spec: ExportSpec,
  now: number,
): AsyncGenerator<readonly unknown[]> {
  let cursor: string | undefined;
  if (spec.kind === "suppressions") {
    const filters = listFilters(spec.filters as SuppressionsExportFilters, tenant);
    const lists = listsStore(store);
    do {
      const page = await lists.entries(
        { ...filters, limit: MAX_LIST_PAGE, ...(cursor === undefined ? {} : { cursor }) },
        now,
      );
      yield page.entries.map(listEntry);
      cursor = page.cursor ?? undefined;
    } while (cursor !== undefined);
    return;
  }
  const filters = spec.filters as EventsExportFilters;
  const { from, to } = statusWindow(filters, now);
  const status = statusStore(store);
  do {
    const page = await status.events(
      {
        tenant,
        from,
        to,
        limit: MAX_STATUS_PAGE,
        ...(filters.type === undefined ? {} : { type: filters.type }),
        ...statusFilters(filters),
        ...(cursor === undefined ? {} : { cursor }),
      },
      now,
    );
    yield page.items.map(eventEntry);
    cursor = page.cursor ?? undefined;
  } while (cursor !== undefined);
}

/**
 * Runs an export: the job's file written whole, its rows counted.
 *
 * @example
 * const runners = { export: runExport, "list-check": runListCheck };
 */
export async function runExport(context: JobContext): Promise<JobOutcome> {
  const { job, files } = context;
  const spec = job.spec as unknown as ExportSpec;
  const writer = rowWriter(spec.kind, spec.format);
  const key = jobFileKey(job, `${job.attempts}/export.${writer.extension}`);
  const now = Math.floor(context.now() / 1000);
  let rows = 0;
  // A total for the progress bar, while it holds: events written meanwhile may make `done` pass it.
  const total = await expectedRows(context.store, job.tenant, spec, now);
  context.progress({ done: 0, rows: total });
  async function* text(): AsyncGenerator<string> {
    for await (const items of exportPages(context.store, job.tenant, spec, now)) {
      if (context.signal.aborted) throw context.signal.reason;
      rows += items.length;
      context.progress({ done: rows, rows: total === null ? null : Math.max(total, rows) });
      yield writer.page(spec.masked ? items.map(maskJson) : items);
    }
    const end = writer.end();
    if (end !== "") yield end;
  }
  const { bytes } = await files.upload(key, text(), writer.contentType, { signal: context.signal });
  const result: ExportResult = { key, filename: `${spec.kind}-${job.id}.${writer.extension}`, rows, bytes };
  return { result, progress: { done: rows, rows } };
}
