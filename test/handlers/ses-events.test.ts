/**
 * The `ses-events` queue consumer, driven directly with SQS → Lambda events against both engines
 * through the real SDK. Store failures are real network failures (a proxy in front of the engine
 * drops connections), never mocks. What every test holds to: `batchItemFailures` lists exactly the
 * messages that were not stored, and every message not listed has all its events in the store.
 */
import { createHash, randomUUID } from "node:crypto";
import { FullBatchFailureError } from "@aws-lambda-powertools/batch";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_POLICY } from "../../lambdas/core/policy/index.js";
import { createAuthenticator } from "../../lambdas/handlers/http/authenticate.js";
import type { RuntimeDeps } from "../../lambdas/handlers/runtime.js";
import {
  createSesEventsHandler,
  handler as deployedHandler,
  SES_EVENTS_METRICS,
} from "../../lambdas/handlers/ses-events.js";
import { parseSes } from "../../lambdas/providers/ses/index.js";
import { createDynamoDbClient, toDocumentClient } from "../../lambdas/store/client.js";
import { addressPk, eventSk } from "../../lambdas/store/keys.js";
import { ensureTable } from "../../lambdas/store/schema.js";
import { createStore, type SuppressionStore } from "../../lambdas/store/store.js";
import { ENGINES, type RunningEngine } from "../support/engines.js";
import { type FaultyProxy, startFaultyProxy } from "../support/faulty-proxy.js";
import {
  asSnsConfirmation,
  asSqsLambda,
  type Json,
  type SqsBodyKind,
  sesFixture,
} from "../support/ses-fixtures.js";

const TABLE = "ses-events-test";
const TENANT = "default";

/** One SQS → Lambda record as the test builds it (plain JSON). */
type SqsRecordJson = Json & { messageId: string; body: string; attributes: Record<string, string> };

// ---------------------------------------------------------------------------------------------
// SES records: fresh ids and recipients per call, timestamps an hour ago (so causes are live now).
// ---------------------------------------------------------------------------------------------

const freshAddress = (tag = "u") => `${tag}-${randomUUID().slice(0, 12)}@example.org`;

function freshRecord(fixture: string): Json {
  const when = new Date(Date.now() - 3_600_000).toISOString();
  const salt = randomUUID().slice(0, 8);
  const text = JSON.stringify(sesFixture(fixture))
    .replace(/"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"/g, `"${when}"`)
    .replaceAll("-000000", `-${salt}`);
  return JSON.parse(text) as Json;
}

/** A permanent user-unknown bounce for `recipients` (event publishing format with `ep`). */
function bounce(recipients: string[], ep = false): Json {
  const record = freshRecord(ep ? "ep-bounce" : "bounce-permanent-general");
  const detail = record.bounce as { bouncedRecipients: Json[] };
  detail.bouncedRecipients = recipients.map((emailAddress) => ({
    ...detail.bouncedRecipients[0],
    emailAddress,
  }));
  (record.mail as Json).destination = recipients;
  return record;
}

/** An abuse complaint from `recipients`. */
function complaint(recipients: string[]): Json {
  const record = freshRecord("complaint-abuse");
  (record.complaint as Json).complainedRecipients = recipients.map((emailAddress) => ({ emailAddress }));
  (record.mail as Json).destination = recipients;
  return record;
}

// ---------------------------------------------------------------------------------------------
// SQS events
// ---------------------------------------------------------------------------------------------

/** The one SQS record `asSqsLambda` builds for `record`. */
function sqsRecord(record: Json, via: SqsBodyKind = "sns"): SqsRecordJson {
  return (asSqsLambda(record, via).Records as SqsRecordJson[])[0] as SqsRecordJson;
}

/** A copy of `template` with another id (SQS gives every delivery its own message id). */
const redelivered = (template: SqsRecordJson): SqsRecordJson => ({ ...template, messageId: randomUUID() });

/** An SQS record with an arbitrary body (poison messages). */
function rawSqsRecord(body: string): SqsRecordJson {
  const template = sqsRecord(bounce([freshAddress()]));
  return {
    ...template,
    messageId: randomUUID(),
    body,
    md5OfBody: createHash("md5").update(body).digest("hex"),
  };
}

