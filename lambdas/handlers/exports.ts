/**
 * The export routes (docs/exports.md), one function:
 * - `POST /v1/exports` starts a job (`202`, `Location`) that writes the suppression list or the
 *   status view's events, under the list or status route's filters, into one CSV or JSONL file;
 * - `GET /v1/exports` lists the tenant's exports, newest first (SendCloud's task list);
 * - `GET /v1/exports/{id}` one export, with a fresh download link once it succeeded;
 * - `POST /v1/exports/{id}/retry` runs a failed one again from scratch.
 * The file is masked when the starting key lacks `pii`; a reader without `pii` gets no link to an
 * unmasked file.
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import {
  DEFAULT_EXPORT_FORMAT,
  type ExportJob,
  type ExportPage,
  ExportRequest,
} from "../contract/exports.js";
import { JOB_PAGE_DEFAULT, JobListQuery } from "../contract/jobs.js";
import { fromEpochSeconds } from "../core/ledger/time.js";
import type { ExportResult, ExportSpec } from "../jobs/export/export-job.js";
import { containerJobServices, type JobServices } from "../jobs/services.js";
import { parseAt } from "../providers/shared/validate.js";
import { type JobRecord, type JobRef, jobsStore } from "../store/jobs.js";
import type { Caller } from "./http/api-key.js";
import { jsonBody } from "./http/body.js";
import { fileErrors } from "./http/file-errors.js";
import { HttpProblem } from "./http/problem.js";
import { json } from "./http/response.js";
import { type HttpHandler, httpRoute } from "./http/route.js";
import { assertRoomForJob, filesLive, jobFields, launched, noSuchJob, transitioned } from "./job-view.js";
import { listFilters } from "./list-view.js";
import { getPolicy } from "./policy-source.js";
import type { RouteKey } from "./routes.js";
import { containerDeps, type RuntimeDeps } from "./runtime.js";
import { statusWindow } from "./status-window.js";

type ExportRecord = JobRecord<ExportSpec, ExportResult>;

/** The route keys this function serves (routes.ts). */
const ROUTES = {
  start: "POST /v1/exports",
  list: "GET /v1/exports",
  get: "GET /v1/exports/{id}",
  retry: "POST /v1/exports/{id}/retry",
} as const satisfies Record<string, RouteKey>;

/** The spec of a new export: the filters checked as the routes check them, an events window fixed now. */
function specOf(request: ExportRequest, caller: Caller, now: number): ExportSpec {
  const format = request.format ?? DEFAULT_EXPORT_FORMAT;
  const masked = !caller.pii;
  if (request.kind === "suppressions") {
    const filters = request.filters ?? {};
    listFilters(filters, caller.tenant);
    return { kind: "suppressions", format, filters, masked };
  }
  const filters = request.filters ?? {};
  const { from, to } = statusWindow(filters, now);
  return {
    kind: "events",
    format,
    filters: { ...filters, from: fromEpochSeconds(from), to: fromEpochSeconds(to) },
    masked,
  };
}

/** One export as the API shows it to `caller` at `nowMs`. */
async function exportView(
  services: JobServices,
  job: ExportRecord,
  caller: Caller,
  nowMs: number,
): Promise<ExportJob> {
  const fields = jobFields(job, nowMs);
  const result = job.result;
  const linkable = filesLive(job, nowMs) && result !== null && (caller.pii || job.spec.masked);
  return {
    ...fields,
    kind: job.spec.kind,
    format: job.spec.format,
    filters: job.spec.filters,
    masked: job.spec.masked,
    rows: fields.status === "succeeded" ? (result?.rows ?? null) : null,
    bytes: fields.status === "succeeded" ? (result?.bytes ?? null) : null,
    url: linkable ? await services.files().downloadUrl(result.key, job.ttl, result.filename) : null,
  };
}

const accepted = (view: ExportJob) => ({
  ...json(202, view),
  headers: { ...json(202, view).headers, location: `/v1/exports/${view.id}` },
});

/**
 * The export routes over `deps`' store and `services`' files and launcher.
 *
 * @example
 * const answer = await handler(apiGatewayEvent("POST", "/v1/exports", { kind: "suppressions" }), context);
 */
export function createExportsHandler(deps: RuntimeDeps, services: JobServices): HttpHandler {
  return httpRoute(
    { logger: deps.logger, auth: deps.auth, use: [fileErrors()] },
    async (event: APIGatewayProxyEventV2, caller) => {
      const jobs = jobsStore(deps.store());
      const nowMs = deps.now().getTime();
      const ref = (): JobRef => ({
        tenant: caller.tenant,
        kind: "export",
        id: event.pathParameters?.id ?? "",
      });
      switch (event.routeKey) {
        case ROUTES.start: {
          const request = parseAt(ExportRequest, jsonBody(event), [], "Not a valid export request.");
          const spec = specOf(request, caller, Math.floor(nowMs / 1000));
          await assertRoomForJob(deps, caller.tenant, "export");
          const job = (await jobs.create(
            { tenant: caller.tenant, kind: "export", spec, createdBy: caller.actor, status: "queued" },
            nowMs,
          )) as unknown as ExportRecord;
          deps.logger.info("export started", { id: job.id, kind: spec.kind, format: spec.format });
          return accepted(await exportView(services, await launched(deps, services, job), caller, nowMs));
        }
        case ROUTES.list: {
          const query = parseAt(
            JobListQuery,
            event.queryStringParameters ?? {},
            [],
            "Not a valid job list query.",
          );
          const page = await jobs.list<ExportSpec, ExportResult>(
            {
              tenant: caller.tenant,
              kind: "export",
              limit: query.limit ?? JOB_PAGE_DEFAULT,
              ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
            },
            nowMs,
          );
          const answer: ExportPage = {
            items: await Promise.all(page.items.map((job) => exportView(services, job, caller, nowMs))),
            cursor: page.cursor,
          };
          return json(200, answer);
        }
        case ROUTES.get: {
          const job = await jobs.get<ExportSpec, ExportResult>(ref(), nowMs);
          if (job === undefined) throw noSuchJob(ref());
          return json(200, await exportView(services, job, caller, nowMs));
        }
        case ROUTES.retry: {
          await assertRoomForJob(deps, caller.tenant, "export");
          const job = transitioned(
            ref(),
            await jobs.retry<ExportSpec, ExportResult>(ref(), nowMs),
            nowMs,
            "a failed job can be retried",
          );
          deps.logger.info("export retried", { id: job.id, attempts: job.attempts });
          return accepted(await exportView(services, await launched(deps, services, job), caller, nowMs));
        }
        default:
          throw new HttpProblem(404, `${event.routeKey} is not an export route.`, { slug: "not-found" });
      }
    },
  );
}

export const handler = createExportsHandler(containerDeps(getPolicy), containerJobServices());
