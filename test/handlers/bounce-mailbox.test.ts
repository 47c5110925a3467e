/**
 * The `bounce-mailbox` consumer over s3rver (the mailbox bucket) and both DynamoDB engines, through
 * the real SDKs: a corpus DSN written where SES writes becomes its events; a redelivered notification
 * records nothing twice; a poison mail is copied under poison/ with its problem, reported (log,
 * metric) and acknowledged; a store failure (a proxy dropping connections) is a batch item failure.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FullBatchFailureError } from "@aws-lambda-powertools/batch";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { Context, SQSEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { incomingPrefix, poisonKeyOf } from "../../lambdas/bounce-mailbox/keys.js";
import { DEFAULT_POLICY } from "../../lambdas/core/policy/index.js";
import { createS3Client, S3RVER_CREDENTIALS } from "../../lambdas/files/client.js";
import { BOUNCE_MAILBOX_METRICS, createBounceMailboxHandler } from "../../lambdas/handlers/bounce-mailbox.js";
import { createAuthenticator } from "../../lambdas/handlers/http/authenticate.js";
import { type EmbeddedS3, startEmbeddedS3 } from "../../lambdas/local/embedded-s3.js";
import { emailEvents } from "../../lambdas/providers/email/events.js";
import { MAX_EMAIL_BYTES, parseBounceEmail } from "../../lambdas/providers/email/parse.js";
import { createDynamoDbClient, toDocumentClient } from "../../lambdas/store/client.js";
import { addressPk, eventSk } from "../../lambdas/store/keys.js";
import { ensureTable } from "../../lambdas/store/schema.js";
import { createStore, type SuppressionStore } from "../../lambdas/store/store.js";
import { ENGINES, type RunningEngine } from "../support/engines.js";
import { type FaultyProxy, startFaultyProxy } from "../support/faulty-proxy.js";

const TABLE = "bounce-mailbox-test";
const BUCKET = "bounce-mailbox-test";
const CORPUS = join(import.meta.dirname, "../fixtures/corpus/emails");
/** An Exim DSN: user unknown, one recipient (hard bounce). */
const DSN = readFileSync(join(CORPUS, "lhost-exim-01.eml"));
const DSN_RECIPIENT = "kijitora@example.ed.jp";

/** The DSN's one event id (the parser is the oracle): its `Message-ID` and recipient. */
async function dsnEventId(): Promise<string> {
  const parsed = emailEvents(
    await parseBounceEmail(DSN),
    { tenant: "x", receivedAt: new Date(), reportId: "x" },
    "email",
  );
  const [event] = parsed.events;
  if (parsed.events.length !== 1 || event?.recipient !== DSN_RECIPIENT)
    throw new Error("the DSN fixture changed");
  return event.eventId;
}

const freshTenant = () => `t-${randomUUID().slice(0, 8)}`;

/** The SQS record the stack's EventBridge rule delivers for one new object. */
function notification(key: string, size: number | undefined, bucket = BUCKET) {
  const object = size === undefined ? { key } : { key, size };
  return {
    messageId: randomUUID(),
    receiptHandle: "r",
    body: JSON.stringify({
      version: "0",
      id: randomUUID(),
      "detail-type": "Object Created",
      source: "aws.s3",
      account: "123456789012",
      time: new Date().toISOString(),
      region: "us-east-1",
      resources: [`arn:aws:s3:::${bucket}`],
      detail: { version: "0", bucket: { name: bucket }, object, reason: "PutObject" },
    }),
    attributes: { ApproximateReceiveCount: "1" },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:mailbox",
    awsRegion: "us-east-1",
  };
}
const sqsEvent = (...records: ReturnType<typeof notification>[]) =>
  ({ Records: records }) as unknown as SQSEvent;

const context = { functionName: "bounce-mailbox-test", awsRequestId: "r" } as unknown as Context;

