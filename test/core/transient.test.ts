/**
 * Which SDK failures are worth retrying (core/transient.ts), and how the store and the file store
 * name them: throttling, network, 5xx and no answer → unavailable (503, retry); anything else → a
 * fault.
 */
import { describe, expect, it } from "vitest";
import { isTransientSdkError } from "../../lambdas/core/transient.js";
import { FileFaultError, FileUnavailableError, toFileError } from "../../lambdas/files/errors.js";
import { StoreFaultError, StoreUnavailableError, toStoreError } from "../../lambdas/store/errors.js";

const named = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 400 }, ...extra });

describe("transient SDK errors", () => {
  it.each([
    ["a network code", Object.assign(new Error("connect"), { code: "ECONNREFUSED" })],
    ["a server fault", named("Boom", { $fault: "server" })],
    ["an error the SDK marks retryable", named("Boom", { $retryable: {} })],
    ["a 5xx", Object.assign(new Error("x"), { $metadata: { httpStatusCode: 503 } })],
    ["no HTTP answer", Object.assign(new Error("x"), { $metadata: {} })],
    [
      "a transient cause",
      new Error("wrapped", { cause: Object.assign(new Error("c"), { code: "ECONNRESET" }) }),
    ],
    ["one of the service's names", named("SlowDown")],
  ])("%s is transient", (_, error) => {
    // Assert
    expect(isTransientSdkError(error, new Set(["SlowDown"]))).toBe(true);
  });

  it.each([
    ["a 4xx refusal", named("AccessDenied")],
    ["a plain error", new Error("bug")],
    ["not an object", "text"],
    ["null", null],
  ])("%s is not", (_, error) => {
    // Assert
    expect(isTransientSdkError(error, new Set(["SlowDown"]))).toBe(false);
  });

  it("makes the store's and the file store's errors by the same rule, each with its service's names", () => {
    // Assert
    expect(toStoreError(named("ProvisionedThroughputExceededException"), "Query")).toBeInstanceOf(
      StoreUnavailableError,
    );
    expect(toStoreError(named("ValidationException"), "Query")).toBeInstanceOf(StoreFaultError);
    expect(toFileError(named("SlowDown"), "PutObject")).toBeInstanceOf(FileUnavailableError);
    expect(toFileError(named("NoSuchBucket"), "PutObject")).toBeInstanceOf(FileFaultError);
    expect(toFileError(named("NoSuchBucket"), "PutObject").message).toBe(
      "PutObject: S3 refused the request (NoSuchBucket: NoSuchBucket)",
    );
  });
});
