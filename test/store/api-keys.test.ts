/**
 * API keys in the store (store/api-keys.ts) on both engines, through the real SDK: what `create`
 * stores (a hash, never the key), `keyMatches`, a tenant's list (newest first, its own keys only,
 * revoked ones included, pointers without a key skipped), and `revoke` (confined to the tenant,
 * idempotent).
 */
import { randomUUID } from "node:crypto";
import { DeleteCommand, GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor, Scope } from "../../lambdas/core/access.js";
import {
  type ApiKeysStore,
  apiKeysStore,
  hashKey,
  KEY_ID_PATTERN,
  keyIdOf,
  keyMatches,
} from "../../lambdas/store/api-keys.js";
import { createDynamoDbClient, toDocumentClient } from "../../lambdas/store/client.js";
import { ensureTable } from "../../lambdas/store/schema.js";
import { createStore } from "../../lambdas/store/store.js";
import { ENGINES, type RunningEngine } from "../support/engines.js";
import { iso, nowSeconds } from "./helpers.js";

const TABLE = "api-keys-test";
const CREATOR: Actor = { keyId: "bootstrap", name: "bootstrap key" };
const REVOKER: Actor = { keyId: "0123456789ab", name: "ops console" };

/** A tenant no other test of the run uses: each test has a list of its own. */
const freshTenant = (): string => `t-${randomUUID().slice(0, 8)}`;

/** `key` with one character of its secret changed (still shaped like a key). */
function oneCharChanged(key: string): string {
  const last = key.at(-1);
  return `${key.slice(0, -1)}${last === "A" ? "B" : "A"}`;
}

