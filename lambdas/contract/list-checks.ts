/**
 * List checks (design.md §5.3, docs/list-cleaning.md): `POST /v1/list-checks` takes a CSV or plain
 * list of up to `LIST_CHECK_MAX_ROWS` addresses (in the body, or through a presigned PUT and
 * `POST /v1/list-checks/{id}/start`) and starts a job that streams it through the batch check into
 * two files kept `JOB_FILE_DAYS`: the rows to keep, and the rows to drop with `cause` and `reason`.
 * `GET /v1/list-checks`, `GET /v1/list-checks/{id}` and `POST /v1/list-checks/{id}/retry` follow it.
 */
import * as z from "zod";
import {
  DROP_CAUSES,
  DROP_COLUMNS,
  EMAIL_COLUMN_NAMES,
  LIST_CHECK_MAX_ROWS,
  LIST_DELIMITERS,
  ROW_REASONS,
} from "../core/list-cleaning.js";
import { JOB_FIELDS, JobPage } from "./jobs.js";
import { IsoTime, Scope } from "./taxonomy.js";

export { DROP_CAUSES, DROP_COLUMNS, EMAIL_COLUMN_NAMES, LIST_CHECK_MAX_ROWS, ROW_REASONS };

/** The largest list sent in the request body (5 MiB); a larger one goes through `upload: true`. */
export const LIST_CHECK_BODY_BYTES = 5 * 1024 * 1024;
/** The largest list uploaded through the presigned PUT (256 MiB); `start` refuses a larger one. */
export const LIST_CHECK_UPLOAD_BYTES = 256 * 1024 * 1024;
/** Minutes a presigned upload link stays valid. */
export const LIST_CHECK_UPLOAD_MINUTES = 60;
/** The content types a list may be sent with in the body (parameters such as `charset` aside). */
export const LIST_CHECK_CONTENT_TYPES = ["text/csv", "text/plain"] as const;
/** The longest `column` name. */
export const MAX_COLUMN_CHARS = 256;

export const ListCheckColumn = z
  .string()
  .trim()
  .min(1)
  .max(MAX_COLUMN_CHARS)
  .meta({
    id: "ListCheckColumn",
    description: `The header of the address column (trimmed, case-insensitive); the first row is then the header. Without it, a first row with a column named ${EMAIL_COLUMN_NAMES.map((n) => `\`${n}\``).join(", ")} is the header and that column is used; otherwise the first column, and no header.`,
  });

/** `POST /v1/list-checks?scope=&column=` with the list as the body. */
export const ListCheckQuery = z.strictObject({
  scope: Scope.optional().describe(
    "Check for this scope: entries at `*` and every ancestor count. Default `*`.",
  ),
  column: ListCheckColumn.optional(),
});
export type ListCheckQuery = z.output<typeof ListCheckQuery>;

/** `POST /v1/list-checks` with a JSON body: a job that waits for its list through a presigned PUT. */
export const ListCheckStartRequest = z
  .strictObject({
    upload: z.literal(true).describe("Answer with a presigned PUT link for the list."),
    scope: Scope.optional().describe(
      "Check for this scope: entries at `*` and every ancestor count. Default `*`.",
    ),
    column: ListCheckColumn.optional(),
  })
  .meta({
    id: "ListCheckStartRequest",
    description: `Start a list check whose list (up to ${LIST_CHECK_UPLOAD_BYTES / 2 ** 20} MiB) is uploaded with a PUT to \`upload.url\`; then \`POST /v1/list-checks/{id}/start\`.`,
    examples: [{ upload: true, scope: "newsletter", column: "Email" }],
  });
export type ListCheckStartRequest = z.output<typeof ListCheckStartRequest>;

export const ListCheckUpload = z
  .strictObject({
    url: z.url().describe("A presigned S3 PUT: send the list as the request body, any content type."),
    method: z.literal("PUT"),
    expiresAt: IsoTime().describe("The link is refused after this."),
  })
  .meta({ id: "ListCheckUpload", description: "Where to upload the list of a job `awaiting_upload`." });
export type ListCheckUpload = z.output<typeof ListCheckUpload>;

export const ListCheckFiles = z
  .strictObject({
    keep: z
      .url()
      .describe(
        "The rows to keep, exactly as they were in the list (the header kept): a presigned GET, made afresh on every read, valid until `expiresAt` at the latest.",
      ),
    drop: z
      .url()
      .describe(
        `The rows to drop, each with the columns ${DROP_COLUMNS.map((c) => `\`${c}\``).join(" and ")} added (padded to the header's width): a presigned GET like \`keep\`.`,
      ),
  })
  .meta({ id: "ListCheckFiles" });
export type ListCheckFiles = z.output<typeof ListCheckFiles>;

export const DropCause = z.enum(DROP_CAUSES).meta({
  id: "DropCause",
  description:
    "Why a row is dropped: a suppression cause (the strongest live one), `invalid_syntax` (no address could be read from the row) or `duplicate` (an earlier row has the same canonical address).",
});

const count = z.int().min(0);

export const ListCheckSummary = z
  .strictObject({
    rows: count.describe("Rows read, the header not counted: `kept + dropped`."),
    kept: count,
    dropped: count,
    invalid: count.describe("Rows dropped as `invalid_syntax`."),
    duplicates: count.describe("Rows dropped as `duplicate`."),
    suppressed: count.describe("Rows dropped for a suppression: `dropped - invalid - duplicates`."),
    byCause: z
      .partialRecord(DropCause, count)
      .describe("Dropped rows by cause; a cause with none is absent."),
    byReason: z.record(z.string(), count).describe(
      `Dropped rows by reason, most first: a suppression's fine reason (else its subtype, else its type: \`complaint\`, \`unsubscribe\`, \`manual\`), an address problem (\`not an email address\`, …), or ${Object.values(
        ROW_REASONS,
      )
        .map((r) => `\`${r}\``)
        .join(", ")}.`,
    ),
  })
  .meta({ id: "ListCheckSummary", description: "What a finished list check found." });
export type ListCheckSummary = z.output<typeof ListCheckSummary>;

export const ListCheckJob = z
  .strictObject({
    ...JOB_FIELDS,
    scope: Scope.nullable().describe("The scope checked; `null`: all mail (`*`) only."),
    column: z.string().nullable().describe("The `column` it was started with; `null` when it was detected."),
    upload: ListCheckUpload.nullable().describe("Where to upload the list; `null` unless `awaiting_upload`."),
    files: ListCheckFiles.nullable().describe("`null` unless `succeeded` and not yet expired."),
    summary: ListCheckSummary.nullable().describe("`null` until it succeeded."),
  })
  .meta({
    id: "ListCheckJob",
    description: `One list check: its state, progress (\`done\`: rows processed; \`rows\`: the total, known at the end) and, once done, its summary and two files. Lists of at most ${LIST_CHECK_MAX_ROWS.toLocaleString("en-US")} rows; fields separated by ${LIST_DELIMITERS.map((d) => (d === "\t" ? "tab" : `\`${d}\``)).join(", ")} (the most frequent in the first row).`,
  });
export type ListCheckJob = z.output<typeof ListCheckJob>;

export const ListCheckPage = JobPage(ListCheckJob, "ListCheckPage");
export type ListCheckPage = z.output<typeof ListCheckPage>;
