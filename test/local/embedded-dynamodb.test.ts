/**
 * The embedded store (dynalite in memory) must hold its data at about its own size (issue #9,
 * defect 7c). Stored as Buffers cut from Node's shared 8 KB pool, every small key and value kept a
 * whole pool slab alive: ~8 KB of `arrayBuffers` per stored value, whatever the value's size.
 * The checks count bytes still reachable after a full GC, never time.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { PutItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedDynamoDb, startEmbeddedDynamoDb } from "../../lambdas/local/embedded-dynamodb.js";
import { ensureTable } from "../../lambdas/store/schema.js";
import { localClient } from "../support/engines.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** `arrayBuffers` (Buffer memory outside the V8 heap) still reachable after full collections. */
function retainedArrayBuffers(): number {
  gc();
  gc();
  return process.memoryUsage().arrayBuffers;
}

describe("embedded dynalite in memory", () => {
  let db: EmbeddedDynamoDb;
  let client: ReturnType<typeof localClient>;
  const table = "memory";

  beforeAll(async () => {
    db = await startEmbeddedDynamoDb();
    client = localClient(db.endpoint);
    await ensureTable(client, table);
  });
  afterAll(async () => {
    client?.destroy();
    await db?.stop();
  });

  it("keeps stored items out of Node's Buffer pool (no 8 KB slab pinned per value)", async () => {
    // Prepare: 2,000 items of ~600 bytes, and the short-lived Buffers a request handled in the same
    // process makes meanwhile (the local server's request and response bodies)
    const items = 2_000;
    const padding = "x".repeat(500);
    const body = "b".repeat(1_500);
    const before = retainedArrayBuffers();
    // Act
    for (let i = 0; i < items; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, async (_, j) => {
          Buffer.from(body);
          await client.send(
            new PutItemCommand({
              TableName: table,
              Item: {
                pk: { S: `T#default#A#u${i + j}@example.org` },
                sk: { S: "E#ses#1" },
                padding: { S: padding },
              },
            }),
          );
          Buffer.from(body);
        }),
      );
    }
    const grown = retainedArrayBuffers() - before;
    // Assess: the data itself (~1.2 MB of keys and values) lives in the V8 heap as strings; what is
    // left in Buffers is the engine's and the sockets' own. Stored as pool slices, it was ~8 KB an item.
    expect(grown).toBeLessThan(items * 256);
  });

  it("still orders sort keys as DynamoDB does (by UTF-8 bytes)", async () => {
    // Prepare: in UTF-16 order "😀" (U+1F600, surrogates D83D…) sorts before U+FFFD; in UTF-8 after
    const sks = ["z", "é", "\uFFFD", "😀", "A"];
    for (const sk of sks) {
      await client.send(
        new PutItemCommand({ TableName: table, Item: { pk: { S: "order" }, sk: { S: sk } } }),
      );
    }
    // Act
    const out = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": { S: "order" } },
      }),
    );
    // Assess
    expect(out.Items?.map((item) => item.sk?.S)).toEqual(["A", "z", "é", "\uFFFD", "😀"]);
  });
});
