/** Every job kind's runner (store/jobs.ts `JOB_KINDS`): the one table the `jobs` function dispatches on. */
import type { JobKind } from "../store/jobs.js";
import { runExport } from "./export/export-job.js";
import { runListCheck } from "./list-check/list-check-job.js";
import type { JobRunner } from "./run-job.js";

export const JOB_RUNNERS: Readonly<Record<JobKind, JobRunner>> = {
  export: runExport,
  "list-check": runListCheck,
};
