import { Duration } from "aws-cdk-lib";
import { HTTP_ROUTES } from "../lambdas/handlers/routes.js";
import {
  httpFunctionTimeoutSeconds,
  ingestFunctionTimeoutSeconds,
  STATS_ROLLUP_TIMEOUT_SECONDS,
  sesEventsFunctionTimeoutSeconds,
} from "../lambdas/store/budget.js";
import { HISTORY_INDEX, LISTS_INDEX, STATS_INDEX, STATUS_INDEX } from "../lambdas/store/schema.js";
import type { FileAccess } from "./constructs/job-files.js";

/** What a function may do to the table. */
export type TableAccess = "none" | "read" | "read-write";

/** Everything the stack needs to know about one function beyond its entry point. */
export type FunctionSpec = {
  readonly description: string;
  readonly table: TableAccess;
  /** The table's indexes it queries (each granted by its ARN); none when absent. */
  readonly indexes?: readonly string[];
  /** Gets `SUPPRESSION_API_KEY_SECRET_ARN` and may read that secret. */
  readonly apiKey?: boolean;
  /** Gets `PROVIDER_SECRETS_SECRET_ARN` and may read that secret. */
  readonly providerSecrets?: boolean;
  /** Gets `SNS_TOPIC_ARNS`, the SES topics it accepts documents from. */
  readonly snsTopics?: boolean;
  /** Gets the stack's policy document (`POLICY_FILE`), when it has one. */
  readonly policy?: boolean;
  /** Gets `EXPORT_BUCKET` and this access to the jobs' files (lib/constructs/job-files.ts). */
  readonly files?: FileAccess;
  /** Gets `JOBS_FUNCTION_NAME` and may invoke the `jobs` function (it starts jobs). */
  readonly startsJobs?: boolean;
  /** Gets `UNSUBSCRIBE_SECRET_ARN` and may read the unsubscribe token keys (lib/constructs/service-secrets.ts). */
  readonly unsubscribeSecret?: boolean;
  /**
   * A part of the SES account-level suppression sync (issue #14, lib/constructs/ses-account-sync.ts):
   * gets `SES_SYNC_TENANTS` and the SES actions of its part. `sync` consumes the table's stream
   * (and deletes the SES markers it no longer needs); `import` reads the SES list on a schedule.
   * Deployed only when its setting is (`deployedFunctions`).
   */
  readonly ses?: "sync" | "import";
  /**
   * The bounce mailbox's consumer (issue #15, lib/constructs/bounce-mailbox.ts): gets
   * `BOUNCE_MAILBOX_BUCKET` and may read its mails and keep poison copies. Deployed only with the
   * `bounceMailbox` setting (`deployedFunctions`).
   */
  readonly mailbox?: boolean;
  readonly timeout?: Duration;
  readonly memorySize?: number;
};

/**
 * Timeouts of the functions that use the table, derived from the store's time budget
 * (lambdas/store/budget.ts) so that a stalled DynamoDB fails each store call (→ 503 with
 * Retry-After, or a failed SQS batch item) well before Lambda ends the invocation (→ 500).
 */
const HTTP_STORE_TIMEOUT = Duration.seconds(httpFunctionTimeoutSeconds());
const SES_EVENTS_TIMEOUT = Duration.seconds(sesEventsFunctionTimeoutSeconds());
/** Import and webhook: the store budget too, but long enough for the ESPs' largest batches. */
const INGEST_TIMEOUT = Duration.seconds(ingestFunctionTimeoutSeconds());
/** Lambda gives CPU in proportion to memory; a 3 000-event batch is classified and marshalled here. */
const INGEST_MEMORY_MB = 1024;

/** The SQS consumer of SES events (not an HTTP route). */
export const SES_EVENTS_FUNCTION = "ses-events";
/** The daily rollup of the reputation figures (an EventBridge schedule, not an HTTP route). */
export const STATS_ROLLUP_FUNCTION = "stats-rollup";
/** The runner of exports and list checks (invoked asynchronously by their routes, not an HTTP route). */
export const JOBS_FUNCTION = "jobs";
/** Lambda's longest run: a job of a million rows fits with room (docs/list-cleaning.md). */
const JOBS_TIMEOUT = Duration.minutes(15);

