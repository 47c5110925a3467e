/**
 * How a stored job is shown (the contract's `JOB_FIELDS`): its state as people see it (a run gone
 * quiet is `failed`, store/jobs.ts `jobAsSeen`), its times, and when its files go.
 */
import {
  ACTIVE_JOBS_RETRY_SECONDS,
  JOB_FILE_DAYS,
  type JobStatus,
  MAX_ACTIVE_JOBS,
} from "../contract/jobs.js";
import type { JobServices } from "../jobs/services.js";
import { type JobRecord, type JobRef, type JobTransition, jobAsSeen, jobsStore } from "../store/jobs.js";
import { HttpProblem } from "./http/problem.js";
import type { RuntimeDeps } from "./runtime.js";

/** The fields every job answer shares, from `job` as seen at `nowMs`. */
export function jobFields(job: JobRecord<object, object>, nowMs: number) {
  const seen = jobAsSeen(job, nowMs);
  return {
    id: seen.id,
    status: seen.status,
    progress: { ...seen.progress },
    createdAt: seen.createdAt,
    startedAt: seen.startedAt,
    finishedAt: seen.finishedAt,
    attempts: seen.attempts,
    expiresAt:
      seen.status === "succeeded" && seen.finishedAt !== null
        ? new Date(Date.parse(seen.finishedAt) + JOB_FILE_DAYS * 86_400_000).toISOString()
        : null,
    error: seen.error,
  };
}

/** Whether the files of `job` may still be linked at `nowMs`: it succeeded and they have not gone. */
export const filesLive = (job: JobRecord<object, object>, nowMs: number): boolean =>
  job.status === "succeeded" && job.result !== null && job.ttl * 1000 > nowMs;

/** The 404 of a job the tenant does not have (or no longer has: its time is up). */
export function noSuchJob(ref: JobRef): HttpProblem {
  return new HttpProblem(
    404,
    `No ${ref.kind} job \`${ref.id}\` (jobs and their files go ${JOB_FILE_DAYS} days after they finish).`,
    {
      slug: "no-such-job",
    },
  );
}

/** The 409 of a retry or start the job's state does not allow. */
export function wrongState(ref: JobRef, status: JobStatus, wanted: string): HttpProblem {
  return new HttpProblem(409, `The ${ref.kind} job \`${ref.id}\` is \`${status}\`: only ${wanted}.`, {
    slug: "job-state",
  });
}

/**
 * The job a transition left, or the problem it is: 404 when there is no such job, 409 when its
 * state did not allow the move.
 */
export function transitioned<S extends object, R extends object>(
  ref: JobRef,
  transition: JobTransition<S, R>,
  nowMs: number,
  wanted: string,
): JobRecord<S, R> {
  if (transition === undefined) throw noSuchJob(ref);
  if (!transition.ok) throw wrongState(ref, jobAsSeen(transition.job, nowMs).status, wanted);
  return transition.job;
}

/**
 * Launches the run of a queued job; one that cannot be launched (the `jobs` function could not be
 * invoked) is failed at once with that error, so it shows in the list and may be retried.
 *
 * @example const job = await launched(deps, services, queued); // queued, or failed "could not be started (…)"
 */
export async function launched<S extends object, R extends object>(
  deps: Pick<RuntimeDeps, "logger" | "store" | "now">,
  services: Pick<JobServices, "launch">,
  job: JobRecord<S, R>,
): Promise<JobRecord<S, R>> {
  const ref: JobRef = { tenant: job.tenant, kind: job.kind, id: job.id };
  try {
    await services.launch(ref);
    return job;
  } catch (error) {
    deps.logger.error("job could not be launched", { kind: job.kind, id: job.id, error });
    const message = error instanceof Error ? error.message : String(error);
    const failed = await jobsStore(deps.store()).failQueued<S, R>(
      ref,
      `could not be started (${message}); retry it`,
      deps.now().getTime(),
    );
    return failed ?? job;
  }
}

/**
 * Refuses a start while the tenant already has `MAX_ACTIVE_JOBS` jobs of the kind queued or
 * running: 429 with `Retry-After`.
 *
 * @throws HttpProblem (429) naming how many run
 */
export async function assertRoomForJob(
  deps: Pick<RuntimeDeps, "store" | "now">,
  tenant: string,
  kind: JobRef["kind"],
): Promise<void> {
  const active = await jobsStore(deps.store()).activeCount(tenant, kind, deps.now().getTime());
  if (active < MAX_ACTIVE_JOBS) return;
  const what = kind === "export" ? "exports" : "list checks";
  throw new HttpProblem(
    429,
    `${active} ${what} are already queued or running (at most ${MAX_ACTIVE_JOBS} at once): start this one when one of them has finished.`,
    { slug: "too-many-jobs", headers: { "retry-after": String(ACTIVE_JOBS_RETRY_SECONDS) } },
  );
}
