/**
 * Background jobs (exports, list checks) in the one table, generic over their kind: each kind keeps
 * its own `spec` (what to do) and `result` (what came of it); the states, attempts, progress and
 * expiry are the same for all.
 *
 * Item: pk `T#<tenant>#J`, sk `J#<kind>#<id>`; `id` is 12 hex digits of the creation time in
 * milliseconds then 12 random ones, so a Query of `J#<kind>#` with `ScanIndexForward: false` lists
 * a tenant's jobs of a kind newest first. `ttl`: `JOB_FILE_DAYS` after the job finished (it goes
 * with its files), `JOB_FILE_DAYS` + 1 after it was created or queued otherwise.
 *
 * A run claims the job (`queued` → `running`, conditional, `attempts` + 1, a fresh run token) and
 * every later write of the run is conditional on its token: a run that was declared stale and
 * retried can no longer write, so two runs never both finish one job.
 */
import { randomBytes } from "node:crypto";
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import {
  JOB_FILE_DAYS,
  JOB_PAGE_LIMIT,
  JOB_STALE_SECONDS,
  JOB_STOPPED_ERROR,
  type JobProgress,
  type JobStatus,
} from "../contract/jobs.js";
import type { Actor } from "../core/access.js";
import { InputError } from "../core/errors.js";
import type { CallContext } from "./context.js";
import { openCursor, sealCursor } from "./cursor-seal.js";
import { isConditionalCheckFailed, toStoreError } from "./errors.js";
import { escapeKeyPart } from "./keys.js";
import { TTL_ATTRIBUTE } from "./schema.js";
import type { SuppressionStore } from "./store.js";

/** Every kind of job; each has its runner in lambdas/jobs/run-job.ts (`JOB_RUNNERS`). */
export const JOB_KINDS = ["export", "list-check"] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** Names one job. */
export type JobRef = { readonly tenant: string; readonly kind: JobKind; readonly id: string };

/** A kind's payload: plain JSON (strings, numbers, booleans, null, arrays, objects). */
export type JobPayload = Readonly<Record<string, unknown>>;

/** A job as stored. Times are ISO strings; `heartbeatAt` and `queuedAt` epoch milliseconds. */
export type JobRecord<S extends object = JobPayload, R extends object = JobPayload> = {
  readonly tenant: string;
  readonly kind: JobKind;
  readonly id: string;
  readonly status: JobStatus;
  readonly spec: S;
  readonly result: R | null;
  readonly progress: JobProgress;
  readonly createdAt: string;
  readonly createdBy: { readonly keyId: string; readonly name: string };
  /** When it last became `queued` (creation, start, retry); `null` while awaiting its upload. */
  readonly queuedAt: number | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  /** The latest progress write of the running attempt. */
  readonly heartbeatAt: number | null;
  readonly attempts: number;
  readonly error: string | null;
  /** The running attempt's token; `null` when none runs. */
  readonly runToken: string | null;
  /** Epoch seconds: DynamoDB deletes the item after it. */
  readonly ttl: number;
};

/** A page of jobs, newest first. */
export type JobRecordPage<S extends object = JobPayload, R extends object = JobPayload> = {
  readonly items: readonly JobRecord<S, R>[];
  /** `null` on the last page. */
  readonly cursor: string | null;
};

/** What a retry or start met: the job moved on, or its state did not allow it (`job` as it is). */
export type JobTransition<S extends object, R extends object> =
  | { readonly ok: true; readonly job: JobRecord<S, R> }
  | { readonly ok: false; readonly job: JobRecord<S, R> }
  | undefined;

const DAY_MS = 86_400_000;
const JOB_ID = /^[0-9a-f]{24}$/;
/** Longest error kept on a job. */
export const MAX_JOB_ERROR_CHARS = 1_000;
/** Query calls one list page may make while expired items are skipped. */
const LIST_QUERY_BUDGET = 8;

const jobsPk = (tenant: string): string => `T#${escapeKeyPart(tenant)}#J`;
const skPrefix = (kind: JobKind): string => `J#${kind}#`;
const jobKey = (ref: JobRef) => ({ pk: jobsPk(ref.tenant), sk: `${skPrefix(ref.kind)}${ref.id}` });
const isoAt = (ms: number): string => new Date(ms).toISOString();
const ttlAfter = (ms: number, days: number): number => Math.floor((ms + days * DAY_MS) / 1000);
/** The ttl of a job not finished: a day more than its files would last. */
const openTtl = (ms: number): number => ttlAfter(ms, JOB_FILE_DAYS + 1);

