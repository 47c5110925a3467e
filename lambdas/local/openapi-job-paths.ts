/**
 * docs/openapi.json's paths of the job routes (exports, list checks: docs/exports.md,
 * docs/list-cleaning.md), apart from openapi-paths.ts to keep each file readable. The limits are
 * the contract's constants.
 */
import {
  ACTIVE_JOBS_RETRY_SECONDS,
  JOB_FILE_DAYS,
  JOB_PAGE_DEFAULT,
  JOB_PAGE_LIMIT,
  JOB_STALE_SECONDS,
  MAX_ACTIVE_JOBS,
} from "../contract/jobs.js";
import {
  LIST_CHECK_BODY_BYTES,
  LIST_CHECK_MAX_ROWS,
  LIST_CHECK_UPLOAD_BYTES,
  LIST_CHECK_UPLOAD_MINUTES,
} from "../contract/list-checks.js";
import { HttpProblem, type ProblemStatus } from "../handlers/http/problem.js";

const MIB = 2 ** 20;

/** A problem answer of `status` as the routes write it, with its example. */
const problemResponse = (
  description: string,
  status: ProblemStatus,
  examples: Record<string, [string, string]>,
) => ({
  description,
  content: {
    "application/problem+json": {
      schema: { $ref: "#/components/schemas/ProblemDocument" },
      examples: Object.fromEntries(
        Object.entries(examples).map(([name, [slug, detail]]) => [
          name,
          { value: new HttpProblem(status, detail, { slug }).toDocument() },
        ]),
      ),
    },
  },
});
const ID = "019ad6f1c2a04b6e8c1d2e3f";

const jobId = (kind: string) => ({
  name: "id",
  in: "path",
  required: true,
  description: `The ${kind}'s id (24 hex digits).`,
  schema: { $ref: "#/components/schemas/JobId" },
});
const pageParameters = [
  {
    name: "cursor",
    in: "query",
    required: false,
    description: "The `cursor` of the previous page.",
    schema: { type: "string" },
  },
  {
    name: "limit",
    in: "query",
    required: false,
    description: `Jobs per page, 1–${JOB_PAGE_LIMIT}; default ${JOB_PAGE_DEFAULT}.`,
    schema: { type: "integer", minimum: 1, maximum: JOB_PAGE_LIMIT },
  },
];
const json = (schema: string, examples?: Record<string, unknown>) => ({
  "application/json": {
    schema: { $ref: `#/components/schemas/${schema}` },
    ...(examples === undefined ? {} : { examples }),
  },
});
const common = {
  "401": { $ref: "#/components/responses/Unauthorized" },
  "403": { $ref: "#/components/responses/Forbidden" },
  "503": { $ref: "#/components/responses/StoreUnavailable" },
} as const;
const tooMany = (what: string) => ({
  "429": {
    ...problemResponse(
      `The tenant already has ${MAX_ACTIVE_JOBS} ${what} queued or running; retry after \`Retry-After\` seconds.`,
      429,
      {
        tooMany: [
          "too-many-jobs",
          `${MAX_ACTIVE_JOBS} ${what} are already queued or running (at most ${MAX_ACTIVE_JOBS} at once): start this one when one of them has finished.`,
        ],
      },
    ),
    headers: {
      "Retry-After": { schema: { type: "integer" }, description: `Seconds (${ACTIVE_JOBS_RETRY_SECONDS}).` },
    },
  },
});
const notFound = { "404": { $ref: "#/components/responses/NotFound" } } as const;
const conflict = {
  "409": problemResponse(
    "The job's state does not allow it (`job-state`), or no list was uploaded yet (`no-upload`).",
    409,
    {
      state: ["job-state", `The export job \`${ID}\` is \`succeeded\`: only a failed job can be retried.`],
      noUpload: ["no-upload", "No list was uploaded yet: PUT it to the job's `upload.url` first."],
    },
  ),
} as const;
const routed = (methods: string) => ({
  description: `Other methods on this path answer 405 (see components.responses.MethodNotAllowed); ${methods}.`,
});