describe.each(ENGINES)("API keys in the store on $name", (engine) => {
  let running: RunningEngine;
  let client: ReturnType<typeof createDynamoDbClient>;
  let keys: ApiKeysStore;

  const doc = () => toDocumentClient(running.client);
  const create = (tenant: string, name: string, now = nowSeconds(), scopes: Scope[] = ["check"]) =>
    keys.create({ tenant, name, scopes, createdBy: CREATOR }, now);

  beforeAll(async () => {
    running = await engine.start();
    await ensureTable(running.client, TABLE);
    client = createDynamoDbClient({ endpoint: running.endpoint, region: "us-east-1" });
    keys = apiKeysStore(createStore({ client: toDocumentClient(client), tableName: TABLE }));
  });
  afterAll(async () => {
    client?.destroy();
    await running?.stop();
  });

  describe("create and find", () => {
    it("stores the record with the key's hash, never the key, and find returns it", async () => {
      // Prepare
      const tenant = freshTenant();
      const now = nowSeconds();
      // Act
      const { item, key } = await create(tenant, "ci pipeline", now, ["check", "admin"]);
      const found = await keys.find(item.keyId);
      // Assert
      expect(key).toMatch(/^ssk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
      expect(keyIdOf(key)).toBe(item.keyId);
      expect(item.keyId).toMatch(KEY_ID_PATTERN);
      expect(found).toEqual(item);
      expect(found).toMatchObject({
        pk: `K#${item.keyId}`,
        sk: "K",
        kind: "apikey",
        tenant,
        name: "ci pipeline",
        scopes: ["check", "admin"],
        createdAt: iso(now),
        createdBy: CREATOR,
      });
      expect(found?.hash).toBe(hashKey(key));
      expect(found?.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(found?.hash).not.toBe(key);
      expect(found).not.toHaveProperty("revokedAt");
      // The key appears in no stored attribute, of the record or of the tenant's pointer.
      const stored = await doc().send(
        new GetCommand({ TableName: TABLE, Key: { pk: `K#${item.keyId}`, sk: "K" }, ConsistentRead: true }),
      );
      // The secret is everything after `ssk_<id>_` (it may itself hold `_`).
      expect(JSON.stringify(stored.Item)).not.toContain(key.slice("ssk_".length + 13));
    });

    it("matches the key it was made from, and not a key one character away", async () => {
      // Prepare
      const { item, key } = await create(freshTenant(), "matcher");
      const found = await keys.find(item.keyId);
      if (found === undefined) throw new Error("the key was not stored");
      const changed = oneCharChanged(key);
      // Act & Assert
      expect(keyMatches(found, key)).toBe(true);
      expect(keyIdOf(changed)).toBe(item.keyId);
      expect(keyMatches(found, changed)).toBe(false);
      expect(keyMatches(found, "")).toBe(false);
    });

    it("finds nothing for an id that was never made", async () => {
      expect(await keys.find("ffffffffffff")).toBeUndefined();
    });

    it("makes a different id and secret each time", async () => {
      // Prepare
      const tenant = freshTenant();
      // Act
      const made = await Promise.all(Array.from({ length: 8 }, (_, i) => create(tenant, `k${i}`)));
      // Assert
      expect(new Set(made.map((m) => m.item.keyId)).size).toBe(8);
      expect(new Set(made.map((m) => m.key.slice("ssk_".length + 13))).size).toBe(8);
    });
  });

  describe("list", () => {
    it("lists the tenant's keys newest first, and another tenant's never", async () => {
      // Prepare
      const a = freshTenant();
      const b = freshTenant();
      const t0 = nowSeconds() - 100;
      const oldest = await create(a, "oldest", t0);
      const newest = await create(a, "newest", t0 + 20);
      const middle = await create(a, "middle", t0 + 10);
      const ofB = await create(b, "of b", t0 + 30);
      // Act
      const listA = await keys.list(a);
      const listB = await keys.list(b);
      // Assert
      expect(listA.map((k) => k.name)).toEqual(["newest", "middle", "oldest"]);
      expect(listA.map((k) => k.keyId)).toEqual([newest.item.keyId, middle.item.keyId, oldest.item.keyId]);
      expect(listA.every((k) => k.tenant === a)).toBe(true);
      expect(listA.map((k) => k.keyId)).not.toContain(ofB.item.keyId);
      expect(listB.map((k) => k.keyId)).toEqual([ofB.item.keyId]);
      expect(await keys.list(freshTenant())).toEqual([]);
    });

    it("includes revoked keys, with revokedAt and revokedBy", async () => {
      // Prepare
      const tenant = freshTenant();
      const now = nowSeconds();
      const live = await create(tenant, "live", now - 10);
      const gone = await create(tenant, "gone", now - 20);
      // Act
      await keys.revoke(tenant, gone.item.keyId, REVOKER, now);
      const listed = await keys.list(tenant);
      // Assert
      expect(listed).toHaveLength(2);
      expect(listed[0]).toMatchObject({ keyId: live.item.keyId });
      expect(listed[0]).not.toHaveProperty("revokedAt");
      expect(listed[1]).toMatchObject({ keyId: gone.item.keyId, revokedAt: iso(now), revokedBy: REVOKER });
    });

    it("skips a pointer whose key item is missing (a create that failed halfway)", async () => {
      // Prepare
      const tenant = freshTenant();
      const kept = await create(tenant, "kept");
      const lost = await create(tenant, "lost");
      await doc().send(new DeleteCommand({ TableName: TABLE, Key: { pk: `K#${lost.item.keyId}`, sk: "K" } }));
      // Act
      const listed = await keys.list(tenant);
      // Assert
      expect(listed.map((k) => k.keyId)).toEqual([kept.item.keyId]);
    });
  });

  describe("revoke", () => {
    it("revokes the tenant's key: find shows revokedAt and revokedBy, the hash stays", async () => {
      // Prepare
      const tenant = freshTenant();
      const now = nowSeconds();
      const { item } = await create(tenant, "to revoke", now - 60);
      // Act
      const revoked = await keys.revoke(tenant, item.keyId, REVOKER, now);
      // Assert
      expect(revoked).toMatchObject({ keyId: item.keyId, tenant, revokedAt: iso(now), revokedBy: REVOKER });
      expect(revoked?.hash).toBe(item.hash);
      expect(await keys.find(item.keyId)).toEqual(revoked);
    });

    it("does not revoke another tenant's key: undefined, and the key stays live", async () => {
      // Prepare
      const owner = freshTenant();
      const { item } = await create(owner, "not yours");
      // Act
      const answer = await keys.revoke(freshTenant(), item.keyId, REVOKER, nowSeconds());
      // Assert
      expect(answer).toBeUndefined();
      const found = await keys.find(item.keyId);
      expect(found).toEqual(item);
      expect(found).not.toHaveProperty("revokedAt");
    });

    it("answers undefined for an id that was never made", async () => {
      expect(await keys.revoke(freshTenant(), "eeeeeeeeeeee", REVOKER, nowSeconds())).toBeUndefined();
    });

    it("is idempotent: a second revoke keeps the first revokedAt and revokedBy", async () => {
      // Prepare
      const tenant = freshTenant();
      const now = nowSeconds();
      const { item } = await create(tenant, "twice", now - 60);
      const first = await keys.revoke(tenant, item.keyId, REVOKER, now);
      // Act
      const second = await keys.revoke(tenant, item.keyId, CREATOR, now + 3600);
      // Assert
      expect(second).toEqual(first);
      expect(second).toMatchObject({ revokedAt: iso(now), revokedBy: REVOKER });
    });
  });
});
