/**
 * Items over DynamoDB's 400 KB limit, on both engines: the store refuses an oversized event before
 * writing anything (StoreItemTooLargeError naming the field, never the address), the engines' own
 * refusal maps to the same error, and the store's measure agrees with the engines at the limit.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toDocumentClient } from "../../lambdas/store/client.js";
import { StoreItemTooLargeError, toStoreError } from "../../lambdas/store/errors.js";
import { itemSize, MAX_ITEM_BYTES } from "../../lambdas/store/item-size.js";
import { addressPk, eventSk } from "../../lambdas/store/keys.js";
import { ensureTable } from "../../lambdas/store/schema.js";
import type { SuppressionStore } from "../../lambdas/store/store.js";
import { ENGINES, localClient, type RunningEngine } from "../support/engines.js";
import { decisionFor, events, freshAddress, nowSeconds, type Probe, probedStore } from "./helpers.js";

const TABLE = "item-size-test";

/** A user-unknown bounce whose SMTP diagnostic is `bytes` long. */
function bounceWithDiagnostic(recipient: string, bytes: number) {
  const event = events.userUnknown(recipient, nowSeconds() - 60);
  return { ...event, smtp: { code: "550", enhanced: "5.1.1", diagnostic: "x".repeat(bytes) } };
}

describe("itemSize", () => {
  it("counts names and values as DynamoDB does, and finds the largest field", () => {
    // Prepare
    const item = { pk: "a", sk: "b", n: 12345, ok: true, event: { smtp: { diagnostic: "x".repeat(10) } } };
    // Act
    const size = itemSize(item);
    // Assess: pk 2+1, sk 2+1, n 1+(3+1), ok 2+1, event 5+[3 + (smtp 4+[3 + 10+10 + 1]) + 1]
    expect(size).toEqual({
      bytes: 3 + 3 + 5 + 3 + (5 + (3 + (4 + 24) + 1)),
      largestField: "event.smtp.diagnostic",
    });
  });
});

describe.each(ENGINES)("oversized items on $name", (engine) => {
  let running: RunningEngine;
  let store: SuppressionStore;
  let probe: Probe;
  let raw: DynamoDBClient;

  beforeAll(async () => {
    running = await engine.start();
    await ensureTable(running.client, TABLE);
    ({ store, probe } = probedStore(running.endpoint, TABLE));
    raw = localClient(running.endpoint, 1);
  });
  afterAll(async () => {
    raw?.destroy();
    await running?.stop();
  });

  it("refuses a 420 KB diagnostic before writing, naming the provider and the field", async () => {
    // Prepare
    const address = freshAddress();
    const event = bounceWithDiagnostic(address, 420_000);
    probe.reset();
    // Act
    const err = await store.recordEvent(event, decisionFor(event)).catch((e: unknown) => e);
    const claim = await toDocumentClient(raw).send(
      new GetCommand({
        TableName: TABLE,
        Key: { pk: addressPk("default", address), sk: eventSk("ses", event.eventId) },
        ConsistentRead: true,
      }),
    );
    // Assess
    expect(err).toBeInstanceOf(StoreItemTooLargeError);
    expect(err).toMatchObject({ item: "event", provider: "ses", largestField: "event.smtp.diagnostic" });
    expect((err as StoreItemTooLargeError).bytes).toBeGreaterThan(MAX_ITEM_BYTES);
    expect((err as Error).message).not.toContain(address);
    expect(probe.count("PutItemCommand")).toBe(0);
    expect(claim.Item).toBeUndefined();
  });

  it("still records an event just under the limit", async () => {
    // Prepare: a diagnostic that leaves the item a few KB under 400 KB
    const event = bounceWithDiagnostic(freshAddress(), MAX_ITEM_BYTES - 4_096);
    // Act
    const result = await store.recordEvent(event, decisionFor(event));
    // Assess
    expect(result).toMatchObject({ duplicate: false, outcome: "suppressed" });
  });

  it("agrees with the engine at the limit: 100 bytes under is stored, 100 bytes over is refused", async () => {
    // Prepare
    const doc = toDocumentClient(raw);
    const base = { pk: `size-${freshAddress()}`, sk: "S#*", kind: "probe", blob: "" };
    const fill = (target: number) => ({ ...base, blob: "y".repeat(target - itemSize(base).bytes) });
    const under = fill(MAX_ITEM_BYTES - 100);
    const over = { ...fill(MAX_ITEM_BYTES + 100), sk: "S#over" };
    // Act
    const stored = await doc.send(new PutCommand({ TableName: TABLE, Item: under })).then(() => "stored");
    const refused = await doc.send(new PutCommand({ TableName: TABLE, Item: over })).catch((e: unknown) => e);
    // Assess
    expect(itemSize(under).bytes).toBe(MAX_ITEM_BYTES - 100);
    expect(stored).toBe("stored");
    expect(toStoreError(refused, "PutItem")).toBeInstanceOf(StoreItemTooLargeError);
  });

  it("maps the engine's own refusals (PutItem and UpdateItem) to StoreItemTooLargeError", async () => {
    // Prepare
    const doc = toDocumentClient(raw);
    const key = { pk: `size-${freshAddress()}`, sk: "S#update" };
    await doc.send(new PutCommand({ TableName: TABLE, Item: { ...key, a: "a".repeat(300_000) } }));
    // Act
    const put = await doc
      .send(new PutCommand({ TableName: TABLE, Item: { ...key, sk: "S#put", a: "a".repeat(420_000) } }))
      .catch((e: unknown) => e);
    const update = await doc
      .send(
        new UpdateCommand({
          TableName: TABLE,
          Key: key,
          UpdateExpression: "SET b = :b",
          ExpressionAttributeValues: { ":b": "b".repeat(200_000) },
        }),
      )
      .catch((e: unknown) => e);
    const mapped = [toStoreError(put, "PutItem"), toStoreError(update, "UpdateItem", { item: "event" })];
    // Assess
    expect((put as Error).name).toBe("ValidationException");
    expect(mapped[0]).toBeInstanceOf(StoreItemTooLargeError);
    expect(mapped[1]).toBeInstanceOf(StoreItemTooLargeError);
    expect(mapped[1]).toMatchObject({ item: "event" });
    expect(mapped[0]?.cause).toBe(put);
  });
});
