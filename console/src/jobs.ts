/**
 * What the job pages (exports, list cleaning) decide without a browser: whether to ask again, what
 * the progress bar shows, whether a file's link still works, what a list upload is sent as. Pure,
 * so the unit tests run it in Node (test/console/jobs.test.ts).
 */
import type { JobProgress, JobStatus } from "../../lambdas/contract/jobs.js";

/**
 * The largest list the console sends in the request body: the API's `LIST_CHECK_BODY_BYTES`
 * (lambdas/contract/list-checks.ts), which the bundle cannot import (that module is zod);
 * test/console/jobs.test.ts holds the two equal. A larger list is cleaned with `npm run clean-list`.
 */
export const LIST_CHECK_BODY_BYTES = 5 * 1024 * 1024;

/** The command that cleans a list too large for the console (docs/list-cleaning.md). */
export const CLEAN_LIST_COMMAND = "npm run clean-list -- list.csv";

/** How often, in milliseconds, a page asks again while one of its jobs is queued or running. */
export const POLL_MS = 1_000;

/**
 * A job that moves by itself, so worth asking about again: queued or running (one awaiting its
 * upload waits for the operator, a finished one never changes).
 *
 * @example
 * isActive("running"); // true
 * isActive("awaiting_upload"); // false
 */
export const isActive = (status: JobStatus): boolean => status === "queued" || status === "running";

/** Whether any of `jobs` is queued or running (the page then polls). */
export const anyActive = (jobs: readonly { readonly status: JobStatus }[]): boolean =>
  jobs.some((job) => isActive(job.status));

/**
 * What a job's `<progress>` shows: `{value, max}`, or `null` for an indeterminate bar (a job that
 * moves without a known total).
 *
 * @example
 * progressOf({ status: "running", progress: { done: 40, rows: 100 } }); // { value: 40, max: 100 }
 * progressOf({ status: "running", progress: { done: 40, rows: null } }); // null
 */
export function progressOf(job: {
  readonly status: JobStatus;
  readonly progress: JobProgress;
}): { value: number; max: number } | null {
  const { done, rows } = job.progress;
  if (job.status === "succeeded") return { value: 1, max: 1 };
  if (rows !== null && rows > 0) return { value: Math.min(done, rows), max: rows };
  return isActive(job.status) ? null : { value: 0, max: 1 };
}

/**
 * Whether a finished job's file can be downloaded at `now`: `link` (its url, until `expiresAt`),
 * `expired` (the file is gone), or `none` (no file: not finished, or failed).
 *
 * @example
 * linkState({ url: "https://…", expiresAt: "2026-12-09T08:00:00.000Z" }, Date.parse("2026-12-02T08:00:00Z")); // "link"
 */
export function linkState(
  job: { readonly url: string | null; readonly expiresAt: string | null },
  now: number,
): "link" | "expired" | "none" {
  const expired = job.expiresAt !== null && Date.parse(job.expiresAt) <= now;
  if (expired) return "expired";
  return job.url === null ? "none" : "link";
}

/**
 * An export's (or any job's) filters in one line, `name=value` in the order given, `null` when none.
 *
 * @example
 * filtersText({ cause: "complaint", q: "@example.org" }); // "cause=complaint, q=@example.org"
 */
export function filtersText(filters: Readonly<Record<string, unknown>>): string | null {
  const parts = Object.entries(filters)
    .filter(([, value]) => value !== undefined && value !== null && value !== "")
    .map(([name, value]) => `${name}=${String(value)}`);
  return parts.length === 0 ? null : parts.join(", ");
}

/**
 * The content type a list file is sent as: `text/plain` for a plain list (`.txt`, or a file the
 * browser calls `text/plain`), `text/csv` for anything else (a CSV; a one-column list reads the same).
 *
 * @example
 * listContentType("campaign.csv", ""); // "text/csv"
 * listContentType("addresses.txt", "text/plain"); // "text/plain"
 */
export function listContentType(name: string, type: string): "text/csv" | "text/plain" {
  return type === "text/plain" || /\.txt$/i.test(name) ? "text/plain" : "text/csv";
}
