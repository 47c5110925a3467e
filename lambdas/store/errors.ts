/** Errors of the store: what DynamoDB failures become before they leave `lambdas/store`. */

/** Base of every store error; `cause` carries the SDK error. */
export class StoreError extends Error {
  override readonly name: string = "StoreError";
}

/**
 * DynamoDB could not be reached or did not serve us in time: throttling, network errors, 5xx,
 * unprocessed batch keys that stayed unprocessed, optimistic-lock contention that did not settle.
 * The caller should retry later (HTTP 503, a failed SQS batch item).
 *
 * @example
 * throw new StoreUnavailableError("BatchGetItem failed", { cause: err });
 */
export class StoreUnavailableError extends StoreError {
  override readonly name = "StoreUnavailableError";
}

/**
 * DynamoDB refused a request for a reason a retry will not fix (missing table, validation error,
 * access denied): a deployment or programming fault.
 *
 * @example
 * throw new StoreFaultError("GetItem was refused", { cause: err });
 */
export class StoreFaultError extends StoreError {
  override readonly name = "StoreFaultError";
}

/** SDK error names that mean "try again later" rather than "this request is wrong". */
const RETRYABLE_NAMES = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "InternalServerError",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "LimitExceededException",
  "TransactionConflictException",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "AbortError",
]);

/** Node network error codes (ECONNREFUSED and friends). */
const NETWORK_CODES = new Set([
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

type SdkErrorLike = {
  name?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $retryable?: unknown;
};

/**
 * True when `err` is DynamoDB's "the condition did not hold" answer.
 *
 * @example
 * isConditionalCheckFailed(new ConditionalCheckFailedException({ message: "", $metadata: {} })); // true
 */
export function isConditionalCheckFailed(err: unknown): boolean {
  return err instanceof Error && err.name === "ConditionalCheckFailedException";
}

/**
 * True when `err` is worth retrying later (throttling, network, 5xx).
 *
 * @example
 * isTransient(Object.assign(new Error("connect"), { code: "ECONNREFUSED" })); // true
 */
export function isTransient(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const e = err as SdkErrorLike;
  if (typeof e.name === "string" && RETRYABLE_NAMES.has(e.name)) return true;
  if (typeof e.code === "string" && NETWORK_CODES.has(e.code)) return true;
  if (e.$fault === "server" || e.$retryable !== undefined) return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === "number" && status >= 500) return true;
  // No HTTP answer at all: the request never reached DynamoDB.
  if (e.$metadata !== undefined && status === undefined) return true;
  const cause = (err as { cause?: unknown }).cause;
  return cause !== undefined && cause !== err && isTransient(cause);
}

/**
 * Turns anything an SDK call threw into a store error: transient → `StoreUnavailableError`,
 * otherwise `StoreFaultError`. Store errors pass through unchanged.
 *
 * @example
 * try { await doc.send(cmd); } catch (err) { throw toStoreError(err, "GetItem"); }
 */
export function toStoreError(err: unknown, operation: string): StoreError {
  if (err instanceof StoreError) return err;
  const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return isTransient(err)
    ? new StoreUnavailableError(`${operation}: DynamoDB is unavailable (${detail})`, { cause: err })
    : new StoreFaultError(`${operation}: DynamoDB refused the request (${detail})`, { cause: err });
}