const EXPORT_EXAMPLE = {
  id: ID,
  status: "succeeded",
  progress: { done: 1520, rows: 1520 },
  createdAt: "2026-11-20T10:00:00.000Z",
  startedAt: "2026-11-20T10:00:00.120Z",
  finishedAt: "2026-11-20T10:00:02.480Z",
  attempts: 1,
  expiresAt: "2026-11-27T10:00:02.480Z",
  error: null,
  kind: "suppressions",
  format: "csv",
  filters: { cause: "complaint" },
  masked: false,
  rows: 1520,
  bytes: 251_904,
  url: `https://suppression-files.s3.amazonaws.com/jobs/default/export/${ID}/1/export.csv?X-Amz-Expires=604797&X-Amz-Signature=…`,
};

const LIST_CHECK_EXAMPLE = {
  id: ID,
  status: "succeeded",
  progress: { done: 5, rows: 5 },
  createdAt: "2026-11-20T10:00:00.000Z",
  startedAt: "2026-11-20T10:00:00.090Z",
  finishedAt: "2026-11-20T10:00:00.410Z",
  attempts: 1,
  expiresAt: "2026-11-27T10:00:00.410Z",
  error: null,
  scope: null,
  column: null,
  upload: null,
  files: {
    keep: `https://suppression-files.s3.amazonaws.com/jobs/default/list-check/${ID}/1/keep.csv?X-Amz-Signature=…`,
    drop: `https://suppression-files.s3.amazonaws.com/jobs/default/list-check/${ID}/1/drop.csv?X-Amz-Signature=…`,
  },
  summary: {
    rows: 5,
    kept: 2,
    dropped: 3,
    invalid: 1,
    duplicates: 1,
    suppressed: 1,
    byCause: { bounce: 1, invalid_syntax: 1, duplicate: 1 },
    byReason: { user_unknown: 1, "not an email address": 1, "same address as an earlier row": 1 },
  },
};

const QUEUED = {
  status: "queued",
  progress: { done: 0, rows: null },
  startedAt: null,
  finishedAt: null,
  expiresAt: null,
  error: null,
} as const;
const EXPORT_QUEUED = { ...EXPORT_EXAMPLE, ...QUEUED, attempts: 0, rows: null, bytes: null, url: null };
const EXPORT_RETRIED = { ...EXPORT_QUEUED, attempts: 1 };
const LIST_CHECK_QUEUED = { ...LIST_CHECK_EXAMPLE, ...QUEUED, attempts: 0, files: null, summary: null };
const LIST_CHECK_AWAITING = {
  ...LIST_CHECK_QUEUED,
  status: "awaiting_upload",
  scope: "newsletter",
  column: "Email",
  upload: {
    url: `https://suppression-files.s3.amazonaws.com/jobs/default/list-check/${ID}/list.csv?X-Amz-Expires=3600&X-Amz-Signature=…`,
    method: "PUT",
    expiresAt: "2026-11-20T11:00:00.000Z",
  },
};

const jobStates = `A job is \`queued\`, then \`running\` (its progress moves), then \`succeeded\` or \`failed\`; a run silent for ${JOB_STALE_SECONDS} s (its function stopped) is shown \`failed\` and may be retried. Jobs and their files go ${JOB_FILE_DAYS} days after they finish; links are made afresh on every read and never outlive the file.`;

