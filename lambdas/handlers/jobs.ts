/**
 * `jobs` Lambda (design.md §5.3, jobs): invoked asynchronously (`InvocationType: "Event"`) by the
 * export and list-check routes with the job to run, it runs it once (lambdas/jobs/run-job.ts) and
 * records how it ended on the job. A malformed invocation is logged and dropped (a retry would not
 * mend it); only a store that cannot be asked at all throws, so Lambda's own retries try again.
 */
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import * as z from "zod";
import { JobId } from "../contract/jobs.js";
import { type RunEnd, runJob } from "../jobs/run-job.js";
import { JOB_RUNNERS } from "../jobs/runners.js";
import { containerJobServices, type JobServices } from "../jobs/services.js";
import { JOB_KINDS } from "../store/jobs.js";
import { getPolicy } from "./policy-source.js";
import { containerDeps, type RuntimeDeps } from "./runtime.js";

/** What the routes invoke the function with (jobs/launcher.ts `JobInvocation`). */
export const JobInvocationSchema = z.strictObject({
  tenant: z.string().min(1).max(64),
  kind: z.enum(JOB_KINDS),
  id: JobId,
});

export type JobsHandler = (event: unknown, context: Context) => Promise<RunEnd | "malformed">;

/**
 * Builds the handler over `deps` and `services` (tests pass their own).
 *
 * @example
 * await createJobsHandler(deps, services)({ tenant: "default", kind: "export", id }, context); // "succeeded"
 */
export function createJobsHandler(deps: RuntimeDeps, services: JobServices): JobsHandler {
  const logic = async (event: unknown): Promise<RunEnd | "malformed"> => {
    const parsed = JobInvocationSchema.safeParse(event);
    if (!parsed.success) {
      deps.logger.error("malformed job invocation; dropped", {
        issues: parsed.error.issues.map((i) => i.message),
      });
      return "malformed";
    }
    const end = await runJob(parsed.data, {
      store: deps.store(),
      files: services.files(),
      logger: deps.logger,
      runners: JOB_RUNNERS,
      now: () => deps.now().getTime(),
    });
    deps.logger.info("job run ended", { kind: parsed.data.kind, id: parsed.data.id, end });
    return end;
  };
  return middy<unknown, RunEnd | "malformed">()
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .handler(logic) as JobsHandler;
}

export const handler = createJobsHandler(containerDeps(getPolicy), containerJobServices());
