/**
 * The list-check routes (docs/list-cleaning.md), one function:
 * - `POST /v1/list-checks?scope=&column=` with the list as a `text/csv` or `text/plain` body (up to
 *   `LIST_CHECK_BODY_BYTES`) starts a job at once (`202`, `Location`);
 * - `POST /v1/list-checks` with JSON `{"upload": true, …}` answers a job `awaiting_upload` with a
 *   presigned PUT for a larger list (up to `LIST_CHECK_UPLOAD_BYTES`), then
 *   `POST /v1/list-checks/{id}/start` starts it;
 * - `GET /v1/list-checks`, `GET /v1/list-checks/{id}` follow them (fresh links on every read);
 * - `POST /v1/list-checks/{id}/retry` runs a failed one again from scratch, on the same list.
 * The files hold the list's own rows: a reader gets their links whatever its `pii` scope, as the
 * list came from the tenant itself.
 */
import { Readable } from "node:stream";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { JOB_PAGE_DEFAULT, JobListQuery } from "../contract/jobs.js";
import {
  LIST_CHECK_BODY_BYTES,
  LIST_CHECK_CONTENT_TYPES,
  LIST_CHECK_UPLOAD_BYTES,
  LIST_CHECK_UPLOAD_MINUTES,
  type ListCheckJob,
  type ListCheckPage,
  ListCheckQuery,
  ListCheckStartRequest,
} from "../contract/list-checks.js";
import type { FileStore } from "../files/index.js";
import { type ListCheckResult, type ListCheckSpec, listInputKey } from "../jobs/list-check/list-check-job.js";
import { containerJobServices, type JobServices } from "../jobs/services.js";
import { parseAt } from "../providers/shared/validate.js";
import { type JobRecord, type JobRef, jobsStore } from "../store/jobs.js";
import { jsonBody, rawBody } from "./http/body.js";
import { fileErrors } from "./http/file-errors.js";
import { HttpProblem } from "./http/problem.js";
import { type HttpResponse, json } from "./http/response.js";
import { type HttpHandler, httpRoute } from "./http/route.js";
import {
  assertRoomForJob,
  filesLive,
  jobFields,
  launched,
  noSuchJob,
  transitioned,
  wrongState,
} from "./job-view.js";
import { getPolicy } from "./policy-source.js";
import type { RouteKey } from "./routes.js";
import { containerDeps, type RuntimeDeps } from "./runtime.js";

type ListCheckRecord = JobRecord<ListCheckSpec, ListCheckResult>;

/** The route keys this function serves (routes.ts). */
const ROUTES = {
  create: "POST /v1/list-checks",
  list: "GET /v1/list-checks",
  get: "GET /v1/list-checks/{id}",
  start: "POST /v1/list-checks/{id}/start",
  retry: "POST /v1/list-checks/{id}/retry",
} as const satisfies Record<string, RouteKey>;

const MIB = 2 ** 20;

