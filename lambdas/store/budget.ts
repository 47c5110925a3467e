/**
 * How long the store may take, written once: the DynamoDB client (client.ts), every store call
 * (store.ts) and the Lambda timeouts of the CDK stack (lib/functions.ts) all derive from these
 * numbers, so a stalled DynamoDB surfaces as a fast `StoreUnavailableError` (HTTP 503 with
 * `Retry-After`, a failed SQS batch item) and never as a function timeout (HTTP 500, no retry hint).
 *
 * Two layers, because neither is enough alone:
 *
 * 1. **Per attempt** (the SDK's `NodeHttpHandler`): `connectionTimeout` bounds the TCP/TLS connect,
 *    `requestTimeout` bounds "request sent → response headers" and, with `throwOnRequestTimeout`,
 *    really aborts (in @smithy/node-http-handler 4.x it only logs a warning otherwise), and
 *    `socketTimeout` bounds a silent socket after the headers (a body that stops half-way). The SDK
 *    retries such a timeout (it is a `TimeoutError`) up to `maxAttempts` times, with its own
 *    jittered backoff (base 100 ms; 500 ms when throttled).
 * 2. **Per store call** (`callBudgetMs`): one `SuppressionStore` method may send many commands in
 *    sequence (recordEvent: claim, read, optimistic-lock retries with backoff, mark), so per-attempt
 *    bounds do not bound the call. Each call therefore runs under one AbortSignal deadline shared by
 *    all its commands and its own backoff sleeps; the SDK and the HTTP handler honour it (they abort
 *    the socket and the retry wait), and the call fails with `StoreTimeoutError`.
 *
 * The numbers: DynamoDB answers in single-digit milliseconds, so 1 s per attempt is ~100× a normal
 * answer and still leaves room for a cold TLS handshake. Three attempts (the SDK default) cost at
 * most 3 × 1 s + ~0.3 s of backoff, inside the 4 s call budget; throttling backoff can reach past
 * it, and then the budget cuts it short: a throttled store is better answered with 503 than with
 * waiting out the function.
 */

/** Settings of the store's time limits (milliseconds, attempts). */
export type StoreTimeouts = {
  /** TCP (and TLS) connect, per attempt. */
  readonly connectionTimeoutMs: number;
  /** Request sent → response headers, and socket inactivity after them, per attempt. */
  readonly attemptTimeoutMs: number;
  /** SDK attempts per command, the first included. */
  readonly maxAttempts: number;
  /** Everything one store call (recordEvent, checkAddresses, getAddress, claimNonce) may take. */
  readonly callBudgetMs: number;
};

/** The deployed limits. See the module notes for why these numbers. */
export const STORE_TIMEOUTS: StoreTimeouts = {
  connectionTimeoutMs: 1_000,
  attemptTimeoutMs: 1_000,
  maxAttempts: 3,
  callBudgetMs: 4_000,
};

/**
 * Store calls one HTTP request makes one after the other at most: a webhook claims its replay token
 * (Mailgun, SendCloud), then records its events (the events themselves are recorded concurrently,
 * see `ingest`). Checks and lookups make one call.
 */
export const SEQUENTIAL_STORE_CALLS_PER_REQUEST = 2;

/** Room in an invocation for everything but the store: secrets (cached after the first), parsing, logs. */
export const NON_STORE_HEADROOM_MS = 2_000;

/**
 * The timeout of the functions behind HTTP routes that use the store: the store's share plus
 * headroom, so a stalled store is answered (503) before Lambda gives up (500). 10 s with the
 * defaults; API Gateway's own limit is 30 s.
 *
 * @example
 * httpFunctionTimeoutSeconds(); // 10
 */
export function httpFunctionTimeoutSeconds(timeouts: StoreTimeouts = STORE_TIMEOUTS): number {
  return Math.ceil(
    (SEQUENTIAL_STORE_CALLS_PER_REQUEST * timeouts.callBudgetMs + NON_STORE_HEADROOM_MS) / 1000,
  );
}

/**
 * API Gateway HTTP APIs end an integration after 30 s, a hard quota. A function behind one must
 * answer before that, so the provider gets our answer (200, or 503 with `Retry-After`) and not the
 * gateway's bare 503.
 */
export const API_GATEWAY_INTEGRATION_TIMEOUT_S = 30;

/**
 * The timeout of the ingest functions (`POST /v1/import/{provider}`, `POST /webhooks/{provider}`):
 * as long as API Gateway allows, less 2 s for our answer to cross it. They need it for the largest
 * batches the ESPs send (SendGrid flushes at ~768 KB, about 3 000 small events), which must be
 * stored within half this deadline (`MAX_EVENTS_PER_REQUEST`, measured by `npm run bench`). A
 * stalled store is still answered after one call budget (`ingest` stops at the first failure),
 * far inside it.
 *
 * @example
 * ingestFunctionTimeoutSeconds(); // 28
 */
export function ingestFunctionTimeoutSeconds(timeouts: StoreTimeouts = STORE_TIMEOUTS): number {
  return Math.max(httpFunctionTimeoutSeconds(timeouts), API_GATEWAY_INTEGRATION_TIMEOUT_S - 2);
}

/**
 * The `ses-events` consumer's timeout. One SQS message may carry up to 50 recipients (SES's limit);
 * their events are recorded `INGEST_WRITE_CONCURRENCY` at a time. Against a stalled store `ingest`
 * stops at the first failed wave, but a store that fails only some writes lets each wave run into
 * its budget, so the worst message is ⌈50 / 16⌉ = 4 budgets (16 s with the defaults). 30 s keeps
 * that inside with room, and the queue's visibility timeout is six times it (lib/constructs).
 *
 * @example
 * sesEventsFunctionTimeoutSeconds(); // 30
 */
export function sesEventsFunctionTimeoutSeconds(timeouts: StoreTimeouts = STORE_TIMEOUTS): number {
  const waves = Math.ceil(SES_MAX_RECIPIENTS / INGEST_WRITE_CONCURRENCY);
  return Math.max(30, Math.ceil((waves * timeouts.callBudgetMs + NON_STORE_HEADROOM_MS) / 1000));
}

/** SES sends one message to at most 50 recipients, so one notification holds at most 50 events. */
export const SES_MAX_RECIPIENTS = 50;
/**
 * The number of events `ingest` (lambdas/handlers/ingestion.ts) records at once; it reads this.
 * Recording an event is about four sequential round trips, so against DynamoDB (latency-bound)
 * throughput grows with this number; on the local engines (CPU-bound on two cores) 8 and 16 measured
 * alike (bench/ingest.ts: 258 → 369 events/s embedded, 324 → 317 DynamoDB Local), 32 was slower.
 */
export const INGEST_WRITE_CONCURRENCY = 16;

/**
 * The scheduled `stats-rollup` function's timeout (Lambda's longest) and, a minute less, the budget
 * of its one store call: counting a busy tenant's day takes many pages (store/stats.ts).
 */
export const STATS_ROLLUP_TIMEOUT_SECONDS = 900;
export const STATS_ROLLUP_BUDGET_MS = (STATS_ROLLUP_TIMEOUT_SECONDS - 60) * 1000;
