/**
 * `readPartition` (store/partition.ts) on both engines, through the real SDK: every item of a
 * partition over several pages (items of ~300 KB, so DynamoDB's 1 MB page ends mid-partition), in
 * sort-key order, nothing of a neighbouring partition, a projection, and a store error naming the
 * read when the table is missing.
 */
import { randomUUID } from "node:crypto";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDynamoDbClient, toDocumentClient } from "../../lambdas/store/client.js";
import { type CallContext, resolveContext } from "../../lambdas/store/context.js";
import { StoreError } from "../../lambdas/store/errors.js";
import { readPartition } from "../../lambdas/store/partition.js";
import { ensureTable } from "../../lambdas/store/schema.js";
import { ENGINES, type RunningEngine } from "../support/engines.js";

const TABLE = "partition-test";
const BIG = "x".repeat(300_000);

describe.each(ENGINES)("readPartition on $name", (engine) => {
  let running: RunningEngine;
  let ctx: CallContext;

  beforeAll(async () => {
    running = await engine.start();
    await ensureTable(running.client, TABLE);
    const client = createDynamoDbClient({ endpoint: running.endpoint, region: "us-east-1", maxAttempts: 1 });
    ctx = {
      ...resolveContext({ client: toDocumentClient(client), tableName: TABLE }),
      signal: new AbortController().signal,
    };
  });
  afterAll(async () => {
    await running?.stop();
  });

  it("reads every item over several pages, in sort-key order, and nothing else", async () => {
    const pk = `P#${randomUUID()}`;
    const sks = Array.from({ length: 8 }, (_, i) => `S#${String(i).padStart(2, "0")}`);
    for (const sk of [...sks].reverse()) {
      await ctx.doc.send(new PutCommand({ TableName: TABLE, Item: { pk, sk, big: BIG } }));
    }
    await ctx.doc.send(new PutCommand({ TableName: TABLE, Item: { pk: `${pk}-other`, sk: "S#00" } }));
    const items = await readPartition(ctx, pk, { label: "Query (test)", consistent: true });
    expect(items.map((i) => i.sk)).toEqual(sks);
    const projected = await readPartition(ctx, pk, { label: "Query (test)", projection: "sk" });
    expect(projected.map((i) => Object.keys(i))).toEqual(sks.map(() => ["sk"]));
  });

  it("an empty partition is no items", async () => {
    expect(await readPartition(ctx, `P#${randomUUID()}`, { label: "Query (test)" })).toEqual([]);
  });

  it("a failed page is a store error naming the read", async () => {
    const missing = { ...ctx, tableName: "no-such-table" };
    const error = await readPartition(missing, "P#x", { label: "Query (test)" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(String((error as Error).message)).toContain("Query (test)");
  });
});
