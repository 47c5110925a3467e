/**
 * Runs one job (design.md §5.3, jobs): claims it (`queued` → `running`, a fresh run token), runs its
 * kind's runner with a heartbeat, and records how it ended. Every write of the run is conditional
 * on its token (store/jobs.ts), so a run that lost the job (declared stale and retried) stops
 * writing. The same code runs in the `jobs` function (an asynchronous Lambda invocation) and in
 * `npm start`'s process.
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import { JOB_HEARTBEAT_SECONDS, type JobProgress } from "../contract/jobs.js";
import { InputError } from "../core/errors.js";
import { ListColumnError, ListTooLongError } from "../core/list-cleaning.js";
import { maskText } from "../core/mask.js";
import type { FileStore } from "../files/index.js";
import { FileError, FileUnavailableError } from "../files/index.js";
import { StoreUnavailableError } from "../store/errors.js";
import { type JobKind, type JobPayload, type JobRecord, type JobRef, jobsStore } from "../store/jobs.js";
import type { SuppressionStore } from "../store/store.js";

/** What a runner is given. */
export type JobContext = {
  readonly job: JobRecord;
  readonly store: SuppressionStore;
  readonly files: FileStore;
  readonly logger: Logger;
  /** Epoch milliseconds. */
  readonly now: () => number;
  /** Aborted when the run lost the job (another run holds it): stop, nothing more is written. */
  readonly signal: AbortSignal;
  /** Reports how far the run got; written as the heartbeat every `JOB_HEARTBEAT_SECONDS`. */
  progress(progress: JobProgress): void;
};

/** What a runner answers: the kind's result (stored on the job) and its final progress. */
export type JobOutcome = { readonly result: JobPayload; readonly progress: JobProgress };

/** One kind's work. A throw fails the job with the error's message (see `failureText`). */
export type JobRunner = (context: JobContext) => Promise<JobOutcome>;

/** How a run ended, for the logs and the tests. */
export type RunEnd = "succeeded" | "failed" | "not-queued" | "lost";

/** What `runJob` needs. */
export type RunJobDeps = {
  readonly store: SuppressionStore;
  readonly files: FileStore;
  readonly logger: Logger;
  readonly runners: Readonly<Record<JobKind, JobRunner>>;
  /** Epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /** Milliseconds between heartbeats. @default JOB_HEARTBEAT_SECONDS * 1000 */
  readonly heartbeatMs?: number;
};

/** The run no longer holds its job: a heartbeat found another run's token (or none). */
export class JobLostError extends Error {
  override readonly name = "JobLostError";
}

/**
 * The error a failed job shows: one line a person can act on, with no address in it (job errors
 * are read by keys without `pii` too).
 *
 * @example failureText(new StoreUnavailableError("Query failed")); // "the store was unavailable (Query failed); retry the job"
 */
export function failureText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof StoreUnavailableError)
    return maskText(`the store was unavailable (${message}); retry the job`);
  if (error instanceof FileUnavailableError) {
    return maskText(`the file store was unavailable (${message}); retry the job`);
  }
  if (error instanceof FileError) return maskText(`the file could not be written (${message})`);
  // The list's own faults (a `column` it lacks, too many rows): the person's to fix, said as is.
  if (error instanceof InputError || error instanceof ListColumnError || error instanceof ListTooLongError) {
    return maskText(message);
  }
  return maskText(`unexpected error: ${message}`);
}

/**
 * Runs the job `ref` once, if it is `queued`: never throws for the job's own failure (that is
 * recorded on the job); throws only when the store cannot even be asked (the caller logs it, and
 * the job goes stale and can be retried).
 *
 * @example
 * await runJob({ tenant: "default", kind: "export", id }, { store, files, logger, runners: JOB_RUNNERS });
 */
export async function runJob(ref: JobRef, deps: RunJobDeps): Promise<RunEnd> {
  const now = deps.now ?? Date.now;
  const jobs = jobsStore(deps.store);
  const job = await jobs.claim(ref, now());
  if (job === undefined || job.runToken === null) {
    deps.logger.info("job not queued; nothing to run", { kind: ref.kind, id: ref.id });
    return "not-queued";
  }
  const token = job.runToken;
  const lost = new AbortController();
  let latest: JobProgress = job.progress;
  let beating: Promise<void> = Promise.resolve();
  const beat = () => {
    beating = beating.then(async () => {
      try {
        const held = await jobs.heartbeat(ref, token, latest, now());
        if (!held) lost.abort(new JobLostError("another run holds the job"));
      } catch (error) {
        // A missed heartbeat is not fatal: the next one may pass; a job silent for
        // JOB_STALE_SECONDS is shown failed and may be retried.
        deps.logger.warn("job heartbeat failed", { kind: ref.kind, id: ref.id, error });
      }
    });
  };
  const timer = setInterval(beat, deps.heartbeatMs ?? JOB_HEARTBEAT_SECONDS * 1000);
  let outcome: JobOutcome | undefined;
  let failure: unknown;
  try {
    outcome = await deps.runners[ref.kind]({
      job,
      store: deps.store,
      files: deps.files,
      logger: deps.logger,
      now,
      signal: lost.signal,
      progress: (progress) => {
        latest = progress;
      },
    });
  } catch (error) {
    failure = error;
  } finally {
    clearInterval(timer);
    await beating;
  }
  if (lost.signal.aborted) {
    deps.logger.warn("job run lost its job; stopped", { kind: ref.kind, id: ref.id });
    return "lost";
  }
  if (outcome !== undefined) {
    const done = await jobs.succeed(ref, token, outcome.result, outcome.progress, now());
    if (done === undefined) return "lost";
    deps.logger.info("job succeeded", { kind: ref.kind, id: ref.id, progress: outcome.progress });
    return "succeeded";
  }
  deps.logger.error("job failed", { kind: ref.kind, id: ref.id, error: failure });
  const failed = await jobs.fail(ref, token, failureText(failure), latest, now());
  return failed === undefined ? "lost" : "failed";
}
