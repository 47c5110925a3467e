/**
 * SendCloud retries a webhook not answered within 3 s (docs/providers/sendcloud.md §6). Its largest requests are
 * `request` events fanned out to many recipients, so this measures the real webhook handler on a
 * signed 100-recipient `request`, each run with new recipients (no duplicates to short-cut).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { DEFAULT_POLICY } from "../lambdas/core/policy/index.js";
import { createAuthenticator } from "../lambdas/handlers/http/authenticate.js";
import { createWebhookHandler } from "../lambdas/handlers/webhook.js";
import { FORM, signSendCloud, toForm } from "../test/fixtures/sendcloud/support.js";
import { benchClient, startTable, storeOn, TENANT } from "./dynamo.js";
import { atMost, type Figures } from "./report.js";
import { p50, p95, timeAsync } from "./stats.js";

const APP_KEY = randomBytes(16).toString("hex");
const RECIPIENTS = 100;
/** SendCloud's own deadline. */
const BUDGET_MS = 3_000;

function requestEvent(): APIGatewayProxyEventV2 {
  const messageId = `${Date.now()}_bench_${randomUUID()}`;
  const recipients = Array.from(
    { length: RECIPIENTS },
    (_, i) => `r${i}.${randomUUID().slice(0, 8)}@example.org`,
  );
  const fields = signSendCloud(
    {
      event: "request",
      messageId,
      recipientArray: JSON.stringify(recipients),
      emailIds: JSON.stringify(recipients.map((r, i) => `${messageId}${i}$${r}`)),
    },
    APP_KEY,
  );
  const body = toForm(fields);
  return {
    version: "2.0",
    routeKey: "POST /webhooks/{provider}",
    rawPath: "/webhooks/sendcloud",
    rawQueryString: "",
    headers: { "content-type": FORM, "content-length": String(Buffer.byteLength(body)) },
    pathParameters: { provider: "sendcloud" },
    requestContext: {
      http: {
        method: "POST",
        path: "/webhooks/sendcloud",
        protocol: "HTTP/1.1",
        sourceIp: "127.0.0.1",
        userAgent: "bench",
      },
      requestId: randomUUID(),
      routeKey: "POST /webhooks/{provider}",
      stage: "$default",
    },
    body,
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

export async function benchWebhook(
  scale: number,
  log: (line: string) => void,
): Promise<{ figures: Figures; notes: string[] }> {
  log("webhook: starting DynamoDB Local…");
  const { engine, tableName } = await startTable();
  const client = benchClient(engine.endpoint);
  try {
    const store = storeOn(client, tableName);
    const handler = createWebhookHandler({
      logger: new Logger({ serviceName: "suppression-service-bench", logLevel: "SILENT" }),
      store: () => store,
      policy: () => DEFAULT_POLICY,
      auth: createAuthenticator({ bootstrapKey: () => undefined, store: () => store }),
      secrets: async () => (name) => (name === "SENDCLOUD_APP_KEY" ? APP_KEY : undefined),
      tenant: TENANT,
      now: () => new Date(),
    });
    const context = { functionName: "bench-webhook", awsRequestId: "bench" } as Context;
    const runs = Math.max(5, Math.round(20 * scale));
    const samples: number[] = [];
    for (let i = 0; i < runs + 2; i++) {
      const event = requestEvent();
      const ms = await timeAsync(async () => {
        const answer = await handler(event, context);
        if (answer.statusCode !== 200 || !answer.body.includes(`"accepted":${RECIPIENTS}`)) {
          throw new Error(`sendcloud request answered ${answer.statusCode}: ${answer.body.slice(0, 200)}`);
        }
      });
      if (i >= 2) samples.push(ms); // two warm-up runs
    }
    return {
      figures: { sendcloud_request100_p95_ms: atMost(p95(samples), "ms", BUDGET_MS) },
      notes: [
        `sendcloud: signed request fanned out to ${RECIPIENTS} recipients, ${samples.length} runs; p50 ${p50(samples).toFixed(0)} ms, p95 ${p95(samples).toFixed(0)} ms (SendCloud's deadline ${BUDGET_MS} ms)`,
      ],
    };
  } finally {
    client.destroy();
    await engine.stop();
  }
}