/**
 * A fresh job id at `nowMs`: sorts by creation time (12 hex digits of milliseconds), then random.
 *
 * @example newJobId(Date.parse("2026-11-20T10:00:00Z")); // "019aa0c8d980" + 12 random hex digits
 */
export function newJobId(nowMs: number): string {
  return `${Math.floor(nowMs).toString(16).padStart(12, "0").slice(-12)}${randomBytes(6).toString("hex")}`;
}

/** Whether `id` is shaped like a job id (anything else names no job). */
export const isJobId = (id: string): boolean => JOB_ID.test(id);

/** The stored item → the record (the table's own attributes left out). */
function recordOf<S extends object, R extends object>(item: Record<string, unknown>): JobRecord<S, R> {
  return {
    tenant: String(item.tenant),
    kind: item.jobKind as JobKind,
    id: String(item.id),
    status: item.status as JobStatus,
    spec: (item.spec ?? {}) as S,
    result: (item.result ?? null) as R | null,
    progress: (item.progress ?? { done: 0, rows: null }) as JobProgress,
    createdAt: String(item.createdAt),
    createdBy: (item.createdBy ?? { keyId: "", name: "" }) as JobRecord["createdBy"],
    queuedAt: typeof item.queuedAt === "number" ? item.queuedAt : null,
    startedAt: typeof item.startedAt === "string" ? item.startedAt : null,
    finishedAt: typeof item.finishedAt === "string" ? item.finishedAt : null,
    heartbeatAt: typeof item.heartbeatAt === "number" ? item.heartbeatAt : null,
    attempts: typeof item.attempts === "number" ? item.attempts : 0,
    error: typeof item.error === "string" ? item.error : null,
    runToken: typeof item.runToken === "string" ? item.runToken : null,
    ttl: Number(item[TTL_ATTRIBUTE]),
  };
}

/**
 * Whether a job that is `running` (or `queued`) has gone quiet: no heartbeat (or no start) for
 * `JOB_STALE_SECONDS`. Its function stopped without finishing (timed out, crashed, was never
 * invoked): it is shown failed and may be retried.
 *
 * @example isStale(job, Date.now()); // true when its last heartbeat is over 2 minutes old
 */
export function isStale(job: JobRecord<object, object>, nowMs: number): boolean {
  const limit = nowMs - JOB_STALE_SECONDS * 1000;
  if (job.status === "running") return (job.heartbeatAt ?? 0) < limit;
  if (job.status === "queued") return (job.queuedAt ?? 0) < limit;
  return false;
}

/**
 * The job as people are shown it at `nowMs`: a stale `running` or `queued` job is `failed` with
 * `JOB_STOPPED_ERROR` (design.md §5.3, jobs); anything else as stored.
 *
 * @example jobAsSeen(staleJob, Date.now()).status; // "failed"
 */
export function jobAsSeen<S extends object, R extends object>(
  job: JobRecord<S, R>,
  nowMs: number,
): JobRecord<S, R> {
  return isStale(job, nowMs) ? { ...job, status: "failed", error: JOB_STOPPED_ERROR } : job;
}

/** Whether the job has expired at `nowMs` (DynamoDB deletes lazily: such an item is gone). */
const expired = (item: Record<string, unknown>, nowMs: number): boolean =>
  typeof item[TTL_ATTRIBUTE] === "number" && (item[TTL_ATTRIBUTE] as number) * 1000 <= nowMs;

/** What creating a job takes. */
export type NewJob<S extends object> = {
  readonly tenant: string;
  readonly kind: JobKind;
  readonly spec: S;
  readonly createdBy: Actor;
  /** `queued` (run it now) or `awaiting_upload` (its input comes through a presigned PUT first). */
  readonly status: "queued" | "awaiting_upload";
};

