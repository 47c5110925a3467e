/**
 * Starting a job's run: in AWS an asynchronous invocation of the `jobs` function (Lambda queues it
 * and answers at once); in `npm start` a run in the same process. Either way the HTTP answer never
 * waits for the job.
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import type { JobRef } from "../store/jobs.js";

/** Starts the run of a `queued` job; throws when it could not be started at all. */
export type JobLauncher = (ref: JobRef) => Promise<void>;

/** The environment variable naming the `jobs` function (set by the stack on the functions that start jobs). */
export const JOBS_FUNCTION_ENV = "JOBS_FUNCTION_NAME";

/** What the `jobs` function is invoked with: the job to run. */
export type JobInvocation = { readonly tenant: string; readonly kind: JobRef["kind"]; readonly id: string };

/**
 * A launcher that invokes `functionName` with `InvocationType: "Event"`. The client is loaded on
 * first use, so a function that only reads jobs never loads it.
 *
 * @example
 * const launch = lambdaLauncher(process.env.JOBS_FUNCTION_NAME ?? "");
 * await launch({ tenant: "default", kind: "export", id });
 */
export function lambdaLauncher(functionName: string): JobLauncher {
  let client: Promise<{ invoke(payload: string): Promise<void> }> | undefined;
  const load = async () => {
    const { LambdaClient, InvokeCommand } = await import("@aws-sdk/client-lambda");
    const lambda = new LambdaClient({ maxAttempts: 3 });
    return {
      async invoke(payload: string) {
        const out = await lambda.send(
          new InvokeCommand({
            FunctionName: functionName,
            InvocationType: "Event",
            Payload: new TextEncoder().encode(payload),
          }),
        );
        if (out.StatusCode !== 202) throw new Error(`Lambda answered ${out.StatusCode} to the invocation`);
      },
    };
  };
  return async (ref) => {
    if (!functionName) throw new Error(`${JOBS_FUNCTION_ENV} is not set: the function cannot start jobs`);
    client ??= load();
    const invocation: JobInvocation = { tenant: ref.tenant, kind: ref.kind, id: ref.id };
    await (await client).invoke(JSON.stringify(invocation));
  };
}

/** A launcher that runs jobs in this process, and waits for them on `idle()` (the local server's close). */
export type InProcessLauncher = JobLauncher & { idle(): Promise<void> };

/**
 * Runs each launched job with `run` on the next turn of the event loop; a run that throws (the
 * store could not even be asked) is logged, and the job goes stale and can be retried.
 *
 * @example
 * const launch = inProcessLauncher((ref) => runJob(ref, deps), logger);
 */
export function inProcessLauncher(run: (ref: JobRef) => Promise<unknown>, logger: Logger): InProcessLauncher {
  const running = new Set<Promise<unknown>>();
  const launch = async (ref: JobRef) => {
    const started: Promise<unknown> = new Promise((resolve) => setImmediate(resolve))
      .then(() => run(ref))
      .catch((error: unknown) =>
        logger.error("job run failed to record its end", { kind: ref.kind, id: ref.id, error }),
      )
      .finally(() => running.delete(started));
    running.add(started);
  };
  return Object.assign(launch, {
    idle: async () => {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  });
}
