import { randomBytes, randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedDynamoDb } from "../../lambdas/local/embedded-dynamodb.js";
import { type LocalServer, LocalServerStartError, startLocalServer } from "../../lambdas/local/server.js";
import { INGEST_WRITE_CONCURRENCY } from "../../lambdas/store/index.js";
import { mailgunFixture, newSigningKey, signMailgun } from "../fixtures/mailgun/support.js";
import { type FaultyProxy, startFaultyProxy } from "../support/faulty-proxy.js";
import { runTsx } from "../support/run-tsx.js";
import { type Json, sesFixture } from "../support/ses-fixtures.js";
import { call, useLocalServer } from "./http-helpers.js";

const KEY = "test-key-store-stall";
const PM_USER = `pm-${randomBytes(4).toString("hex")}`;
const PM_PASSWORD = randomBytes(18).toString("base64url");
const MAILGUN_KEY = newSigningKey();
const _SERVER = fileURLToPath(new URL("../../lambdas/local/server.ts", import.meta.url));
const _REPO = fileURLToPath(new URL("../../", import.meta.url));

/** Store limits small enough for a test: 2 attempts of 100 ms, 1 s per store call. */
const SMALL_LIMITS = { storeAttemptTimeoutMs: 100, storeMaxAttempts: 2, storeCallBudgetMs: 1_000 } as const;

const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();

/** An SES permanent bounce (AWS's example) with its own ids, timestamps an hour ago. */
function sesBounce(salt = randomBytes(4).toString("hex")): Json {
  const text = JSON.stringify(sesFixture("bounce-permanent-general"))
    .replace(/"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"/g, `"${hourAgo()}"`)
    .replaceAll("-000000", `-${salt}`);
  return JSON.parse(text) as Json;
}

/** A Postmark hard bounce with its own ID and recipient. */
function postmarkBounce(): Json {
  const path = new URL("../fixtures/postmark/bounce-hard.json", import.meta.url);
  const record = JSON.parse(readFileSync(path, "utf8")) as Json;
  return {
    ...record,
    ID: randomInt(1, 2 ** 47),
    Email: `stall-${randomBytes(4).toString("hex")}@example.com`,
    BouncedAt: hourAgo(),
  };
}

/** A signed Mailgun complaint (its replay token is the first thing stored). */
function mailgunComplaint(): Json {
  const body = mailgunFixture("complained");
  body["event-data"].id = `stall-${randomBytes(6).toString("hex")}`;
  return signMailgun(body, MAILGUN_KEY) as unknown as Json;
}

type Raw = { status: number; type: string; retryAfter: string | null; body: Json };

async function send(server: LocalServer, method: string, path: string, headers: Json, body?: Json) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(headers as Record<string, string>),
      ...(body ? { "content-type": "application/json" } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    retryAfter: res.headers.get("retry-after"),
    body: text ? (JSON.parse(text) as Json) : {},
  } satisfies Raw;
}

