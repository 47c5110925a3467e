/** Errors of the store: what DynamoDB failures become before they leave `lambdas/store`. */

import { isTransientSdkError } from "../core/transient.js";

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
  override readonly name: string = "StoreUnavailableError";
}

/**
 * A store call ran out of its time budget (`STORE_TIMEOUTS.callBudgetMs`, see budget.ts): DynamoDB
 * stalled or kept failing until the deadline. Transient like every `StoreUnavailableError`.
 *
 * @example
 * throw new StoreTimeoutError("recordEvent: no answer from DynamoDB within 4000 ms", { cause: err });
 */
export class StoreTimeoutError extends StoreUnavailableError {
  override readonly name = "StoreTimeoutError";
}

/** What is known about an item DynamoDB cannot hold (never the address: it is personal data). */
export type OversizedItem = {
  /** Which kind of item: the event's history record or an entry, when known. */
  readonly item?: "event" | "entry";
  /** The provider whose event it was, when known. */
  readonly provider?: string;
  /** The item's size in bytes as DynamoDB counts it, when measured before writing. */
  readonly bytes?: number;
  /** The path of the item's largest attribute (`event.smtp.diagnostic`), when measured. */
  readonly largestField?: string;
};

/**
 * An item is larger than DynamoDB's 400 KB item limit: refused before writing (measured), or by
 * DynamoDB itself (`ValidationException: Item size has exceeded the maximum allowed size`). A retry
 * of the same event fails the same way, so it is the sender's problem (HTTP 413), not an outage.
 *
 * @example
 * throw new StoreItemTooLargeError("event item of 431 KB", { item: "event", provider: "ses", bytes: 441_000 });
 */
export class StoreItemTooLargeError extends StoreError {
  override readonly name = "StoreItemTooLargeError";
  readonly item: OversizedItem["item"] | undefined;
  readonly provider: string | undefined;
  readonly bytes: number | undefined;
  readonly largestField: string | undefined;

  constructor(message: string, details: OversizedItem, options?: { cause?: unknown }) {
    super(message, options);
    this.item = details.item;
    this.provider = details.provider;
    this.bytes = details.bytes;
    this.largestField = details.largestField;
  }
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
  return isTransientSdkError(err, RETRYABLE_NAMES);
}

/**
 * DynamoDB's words for an item over 400 KB: "Item size has exceeded the maximum allowed size"
 * (PutItem, BatchWriteItem) and "Item size to update has exceeded the maximum allowed size"
 * (UpdateItem); dynalite and DynamoDB Local say the same.
 */
const ITEM_TOO_LARGE = /item size (to update )?has exceeded the maximum allowed size/i;

/**
 * True when `err` is DynamoDB refusing an item over its size limit.
 *
 * @example
 * isItemTooLarge(Object.assign(new Error("Item size has exceeded the maximum allowed size"), { name: "ValidationException" })); // true
 */
export function isItemTooLarge(err: unknown): boolean {
  return err instanceof Error && err.name === "ValidationException" && ITEM_TOO_LARGE.test(err.message);
}

/**
 * Turns anything an SDK call threw into a store error: an item over DynamoDB's size limit →
 * `StoreItemTooLargeError` (`item` names what was being written), transient →
 * `StoreUnavailableError`, otherwise `StoreFaultError`. Store errors pass through unchanged.
 *
 * @example
 * try { await doc.send(cmd); } catch (err) { throw toStoreError(err, "GetItem"); }
 */
export function toStoreError(err: unknown, operation: string, item?: OversizedItem): StoreError {
  if (err instanceof StoreError) return err;
  const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  if (isItemTooLarge(err)) {
    return new StoreItemTooLargeError(
      `${operation}: the item is over DynamoDB's 400 KB item limit (${detail})`,
      item ?? {},
      { cause: err },
    );
  }
  return isTransient(err)
    ? new StoreUnavailableError(`${operation}: DynamoDB is unavailable (${detail})`, { cause: err })
    : new StoreFaultError(`${operation}: DynamoDB refused the request (${detail})`, { cause: err });
}
