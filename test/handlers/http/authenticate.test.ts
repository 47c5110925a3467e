/**
 * The store-backed authenticator (handlers/http/authenticate.ts) on both engines, through the real
 * SDK: the bootstrap key, stored keys and wrong secrets, the cache (a revoked key admitted until
 * `forget` or the cache lifetime, on an injected clock; its size bounded by `cacheEntries`), store
 * failures thrown rather than taken for refusals, and no store read for keys not shaped `ssk_…`.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Scope } from "../../../lambdas/core/access.js";
import {
  type AuthenticatorOptions,
  BOOTSTRAP_PRINCIPAL,
  createAuthenticator,
  KEY_CACHE_SECONDS,
} from "../../../lambdas/handlers/http/authenticate.js";
import { apiKeysStore } from "../../../lambdas/store/api-keys.js";
import {
  createDynamoDbClient,
  createStore,
  ensureTable,
  StoreUnavailableError,
  type SuppressionStore,
  toDocumentClient,
} from "../../../lambdas/store/index.js";
import { ENGINES, freeLoopbackPort, type RunningEngine } from "../../support/engines.js";

const TABLE = "authenticate-test";
const BOOTSTRAP = "bootstrap-key-for-the-authenticator-test";
const CREATOR = { keyId: "bootstrap", name: "bootstrap key" };

const freshTenant = (): string => `t-${randomUUID().slice(0, 8)}`;
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** `store` with a count of its calls (every API key read is one `within`). */
function counted(store: SuppressionStore): { store: SuppressionStore; reads: () => number } {
  let reads = 0;
  return {
    store: {
      ...store,
      within: (operation, body) => {
        reads++;
        return store.within(operation, body);
      },
    },
    reads: () => reads,
  };
}