export const JOB_PATHS = {
  "/v1/exports": {
    ...routed("POST and GET are routed"),
    post: {
      operationId: "startExport",
      tags: ["operators"],
      summary: "Start an export of the suppression list or the status view's events, as CSV or JSONL",
      description: `The file holds exactly what \`GET /v1/suppressions\` (\`kind: suppressions\`) or \`GET /v1/events\` (\`kind: events\`) would page through under the same filters, masked (\`j***@example.org\`) unless the key has \`pii\`. An \`events\` export fixes its window when it starts. ${jobStates} See docs/exports.md.`,
      requestBody: {
        required: true,
        content: json("ExportRequest", {
          complaints: { value: { kind: "suppressions", filters: { cause: "complaint" }, format: "csv" } },
          hardBounces: {
            value: {
              kind: "events",
              filters: { type: "invalid", from: "2026-11-01T00:00:00Z" },
              format: "jsonl",
            },
          },
        }),
      },
      responses: {
        "202": {
          description: "The job, started; follow `Location`.",
          headers: { Location: { schema: { type: "string" }, description: "`/v1/exports/{id}`" } },
          content: json("ExportJob", {
            queued: {
              value: {
                ...EXPORT_EXAMPLE,
                status: "queued",
                progress: { done: 0, rows: null },
                startedAt: null,
                finishedAt: null,
                attempts: 0,
                expiresAt: null,
                rows: null,
                bytes: null,
                url: null,
              },
            },
          }),
        },
        "400": { $ref: "#/components/responses/BadRequest" },
        ...tooMany("exports"),
        ...common,
      },
    },
    get: {
      operationId: "listExports",
      tags: ["operators"],
      summary: "The tenant's exports, newest first: status, progress, started, finished, rows, link",
      parameters: pageParameters,
      responses: {
        "200": {
          description: "A page of exports.",
          content: json("ExportPage", { one: { value: { items: [EXPORT_EXAMPLE], cursor: null } } }),
        },
        "400": { $ref: "#/components/responses/BadRequest" },
        ...common,
      },
    },
  },
  "/v1/exports/{id}": {
    ...routed("only GET is routed"),
    get: {
      operationId: "getExport",
      tags: ["operators"],
      summary: "One export, with a fresh download link once it succeeded",
      description: `\`url\` is \`null\` for a reader without \`pii\` when the file holds whole addresses. ${jobStates}`,
      parameters: [jobId("export")],
      responses: {
        "200": {
          description: "The export.",
          content: json("ExportJob", { succeeded: { value: EXPORT_EXAMPLE } }),
        },
        ...notFound,
        ...common,
      },
    },
  },
  "/v1/exports/{id}/retry": {
    ...routed("only POST is routed"),
    post: {
      operationId: "retryExport",
      tags: ["operators"],
      summary: "Run a failed export again from scratch (a new file; no row twice)",
      parameters: [jobId("export")],
      responses: {
        "202": {
          description: "The job, queued again.",
          content: json("ExportJob", { retried: { value: EXPORT_RETRIED } }),
        },
        ...notFound,
        ...conflict,
        ...tooMany("exports"),
        ...common,
      },
    },
  },
  "/v1/list-checks": {
    ...routed("POST and GET are routed"),
    post: {
      operationId: "startListCheck",
      tags: ["checks"],
      summary: "Clean a mailing list: the rows to keep, and the rows to drop with cause and reason",
      description: `Send the list (CSV with a header, or one address per line; up to ${LIST_CHECK_MAX_ROWS.toLocaleString("en-US")} rows) as a \`text/csv\` or \`text/plain\` body of at most ${LIST_CHECK_BODY_BYTES / MIB} MiB, which starts the job (\`202\`); or JSON \`{"upload": true}\` for a job awaiting a presigned PUT of up to ${LIST_CHECK_UPLOAD_BYTES / MIB} MiB (\`201\`, link valid ${LIST_CHECK_UPLOAD_MINUTES} minutes), then \`POST /v1/list-checks/{id}/start\`. Every row is checked as \`POST /v1/check\` checks an address (\`scope\`: entries at \`*\` and its ancestors count); duplicates within the list and rows without an address are dropped too. ${jobStates} See docs/list-cleaning.md.`,
      parameters: [
        {
          name: "scope",
          in: "query",
          required: false,
          description: "With a list in the body: check for this scope. Default `*`.",
          schema: { $ref: "#/components/schemas/Scope" },
        },
        {
          name: "column",
          in: "query",
          required: false,
          description: "With a list in the body: the header of the address column.",
          schema: { $ref: "#/components/schemas/ListCheckColumn" },
        },
      ],
      requestBody: {
        required: true,
        content: {
          "text/csv": {
            schema: { type: "string" },
            examples: { csv: { value: "email,name\njdoe@example.org,Jane\n" } },
          },
          "text/plain": {
            schema: { type: "string" },
            examples: { plain: { value: "jdoe@example.org\nbob@example.net\n" } },
          },
          "application/json": {
            schema: { $ref: "#/components/schemas/ListCheckStartRequest" },
            examples: { upload: { value: { upload: true, scope: "newsletter", column: "Email" } } },
          },
        },
      },
      responses: {
        "201": {
          description: "A job awaiting its list: PUT it to `upload.url`, then start it.",
          content: json("ListCheckJob", { awaiting: { value: LIST_CHECK_AWAITING } }),
        },
        "202": {
          description: "The job, started; follow `Location`.",
          content: json("ListCheckJob", { queued: { value: LIST_CHECK_QUEUED } }),
        },
        "400": { $ref: "#/components/responses/BadRequest" },
        "413": problemResponse(
          `A body over ${LIST_CHECK_BODY_BYTES / MIB} MiB: send \`{"upload": true}\` instead.`,
          413,
          {
            tooLarge: [
              "body-too-large",
              `A list in the body is at most ${LIST_CHECK_BODY_BYTES / MIB} MiB; send a larger one with \`{"upload": true}\`.`,
            ],
          },
        ),
        "415": problemResponse("Neither `text/csv`, `text/plain` nor `application/json`.", 415, {
          xlsx: [
            "unsupported-media-type",
            'Send the list as `text/csv` or `text/plain`, or JSON `{"upload": true}` for a presigned upload; got `application/vnd.ms-excel`.',
          ],
        }),
        ...tooMany("list checks"),
        ...common,
      },
    },
    get: {
      operationId: "listListChecks",
      tags: ["checks"],
      summary: "The tenant's list checks, newest first",
      parameters: pageParameters,
      responses: {
        "200": {
          description: "A page of list checks.",
          content: json("ListCheckPage", { one: { value: { items: [LIST_CHECK_EXAMPLE], cursor: null } } }),
        },
        "400": { $ref: "#/components/responses/BadRequest" },
        ...common,
      },
    },
  },
  "/v1/list-checks/{id}": {
    ...routed("only GET is routed"),
    get: {
      operationId: "getListCheck",
      tags: ["checks"],
      summary: "One list check: its progress, then its summary and two files",
      parameters: [jobId("list check")],
      responses: {
        "200": {
          description: "The list check.",
          content: json("ListCheckJob", { succeeded: { value: LIST_CHECK_EXAMPLE } }),
        },
        ...notFound,
        ...common,
      },
    },
  },
  "/v1/list-checks/{id}/start": {
    ...routed("only POST is routed"),
    post: {
      operationId: "startUploadedListCheck",
      tags: ["checks"],
      summary: "Start a list check whose list was uploaded through its presigned PUT",
      parameters: [jobId("list check")],
      responses: {
        "202": {
          description: "The job, queued.",
          content: json("ListCheckJob", {
            queued: { value: { ...LIST_CHECK_QUEUED, scope: "newsletter", column: "Email" } },
          }),
        },
        ...notFound,
        ...conflict,
        "413": problemResponse(`The uploaded list is over ${LIST_CHECK_UPLOAD_BYTES / MIB} MiB.`, 413, {
          tooLarge: [
            "list-too-large",
            `The uploaded list is 300 MiB; a list is at most ${LIST_CHECK_UPLOAD_BYTES / MIB} MiB.`,
          ],
        }),
        ...tooMany("list checks"),
        ...common,
      },
    },
  },
  "/v1/list-checks/{id}/retry": {
    ...routed("only POST is routed"),
    post: {
      operationId: "retryListCheck",
      tags: ["checks"],
      summary: "Run a failed list check again from scratch, on the same list",
      parameters: [jobId("list check")],
      responses: {
        "202": {
          description: "The job, queued again.",
          content: json("ListCheckJob", { retried: { value: { ...LIST_CHECK_QUEUED, attempts: 1 } } }),
        },
        ...notFound,
        ...conflict,
        ...tooMany("list checks"),
        ...common,
      },
    },
  },
} as const;