/** The unsubscribe function's variable of the links' base URL (declared beside its secret's). */
export { UNSUBSCRIBE_BASE_URL_ENV } from "../lambdas/handlers/unsubscribe-keys.js";
/** The one-click unsubscribe routes (`POST /v1/unsubscribe-links`, `GET` and `POST /u/{token}`). */
export const UNSUBSCRIBE_FUNCTION = "unsubscribe";
/** The table stream's consumer that mirrors entries into the SES account list (opt-in: `sesSyncTenants`). */
export const SES_SYNC_FUNCTION = "ses-sync";
/** The scheduled import of the SES account list (opt-in: `sesImportSchedule`). */
export const SES_IMPORT_FUNCTION = "ses-import";
/** The SQS consumer of the bounce mailbox's mails (opt-in: `bounceMailbox`). */
export const BOUNCE_MAILBOX_FUNCTION = "bounce-mailbox";
/**
 * A batch of up to 100 stream records, each a few SES calls that SES rate-limits per account (the
 * client retries a throttled call with backoff, up to 8 attempts): minutes, not seconds, in the worst case.
 */
const SES_SYNC_TIMEOUT = Duration.minutes(5);
/** Lambda's longest run: the import pages the whole SES list, and stops in time to resume on the next run. */
const SES_IMPORT_TIMEOUT = Duration.minutes(15);

/**
 * Every function the service may deploy, by handler module name (`lambdas/handlers/<name>.ts`).
 * Least privilege: the two that answer reads only read; only ingestion and the admin function write.
 */
export const FUNCTION_SPECS: Readonly<Record<string, FunctionSpec>> = {
  health: { description: "GET /healthz: liveness", table: "none" },
  check: {
    description: "POST /v1/check: batch pre-send verdicts",
    table: "read",
    apiKey: true,
    memorySize: 1024,
    timeout: HTTP_STORE_TIMEOUT,
  },
  suppressions: {
    description: "GET /v1/suppressions/{address}: one address, all live entries",
    table: "read",
    apiKey: true,
    timeout: HTTP_STORE_TIMEOUT,
  },
  admin: {
    description: "PUT and DELETE /v1/suppressions/{address}: operators' manual entries and removals",
    table: "read-write",
    apiKey: true,
    policy: true,
    timeout: HTTP_STORE_TIMEOUT,
  },
  allowlist: {
    description: "GET, PUT and DELETE /v1/allowlist: addresses and domains provider events never suppress",
    table: "read-write",
    apiKey: true,
    policy: true,
    timeout: HTTP_STORE_TIMEOUT,
  },
  history: {
    description: "GET /v1/events/{address}: one address's events and operators' actions, newest first",
    table: "read",
    indexes: [HISTORY_INDEX],
    apiKey: true,
    timeout: HTTP_STORE_TIMEOUT,
  },
  lists: {
    description: "GET /v1/suppressions: the tenant's live entries, newest first, filtered",
    table: "read",
    indexes: [LISTS_INDEX],
    apiKey: true,
    timeout: HTTP_STORE_TIMEOUT,
  },
  status: {
    description: "GET /v1/events and /v1/event-counts: a tenant's events over at most 30 days, and counts",
    table: "read",
    indexes: [STATUS_INDEX],
    apiKey: true,
    timeout: HTTP_STORE_TIMEOUT,
  },
  stats: {
    description:
      "GET /v1/stats: a tenant's reputation figures by day, provider or tag (rolls up closed days)",
    table: "read-write",
    indexes: [STATS_INDEX],
    apiKey: true,
    policy: true,
    timeout: HTTP_STORE_TIMEOUT,
  },
  [STATS_ROLLUP_FUNCTION]: {
    description:
      "Daily: rolls up every tenant's closed days of reputation figures before they leave the history",
    table: "read-write",
    indexes: [STATS_INDEX],
    policy: true,
    timeout: Duration.seconds(STATS_ROLLUP_TIMEOUT_SECONDS),
  },
  exports: {
    description: "POST and GET /v1/exports: start, list and follow exports (files: presigned links)",
    table: "read-write",
    apiKey: true,
    policy: true,
    files: "read",
    startsJobs: true,
    timeout: HTTP_STORE_TIMEOUT,
  },
  "list-checks": {
    description: "POST and GET /v1/list-checks: start, list and follow list cleaning (uploads, links)",
    table: "read-write",
    apiKey: true,
    policy: true,
    files: "read-write",
    startsJobs: true,
    timeout: HTTP_STORE_TIMEOUT,
  },
  [JOBS_FUNCTION]: {
    description: "Runs exports and list checks: pages the indexes, streams files to S3 (async invocations)",
    table: "read-write",
    indexes: [LISTS_INDEX, STATUS_INDEX],
    policy: true,
    files: "read-write",
    memorySize: 1024,
    timeout: JOBS_TIMEOUT,
  },
  keys: {
    description: "POST, GET and DELETE /v1/keys: a tenant's API keys (stored hashed)",
    table: "read-write",
    apiKey: true,
    timeout: HTTP_STORE_TIMEOUT,
  },
  import: {
    description: "POST /v1/import/{provider}: unsigned backfill and replay",
    table: "read-write",
    apiKey: true,
    policy: true,
    memorySize: INGEST_MEMORY_MB,
    timeout: INGEST_TIMEOUT,
  },
  webhook: {
    description: "POST /webhooks/{provider}: signed ESP notifications",
    table: "read-write",
    providerSecrets: true,
    snsTopics: true,
    policy: true,
    memorySize: INGEST_MEMORY_MB,
    timeout: INGEST_TIMEOUT,
  },
  [SES_EVENTS_FUNCTION]: {
    description: "SES events from SQS (SNS and EventBridge): partial batch failures",
    table: "read-write",
    snsTopics: true,
    policy: true,
    timeout: SES_EVENTS_TIMEOUT,
  },
  [UNSUBSCRIBE_FUNCTION]: {
    description:
      "POST /v1/unsubscribe-links and GET, POST /u/{token}: one-click unsubscribe links (RFC 8058)",
    table: "read-write",
    apiKey: true,
    policy: true,
    unsubscribeSecret: true,
    timeout: HTTP_STORE_TIMEOUT,
  },
  [SES_SYNC_FUNCTION]: {
    description:
      "Table stream → SES account-level suppression list, for the opted-in tenants (partial batch failures)",
    table: "read-write",
    ses: "sync",
    timeout: SES_SYNC_TIMEOUT,
  },
  [SES_IMPORT_FUNCTION]: {
    description: "Scheduled: imports the SES account-level suppression list for the opted-in tenants",
    table: "read-write",
    policy: true,
    ses: "import",
    timeout: SES_IMPORT_TIMEOUT,
  },
  [BOUNCE_MAILBOX_FUNCTION]: {
    description: "Bounce mails SES received (S3 → SQS): parse, classify, record; poison mails kept in S3",
    table: "read-write",
    policy: true,
    mailbox: true,
    // Parsing a mail of up to 10 MiB (MIME, the classifier) wants the CPU that comes with memory.
    memorySize: INGEST_MEMORY_MB,
    timeout: INGEST_TIMEOUT,
  },
};