describe.each(ENGINES)("the authenticator on a store on $name", (engine) => {
  let running: RunningEngine;
  let client: ReturnType<typeof createDynamoDbClient>;
  let store: SuppressionStore;

  /** A stored key: its string and id. */
  const makeKey = async (tenant = freshTenant(), scopes: Scope[] = ["check"], name = "ci") => {
    const { key, item } = await apiKeysStore(store).create(
      { tenant, name, scopes, createdBy: CREATOR },
      nowSeconds(),
    );
    return { key, id: item.keyId, tenant };
  };
  const authenticator = (options: Partial<AuthenticatorOptions> = {}) =>
    createAuthenticator({ bootstrapKey: () => BOOTSTRAP, store: () => store, ...options });

  beforeAll(async () => {
    running = await engine.start();
    await ensureTable(running.client, TABLE);
    client = createDynamoDbClient({ endpoint: running.endpoint, region: "us-east-1" });
    store = createStore({ client: toDocumentClient(client), tableName: TABLE });
  });
  afterAll(async () => {
    client?.destroy();
    await running?.stop();
  });

  it("answers BOOTSTRAP_PRINCIPAL for the bootstrap key, without a store read", async () => {
    // Prepare
    const probe = counted(store);
    const auth = authenticator({ store: () => probe.store });
    // Act
    const principal = await auth.authenticate(BOOTSTRAP);
    // Assert
    expect(principal).toBe(BOOTSTRAP_PRINCIPAL);
    expect(principal).toMatchObject({ tenant: "default", bootstrap: true });
    expect(await auth.hasBootstrapKey()).toBe(true);
    expect(probe.reads()).toBe(0);
  });

  it("answers a stored key's principal: its id, name, tenant and scopes", async () => {
    // Prepare
    const { key, id, tenant } = await makeKey(freshTenant(), ["check", "admin"], "pre-send");
    // Act
    const principal = await authenticator().authenticate(key);
    // Assert
    expect(principal).toEqual({
      keyId: id,
      name: "pre-send",
      tenant,
      scopes: ["check", "admin"],
      bootstrap: false,
    });
  });

  it("refuses a wrong secret with a right id", async () => {
    // Prepare
    const { key, id } = await makeKey();
    const wrong = `ssk_${id}_${"A".repeat(43)}`;
    const auth = authenticator();
    // Act & Assert
    expect(wrong).not.toBe(key);
    expect(await auth.authenticate(wrong)).toBeUndefined();
    // The refusal is remembered under the wrong key's hash, not the id: the right key still passes.
    expect(await auth.authenticate(key)).toMatchObject({ keyId: id });
  });

  it("refuses an id that was never made", async () => {
    expect(await authenticator().authenticate(`ssk_abcdefabcdef_${"x".repeat(43)}`)).toBeUndefined();
  });

  it("admits a revoked key from its cache until forget, then refuses it", async () => {
    // Prepare
    const { key, id, tenant } = await makeKey();
    const probe = counted(store);
    const auth = authenticator({ store: () => probe.store });
    expect(await auth.authenticate(key)).toMatchObject({ keyId: id });
    await apiKeysStore(store).revoke(tenant, id, CREATOR, nowSeconds());
    // Act & Assert
    expect(await auth.authenticate(key)).toMatchObject({ keyId: id });
    expect(probe.reads()).toBe(1);
    auth.forget(id);
    expect(await auth.authenticate(key)).toBeUndefined();
    expect(probe.reads()).toBe(2);
    // A fresh container never admits it.
    expect(await authenticator().authenticate(key)).toBeUndefined();
  });

  it("admits a revoked key from its cache until the cache lifetime has passed, then refuses it", async () => {
    // Prepare
    const { key, id, tenant } = await makeKey();
    let clock = Date.parse("2030-01-01T00:00:00Z");
    const probe = counted(store);
    const auth = authenticator({ store: () => probe.store, now: () => clock });
    expect(await auth.authenticate(key)).toMatchObject({ keyId: id });
    await apiKeysStore(store).revoke(tenant, id, CREATOR, nowSeconds());
    // Act & Assert
    clock += KEY_CACHE_SECONDS * 1000 - 1;
    expect(await auth.authenticate(key)).toMatchObject({ keyId: id });
    expect(probe.reads()).toBe(1);
    clock += 1;
    expect(await auth.authenticate(key)).toBeUndefined();
    expect(probe.reads()).toBe(2);
  });

  it("remembers a refusal for the cache lifetime too", async () => {
    // Prepare
    const { id } = await makeKey();
    const wrong = `ssk_${id}_${"B".repeat(43)}`;
    let clock = 0;
    const probe = counted(store);
    const auth = authenticator({ store: () => probe.store, now: () => clock, cacheSeconds: 5 });
    // Act
    await auth.authenticate(wrong);
    await auth.authenticate(wrong);
    clock += 5000;
    await auth.authenticate(wrong);
    // Assert
    expect(probe.reads()).toBe(2);
  });

  it("never remembers more than cacheEntries keys: the oldest is dropped first", async () => {
    // Prepare
    const made = await Promise.all([makeKey(), makeKey(), makeKey()]);
    const [first, second, third] = made.map((m) => m.key) as [string, string, string];
    const probe = counted(store);
    const auth = authenticator({ store: () => probe.store, cacheEntries: 2 });
    for (const key of [first, second, third]) await auth.authenticate(key);
    expect(probe.reads()).toBe(3);
    // Act & Assert: the two newest are remembered, the first was dropped.
    await auth.authenticate(second);
    await auth.authenticate(third);
    expect(probe.reads()).toBe(3);
    await auth.authenticate(first);
    expect(probe.reads()).toBe(4);
  });

  it("keeps a flood of wrong keys within cacheEntries", async () => {
    // Prepare
    const { key } = await makeKey();
    const probe = counted(store);
    const auth = authenticator({ store: () => probe.store, cacheEntries: 3 });
    await auth.authenticate(key);
    // Act
    for (let i = 0; i < 5; i++) {
      await auth.authenticate(`ssk_${i.toString(16).padStart(12, "0")}_${"C".repeat(43)}`);
    }
    await auth.authenticate(key);
    // Assert: the good key was pushed out by the wrong ones and read again.
    expect(probe.reads()).toBe(7);
  });

  it("throws a store failure instead of refusing, and remembers nothing of it", async () => {
    // Prepare: a store at a port nobody listens on, then the real one.
    const port = await freeLoopbackPort();
    const deadClient = createDynamoDbClient({ endpoint: `http://127.0.0.1:${port}`, maxAttempts: 1 });
    const dead = createStore({ client: toDocumentClient(deadClient), tableName: TABLE });
    const { key, id } = await makeKey();
    let current = dead;
    const auth = authenticator({ store: () => current });
    try {
      // Act & Assert
      await expect(auth.authenticate(key)).rejects.toBeInstanceOf(StoreUnavailableError);
      current = store;
      expect(await auth.authenticate(key)).toMatchObject({ keyId: id });
    } finally {
      deadClient.destroy();
    }
  });

  it.each([
    ["a word", "hunter2"],
    ["a prefix only", "ssk_"],
    ["an id too short", `ssk_0123_${"A".repeat(43)}`],
    ["an upper-case id", `ssk_0123456789AB_${"A".repeat(43)}`],
    ["a secret too short", "ssk_0123456789ab_short"],
    ["a secret with other characters", `ssk_0123456789ab_${"+".repeat(43)}`],
    ["the bootstrap key with a space", `${BOOTSTRAP} `],
  ])("refuses %s without a store read", async (_name, presented) => {
    // Prepare: a store that fails the test if it is asked.
    const auth = authenticator({
      store: () => {
        throw new Error("the store must not be asked");
      },
    });
    // Act & Assert
    expect(await auth.authenticate(presented)).toBeUndefined();
  });

  it("without a bootstrap key, admits stored keys and says none is configured", async () => {
    // Prepare
    const { key, id } = await makeKey();
    const auth = authenticator({ bootstrapKey: () => undefined });
    // Act & Assert
    expect(await auth.hasBootstrapKey()).toBe(false);
    expect(await auth.authenticate(key)).toMatchObject({ keyId: id });
    expect(await auth.authenticate("")).toBeUndefined();
  });
});
