/**
 * A store that accepts connections and never answers (the faulty proxy's "stall" mode), met through
 * the real SDK: every store call must end with a transient `StoreUnavailableError`, whichever limit
 * ends it (the per-attempt timeout, or the call's budget). Small limits keep it fast; nothing here
 * measures time: that the calls end at all, before the test's own timeout, is the proof.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  INGEST_WRITE_CONCURRENCY,
  SEQUENTIAL_STORE_CALLS_PER_REQUEST,
  SES_MAX_RECIPIENTS,
  STORE_TIMEOUTS,
} from "../../lambdas/store/budget.js";
import { createDynamoDbClient, toDocumentClient } from "../../lambdas/store/client.js";
import { StoreTimeoutError, StoreUnavailableError } from "../../lambdas/store/errors.js";
import { ensureTable } from "../../lambdas/store/schema.js";
import { createStore, type SuppressionStore } from "../../lambdas/store/store.js";
import { FUNCTION_SPECS, SES_EVENTS_FUNCTION } from "../../lib/functions.js";
import { type FaultyProxy, startFaultyProxy } from "../support/faulty-proxy.js";
import { decisionFor, events, freshAddress, nowSeconds } from "./helpers.js";

const TABLE = "stall-test";

describe("a stalled store", () => {
  let proxy: FaultyProxy;
  const clients: ReturnType<typeof createDynamoDbClient>[] = [];

  /** A store through the stalling proxy with small limits. */
  function stalledStore(limits: { attemptMs: number; attempts: number; budgetMs: number }): SuppressionStore {
    const client = createDynamoDbClient({
      endpoint: proxy.endpoint,
      region: "us-east-1",
      maxAttempts: limits.attempts,
      connectionTimeoutMs: limits.attemptMs,
      requestTimeoutMs: limits.attemptMs,
    });
    clients.push(client);
    return createStore({
      client: toDocumentClient(client),
      tableName: TABLE,
      backoffBaseMs: 5,
      callBudgetMs: limits.budgetMs,
    });
  }

  /** Every store call, each of which must fail. */
  async function everyCall(store: SuppressionStore): Promise<unknown[]> {
    const event = events.userUnknown(freshAddress(), nowSeconds() - 60);
    const now = nowSeconds();
    return await Promise.all([
      store.recordEvent(event, decisionFor(event)).catch((e: unknown) => e),
      store.checkAddresses("default", [event.recipient]).catch((e: unknown) => e),
      store.getAddress("default", event.recipient).catch((e: unknown) => e),
      store.claimNonce("default", "mailgun", "token", "fp", now + 300, now).catch((e: unknown) => e),
    ]);
  }

  beforeAll(async () => {
    // Nothing is ever forwarded: the upstream does not matter.
    proxy = await startFaultyProxy("http://127.0.0.1:9");
    proxy.fail("stall");
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await proxy.stop();
  });

  it("fails every call with StoreUnavailableError once the attempts time out (budget not reached)", async () => {
    // Prepare: 2 attempts of 50 ms, far inside a budget the test never reaches
    const store = stalledStore({ attemptMs: 50, attempts: 2, budgetMs: 60_000 });
    const before = proxy.stalled;
    // Act
    const errors = await everyCall(store);
    // Assess
    for (const err of errors) {
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect(err).not.toBeInstanceOf(StoreTimeoutError);
      expect(String((err as Error).message)).toMatch(/TimeoutError|timeout/i);
    }
    expect(proxy.stalled - before).toBeGreaterThanOrEqual(2 * errors.length); // each attempt reached it
  });

  it("fails every call with StoreTimeoutError when the call's budget ends it first", async () => {
    // Prepare: attempts that would wait a minute, a budget of 200 ms
    const store = stalledStore({ attemptMs: 60_000, attempts: 3, budgetMs: 200 });
    // Act
    const errors = await everyCall(store);
    // Assess
    for (const err of errors) {
      expect(err).toBeInstanceOf(StoreTimeoutError);
      expect(err).toBeInstanceOf(StoreUnavailableError); // transient: 503, a failed batch item
      expect((err as Error).message).toMatch(/within the 200 ms budget/);
      expect((err as Error).cause).toBeDefined();
    }
  });

  it("ensureTable gives up with StoreUnavailableError when its signal aborts", async () => {
    // Prepare
    const client = createDynamoDbClient({ endpoint: proxy.endpoint, region: "us-east-1" });
    clients.push(client);
    // Act
    const err = await ensureTable(client, TABLE, { abortSignal: AbortSignal.timeout(100) }).catch(
      (e: unknown) => e,
    );
    // Assess
    expect(err).toBeInstanceOf(StoreUnavailableError);
  });
});

describe("the deployed store limits", () => {
  it("fit the SDK's attempts, their backoff and the call budget together", () => {
    // The SDK's standard backoff before retry i (1-based) is at most 100 ms · 2^(i-1) (not throttled).
    const backoff = Array.from({ length: STORE_TIMEOUTS.maxAttempts - 1 }, (_, i) => 100 * 2 ** i).reduce(
      (a, b) => a + b,
      0,
    );
    const attempts = STORE_TIMEOUTS.maxAttempts * STORE_TIMEOUTS.attemptTimeoutMs + backoff;
    expect(STORE_TIMEOUTS.connectionTimeoutMs).toBeLessThanOrEqual(STORE_TIMEOUTS.attemptTimeoutMs);
    expect(attempts).toBeLessThanOrEqual(STORE_TIMEOUTS.callBudgetMs);
  });

  it("leave every function that uses the table time to answer before Lambda ends it", () => {
    for (const [name, spec] of Object.entries(FUNCTION_SPECS)) {
      if (spec.table === "none") continue;
      const timeoutMs = (spec.timeout?.toSeconds() ?? 10) * 1000;
      const storeMs =
        name === SES_EVENTS_FUNCTION
          ? Math.ceil(SES_MAX_RECIPIENTS / INGEST_WRITE_CONCURRENCY) * STORE_TIMEOUTS.callBudgetMs
          : SEQUENTIAL_STORE_CALLS_PER_REQUEST * STORE_TIMEOUTS.callBudgetMs;
      expect(storeMs, name).toBeLessThan(timeoutMs);
    }
  });
});
