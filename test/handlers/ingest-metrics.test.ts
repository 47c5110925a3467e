/**
 * The ingest routes' CloudWatch metrics (lambdas/handlers/metrics.ts): per request, the counts of
 * what was ingested, or one refusal, with the route and the provider as dimensions. The handlers run
 * on the embedded store; Powertools Metrics is real, with printing disabled and its calls observed.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_POLICY } from "../../lambdas/core/policy/index.js";
import { createAuthenticator } from "../../lambdas/handlers/http/authenticate.js";
import type { HttpHandler } from "../../lambdas/handlers/http/route.js";
import { createImportHandler } from "../../lambdas/handlers/import.js";
import { INGEST_METRICS } from "../../lambdas/handlers/metrics.js";
import type { RuntimeDeps } from "../../lambdas/handlers/runtime.js";
import { createWebhookHandler } from "../../lambdas/handlers/webhook.js";
import { type EmbeddedDynamoDb, startEmbeddedDynamoDb } from "../../lambdas/local/embedded-dynamodb.js";
import {
  createDynamoDbClient,
  createStore,
  ensureTable,
  toDocumentClient,
} from "../../lambdas/store/index.js";

const KEY = "test-key-ingest-metrics";
const TABLE = "ingest-metrics";

const context = {
  functionName: "test",
  awsRequestId: "r",
  getRemainingTimeInMillis: () => 28_000,
} as Context;

function post(
  path: string,
  routeKey: string,
  provider: string,
  body: string,
  headers: Record<string, string>,
) {
  const [rawPath, rawQueryString = ""] = path.split("?");
  const query = Object.fromEntries(new URLSearchParams(rawQueryString));
  return {
    version: "2.0",
    routeKey,
    rawPath,
    rawQueryString,
    headers: { "content-type": "application/json", ...headers },
    ...(rawQueryString ? { queryStringParameters: query } : {}),
    pathParameters: { provider },
    requestContext: {
      http: { method: "POST", path: rawPath, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "test" },
      requestId: randomUUID(),
      routeKey,
      stage: "$default",
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body,
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

function bounces(n: number): string {
  const run = randomBytes(4).toString("hex");
  return JSON.stringify(
    Array.from({ length: n }, (_, i) => ({
      email: `m${i}.${run}@example.org`,
      event: "bounce",
      type: "bounce",
      status: "5.1.1",
      reason: "550 5.1.1 user unknown",
      timestamp: Math.floor(Date.now() / 1000) - 60,
      sg_event_id: `metrics-${run}-${i}`,
    })),
  );
}

describe("ingest metrics", () => {
  let db: EmbeddedDynamoDb;
  let deps: RuntimeDeps;
  let metrics: Metrics;

  beforeAll(async () => {
    db = await startEmbeddedDynamoDb();
    const client = createDynamoDbClient({ endpoint: db.endpoint });
    await ensureTable(client, TABLE);
    const store = createStore({ client: toDocumentClient(client), tableName: TABLE });
    deps = {
      logger: new Logger({ serviceName: "ingest-metrics-test", logLevel: "SILENT" }),
      store: () => store,
      policy: () => DEFAULT_POLICY,
      auth: createAuthenticator({ bootstrapKey: () => KEY, store: () => store }),
      secrets: async () => (name) =>
        ({ POSTMARK_WEBHOOK_USER: "u", POSTMARK_WEBHOOK_PASSWORD: "p" })[name as "POSTMARK_WEBHOOK_USER"],
      tenant: "default",
      now: () => new Date(),
    };
    vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "true"); // counted, not printed
    metrics = new Metrics({ namespace: "Test", serviceName: "ingest-metrics-test" });
    vi.unstubAllEnvs();
  });
  afterAll(async () => {
    await db?.stop();
  });

  /** Runs one request and returns the metrics and dimensions it added. */
  async function observe(handler: HttpHandler, event: APIGatewayProxyEventV2) {
    const added = vi.spyOn(metrics, "addMetric");
    const dimensions = vi.spyOn(metrics, "addDimensions");
    try {
      const answer = await handler(event, context);
      return {
        status: answer.statusCode,
        counts: Object.fromEntries(added.mock.calls.map(([name, , value]) => [name, value])),
        dimensions: dimensions.mock.calls.map(([d]) => d),
      };
    } finally {
      added.mockRestore();
      dimensions.mockRestore();
    }
  }

  const importing = () => createImportHandler(deps, { metrics });
  const importEvent = (body: string, provider = "sendgrid", key = KEY, query = "") =>
    post(`/v1/import/${provider}${query}`, "POST /v1/import/{provider}", provider, body, {
      authorization: `Bearer ${key}`,
    });

  it("counts accepted events, then the same events as duplicates, per route and provider", async () => {
    const handler = importing();
    const body = bounces(3);
    const first = await observe(handler, importEvent(body));
    const again = await observe(handler, importEvent(body));
    expect(first.status).toBe(200);
    expect(first.dimensions).toEqual([{ route: "import", provider: "sendgrid" }]);
    expect(first.counts).toEqual({
      [INGEST_METRICS.accepted]: 3,
      [INGEST_METRICS.duplicates]: 0,
      [INGEST_METRICS.ignored]: 0,
      [INGEST_METRICS.refused]: 0,
    });
    expect(again.counts).toMatchObject({ [INGEST_METRICS.accepted]: 0, [INGEST_METRICS.duplicates]: 3 });
  });

  it("counts a refusal at any step: a wrong key, an unknown provider (as `unknown`), a bad body", async () => {
    const handler = importing();
    const refusedOnce = {
      [INGEST_METRICS.accepted]: 0,
      [INGEST_METRICS.duplicates]: 0,
      [INGEST_METRICS.ignored]: 0,
      [INGEST_METRICS.refused]: 1,
    };
    const wrongKey = await observe(handler, importEvent(bounces(1), "sendgrid", "wrong"));
    const unknown = await observe(handler, importEvent(bounces(1), "evil-provider-name"));
    const badBody = await observe(handler, importEvent("{not json"));
    expect([wrongKey.status, unknown.status, badBody.status]).toEqual([401, 404, 400]);
    for (const seen of [wrongKey, unknown, badBody]) expect(seen.counts).toEqual(refusedOnce);
    expect(unknown.dimensions).toEqual([{ route: "import", provider: "unknown" }]);
  });

  it("records nothing for a dry run, which stores nothing", async () => {
    const seen = await observe(importing(), importEvent(bounces(2), "sendgrid", KEY, "?dryRun=true"));
    expect(seen.status).toBe(200);
    expect(seen.counts).toEqual({});
  });

  it("counts a webhook refused for its credentials under the webhook route", async () => {
    const handler = createWebhookHandler(deps, { metrics });
    const event = post("/webhooks/postmark", "POST /webhooks/{provider}", "postmark", "{}", {
      authorization: `Basic ${Buffer.from("u:wrong").toString("base64")}`,
    });
    const seen = await observe(handler, event);
    expect(seen.status).toBe(403);
    expect(seen.dimensions).toEqual([{ route: "webhook", provider: "postmark" }]);
    expect(seen.counts).toMatchObject({ [INGEST_METRICS.refused]: 1 });
  });
});
