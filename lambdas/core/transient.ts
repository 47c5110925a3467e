/**
 * Whether a failed AWS SDK (or Node network) call is worth retrying later, from the error's shape
 * alone: no SDK import, so the store's and the file store's error modules, which every function
 * loads, stay plain code. Each service adds the names of its own throttling and outage errors.
 */

/** Node network error codes (ECONNREFUSED and friends): the request never got an answer. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ECONNABORTED",
]);

/** What the SDK's errors carry that tells a transient failure from a refusal. */
export type SdkErrorLike = {
  name?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $retryable?: unknown;
  cause?: unknown;
};

/**
 * True when `err` (or its `cause`) is throttling, a network failure, a 5xx, no HTTP answer at all,
 * an error the SDK marks retryable, or one of the service's `retryableNames`.
 *
 * @example
 * isTransientSdkError(Object.assign(new Error("connect"), { code: "ECONNREFUSED" }), new Set()); // true
 * isTransientSdkError(Object.assign(new Error("slow"), { name: "SlowDown" }), new Set(["SlowDown"])); // true
 */
export function isTransientSdkError(err: unknown, retryableNames: ReadonlySet<string>): boolean {
  if (typeof err !== "object" || err === null) return false;
  const e = err as SdkErrorLike;
  if (typeof e.name === "string" && retryableNames.has(e.name)) return true;
  if (typeof e.code === "string" && NETWORK_CODES.has(e.code)) return true;
  if (e.$fault === "server" || e.$retryable !== undefined) return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === "number" && status >= 500) return true;
  // No HTTP answer at all: the request never reached the service.
  if (e.$metadata !== undefined && status === undefined) return true;
  return e.cause !== undefined && e.cause !== err && isTransientSdkError(e.cause, retryableNames);
}
