/**
 * The list-check job (docs/list-cleaning.md): reads the uploaded list back from the file store,
 * streams it through the batch check (the store's `checkAddresses`, as `POST /v1/check` asks it)
 * and writes the two files at once, each a multipart upload fed as the pipeline goes: never the
 * whole list in memory. Each run writes its own files (`<attempt>/…`), so a retry starts clean.
 */
import { PassThrough } from "node:stream";
import type { ListCheckSummary } from "../../contract/list-checks.js";
import type { ListVerdict } from "../../core/list-cleaning.js";
import { jobFileKey } from "../../files/index.js";
import type { JobRecord } from "../../store/jobs.js";
import type { JobContext, JobOutcome } from "../run-job.js";
import { cleanList } from "./pipeline.js";

/** What a list check keeps as its `spec`. */
export type ListCheckSpec = {
  /** `null`: all mail (`*`) only. */
  readonly scope: string | null;
  /** `null`: detected. */
  readonly column: string | null;
};

/** One of a finished check's files. */
export type ListCheckFile = { readonly key: string; readonly filename: string };

/** What a succeeded list check keeps as its `result`. */
export type ListCheckResult = {
  readonly keep: ListCheckFile;
  readonly drop: ListCheckFile;
  readonly summary: ListCheckSummary;
};

/** Where the list of the job `job` is uploaded (one per job: a retry reads the same list). */
export const listInputKey = (job: Pick<JobRecord, "tenant" | "kind" | "id">): string =>
  jobFileKey(job, "list.csv");

const CSV = "text/csv; charset=utf-8";

/**
 * Runs a list check: the two files written whole, the summary counted.
 *
 * @example
 * const runners = { export: runExport, "list-check": runListCheck };
 */
export async function runListCheck(context: JobContext): Promise<JobOutcome> {
  const { job, files, store } = context;
  const spec = job.spec as unknown as ListCheckSpec;
  const now = Math.floor(context.now() / 1000);
  const keepKey = jobFileKey(job, `${job.attempts}/keep.csv`);
  const dropKey = jobFileKey(job, `${job.attempts}/drop.csv`);
  const keep = new PassThrough();
  const drop = new PassThrough();
  const uploads = Promise.all([
    files.upload(keepKey, keep, CSV, { signal: context.signal }),
    files.upload(dropKey, drop, CSV, { signal: context.signal }),
  ]);
  // Should the pipeline fail first, the uploads fail with it: awaited below, never unhandled.
  uploads.catch(() => undefined);
  const input = await files.read(listInputKey(job));
  let summary: ListCheckSummary;
  try {
    summary = await cleanList(input, {
      check: async (addresses): Promise<ReadonlyMap<string, ListVerdict>> => {
        const verdicts = await store.checkAddresses(job.tenant, addresses, spec.scope ?? undefined, now);
        return new Map(verdicts.map((v) => [v.address, v]));
      },
      keep,
      drop,
      ...(spec.column === null ? {} : { column: spec.column }),
      onProgress: (done) => context.progress({ done, rows: null }),
      signal: context.signal,
    });
  } catch (error) {
    input.destroy();
    await Promise.allSettled([uploads]);
    throw error;
  }
  await uploads;
  const result: ListCheckResult = {
    keep: { key: keepKey, filename: `list-check-${job.id}.keep.csv` },
    drop: { key: dropKey, filename: `list-check-${job.id}.drop.csv` },
    summary,
  };
  return { result, progress: { done: summary.rows, rows: summary.rows } };
}
