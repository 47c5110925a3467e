/**
 * The store a local CLI talks to (lambdas/local/store-target.ts): the choice from flags and
 * environment, its usage errors, how it reads for people, the one-line failure's pieces, and the
 * local store's lock.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  describeTarget,
  failureParts,
  inUse,
  openStore,
  StoreInUseError,
  type StoreTarget,
  StoreTargetUsageError,
  targetOf,
} from "../../lambdas/local/store-target.js";
import { DEFAULT_TABLE_NAME } from "../../lambdas/store/index.js";

const IN_MEMORY = "DATA_DIR=:memory: keeps nothing";
const choose = (endpoint: string | undefined, table: string | undefined, env: NodeJS.ProcessEnv = {}) =>
  targetOf(endpoint, table, env, { inMemory: IN_MEMORY });

describe("targetOf", () => {
  it("is the local store in .data by default, table suppressions", () => {
    expect(choose(undefined, undefined)).toEqual({
      kind: "local",
      dataDir: ".data",
      tableName: DEFAULT_TABLE_NAME,
    });
  });

  it("takes DATA_DIR and TABLE_NAME (trimmed) for the local store", () => {
    expect(choose(undefined, undefined, { DATA_DIR: " /tmp/d ", TABLE_NAME: " t " })).toEqual({
      kind: "local",
      dataDir: "/tmp/d",
      tableName: "t",
    });
  });

  it("is the endpoint of --endpoint, else of DYNAMODB_ENDPOINT, over DATA_DIR", () => {
    const env = { DYNAMODB_ENDPOINT: "http://env:8000", DATA_DIR: "/tmp/d", TABLE_NAME: "t" };
    expect(choose("https://flag:8000", undefined, env)).toEqual({
      kind: "endpoint",
      endpoint: "https://flag:8000",
      tableName: "t",
    });
    expect(choose(undefined, undefined, env)).toEqual({
      kind: "endpoint",
      endpoint: "http://env:8000",
      tableName: "t",
    });
  });

  it("is the deployed table of --table (trimmed), whatever TABLE_NAME says", () => {
    expect(choose(undefined, " prod ", { TABLE_NAME: "t" })).toEqual({ kind: "aws", tableName: "prod" });
  });

  it("ignores a blank DYNAMODB_ENDPOINT", () => {
    expect(choose(undefined, "prod", { DYNAMODB_ENDPOINT: "  " })).toEqual({
      kind: "aws",
      tableName: "prod",
    });
  });

  const USAGE_ERRORS: [string, () => StoreTarget, RegExp][] = [
    ["a blank --table", () => choose(undefined, " "), /^--table needs a table name$/],
    [
      "--table with --endpoint",
      () => choose("http://127.0.0.1:8000", "prod"),
      /^--table names the deployed table in AWS; for a table at http:\/\/127\.0\.0\.1:8000 set TABLE_NAME instead$/,
    ],
    [
      "--table with DYNAMODB_ENDPOINT",
      () => choose(undefined, "prod", { DYNAMODB_ENDPOINT: "http://x:1" }),
      /set TABLE_NAME instead \(DYNAMODB_ENDPOINT is set\)$/,
    ],
    [
      "an endpoint that is no URL",
      () => choose("localhost:8000", undefined),
      /^--endpoint must be an http\(s\) URL; got localhost:8000$/,
    ],
    [
      "an endpoint that is not http(s)",
      () => choose("ftp://x", undefined),
      /^--endpoint must be an http\(s\) URL/,
    ],
    [
      "DATA_DIR=:memory:",
      () => choose(undefined, undefined, { DATA_DIR: ":memory:" }),
      /^DATA_DIR=:memory: keeps nothing$/,
    ],
  ];

  it.each(USAGE_ERRORS)("%s: a StoreTargetUsageError of one line", (_name, run, message) => {
    expect(run).toThrow(StoreTargetUsageError);
    expect(run).toThrow(message);
  });

  it("throws the CLI's own usage error when given its factory", () => {
    class MyUsage extends Error {}
    const run = () =>
      targetOf(
        undefined,
        undefined,
        { DATA_DIR: ":memory:" },
        { inMemory: "lost", usage: (m) => new MyUsage(m) },
      );
    expect(run).toThrow(MyUsage);
    expect(run).toThrow(/^lost$/);
  });
});

describe("describeTarget", () => {
  it("names the table and where it is", () => {
    expect(describeTarget({ kind: "aws", tableName: "prod" })).toBe("table prod in AWS");
    expect(describeTarget({ kind: "endpoint", endpoint: "http://h:1", tableName: "t" })).toBe(
      "table t at http://h:1",
    );
    expect(describeTarget({ kind: "local", dataDir: ".data", tableName: "t" })).toBe(
      `table t in ${resolve(".data")} (the local store)`,
    );
  });
});

describe("failureParts", () => {
  it("gives the message and the innermost cause when the message does not say it", () => {
    const inner = new TypeError("ECONNREFUSED");
    const error = new Error("put failed", { cause: new Error("socket", { cause: inner }) });
    expect(failureParts(error)).toEqual({
      message: "put failed",
      inner,
      reason: " (TypeError: ECONNREFUSED)",
    });
  });

  it("gives no reason when the message already holds the cause's, or there is no cause", () => {
    expect(failureParts(new Error("failed: boom", { cause: new Error("boom") })).reason).toBe("");
    expect(failureParts("plain")).toEqual({ message: "plain", inner: "plain", reason: "" });
  });
});

describe("openStore on the local store", () => {
  const dir = mkdtempSync(join(tmpdir(), "store-target-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("opens it, holds its lock while open, refuses a second opener, and frees it on close", async () => {
    const target = targetOf(undefined, undefined, { DATA_DIR: dir }, { inMemory: IN_MEMORY });
    const opened = await openStore(target);
    try {
      expect(await inUse(join(dir, "dynalite"))).toBe(true);
      const second = openStore(target);
      await expect(second).rejects.toBeInstanceOf(StoreInUseError);
      await expect(second).rejects.toThrow(`${resolve(dir)} is in use by a running npm start; stop it first`);
    } finally {
      await opened.close();
    }
    expect(await inUse(join(dir, "dynalite"))).toBe(false);
  }, 30_000);
});