/** The media type of a request, lower case, parameters dropped; `""` when it has none. */
const mediaType = (event: APIGatewayProxyEventV2): string =>
  (event.headers?.["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";

/** One list check as the API shows it at `nowMs`, with fresh links. */
async function listCheckView(files: FileStore, job: ListCheckRecord, nowMs: number): Promise<ListCheckJob> {
  const fields = jobFields(job, nowMs);
  const result = job.result;
  const live = filesLive(job, nowMs) && result !== null;
  let upload: ListCheckJob["upload"] = null;
  if (fields.status === "awaiting_upload") {
    const seconds = LIST_CHECK_UPLOAD_MINUTES * 60;
    upload = {
      url: await files.uploadUrl(listInputKey(job), seconds),
      method: "PUT",
      expiresAt: new Date(nowMs + seconds * 1000).toISOString(),
    };
  }
  return {
    ...fields,
    scope: job.spec.scope,
    column: job.spec.column,
    upload,
    files: live
      ? {
          keep: await files.downloadUrl(result.keep.key, job.ttl, result.keep.filename),
          drop: await files.downloadUrl(result.drop.key, job.ttl, result.drop.filename),
        }
      : null,
    summary: fields.status === "succeeded" ? (result?.summary ?? null) : null,
  };
}

/** The answer to a started job: `202` with where to follow it. */
function accepted(view: ListCheckJob): HttpResponse {
  const answer = json(202, view);
  return { ...answer, headers: { ...answer.headers, location: `/v1/list-checks/${view.id}` } };
}

/**
 * The list-check routes over `deps`' store and `services`' files and launcher.
 *
 * @example
 * const answer = await handler(apiGatewayEvent("POST", "/v1/list-checks", "email\njdoe@example.org\n"), context);
 */
export function createListChecksHandler(deps: RuntimeDeps, services: JobServices): HttpHandler {
  return httpRoute({ logger: deps.logger, auth: deps.auth, use: [fileErrors()] }, async (event, caller) => {
    const jobs = jobsStore(deps.store());
    const files = services.files();
    const nowMs = deps.now().getTime();
    const idRef = (): JobRef => ({
      tenant: caller.tenant,
      kind: "list-check",
      id: event.pathParameters?.id ?? "",
    });

    /** A new job awaiting its list (at `listInputKey`, which holds its id). */
    const create = async (
      scope: string | undefined,
      column: string | undefined,
    ): Promise<ListCheckRecord> => {
      const spec: ListCheckSpec = { scope: scope ?? null, column: column ?? null };
      return (await jobs.create(
        {
          tenant: caller.tenant,
          kind: "list-check",
          spec,
          createdBy: caller.actor,
          status: "awaiting_upload",
        },
        nowMs,
      )) as unknown as ListCheckRecord;
    };

    switch (event.routeKey) {
      case ROUTES.create: {
        const type = mediaType(event);
        if (type === "application/json") {
          const request = parseAt(
            ListCheckStartRequest,
            jsonBody(event),
            [],
            "Not a valid list-check request.",
          );
          const job = await create(request.scope, request.column);
          deps.logger.info("list check awaiting its upload", { id: job.id });
          const answer = json(201, await listCheckView(files, job, nowMs));
          return { ...answer, headers: { ...answer.headers, location: `/v1/list-checks/${job.id}` } };
        }
        if (!(LIST_CHECK_CONTENT_TYPES as readonly string[]).includes(type)) {
          throw new HttpProblem(
            415,
            `Send the list as ${LIST_CHECK_CONTENT_TYPES.map((t) => `\`${t}\``).join(" or ")}, or JSON \`{"upload": true}\` for a presigned upload; got ${type ? `\`${type}\`` : "no content type"}.`,
            { slug: "unsupported-media-type" },
          );
        }
        const query = parseAt(
          ListCheckQuery,
          event.queryStringParameters ?? {},
          [],
          "Not a valid list-check query.",
        );
        const body = rawBody(event);
        if (body.byteLength > LIST_CHECK_BODY_BYTES) {
          throw new HttpProblem(
            413,
            `A list in the body is at most ${LIST_CHECK_BODY_BYTES / MIB} MiB; send a larger one with \`{"upload": true}\`.`,
            { slug: "body-too-large" },
          );
        }
        await assertRoomForJob(deps, caller.tenant, "list-check");
        const job = await create(query.scope, query.column);
        await files.upload(listInputKey(job), Readable.from([body]), "text/csv");
        const ref: JobRef = { tenant: job.tenant, kind: job.kind, id: job.id };
        const queued = transitioned(
          ref,
          await jobs.start<ListCheckSpec, ListCheckResult>(ref, nowMs),
          nowMs,
          "a job awaiting its upload can be started",
        );
        deps.logger.info("list check started", { id: job.id, bytes: body.byteLength });
        return accepted(await listCheckView(files, await launched(deps, services, queued), nowMs));
      }
      case ROUTES.list: {
        const query = parseAt(
          JobListQuery,
          event.queryStringParameters ?? {},
          [],
          "Not a valid job list query.",
        );
        const page = await jobs.list<ListCheckSpec, ListCheckResult>(
          {
            tenant: caller.tenant,
            kind: "list-check",
            limit: query.limit ?? JOB_PAGE_DEFAULT,
            ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
          },
          nowMs,
        );
        const answer: ListCheckPage = {
          items: await Promise.all(page.items.map((job) => listCheckView(files, job, nowMs))),
          cursor: page.cursor,
        };
        return json(200, answer);
      }
      case ROUTES.get: {
        const job = await jobs.get<ListCheckSpec, ListCheckResult>(idRef(), nowMs);
        if (job === undefined) throw noSuchJob(idRef());
        return json(200, await listCheckView(files, job, nowMs));
      }
      case ROUTES.start: {
        const job = await jobs.get<ListCheckSpec, ListCheckResult>(idRef(), nowMs);
        if (job === undefined) throw noSuchJob(idRef());
        if (job.status !== "awaiting_upload") {
          throw wrongState(idRef(), jobFields(job, nowMs).status, "a job awaiting its upload can be started");
        }
        await assertRoomForJob(deps, caller.tenant, "list-check");
        const bytes = await files.head(listInputKey(job));
        if (bytes === null) {
          throw new HttpProblem(409, "No list was uploaded yet: PUT it to the job's `upload.url` first.", {
            slug: "no-upload",
          });
        }
        if (bytes > LIST_CHECK_UPLOAD_BYTES) {
          throw new HttpProblem(
            413,
            `The uploaded list is ${Math.ceil(bytes / MIB)} MiB; a list is at most ${LIST_CHECK_UPLOAD_BYTES / MIB} MiB.`,
            { slug: "list-too-large" },
          );
        }
        const queued = transitioned(
          idRef(),
          await jobs.start<ListCheckSpec, ListCheckResult>(idRef(), nowMs),
          nowMs,
          "a job awaiting its upload can be started",
        );
        deps.logger.info("list check started", { id: queued.id, bytes });
        return accepted(await listCheckView(files, await launched(deps, services, queued), nowMs));
      }
      case ROUTES.retry: {
        await assertRoomForJob(deps, caller.tenant, "list-check");
        const job = transitioned(
          idRef(),
          await jobs.retry<ListCheckSpec, ListCheckResult>(idRef(), nowMs),
          nowMs,
          "a failed job can be retried",
        );
        deps.logger.info("list check retried", { id: job.id, attempts: job.attempts });
        return accepted(await listCheckView(files, await launched(deps, services, job), nowMs));
      }
      default:
        throw new HttpProblem(404, `${event.routeKey} is not a list-check route.`, { slug: "not-found" });
    }
  });
}

export const handler = createListChecksHandler(containerDeps(getPolicy), containerJobServices());
