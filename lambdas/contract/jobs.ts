/**
 * Background jobs (design.md §5.3): exports and list checks share these states, progress, pages and
 * the rule that a job's files, and the links to them, last `JOB_FILE_DAYS` from its finish.
 */
import * as z from "zod";
import { IsoTime } from "./taxonomy.js";

/** Days a finished job's files (and the job itself) are kept; its links never outlive them. */
export const JOB_FILE_DAYS = 7;
/** A running job writes its progress (its heartbeat) at least this often, in seconds. */
export const JOB_HEARTBEAT_SECONDS = 5;
/** A running job whose heartbeat is older than this, in seconds, is shown failed and may be retried. */
export const JOB_STALE_SECONDS = 120;
/** The error of a running job whose heartbeat went stale (its function stopped without finishing). */
export const JOB_STOPPED_ERROR = "stopped without finishing";
/**
 * Jobs of one kind a tenant may have queued or running at once: a further start answers 429 with
 * `Retry-After` (a runaway script cannot flood the table with full-index reads).
 */
export const MAX_ACTIVE_JOBS = 4;
/** Seconds a start refused for `MAX_ACTIVE_JOBS` asks the caller to wait. */
export const ACTIVE_JOBS_RETRY_SECONDS = 10;
/** At most this many jobs per page. */
export const JOB_PAGE_LIMIT = 100;
/** Jobs per page when `limit` is not given. */
export const JOB_PAGE_DEFAULT = 50;

/** Every state of a job, in the order a job goes through them. */
export const JOB_STATUSES = ["awaiting_upload", "queued", "running", "succeeded", "failed"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const JobStatus = z.enum(JOB_STATUSES).meta({
  id: "JobStatus",
  description:
    "`awaiting_upload`: waiting for its input (a presigned PUT, then `start`); `queued`: started, not yet picked up; `running`: being worked on (its progress moves); `succeeded`: its files are ready; `failed`: see `error`, and `retry` runs it again from scratch.",
});

/** A job's id: 12 hex digits of its creation time in milliseconds, then 12 random ones (sorts by age). */
export const JOB_ID_PATTERN = /^[0-9a-f]{24}$/;
export const JobId = z
  .string()
  .regex(JOB_ID_PATTERN, "a job id is 24 lower-case hex digits")
  .meta({ id: "JobId", description: "24 hex digits; ids sort by creation time." });

export const JobProgress = z
  .strictObject({
    done: z.int().min(0).describe("Rows processed so far."),
    rows: z
      .int()
      .min(0)
      .nullable()
      .describe("The total when it is known (cheaply, before the end); `null` otherwise."),
  })
  .meta({ id: "JobProgress", description: "How far a job got." });
export type JobProgress = z.output<typeof JobProgress>;

/**
 * The fields every job answer has (exports, list checks): spread them into a job's own schema.
 *
 * @example
 * const MyJob = z.strictObject({ ...JOB_FIELDS, summary: Summary.nullable() }).meta({ id: "MyJob" });
 */
export const JOB_FIELDS = {
  id: JobId,
  status: JobStatus,
  progress: JobProgress,
  createdAt: IsoTime(),
  startedAt: IsoTime().nullable().describe("When its current (latest) run began; `null` before it ran."),
  finishedAt: IsoTime().nullable().describe("When it succeeded or failed; `null` while it is not finished."),
  attempts: z.int().min(0).describe("How many times it was run (a retry runs it again from scratch)."),
  expiresAt: IsoTime()
    .nullable()
    .describe(
      `When its files, their links and the job itself go: ${JOB_FILE_DAYS} days after it finished; \`null\` until it succeeded.`,
    ),
  error: z.string().nullable().describe("Why it failed; `null` unless `failed`."),
} as const;

/**
 * The page schema of a job kind: `{items, cursor}`, newest first.
 *
 * @example
 * export const ExportPage = JobPage(ExportJob, "ExportPage");
 */
export function JobPage<T extends z.ZodType>(item: T, id: string) {
  return z
    .strictObject({
      items: z.array(item).describe("Newest first."),
      cursor: z.string().nullable().describe("Pass as `cursor` for the next page; `null` on the last page."),
    })
    .meta({ id });
}
/** A page of jobs of one kind. */
export type JobPage<T> = { items: T[]; cursor: string | null };

/** The query of a job list (`GET /v1/exports`, `GET /v1/list-checks`). */
export const JobListQuery = z.strictObject({
  cursor: z.string().min(1).max(1_024).optional(),
  limit: z.coerce.number().int().min(1).max(JOB_PAGE_LIMIT).optional(),
});
export type JobListQuery = z.output<typeof JobListQuery>;