describe.each(ENGINES)("bounce-mailbox handler on $name and s3rver", (engine) => {
  let running: RunningEngine;
  let faulty: FaultyProxy;
  let s3: EmbeddedS3;
  let s3Client: S3Client;
  const clients: DynamoDBClient[] = [];

  function storeAt(endpoint: string): SuppressionStore {
    const client = createDynamoDbClient({ endpoint, region: "us-east-1", maxAttempts: 1 });
    clients.push(client);
    return createStore({ client: toDocumentClient(client), tableName: TABLE, backoffBaseMs: 5 });
  }

  function handlerOver(
    store: SuppressionStore,
    mailS3: () => S3Client = () => s3Client,
    bucket: string = BUCKET,
  ) {
    const logger = new Logger({ serviceName: "bounce-mailbox-test", logLevel: "SILENT" });
    vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "true");
    const metrics = new Metrics({ namespace: "Test", serviceName: "bounce-mailbox-test" });
    vi.unstubAllEnvs();
    const added = vi.spyOn(metrics, "addMetric");
    const handler = createBounceMailboxHandler(
      {
        logger,
        store: () => store,
        policy: () => DEFAULT_POLICY,
        auth: createAuthenticator({ bootstrapKey: () => undefined, store: () => store }),
        secrets: async () => () => undefined,
        tenant: "default",
        now: () => new Date(),
        s3: mailS3,
        bucket,
      },
      { metrics },
    );
    const errors = vi.spyOn(logger, "error");
    return {
      invoke: (event: SQSEvent) => handler(event, context),
      errors,
      lastCounts() {
        const names = Object.values(BOUNCE_MAILBOX_METRICS);
        const calls = added.mock.calls
          .filter(([name]) => (names as string[]).includes(name))
          .slice(-names.length);
        return Object.fromEntries(calls.map(([name, , value]) => [name, value]));
      },
    };
  }

  /** The DSN's event is recorded for `tenant` (read straight from the engine). */
  async function isStored(tenant: string): Promise<boolean> {
    const out = await toDocumentClient(running.client).send(
      new GetCommand({
        TableName: TABLE,
        Key: { pk: addressPk(tenant, DSN_RECIPIENT), sk: eventSk("email", await dsnEventId()) },
        ConsistentRead: true,
      }),
    );
    return out.Item !== undefined;
  }

  /** Writes `body` where SES writes a tenant's mail; its key. */
  async function deliver(tenant: string, body: Buffer | string): Promise<string> {
    const key = `${incomingPrefix(tenant)}${randomUUID().replaceAll("-", "")}`;
    await s3Client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    return key;
  }

  beforeAll(async () => {
    running = await engine.start();
    await ensureTable(running.client, TABLE);
    faulty = await startFaultyProxy(running.endpoint);
    s3 = await startEmbeddedS3({ bucket: BUCKET });
    s3Client = createS3Client({ endpoint: s3.endpoint, credentials: S3RVER_CREDENTIALS });
  }, 120_000);
  afterAll(async () => {
    for (const client of clients) client.destroy();
    s3Client?.destroy();
    await s3?.stop();
    await faulty?.stop();
    await running?.stop();
  });

  it("records a corpus DSN for the tenant its key names, and a redelivery as a duplicate", async () => {
    // Prepare
    const tenant = freshTenant();
    const key = await deliver(tenant, DSN);
    const store = storeAt(running.endpoint);
    const consumer = handlerOver(store);
    // Act
    const first = await consumer.invoke(sqsEvent(notification(key, DSN.length)));
    const firstCounts = consumer.lastCounts();
    const again = await consumer.invoke(sqsEvent(notification(key, undefined)));
    // Assess
    expect(first).toEqual({ batchItemFailures: [] });
    expect(again).toEqual({ batchItemFailures: [] });
    expect(firstCounts).toMatchObject({
      [BOUNCE_MAILBOX_METRICS.messages]: 1,
      [BOUNCE_MAILBOX_METRICS.accepted]: 1,
      [BOUNCE_MAILBOX_METRICS.poison]: 0,
    });
    expect(consumer.lastCounts()).toMatchObject({
      [BOUNCE_MAILBOX_METRICS.accepted]: 0,
      [BOUNCE_MAILBOX_METRICS.duplicates]: 1,
    });
    expect(await isStored(tenant)).toBe(true);
    expect(await isStored("default")).toBe(false);
  });

  it("keeps poison mails under poison/ with their problem, reports and acknowledges them", async () => {
    // Prepare: a mail above the parser's limit (refused by its size, never downloaded), a key
    // outside incoming/<tenant>/, and a plain mail that is no report (ignored, not poison)
    const tenant = freshTenant();
    const tooLarge = await deliver(tenant, Buffer.alloc(MAX_EMAIL_BYTES + 1, "a"));
    const badKey = "incoming/Not A Tenant/x";
    await s3Client.send(new PutObjectCommand({ Bucket: BUCKET, Key: badKey, Body: DSN }));
    const plain = await deliver(tenant, "From: a@example.org\r\nSubject: hello\r\n\r\nJust a note.\r\n");
    const consumer = handlerOver(storeAt(running.endpoint));
    // Act
    const response = await consumer.invoke(
      sqsEvent(
        notification(tooLarge, MAX_EMAIL_BYTES + 1),
        notification(badKey, DSN.length),
        notification(plain, undefined),
      ),
    );
    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(consumer.lastCounts()).toMatchObject({
      [BOUNCE_MAILBOX_METRICS.poison]: 2,
      [BOUNCE_MAILBOX_METRICS.ignored]: 1,
      [BOUNCE_MAILBOX_METRICS.failed]: 0,
    });
    const kept = await s3Client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: poisonKeyOf(tooLarge) }));
    expect(kept.ContentLength).toBe(MAX_EMAIL_BYTES + 1);
    expect(kept.Metadata?.problem).toMatch(/^EmailTooLargeError: /);
    expect(kept.Metadata?.["source-key"]).toBe(tooLarge);
    const keptBadKey = await s3Client.send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: poisonKeyOf(badKey) }),
    );
    expect(keptBadKey.Metadata?.problem).toContain("incoming/<tenant>/<name>");
    const logged = consumer.errors.mock.calls.filter(([message]) =>
      String(message).startsWith("Poison mail"),
    );
    expect(logged).toHaveLength(2);
    expect(JSON.stringify(logged)).not.toContain(DSN_RECIPIENT);
  });

  it("reports a store failure as a batch item failure, and the retry records the mail", async () => {
    // Prepare
    const tenant = freshTenant();
    const key = await deliver(tenant, DSN);
    const message = notification(key, DSN.length);
    const consumer = handlerOver(storeAt(faulty.endpoint));
    faulty.fail("down");
    // Act
    let failed: Awaited<ReturnType<typeof consumer.invoke>> | undefined;
    let thrown: unknown;
    try {
      failed = await consumer.invoke(sqsEvent(message, notification("not-ours", 1, "another-bucket")));
    } catch (err) {
      thrown = err;
    }
    faulty.heal();
    const retried = await consumer.invoke(sqsEvent(message));
    // Assess: both messages failed (the store one and the foreign bucket one)
    expect(thrown).toBeDefined();
    expect(failed).toBeUndefined();
    expect(retried).toEqual({ batchItemFailures: [] });
    expect(consumer.lastCounts()).toMatchObject({ [BOUNCE_MAILBOX_METRICS.accepted]: 1 });
    expect(await isStored(tenant)).toBe(true);
  });

  it("lists only the failed message when the rest of the batch is stored", async () => {
    // Prepare: a good mail beside a message that is not an S3 event
    const tenant = freshTenant();
    const key = await deliver(tenant, DSN);
    const good = notification(key, DSN.length);
    const bad = { ...notification(key, 1), body: "not json" };
    const consumer = handlerOver(storeAt(running.endpoint));
    // Act
    const response = await consumer.invoke(sqsEvent(good, bad));
    // Assess
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([bad.messageId]);
    expect(consumer.lastCounts()).toMatchObject({ [BOUNCE_MAILBOX_METRICS.poison]: 1 });
  });
  it("fails the whole invocation, loudly, when the stack gave it no bucket name", async () => {
    // Prepare: a deployment fault (BOUNCE_MAILBOX_BUCKET unset)
    const tenant = freshTenant();
    const key = await deliver(tenant, DSN);
    const consumer = handlerOver(storeAt(running.endpoint), () => s3Client, "");
    // Act
    const outcome = consumer.invoke(sqsEvent(notification(key, DSN.length)));
    // Assess: nothing is read, kept as poison or acknowledged
    await expect(outcome).rejects.toThrow(/BOUNCE_MAILBOX_BUCKET is not set/);
    expect(await isStored(tenant)).toBe(false);
    await expect(
      s3Client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: poisonKeyOf(key) })),
    ).rejects.toMatchObject({ name: "NotFound" });
  });

  it("retries a poison mail whose copy fails: it is never acknowledged before it is kept", async () => {
    // Prepare: S3 reached through a proxy that drops every connection (the size alone makes it poison)
    const tenant = freshTenant();
    const key = await deliver(tenant, Buffer.alloc(MAX_EMAIL_BYTES + 1, "b"));
    const s3Proxy = await startFaultyProxy(s3.endpoint);
    const unreachable = createS3Client({
      endpoint: s3Proxy.endpoint,
      credentials: S3RVER_CREDENTIALS,
      maxAttempts: 1,
    });
    s3Proxy.fail("down");
    const consumer = handlerOver(storeAt(running.endpoint), () => unreachable);
    // Act
    const outcome = consumer.invoke(sqsEvent(notification(key, MAX_EMAIL_BYTES + 1)));
    // Assess: the only message failed, so the whole batch returns to the queue
    await expect(outcome).rejects.toBeInstanceOf(FullBatchFailureError);
    expect(consumer.lastCounts()).toMatchObject({
      [BOUNCE_MAILBOX_METRICS.poison]: 0,
      [BOUNCE_MAILBOX_METRICS.failed]: 1,
    });
    await expect(
      s3Client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: poisonKeyOf(key) })),
    ).rejects.toMatchObject({ name: "NotFound" });
    unreachable.destroy();
    await s3Proxy.stop();
  });
});
