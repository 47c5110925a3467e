import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStore, type SuppressionStore, toDocumentClient } from "../../lambdas/store/index.js";
import { ensureTable } from "../../lambdas/store/schema.js";
import { ENGINES, type RunningEngine } from "../support/engines.js";

describe.each(ENGINES)("webhook tokens (replay guard) on $name", (engine) => {
  let running: RunningEngine;
  let store: SuppressionStore;
  const now = Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    running = await engine.start();
    await ensureTable(running.client, "nonces");
    store = createStore({ client: toDocumentClient(running.client), tableName: "nonces" });
  });
  afterAll(async () => {
    await running?.stop();
  });

  it("refuses a token reused with another request", async () => {
    const token = randomUUID();
    expect(await store.claimNonce("default", "mailgun", token, "fp", now + 300, now)).toBe(true);
    expect(await store.claimNonce("default", "mailgun", token, "other", now + 300, now + 10)).toBe(false);
  });

  it("accepts the same request again (a retry) but not the token with another body", async () => {
    const token = randomUUID();
    expect(await store.claimNonce("default", "mailgun", token, "body-a", now + 300, now)).toBe(true);
    expect(await store.claimNonce("default", "mailgun", token, "body-a", now + 300, now + 5)).toBe(true);
    expect(await store.claimNonce("default", "mailgun", token, "body-b", now + 300, now + 6)).toBe(false);
  });

  it("keeps tokens apart by provider and tenant", async () => {
    const token = randomUUID();
    expect(await store.claimNonce("default", "mailgun", token, "fp", now + 300, now)).toBe(true);
    expect(await store.claimNonce("default", "sendcloud", token, "fp", now + 300, now)).toBe(true);
    expect(await store.claimNonce("other", "mailgun", token, "fp", now + 300, now)).toBe(true);
  });

  it("forgets a token once it expired, even before TTL deletion", async () => {
    const token = randomUUID();
    expect(await store.claimNonce("default", "mailgun", token, "fp", now + 60, now)).toBe(true);
    expect(await store.claimNonce("default", "mailgun", token, "fp", now + 500, now + 61)).toBe(true);
  });

  it("admits exactly one of concurrent claims with different requests", async () => {
    const token = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.claimNonce("default", "mailgun", token, `fp${i}`, now + 300, now),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