/** The settings that add functions to the stack (lib/config.ts); the rest never change which are deployed. */
export type FunctionOptIns = {
  /** Tenants whose entries are mirrored into the SES account list: deploys `ses-sync` when non-empty. */
  readonly sesSyncTenants?: readonly string[];
  /** The import's schedule expression: deploys `ses-import` when set. */
  readonly sesImportSchedule?: string;
  /** The bounce mailbox's domains: deploys `bounce-mailbox` when non-empty. */
  readonly bounceMailbox?: readonly unknown[];
};

/**
 * The functions a stack with these opt-ins deploys: every function HTTP_ROUTES names, then the SES
 * consumer, the rollup and the job runner, then the opted-in SES account sync's (none by default).
 *
 * @example
 * deployedFunctions(); // [..."health", "check", …, "ses-events", "stats-rollup", "jobs"]
 * deployedFunctions({ sesSyncTenants: ["default"] }).includes("ses-sync"); // true
 */
export function deployedFunctions(optIns: FunctionOptIns = {}): string[] {
  const names = [
    ...new Set<string>(Object.values(HTTP_ROUTES)),
    SES_EVENTS_FUNCTION,
    STATS_ROLLUP_FUNCTION,
    JOBS_FUNCTION,
    ...((optIns.sesSyncTenants?.length ?? 0) > 0 ? [SES_SYNC_FUNCTION] : []),
    ...(optIns.sesImportSchedule !== undefined ? [SES_IMPORT_FUNCTION] : []),
    ...((optIns.bounceMailbox?.length ?? 0) > 0 ? [BOUNCE_MAILBOX_FUNCTION] : []),
  ];
  const unknown = names.filter((n) => !(n in FUNCTION_SPECS));
  if (unknown.length > 0) {
    throw new Error(`lib/functions.ts has no FUNCTION_SPECS entry for: ${unknown.join(", ")}`);
  }
  return names;
}
