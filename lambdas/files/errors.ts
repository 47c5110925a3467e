/**
 * Errors of the file store: what S3 failures become before they leave `lambdas/files`. Plain code
 * (no SDK import), so the HTTP error mapping can name them without loading S3.
 */

import { isTransientSdkError, type SdkErrorLike } from "../core/transient.js";

/** Base of every file store error; `cause` carries the SDK error. */
export class FileError extends Error {
  override readonly name: string = "FileError";
}

/**
 * S3 could not be reached or did not serve us: throttling (`SlowDown`), 5xx, network errors. The
 * caller should retry later (HTTP 503 with `Retry-After`, like `StoreUnavailableError`).
 *
 * @example
 * throw new FileUnavailableError("PutObject: S3 is unavailable", { cause: err });
 */
export class FileUnavailableError extends FileError {
  override readonly name = "FileUnavailableError";
}

/**
 * S3 refused a request for a reason a retry will not fix (no such bucket, access denied, a bad
 * request): a deployment or programming fault.
 *
 * @example
 * throw new FileFaultError("GetObject was refused (AccessDenied)", { cause: err });
 */
export class FileFaultError extends FileError {
  override readonly name = "FileFaultError";
}

/**
 * A link was asked for a file whose time is up (its `expiresAt` has passed): no link may outlive
 * the file (design.md §5.3, jobs).
 *
 * @example
 * throw new FileLinkExpiredError("the file expired at 2026-11-27T10:00:00.000Z");
 */
export class FileLinkExpiredError extends FileError {
  override readonly name = "FileLinkExpiredError";
}

/** S3 error names that mean "try again later". */
const RETRYABLE_NAMES = new Set([
  "SlowDown",
  "InternalError",
  "ServiceUnavailable",
  "RequestTimeout",
  "RequestTimeTooSkewed",
  "TimeoutError",
  "AbortError",
  "ThrottlingException",
]);

/**
 * True when `err` is worth retrying later (throttling, network, 5xx).
 *
 * @example
 * isTransientFileError(Object.assign(new Error("connect"), { code: "ECONNREFUSED" })); // true
 */
export function isTransientFileError(err: unknown): boolean {
  return isTransientSdkError(err, RETRYABLE_NAMES);
}

/**
 * True when `err` is S3 saying there is no such object.
 *
 * @example
 * isNotFound(Object.assign(new Error("NoSuchKey"), { name: "NoSuchKey" })); // true
 */
export function isNotFound(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const status = (err as SdkErrorLike).$metadata?.httpStatusCode;
  return err.name === "NoSuchKey" || err.name === "NotFound" || status === 404;
}

/**
 * Turns anything an S3 call threw into a file error: transient → `FileUnavailableError`,
 * otherwise `FileFaultError`. File errors pass through unchanged.
 *
 * @example
 * try { await s3.send(cmd); } catch (err) { throw toFileError(err, "PutObject"); }
 */
export function toFileError(err: unknown, operation: string): FileError {
  if (err instanceof FileError) return err;
  const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return isTransientFileError(err)
    ? new FileUnavailableError(`${operation}: S3 is unavailable (${detail})`, { cause: err })
    : new FileFaultError(`${operation}: S3 refused the request (${detail})`, { cause: err });
}
