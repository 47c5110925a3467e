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

  it("accepts a token once and refuses its reuse", async () => {
    const token = randomUUID();
    expect(await store.claimNonce("default", "mailgun", token, now + 300, now)).toBe(true);
    expect(await store.claimNonce("default", "mailgun", token, now + 300, now + 10)).toBe(false);
  });

  it("keeps tokens apart by provider and tenant", async () => {
    const token = randomUUID();
    expect(await store.claimNonce("default", "mailgun", token, now + 300, now)).toBe(true);
    expect(await store.claimNonce("default", "sendcloud", token, now + 300, now)).toBe(true);
    expect(await store.claimNonce("other", "mailgun", token, now + 300, now)).toBe(true);
  });

  it("forgets a token once it expired, even before TTL deletion", async () => {
    const token = randomUUID();
    expect(await store.claimNonce("default", "mailgun", token, now + 60, now)).toBe(true);
    expect(await store.claimNonce("default", "mailgun", token, now + 500, now + 61)).toBe(true);
  });

  it("admits exactly one of concurrent claims", async () => {
    const token = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => store.claimNonce("default", "mailgun", token, now + 300, now)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
