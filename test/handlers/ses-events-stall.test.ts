/**
 * The `ses-events` consumer over a store that accepts connections and never answers (the faulty
 * proxy's "stall" mode), through the real SDK with small store limits: a message that needs the
 * store is reported in `batchItemFailures` (SQS retries it) and one that does not is acknowledged.
 * Nothing measures time: the handler returning at all, before the test times out, shows the abort.
 */
import { randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import type { Context, SQSEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../lambdas/core/policy/index.js";
import { createAuthenticator } from "../../lambdas/handlers/http/authenticate.js";
import type { RuntimeDeps } from "../../lambdas/handlers/runtime.js";
import { createSesEventsHandler } from "../../lambdas/handlers/ses-events.js";
import { createDynamoDbClient, toDocumentClient } from "../../lambdas/store/client.js";
import { createStore } from "../../lambdas/store/store.js";
import { type FaultyProxy, startFaultyProxy } from "../support/faulty-proxy.js";
import { asSnsConfirmation, asSqsLambda, type Json, sesFixture } from "../support/ses-fixtures.js";

type SqsRecordJson = Json & { messageId: string; body: string };

function bounceMessage(): SqsRecordJson {
  const when = new Date(Date.now() - 3_600_000).toISOString();
  const text = JSON.stringify(sesFixture("bounce-permanent-general"))
    .replace(/"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"/g, `"${when}"`)
    .replaceAll("-000000", `-${randomUUID().slice(0, 8)}`);
  const [record] = asSqsLambda(JSON.parse(text) as Json).Records as SqsRecordJson[];
  return { ...(record as SqsRecordJson), messageId: randomUUID() };
}

function confirmationMessage(): SqsRecordJson {
  return { ...bounceMessage(), messageId: randomUUID(), body: JSON.stringify(asSnsConfirmation()) };
}

const context = { getRemainingTimeInMillis: () => 30_000, awsRequestId: randomUUID() } as unknown as Context;

describe("ses-events over a stalled store", () => {
  let proxy: FaultyProxy;
  let client: ReturnType<typeof createDynamoDbClient>;
  let deps: RuntimeDeps;

  beforeAll(async () => {
    proxy = await startFaultyProxy("http://127.0.0.1:9");
    proxy.fail("stall");
    client = createDynamoDbClient({
      endpoint: proxy.endpoint,
      region: "us-east-1",
      maxAttempts: 2,
      connectionTimeoutMs: 100,
      requestTimeoutMs: 100,
    });
    const store = createStore({
      client: toDocumentClient(client),
      tableName: "stalled",
      callBudgetMs: 1_000,
    });
    deps = {
      logger: new Logger({ serviceName: "ses-events-stall-test", logLevel: "SILENT" }),
      store: () => store,
      policy: () => DEFAULT_POLICY,
      auth: createAuthenticator({ bootstrapKey: () => undefined, store: () => store }),
      secrets: async () => () => undefined,
      tenant: "default",
      now: () => new Date(),
    };
  });
  afterAll(async () => {
    client?.destroy();
    await proxy?.stop();
  });

  it("reports the message that needs the store as a batch item failure and acknowledges the other", async () => {
    // Prepare
    const bounce = bounceMessage();
    const confirmation = confirmationMessage();
    const handler = createSesEventsHandler(deps);
    const before = proxy.stalled;
    // Act
    const response = await handler({ Records: [confirmation, bounce] } as unknown as SQSEvent, context);
    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: bounce.messageId }]);
    expect(proxy.stalled).toBeGreaterThan(before); // the store was reached, and did not answer
  });
});
