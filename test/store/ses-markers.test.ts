/**
 * The SES markers (store/ses-markers.ts) on both engines, through the real SDK: the stored item
 * (`SESM#<address>` / `T#<tenant>`), put idempotent and rewriting the reason, remove saying whether
 * the marker was there, holders of one address across tenants and apart from other addresses,
 * escaping of `#` and `%`, and store errors when the table is missing.
 */
import { randomUUID } from "node:crypto";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDynamoDbClient, toDocumentClient } from "../../lambdas/store/client.js";
import { StoreFaultError } from "../../lambdas/store/errors.js";
import { ensureTable } from "../../lambdas/store/schema.js";
import { sesMarkerKey, sesMarkers } from "../../lambdas/store/ses-markers.js";
import { createStore, type SuppressionStore } from "../../lambdas/store/store.js";
import { ENGINES, type RunningEngine } from "../support/engines.js";
import { freshAddress } from "./helpers.js";

const TABLE = "ses-markers-test";
const AT = new Date("2026-11-20T10:00:00.000Z");

const freshTenant = (): string => `t-${randomUUID().slice(0, 8)}`;

describe.each(ENGINES)("SES markers in the store on $name", (engine) => {
  let running: RunningEngine;
  let client: ReturnType<typeof createDynamoDbClient>;
  let store: SuppressionStore;

  const raw = async (tenant: string, address: string) =>
    (
      await toDocumentClient(running.client).send(
        new GetCommand({ TableName: TABLE, Key: sesMarkerKey(tenant, address), ConsistentRead: true }),
      )
    ).Item;

  beforeAll(async () => {
    running = await engine.start();
    await ensureTable(running.client, TABLE);
    client = createDynamoDbClient({ endpoint: running.endpoint, region: "us-east-1", maxAttempts: 1 });
    store = createStore({ client: toDocumentClient(client), tableName: TABLE, backoffBaseMs: 2 });
  });
  afterAll(async () => {
    client?.destroy();
    await running?.stop();
  });

  it("stores one item per (address, tenant) under SESM#<address> / T#<tenant>", async () => {
    // Arrange
    const tenant = freshTenant();
    const address = freshAddress();
    const markers = sesMarkers(store, () => AT);

    // Act
    await markers.put(tenant, address, "BOUNCE");
    const item = await raw(tenant, address);

    // Assert
    expect(sesMarkerKey(tenant, address)).toEqual({ pk: `SESM#${address}`, sk: `T#${tenant}` });
    expect(item).toEqual({
      pk: `SESM#${address}`,
      sk: `T#${tenant}`,
      kind: "ses-marker",
      tenant,
      address,
      reason: "BOUNCE",
      putAt: AT.toISOString(),
    });
  });

  it("rewrites the reason on a second put, and a repeated put leaves one marker", async () => {
    // Arrange
    const tenant = freshTenant();
    const address = freshAddress();
    const markers = sesMarkers(store);

    // Act
    await markers.put(tenant, address, "BOUNCE");
    await markers.put(tenant, address, "COMPLAINT");
    await markers.put(tenant, address, "COMPLAINT");
    const holders = await markers.holders(address);

    // Assert
    expect(holders).toEqual([{ tenant, reason: "COMPLAINT" }]);
  });

  it("lists every tenant holding an address, and only that address", async () => {
    // Arrange
    const [a, b, c] = [freshTenant(), freshTenant(), freshTenant()];
    const address = freshAddress();
    const other = freshAddress();
    const markers = sesMarkers(store);
    await markers.put(a, address, "BOUNCE");
    await markers.put(b, address, "COMPLAINT");
    await markers.put(c, other, "BOUNCE");

    // Act
    const holders = await markers.holders(address);
    const none = await markers.holders(freshAddress());

    // Assert
    expect([...holders].sort((x, y) => x.tenant.localeCompare(y.tenant))).toEqual(
      [
        { tenant: a, reason: "BOUNCE" },
        { tenant: b, reason: "COMPLAINT" },
      ].sort((x, y) => x.tenant.localeCompare(y.tenant)),
    );
    expect(none).toEqual([]);
  });

  it("removes one tenant's marker, says whether it was there, and leaves the others", async () => {
    // Arrange
    const [a, b] = [freshTenant(), freshTenant()];
    const address = freshAddress();
    const markers = sesMarkers(store);
    await markers.put(a, address, "BOUNCE");
    await markers.put(b, address, "BOUNCE");

    // Act
    const first = await markers.remove(a, address);
    const again = await markers.remove(a, address);
    const never = await markers.remove(freshTenant(), address);
    const holders = await markers.holders(address);

    // Assert
    expect([first, again, never]).toEqual([true, false, false]);
    expect(holders).toEqual([{ tenant: b, reason: "BOUNCE" }]);
    expect(await raw(a, address)).toBeUndefined();
  });

  it("escapes # and % in the address: an address cannot reach another's partition", async () => {
    // Arrange: `x#y@…` escaped is `x%23y@…`, which an address `x%23y@…` must not share
    const tenant = freshTenant();
    const salt = randomUUID().slice(0, 6);
    const tricky = `x#y-${salt}@example.org`;
    const lookalike = `x%23y-${salt}@example.org`;
    const markers = sesMarkers(store);

    // Act
    await markers.put(tenant, tricky, "COMPLAINT");
    const trickyHolders = await markers.holders(tricky);
    const lookalikeHolders = await markers.holders(lookalike);

    // Assert
    expect(sesMarkerKey(tenant, tricky).pk).toBe(`SESM#x%23y-${salt}@example.org`);
    expect(trickyHolders).toEqual([{ tenant, reason: "COMPLAINT" }]);
    expect(lookalikeHolders).toEqual([]);
  });

  it("fails with a StoreFaultError when the table does not exist", async () => {
    // Arrange
    const missing = sesMarkers(
      createStore({ client: toDocumentClient(client), tableName: `missing-${randomUUID().slice(0, 8)}` }),
    );

    // Act
    const results = await Promise.allSettled([
      missing.put("default", freshAddress(), "BOUNCE"),
      missing.remove("default", freshAddress()),
      missing.holders(freshAddress()),
    ]);

    // Assert
    for (const result of results) {
      expect(result.status).toBe("rejected");
      if (result.status === "rejected") expect(result.reason).toBeInstanceOf(StoreFaultError);
    }
  });
});
