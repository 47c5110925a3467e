/**
 * Exports (design.md §5.3, docs/exports.md): `POST /v1/exports` starts a job that writes the whole
 * suppression list, or the status view's events, under the same filters as `GET /v1/suppressions`
 * or `GET /v1/events`, into one CSV or JSONL file kept `JOB_FILE_DAYS`; `GET /v1/exports`,
 * `GET /v1/exports/{id}` and `POST /v1/exports/{id}/retry` follow it.
 */
import * as z from "zod";
import { JOB_FIELDS, JobPage } from "./jobs.js";
import { ListQuery } from "./lists.js";
import { StatusQuery } from "./status.js";

/** What an export writes: the live entries (`GET /v1/suppressions`) or the events (`GET /v1/events`). */
export const EXPORT_KINDS = ["suppressions", "events"] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
/** The file formats, the first the default. */
export const EXPORT_FORMATS = ["csv", "jsonl"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const DEFAULT_EXPORT_FORMAT: ExportFormat = "csv";

export const ExportKind = z.enum(EXPORT_KINDS).meta({
  id: "ExportKind",
  description:
    "`suppressions`: the live entries, as `GET /v1/suppressions` lists them; `events`: the status view, as `GET /v1/events`.",
});
export const ExportFormat = z.enum(EXPORT_FORMATS).meta({
  id: "ExportFormat",
  description:
    "`csv`: a header row, then one flat row per item (docs/exports.md lists the columns); `jsonl`: one JSON object per line, exactly the items the route returns.",
});

/** The filters of a `suppressions` export: `GET /v1/suppressions`'s query without `cursor` and `limit`. */
export const SuppressionsExportFilters = ListQuery.omit({ cursor: true, limit: true }).meta({
  id: "SuppressionsExportFilters",
  description:
    "The query parameters of `GET /v1/suppressions`, but `cursor` and `limit`, with the same meaning.",
});
export type SuppressionsExportFilters = z.output<typeof SuppressionsExportFilters>;

/** The filters of an `events` export: `GET /v1/events`'s query without `cursor` and `limit`. */
export const EventsExportFilters = StatusQuery.omit({ cursor: true, limit: true }).meta({
  id: "EventsExportFilters",
  description:
    "The query parameters of `GET /v1/events`, but `cursor` and `limit`, with the same meaning and window (at most 30 days, default the last 7). The job records the window it resolved, so a retry exports the same one.",
});
export type EventsExportFilters = z.output<typeof EventsExportFilters>;

export const ExportRequest = z
  .discriminatedUnion("kind", [
    z.strictObject({
      kind: z.literal("suppressions"),
      filters: SuppressionsExportFilters.optional(),
      format: ExportFormat.optional(),
    }),
    z.strictObject({
      kind: z.literal("events"),
      filters: EventsExportFilters.optional(),
      format: ExportFormat.optional(),
    }),
  ])
  .meta({
    id: "ExportRequest",
    description: "What to export, under which filters (none: everything), in which format (default `csv`).",
    examples: [
      { kind: "suppressions", filters: { cause: "complaint" }, format: "csv" },
      { kind: "events", filters: { type: "invalid", from: "2026-11-01T00:00:00Z" }, format: "jsonl" },
    ],
  });
export type ExportRequest = z.output<typeof ExportRequest>;

export const ExportJob = z
  .strictObject({
    ...JOB_FIELDS,
    kind: ExportKind,
    format: ExportFormat,
    filters: z
      .union([SuppressionsExportFilters, EventsExportFilters])
      .describe("The filters it was started with (an `events` export's with its window resolved)."),
    masked: z
      .boolean()
      .describe(
        "Whether addresses in the file are masked (`j***@example.org`): the key that started it lacked `pii`.",
      ),
    rows: z
      .int()
      .min(0)
      .nullable()
      .describe("Rows in the file (the header not counted); `null` until it succeeded."),
    bytes: z.int().min(0).nullable().describe("The file's size; `null` until it succeeded."),
    url: z
      .url()
      .nullable()
      .describe(
        "A link to download the file (a presigned GET, made afresh on every read, valid until `expiresAt` at the latest); `null` unless `succeeded` and not yet expired, and `null` for a reader whose key lacks `pii` when the file holds whole addresses (`masked: false`).",
      ),
  })
  .meta({ id: "ExportJob", description: "One export: its state, progress and, once done, its file." });
export type ExportJob = z.output<typeof ExportJob>;

export const ExportPage = JobPage(ExportJob, "ExportPage");
export type ExportPage = z.output<typeof ExportPage>;

/**
 * The columns of a CSV export, in order, by kind: the header, and the path of the item's field it
 * holds (the items are the route's, `ListEntry` or `EventHistoryEntry`). A `null` field is an empty
 * cell; a list is its values joined by `|` (an entry's `causes`: their cause names; an event's
 * `tags`). JSONL holds every field.
 */
export const EXPORT_CSV_COLUMNS = {
  suppressions: [
    ["subject_kind", "subjectKind"],
    ["subject", "subject"],
    ["scope", "scope"],
    ["cause", "cause"],
    ["type", "reason.type"],
    ["subtype", "reason.subtype"],
    ["reason", "reason.reason"],
    ["since", "since"],
    ["expires_at", "expiresAt"],
    ["source", "source"],
    ["causes", "causes.cause"],
  ],
  events: [
    ["occurred_at", "at"],
    ["received_at", "receivedAt"],
    ["provider", "event.provider"],
    ["event_id", "event.eventId"],
    ["recipient", "event.recipient"],
    ["type", "event.type"],
    ["subtype", "event.subtype"],
    ["reason", "event.reason"],
    ["rule", "event.rule"],
    ["scope", "event.scope"],
    ["smtp_code", "event.smtp.code"],
    ["smtp_enhanced", "event.smtp.enhanced"],
    ["smtp_diagnostic", "event.smtp.diagnostic"],
    ["feedback_type", "event.feedbackType"],
    ["unsubscribe_reason", "event.unsubscribeReason"],
    ["tags", "event.tags"],
    ["action", "decision.action"],
    ["outcome", "outcome"],
  ],
} as const satisfies Record<ExportKind, readonly (readonly [string, string])[]>;