describe("the local server over a stalled store", () => {
  let db: Awaited<ReturnType<typeof startEmbeddedDynamoDb>>;
  let proxy: FaultyProxy;
  let server: LocalServer;

  beforeAll(async () => {
    db = await startEmbeddedDynamoDb();
    proxy = await startFaultyProxy(db.endpoint);
    server = await startLocalServer({
      port: 0,
      apiKey: KEY,
      logLevel: "SILENT",
      dynamodbEndpoint: proxy.endpoint,
      secrets: {
        POSTMARK_WEBHOOK_USER: PM_USER,
        POSTMARK_WEBHOOK_PASSWORD: PM_PASSWORD,
        MAILGUN_SIGNING_KEY: MAILGUN_KEY,
      },
      ...SMALL_LIMITS,
    });
    proxy.fail("stall"); // the table exists; from now on nothing answers
  });
  afterAll(async () => {
    await server?.close();
    await proxy?.stop();
    await db?.stop();
  });

  const bearer = { authorization: `Bearer ${KEY}` };
  const basic = { authorization: `Basic ${Buffer.from(`${PM_USER}:${PM_PASSWORD}`).toString("base64")}` };

  it.each<[string, string, string, Json, () => Json | undefined]>([
    ["POST /v1/check", "POST", "/v1/check", bearer, () => ({ addresses: ["jdoe@example.org"] })],
    ["GET /v1/suppressions/{address}", "GET", "/v1/suppressions/jdoe%40example.org", bearer, () => undefined],
    ["POST /v1/import/ses", "POST", "/v1/import/ses", bearer, () => sesBounce()],
    ["POST /webhooks/postmark (basic auth)", "POST", "/webhooks/postmark", basic, postmarkBounce],
    [
      "POST /webhooks/mailgun (signed; replay token first)",
      "POST",
      "/webhooks/mailgun",
      {},
      mailgunComplaint,
    ],
  ])("%s answers 503 problem+json with Retry-After", async (_name, method, path, headers, body) => {
    // Prepare
    const before = proxy.stalled;
    // Act
    const answer = await send(server, method, path, headers, body());
    // Assess
    expect(answer.status).toBe(503);
    expect(answer.type).toMatch(/^application\/problem\+json/);
    expect(answer.retryAfter).toBe("1");
    expect(answer.body).toMatchObject({ status: 503, type: expect.stringMatching(/store-unavailable$/) });
    expect(proxy.stalled).toBeGreaterThan(before); // the store was reached, and did not answer
  });

  it("a large batch stops at the first failed writes: one store budget, not one per event", async () => {
    // Prepare: 200 SendGrid bounces in one import; without stopping, each would wait out its budget.
    const events = Array.from({ length: 200 }, (_, i) => ({
      email: `batch-${i}-${randomBytes(3).toString("hex")}@example.org`,
      event: "bounce",
      type: "bounce",
      status: "5.1.1",
      reason: "550 5.1.1 user unknown",
      timestamp: Math.floor(Date.now() / 1000) - 60,
      sg_event_id: `stall-batch-${i}-${randomBytes(4).toString("hex")}`,
    }));
    const before = proxy.stalled;
    // Act
    const answer = await fetch(`${server.url}/v1/import/sendgrid`, {
      method: "POST",
      headers: { ...bearer, "content-type": "application/json" },
      body: JSON.stringify(events),
    });
    await answer.body?.cancel();
    // Assess: only the events in flight when the first write failed reached the store.
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("1");
    const reached = proxy.stalled - before;
    expect(reached).toBeGreaterThan(0);
    expect(reached).toBeLessThanOrEqual(INGEST_WRITE_CONCURRENCY * SMALL_LIMITS.storeMaxAttempts);
  });
});

describe("start-up over a stalled store", () => {
  let proxy: FaultyProxy;

  beforeAll(async () => {
    proxy = await startFaultyProxy("http://127.0.0.1:9");
    proxy.fail("stall");
  });
  afterAll(async () => {
    await proxy?.stop();
  });

  it("startLocalServer rejects with one clear line naming the store and the wait", async () => {
    // Act
    const err = await startLocalServer({
      port: 0,
      apiKey: KEY,
      logLevel: "SILENT",
      dynamodbEndpoint: proxy.endpoint,
      startupTimeoutMs: 300,
      storeAttemptTimeoutMs: 100,
    }).catch((e: unknown) => e);
    // Assess
    expect(err).toBeInstanceOf(LocalServerStartError);
    expect((err as Error).message).toBe(`the store at ${proxy.endpoint} did not answer within 0.3 s`);
  });

  it("`npm start` prints that line and exits non-zero", async () => {
    // Act: the server's CLI, as `npm start` runs it (tsx), pointed at the stalled store
    const run = await runTsx("lambdas/local/server.ts", [], {
      env: {
        PORT: "0",
        DYNAMODB_ENDPOINT: proxy.endpoint,
        STORE_STARTUP_TIMEOUT_MS: "300",
        STORE_ATTEMPT_TIMEOUT_MS: "100",
        POWERTOOLS_LOG_LEVEL: "SILENT",
      },
    });
    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trimEnd().split("\n")).toEqual([
      `suppression-service could not start: the store at ${proxy.endpoint} did not answer within 0.3 s`,
    ]);
  }, 30_000);
});

describe("copies of one import sent at once", () => {
  const running = useLocalServer(KEY);

  it("are accepted once in total, in every trial", async () => {
    for (let trial = 0; trial < 5; trial++) {
      // Prepare: one SES bounce (one recipient, one event), five identical requests
      const body = sesBounce();
      // Act
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => call(running().url, "POST", "/v1/import/ses", { key: KEY, body })),
      );
      // Assess
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      const accepted = answers.reduce((n, a) => n + Number(a.body.accepted), 0);
      const duplicates = answers.reduce((n, a) => n + Number(a.body.duplicates), 0);
      expect({ trial, accepted, duplicates }).toEqual({ trial, accepted: 1, duplicates: 4 });
    }
  });
});