async function createJob<S extends object>(call: CallContext, job: NewJob<S>, nowMs: number) {
  const id = newJobId(nowMs);
  const record: JobRecord<S, JobPayload> = {
    tenant: job.tenant,
    kind: job.kind,
    id,
    status: job.status,
    spec: job.spec,
    result: null,
    progress: { done: 0, rows: null },
    createdAt: isoAt(nowMs),
    createdBy: { keyId: job.createdBy.keyId, name: job.createdBy.name },
    queuedAt: job.status === "queued" ? nowMs : null,
    startedAt: null,
    finishedAt: null,
    heartbeatAt: null,
    attempts: 0,
    error: null,
    runToken: null,
    ttl: openTtl(nowMs),
  };
  const { kind, ttl, ...rest } = record;
  try {
    await call.doc.send(
      new PutCommand({
        TableName: call.tableName,
        Item: { ...jobKey(record), ...rest, kind: "job", jobKind: kind, [TTL_ATTRIBUTE]: ttl },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
      { abortSignal: call.signal },
    );
  } catch (err) {
    throw toStoreError(err, "PutItem (job)");
  }
  return record;
}

async function getJob<S extends object, R extends object>(
  call: CallContext,
  ref: JobRef,
  nowMs: number,
): Promise<JobRecord<S, R> | undefined> {
  if (!isJobId(ref.id)) return undefined;
  try {
    const out = await call.doc.send(
      new GetCommand({ TableName: call.tableName, Key: jobKey(ref), ConsistentRead: true }),
      { abortSignal: call.signal },
    );
    const item = out.Item;
    if (item === undefined || item.kind !== "job" || item.tenant !== ref.tenant || expired(item, nowMs)) {
      return undefined;
    }
    return recordOf<S, R>(item);
  } catch (err) {
    throw toStoreError(err, "GetItem (job)");
  }
}

/** The position a list cursor holds: the last job's sort key. */
type ListPosition = { readonly sk: string };
const cursorContext = (tenant: string, kind: JobKind) => `jobs|${tenant}|${kind}`;

function openListCursor(cursor: string, tenant: string, kind: JobKind): ListPosition {
  const refuse = () =>
    new InputError("`cursor` is not one this list handed out.", [
      { path: "cursor", message: "not a cursor of this list" },
    ]);
  const plain = openCursor(cursor, cursorContext(tenant, kind));
  if (plain === undefined) throw refuse();
  let position: unknown;
  try {
    position = JSON.parse(plain);
  } catch {
    throw refuse();
  }
  const sk = (position as { sk?: unknown } | null)?.sk;
  if (typeof sk !== "string" || !sk.startsWith(skPrefix(kind)) || !isJobId(sk.slice(skPrefix(kind).length))) {
    throw refuse();
  }
  return { sk };
}

/** Which jobs to list. */
export type JobListRequest = {
  readonly tenant: string;
  readonly kind: JobKind;
  /** 1..`JOB_PAGE_LIMIT`. */
  readonly limit: number;
  readonly cursor?: string;
};

async function listJobs<S extends object, R extends object>(
  call: CallContext,
  request: JobListRequest,
  nowMs: number,
): Promise<JobRecordPage<S, R>> {
  const limit = Math.max(1, Math.min(JOB_PAGE_LIMIT, Math.floor(request.limit)));
  const pk = jobsPk(request.tenant);
  let start: Record<string, unknown> | undefined =
    request.cursor === undefined
      ? undefined
      : { pk, sk: openListCursor(request.cursor, request.tenant, request.kind).sk };
  const items: JobRecord<S, R>[] = [];
  let queries = 0;
  try {
    do {
      const out = await call.doc.send(
        new QueryCommand({
          TableName: call.tableName,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
          FilterExpression: "attribute_not_exists(#ttl) OR #ttl > :now",
          ExpressionAttributeNames: { "#ttl": TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ":pk": pk,
            ":prefix": skPrefix(request.kind),
            ":now": Math.floor(nowMs / 1000),
          },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: limit - items.length,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
        { abortSignal: call.signal },
      );
      queries++;
      for (const item of out.Items ?? []) {
        if (item.kind === "job" && item.tenant === request.tenant) items.push(recordOf<S, R>(item));
      }
      start = out.LastEvaluatedKey;
    } while (start !== undefined && items.length < limit && queries < LIST_QUERY_BUDGET);
  } catch (err) {
    throw toStoreError(err, "Query (jobs)");
  }
  const sk = typeof start?.sk === "string" ? start.sk : undefined;
  return {
    items,
    cursor:
      sk === undefined
        ? null
        : sealCursor(JSON.stringify({ sk }), cursorContext(request.tenant, request.kind)),
  };
}

/**
 * An update of one job under `condition`; the record after it, or `undefined` when the condition
 * failed. A job expired at `nowMs` is gone (as `getJob` and `listJobs` see it): never updated, so
 * not revived by a retry or a start.
 */
async function updateJob<S extends object, R extends object>(
  call: CallContext,
  ref: JobRef,
  nowMs: number,
  update: {
    readonly expression: string;
    readonly condition: string;
    readonly names?: Record<string, string>;
    readonly values: Record<string, unknown>;
  },
): Promise<JobRecord<S, R> | undefined> {
  try {
    const out = await call.doc.send(
      new UpdateCommand({
        TableName: call.tableName,
        Key: jobKey(ref),
        UpdateExpression: update.expression,
        ConditionExpression: `attribute_exists(pk) AND tenant = :tenant AND (attribute_not_exists(#ttl) OR #ttl > :nowS) AND (${update.condition})`,
        ExpressionAttributeNames: { "#status": "status", "#ttl": TTL_ATTRIBUTE, ...update.names },
        ExpressionAttributeValues: {
          ":tenant": ref.tenant,
          ":nowS": Math.floor(nowMs / 1000),
          ...update.values,
        },
        ReturnValues: "ALL_NEW",
      }),
      { abortSignal: call.signal },
    );
    return out.Attributes === undefined ? undefined : recordOf<S, R>(out.Attributes);
  } catch (err) {
    if (isConditionalCheckFailed(err)) return undefined;
    throw toStoreError(err, "UpdateItem (job)");
  }
}

/** A job error as kept: one line of at most `MAX_JOB_ERROR_CHARS`. */
const errorText = (error: string): string =>
  error.replace(/\s+/g, " ").trim().slice(0, MAX_JOB_ERROR_CHARS) || "failed";

/**
 * Ends the run holding `token` as `status` (its `progress` and `set`'s fields written, its files'
 * life begun: `ttl` `JOB_FILE_DAYS` from now): what `succeed` and `fail` write. `undefined` when
 * the run no longer holds the job.
 */
function endRun<S extends object, R extends object>(
  call: CallContext,
  ref: JobRef,
  token: string,
  nowMs: number,
  status: "succeeded" | "failed",
  set: string,
  extra: { readonly names: Record<string, string>; readonly values: Record<string, unknown> },
): Promise<JobRecord<S, R> | undefined> {
  return updateJob<S, R>(call, ref, nowMs, {
    expression: `SET #status = :ended, ${set}, progress = :progress, finishedAt = :now, #ttl = :ttl REMOVE runToken`,
    condition: "#status = :running AND runToken = :token",
    names: { ...extra.names, "#ttl": TTL_ATTRIBUTE },
    values: {
      ...extra.values,
      ":ended": status,
      ":running": "running",
      ":token": token,
      ":now": isoAt(nowMs),
      ":ttl": ttlAfter(nowMs, JOB_FILE_DAYS),
    },
  });
}

/**
 * Back to `queued` with a clean slate when `condition` holds (what `retry` and `start` write): the
 * job now queued, `{ok: false}` with the job as it is when the condition failed, `undefined` when
 * the tenant has no such job.
 */
async function requeueJob<S extends object, R extends object>(
  call: CallContext,
  ref: JobRef,
  nowMs: number,
  condition: string,
  values: Record<string, unknown>,
): Promise<JobTransition<S, R>> {
  const job = await updateJob<S, R>(call, ref, nowMs, {
    expression:
      "SET #status = :queued, queuedAt = :nowMs, progress = :zero, #ttl = :ttl REMOVE runToken, #error, finishedAt, #result, heartbeatAt",
    names: { "#ttl": TTL_ATTRIBUTE, "#error": "error", "#result": "result" },
    condition,
    values: {
      ...values,
      ":queued": "queued",
      ":nowMs": nowMs,
      ":zero": { done: 0, rows: null },
      ":ttl": openTtl(nowMs),
    },
  });
  if (job !== undefined) return { ok: true, job };
  const current = await getJob<S, R>(call, ref, nowMs);
  return current === undefined ? undefined : { ok: false, job: current };
}

/**
 * The job operations of `store`, each one store call under the store's budget. `nowMs` is epoch
 * milliseconds everywhere. Every kind uses the same functions with its own `spec` and `result`.
 *
 * @example
 * const jobs = jobsStore(deps.store());
 * const job = await jobs.create({ tenant, kind: "export", spec, createdBy, status: "queued" }, Date.now());
 * const run = await jobs.claim({ tenant, kind: "export", id: job.id }, Date.now()); // running, attempts 1
 * await jobs.heartbeat(ref, run.runToken, { done: 500, rows: null }, Date.now());
 * await jobs.succeed(ref, run.runToken, { file: "…" }, { done: 900, rows: 900 }, Date.now());
 */
export function jobsStore(store: SuppressionStore) {
  return {
    /** A new job, `queued` or `awaiting_upload`, with a fresh id. */
    create: <S extends object>(job: NewJob<S>, nowMs: number): Promise<JobRecord<S, JobPayload>> =>
      store.within("createJob", (call) => createJob(call, job, nowMs)),

    /** The job as stored (not yet `jobAsSeen`), or `undefined` when the tenant has no such job. */
    get: <S extends object = JobPayload, R extends object = JobPayload>(
      ref: JobRef,
      nowMs: number,
    ): Promise<JobRecord<S, R> | undefined> =>
      store.within("getJob", (call) => getJob<S, R>(call, ref, nowMs)),

    /**
     * A page of the tenant's jobs of one kind, newest first; expired ones skipped.
     *
     * @throws InputError (400) for a cursor this list did not hand out
     */
    list: <S extends object = JobPayload, R extends object = JobPayload>(
      request: JobListRequest,
      nowMs: number,
    ): Promise<JobRecordPage<S, R>> =>
      store.within("listJobs", (call) => listJobs<S, R>(call, request, nowMs)),

    /**
     * How many of the tenant's jobs of `kind` are `queued` or `running` and not stale at `nowMs`,
     * counted over its newest `JOB_PAGE_LIMIT` jobs (an older one still active is stale by then).
     */
    activeCount: (tenant: string, kind: JobKind, nowMs: number): Promise<number> =>
      store.within("countActiveJobs", async (call) => {
        try {
          const out = await call.doc.send(
            new QueryCommand({
              TableName: call.tableName,
              KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
              FilterExpression: "#status IN (:queued, :running)",
              ExpressionAttributeNames: { "#status": "status" },
              ExpressionAttributeValues: {
                ":pk": jobsPk(tenant),
                ":prefix": skPrefix(kind),
                ":queued": "queued",
                ":running": "running",
              },
              ScanIndexForward: false,
              ConsistentRead: true,
              Limit: JOB_PAGE_LIMIT,
            }),
            { abortSignal: call.signal },
          );
          return (out.Items ?? [])
            .filter((item) => item.tenant === tenant && !expired(item, nowMs))
            .map((item) => recordOf(item))
            .filter((job) => !isStale(job, nowMs)).length;
        } catch (err) {
          throw toStoreError(err, "Query (active jobs)");
        }
      }),

    /**
     * Claims a `queued` job for a run: `running`, `attempts` + 1, a fresh `runToken`, progress reset.
     * `undefined` when it is not queued (another run claimed it, or it was never started).
     */
    claim: <S extends object = JobPayload, R extends object = JobPayload>(
      ref: JobRef,
      nowMs: number,
    ): Promise<JobRecord<S, R> | undefined> =>
      store.within("claimJob", (call) =>
        updateJob<S, R>(call, ref, nowMs, {
          expression:
            "SET #status = :running, runToken = :token, attempts = if_not_exists(attempts, :zeroN) + :one, startedAt = :now, heartbeatAt = :nowMs, progress = :zero REMOVE #error, finishedAt, #result",
          condition: "#status = :queued",
          names: { "#error": "error", "#result": "result" },
          values: {
            ":running": "running",
            ":queued": "queued",
            ":token": randomBytes(16).toString("hex"),
            ":zeroN": 0,
            ":one": 1,
            ":now": isoAt(nowMs),
            ":nowMs": nowMs,
            ":zero": { done: 0, rows: null },
          },
        }),
      ),

    /** Records the run's progress (its heartbeat); `false` when the run no longer holds the job. */
    heartbeat: (ref: JobRef, token: string, progress: JobProgress, nowMs: number): Promise<boolean> =>
      store
        .within("jobHeartbeat", (call) =>
          updateJob(call, ref, nowMs, {
            expression: "SET progress = :progress, heartbeatAt = :nowMs",
            condition: "#status = :running AND runToken = :token",
            values: { ":running": "running", ":token": token, ":progress": progress, ":nowMs": nowMs },
          }),
        )
        .then((job) => job !== undefined),

    /** The run succeeded with `result`; `undefined` when the run no longer holds the job. */
    succeed: <S extends object = JobPayload, R extends object = JobPayload>(
      ref: JobRef,
      token: string,
      result: R,
      progress: JobProgress,
      nowMs: number,
    ): Promise<JobRecord<S, R> | undefined> =>
      store.within("succeedJob", (call) =>
        endRun<S, R>(call, ref, token, nowMs, "succeeded", "#result = :result, heartbeatAt = :nowMs", {
          names: { "#result": "result" },
          values: { ":result": result, ":progress": progress, ":nowMs": nowMs },
        }),
      ),

    /**
     * The run failed with `error` (one line, kept short) after `progress`; `undefined` when it no
     * longer holds the job.
     */
    fail: <S extends object = JobPayload, R extends object = JobPayload>(
      ref: JobRef,
      token: string,
      error: string,
      progress: JobProgress,
      nowMs: number,
    ): Promise<JobRecord<S, R> | undefined> =>
      store.within("failJob", (call) =>
        endRun<S, R>(call, ref, token, nowMs, "failed", "#error = :error", {
          names: { "#error": "error" },
          values: { ":error": errorText(error), ":progress": progress },
        }),
      ),

    /** A `queued` job that could not be launched is `failed` with `error` (so it can be retried). */
    failQueued: <S extends object = JobPayload, R extends object = JobPayload>(
      ref: JobRef,
      error: string,
      nowMs: number,
    ): Promise<JobRecord<S, R> | undefined> =>
      store.within("failQueuedJob", (call) =>
        updateJob<S, R>(call, ref, nowMs, {
          expression: "SET #status = :failed, #error = :error, finishedAt = :now, #ttl = :ttl",
          condition: "#status = :queued",
          names: { "#error": "error", "#ttl": TTL_ATTRIBUTE },
          values: {
            ":failed": "failed",
            ":queued": "queued",
            ":error": errorText(error),
            ":now": isoAt(nowMs),
            ":ttl": ttlAfter(nowMs, JOB_FILE_DAYS),
          },
        }),
      ),

    /**
     * Queues a failed job again (or one `running`/`queued` whose heartbeat went stale: shown failed):
     * `{ok: true}` with the job now `queued`; `{ok: false}` with the job as it is when it is neither;
     * `undefined` when the tenant has no such job. The next run starts from scratch.
     */
    retry: <S extends object = JobPayload, R extends object = JobPayload>(
      ref: JobRef,
      nowMs: number,
    ): Promise<JobTransition<S, R>> =>
      store.within("retryJob", (call) => {
        const stale = nowMs - JOB_STALE_SECONDS * 1000;
        return requeueJob<S, R>(
          call,
          ref,
          nowMs,
          "#status = :failed OR (#status = :running AND heartbeatAt < :stale) OR (#status = :queued AND queuedAt < :stale)",
          { ":failed": "failed", ":running": "running", ":stale": stale },
        );
      }),

    /**
     * Starts a job that awaited its upload (`awaiting_upload` → `queued`); the same answers as `retry`.
     */
    start: <S extends object = JobPayload, R extends object = JobPayload>(
      ref: JobRef,
      nowMs: number,
    ): Promise<JobTransition<S, R>> =>
      store.within("startJob", (call) =>
        requeueJob<S, R>(call, ref, nowMs, "#status = :awaiting", { ":awaiting": "awaiting_upload" }),
      ),
  };
}
export type JobsStore = ReturnType<typeof jobsStore>;