/** An SNS document (as SQS delivers it) whose `Message` is the given text. */
function snsDocumentWith(message: string): string {
  const doc = JSON.parse(sqsRecord(bounce([freshAddress()])).body) as Json;
  return JSON.stringify({ ...doc, Message: message });
}

const sqsEvent = (...records: SqsRecordJson[]) => ({ Records: records }) as unknown as SQSEvent;

/** The event SQS delivers next: only the given messages, one receive later. */
function retryOf(event: SQSEvent, failures: readonly string[]): SQSEvent {
  const records = (event.Records as unknown as SqsRecordJson[])
    .filter((r) => failures.includes(r.messageId))
    .map((r) => ({
      ...r,
      attributes: {
        ...r.attributes,
        ApproximateReceiveCount: String(Number(r.attributes.ApproximateReceiveCount) + 1),
      },
    }));
  return sqsEvent(...records);
}

const failedIds = (response: SQSBatchResponse) =>
  response.batchItemFailures.map((f) => f.itemIdentifier).sort();
const ids = (...records: SqsRecordJson[]) => records.map((r) => r.messageId).sort();

function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: "ses-events-test",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:ses-events-test",
    memoryLimitInMB: "512",
    awsRequestId: randomUUID(),
    logGroupName: "/aws/lambda/ses-events-test",
    logStreamName: "test",
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

// ---------------------------------------------------------------------------------------------

describe.each(ENGINES)("ses-events handler on $name", (engine) => {
  let running: RunningEngine;
  let faulty: FaultyProxy;
  let selective: FaultyProxy;
  const clients: DynamoDBClient[] = [];
  /** Reads straight from the engine, never through a proxy. */
  let direct: DynamoDBDocumentClient;

  /** A store reaching the engine at `endpoint`: one SDK attempt, so a dropped request fails at once. */
  function storeAt(endpoint: string): SuppressionStore {
    const client = createDynamoDbClient({ endpoint, region: "us-east-1", maxAttempts: 1 });
    clients.push(client);
    return createStore({ client: toDocumentClient(client), tableName: TABLE, backoffBaseMs: 5 });
  }

  /** A handler over `store`, with a silent logger and a metrics object whose counts the test reads. */
  function handlerOver(store: SuppressionStore) {
    const logger = new Logger({ serviceName: "ses-events-test", logLevel: "SILENT" });
    vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "true"); // counted, not printed
    const metrics = new Metrics({ namespace: "Test", serviceName: "ses-events-test" });
    vi.unstubAllEnvs();
    const added = vi.spyOn(metrics, "addMetric");
    const deps: RuntimeDeps = {
      logger,
      store: () => store,
      policy: () => DEFAULT_POLICY,
      auth: createAuthenticator({ bootstrapKey: () => undefined, store: () => store }),
      secrets: async () => () => undefined,
      tenant: TENANT,
      now: () => new Date(),
    };
    const handler = createSesEventsHandler(deps, { metrics });
    const errors = vi.spyOn(logger, "error");
    return {
      invoke: (event: SQSEvent) => handler(event, lambdaContext()),
      errors,
      /** The counts the last invocation published. */
      lastCounts() {
        const names = Object.values(SES_EVENTS_METRICS);
        const calls = added.mock.calls.slice(-names.length);
        return Object.fromEntries(calls.map(([name, , value]) => [name, value]));
      },
    };
  }

  /** The events a message holds (the parser is the oracle); never empty for the records used here. */
  function eventsOf(record: SqsRecordJson) {
    return parseSes({ Records: [record] }, { tenant: TENANT }).events;
  }

  async function isApplied(recipient: string, eventId: string): Promise<boolean> {
    const out = await direct.send(
      new GetCommand({
        TableName: TABLE,
        Key: { pk: addressPk(TENANT, recipient), sk: eventSk("ses", eventId) },
        ConsistentRead: true,
      }),
    );
    return out.Item?.applied === true;
  }

  /** Every event of `record` is recorded and applied in the store. */
  async function expectStored(record: SqsRecordJson) {
    const events = eventsOf(record);
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(await isApplied(e.recipient, e.eventId), `${e.eventId} stored`).toBe(true);
  }

  /** Every message absent from `failures` is fully stored (nothing acknowledged before it is stored). */
  async function expectAcknowledgedAreStored(event: SQSEvent, failures: readonly string[]) {
    for (const record of event.Records as unknown as SqsRecordJson[]) {
      if (!failures.includes(record.messageId)) await expectStored(record);
    }
  }

  /** The number of events in `records`. */
  const eventCount = (...records: SqsRecordJson[]) => records.reduce((n, r) => n + eventsOf(r).length, 0);

  beforeAll(async () => {
    running = await engine.start();
    await ensureTable(running.client, TABLE);
    direct = toDocumentClient(running.client);
    faulty = await startFaultyProxy(running.endpoint);
    selective = await startFaultyProxy(running.endpoint);
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await faulty?.stop();
    await selective?.stop();
    await running?.stop();
  });

  it("acknowledges good records of every body shape only once they are stored", async () => {
    // Prepare: an SNS document, a raw-delivery record and an EventBridge event, plus a complaint
    const a = sqsRecord(bounce([freshAddress(), freshAddress()]), "sns");
    const b = sqsRecord(bounce([freshAddress()]), "raw");
    const c = sqsRecord(bounce([freshAddress()], true), "eventbridge");
    const d = sqsRecord(complaint([freshAddress()]), "sns");
    const store = storeAt(running.endpoint);
    const consumer = handlerOver(store);
    // Act
    const response = await consumer.invoke(sqsEvent(a, b, c, d));
    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    for (const record of [a, b, c, d]) await expectStored(record);
    const recipients = [a, b, c, d].flatMap((r) => eventsOf(r).map((e) => e.recipient));
    const verdicts = await store.checkAddresses(TENANT, recipients);
    expect(verdicts.every((v) => v.suppressed)).toBe(true);
    expect(consumer.lastCounts()).toMatchObject({
      [SES_EVENTS_METRICS.messages]: 4,
      [SES_EVENTS_METRICS.accepted]: 5,
      [SES_EVENTS_METRICS.duplicates]: 0,
      [SES_EVENTS_METRICS.poison]: 0,
      [SES_EVENTS_METRICS.failed]: 0,
    });
  });

  it("acknowledges duplicates, within a batch and in a later batch, and applies each event once", async () => {
    // Prepare: SNS delivers the same notification twice (two SQS messages, same body)
    const original = sqsRecord(bounce([freshAddress(), freshAddress()]));
    const copy = redelivered(original);
    const other = sqsRecord(complaint([freshAddress()]), "raw");
    const consumer = handlerOver(storeAt(running.endpoint));
    // Act
    const first = await consumer.invoke(sqsEvent(original, copy, other));
    const firstCounts = consumer.lastCounts();
    const again = await consumer.invoke(sqsEvent(redelivered(original), redelivered(other)));
    // Assess
    expect(failedIds(first)).toEqual([]);
    expect(failedIds(again)).toEqual([]);
    for (const record of [original, other]) await expectStored(record);
    // Both copies of the first batch ran concurrently: each event counted once or as a duplicate
    expect(
      Number(firstCounts[SES_EVENTS_METRICS.accepted]) + Number(firstCounts[SES_EVENTS_METRICS.duplicates]),
    ).toBe(eventCount(original, copy, other));
    expect(consumer.lastCounts()).toMatchObject({
      [SES_EVENTS_METRICS.accepted]: 0,
      [SES_EVENTS_METRICS.duplicates]: eventCount(original, other),
    });
  });

  it("reports exactly the poison messages (for the DLQ) and stores the good ones beside them", async () => {
    // Prepare
    const good = sqsRecord(bounce([freshAddress()]));
    const goodToo = sqsRecord(bounce([freshAddress()], true), "eventbridge");
    const poison = [
      rawSqsRecord("this is not JSON"),
      rawSqsRecord(JSON.stringify({ hello: "world" })),
      rawSqsRecord(snsDocumentWith("A plain-text SNS message, not an SES record")),
      rawSqsRecord(snsDocumentWith("{truncated")),
      rawSqsRecord(
        JSON.stringify({ notificationType: "Bounce", bounce: { bounceType: "Permanent" }, mail: {} }),
      ),
    ];
    const consumer = handlerOver(storeAt(running.endpoint));
    // Act
    const response = await consumer.invoke(sqsEvent(good, ...poison, goodToo));
    // Assess
    expect(failedIds(response)).toEqual(ids(...poison));
    await expectStored(good);
    await expectStored(goodToo);
    expect(consumer.lastCounts()).toMatchObject({
      [SES_EVENTS_METRICS.poison]: poison.length,
      [SES_EVENTS_METRICS.failed]: 0,
      [SES_EVENTS_METRICS.accepted]: 2,
    });
    // Each poison message is logged with its id, never with its body (recipients' addresses)
    const logged = consumer.errors.mock.calls.filter(([message]) => String(message).startsWith("Poison"));
    expect(logged.map(([, extra]) => (extra as Json).messageId).sort()).toEqual(ids(...poison));
    expect(JSON.stringify(logged)).not.toContain("hello");
  });

  it("keeps reporting a poison message on every receive, so SQS moves it to the DLQ after maxReceiveCount", async () => {
    // Prepare
    const good = sqsRecord(bounce([freshAddress()]));
    const poison = rawSqsRecord("<html>not an SES notification</html>");
    const consumer = handlerOver(storeAt(running.endpoint));
    let event = sqsEvent(good, poison);
    // Act + Assess: receives 1 to 5 all report it; the good one is acknowledged on the first
    const first = await consumer.invoke(event);
    expect(failedIds(first)).toEqual(ids(poison));
    await expectStored(good);
    for (let receive = 2; receive <= 5; receive++) {
      event = retryOf(event, failedIds(first));
      // A batch of nothing but poison fails as a whole: Lambda returns it to the queue
      await expect(consumer.invoke(event)).rejects.toBeInstanceOf(FullBatchFailureError);
      expect((event.Records[0] as unknown as SqsRecordJson).attributes.ApproximateReceiveCount).toBe(
        String(receive),
      );
    }
  });

  it("acknowledges SNS subscription confirmations and records that never become events", async () => {
    // Prepare: a confirmation in an SQS body, an open (raw) and an SES subscription-succeeded notice
    const confirmation = rawSqsRecord(JSON.stringify(asSnsConfirmation()));
    const open = sqsRecord(freshRecord("ep-open"), "raw");
    const succeeded = sqsRecord(freshRecord("sns-subscription-succeeded"));
    const consumer = handlerOver(storeAt(running.endpoint));
    // Act
    const response = await consumer.invoke(sqsEvent(confirmation, open, succeeded));
    // Assess
    expect(failedIds(response)).toEqual([]);
    expect(consumer.lastCounts()).toMatchObject({
      [SES_EVENTS_METRICS.accepted]: 0,
      [SES_EVENTS_METRICS.poison]: 0,
      [SES_EVENTS_METRICS.failed]: 0,
    });
  });

  it("reports only the messages whose store writes failed; a retry of only those applies every event exactly once", async () => {
    // Prepare: the store refuses every write that mentions a "blocked" recipient
    const blocked = freshAddress("blocked");
    const a = sqsRecord(bounce([freshAddress()]));
    const b = sqsRecord(bounce([freshAddress(), blocked, freshAddress()]), "raw"); // fails part-way
    const c = sqsRecord(complaint([freshAddress()]), "sns");
    const d = sqsRecord(bounce([blocked], true), "eventbridge");
    const e = redelivered(a);
    const event = sqsEvent(a, b, c, d, e);
    const consumer = handlerOver(storeAt(selective.endpoint));
    selective.fail({ whenBodyContains: "blocked-" });
    // Act 1
    let first: SQSBatchResponse;
    try {
      first = await consumer.invoke(event);
    } finally {
      selective.heal();
    }
    // Assess 1: exactly b and d are retried; everything acknowledged is stored; b's other recipients
    // may be stored already, its blocked one is not
    expect(failedIds(first)).toEqual(ids(b, d));
    await expectAcknowledgedAreStored(event, failedIds(first));
    expect(await isApplied(blocked, eventsOf(d)[0]?.eventId ?? "")).toBe(false);
    expect(consumer.lastCounts()).toMatchObject({ [SES_EVENTS_METRICS.failed]: 2 });
    // Act 2: SQS delivers only the failed ones again
    const retried = await consumer.invoke(retryOf(event, failedIds(first)));
    // Assess 2
    expect(failedIds(retried)).toEqual([]);
    for (const record of [a, b, c, d]) await expectStored(record);
    // Act 3 + Assess 3: a redelivery of the whole batch changes nothing: every event was applied once
    await consumer.invoke(sqsEvent(...[a, b, c, d].map(redelivered)));
    expect(consumer.lastCounts()).toMatchObject({
      [SES_EVENTS_METRICS.accepted]: 0,
      [SES_EVENTS_METRICS.duplicates]: eventCount(a, b, c, d),
    });
  });

  it.each([0, 3, 7, 12, 18, 25])(
    "the store going down after %i requests: nothing unstored is acknowledged, and the retry completes",
    async (afterRequests) => {
      // Prepare: 7 events, about 28 requests; the cut points fall before, inside and near the end
      const records = [
        sqsRecord(bounce([freshAddress(), freshAddress()])),
        sqsRecord(bounce([freshAddress()]), "raw"),
        sqsRecord(complaint([freshAddress(), freshAddress()])),
        sqsRecord(bounce([freshAddress()], true), "eventbridge"),
        sqsRecord(bounce([freshAddress()])),
      ];
      const event = sqsEvent(...records);
      const consumer = handlerOver(storeAt(faulty.endpoint));
      faulty.fail({ afterRequests });
      // Act 1: a partial answer, or (every message failed) a rejection that returns the whole batch
      let failures: string[];
      try {
        failures = failedIds(await consumer.invoke(event));
      } catch (err) {
        expect(err).toBeInstanceOf(FullBatchFailureError);
        failures = ids(...records);
      } finally {
        faulty.heal();
      }
      // Assess 1
      expect(failures.length).toBeGreaterThan(0);
      await expectAcknowledgedAreStored(event, failures);
      // Act 2: SQS redelivers only what was reported
      const retried = await consumer.invoke(retryOf(event, failures));
      // Assess 2
      expect(failedIds(retried)).toEqual([]);
      for (const record of records) await expectStored(record);
      await consumer.invoke(sqsEvent(...records.map(redelivered)));
      expect(consumer.lastCounts()).toMatchObject({
        [SES_EVENTS_METRICS.accepted]: 0,
        [SES_EVENTS_METRICS.duplicates]: eventCount(...records),
      });
    },
  );

  it("with the store down, fails the whole batch and stores nothing; the same batch succeeds once it is back", async () => {
    // Prepare
    const records = [sqsRecord(bounce([freshAddress()])), sqsRecord(complaint([freshAddress()]), "raw")];
    const event = sqsEvent(...records);
    const consumer = handlerOver(storeAt(faulty.endpoint));
    faulty.fail("down");
    // Act 1 + Assess 1
    try {
      await expect(consumer.invoke(event)).rejects.toBeInstanceOf(FullBatchFailureError);
    } finally {
      faulty.heal();
    }
    for (const record of records) {
      for (const e of eventsOf(record)) expect(await isApplied(e.recipient, e.eventId)).toBe(false);
    }
    // Act 2 + Assess 2
    expect(failedIds(await consumer.invoke(retryOf(event, ids(...records))))).toEqual([]);
    for (const record of records) await expectStored(record);
  });
});

describe("ses-events deployed handler", () => {
  it("is built from the container's dependencies without touching DynamoDB", () => {
    expect(typeof deployedHandler).toBe("function");
  });
});
