import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSes, unwrapSes } from "../../../lambdas/providers/ses/index.js";
import { inputError } from "../../support/input-error.js";
import {
  ACCOUNT,
  allShapes,
  asEventBridge,
  asSnsConfirmation,
  asSnsHttp,
  asSnsLambda,
  asSqsLambda,
  type Json,
  SES_FIXTURES_DIR,
  sesFixture,
  TOPIC_ARN,
} from "../../support/ses-fixtures.js";

const opts = { tenant: "acme" };
const RECORDS = readdirSync(SES_FIXTURES_DIR)
  .filter((f) => !f.startsWith("wrap-"))
  .map((f) => f.replace(/\.json$/, ""));

describe("every shape yields the same events as the bare record", () => {
  it.each(RECORDS)("%s", (name) => {
    const record = sesFixture(name);
    const bare = parseSes(record, opts);
    for (const [label, body] of allShapes(record)) {
      const viaShape = parseSes(body, opts);
      expect({ label, events: viaShape.events, ignored: viaShape.ignored }).toEqual({
        label,
        events: bare.events,
        ignored: bare.ignored,
      });
      // A redelivery (same body again, or through another transport) keeps the idempotency keys.
      expect(parseSes(JSON.parse(JSON.stringify(body)), opts).events.map((e) => e.eventId)).toEqual(
        bare.events.map((e) => e.eventId),
      );
    }
  });
});

describe("stored wrapper fixtures", () => {
  it.each([
    ["wrap-sns-http-bounce", "sns-http", "bounce-permanent-general"],
    ["wrap-sns-lambda-complaint", "sns-lambda", "complaint-abuse"],
    ["wrap-sqs-sns-bounce", "sqs-lambda", "bounce-permanent-general"],
    ["wrap-sqs-raw-ep-bounce", "sqs-lambda", "ep-bounce"],
    ["wrap-sqs-eventbridge-ep-bounce", "sqs-lambda", "ep-bounce"],
    ["wrap-eventbridge-ep-subscription", "eventbridge", "ep-subscription-unsubscribe-all"],
  ])("%s is a %s body carrying %s", (wrapper, shape, inner) => {
    const result = parseSes(sesFixture(wrapper), opts);
    expect(result.shape).toBe(shape);
    expect(result.events).toEqual(parseSes(sesFixture(inner), opts).events);
    expect(result.events.length).toBeGreaterThan(0);
  });

  it("reads a string body (SNS posts text/plain)", () => {
    const body = JSON.stringify(sesFixture("wrap-sns-http-bounce"));
    expect(parseSes(body, opts).events).toEqual(
      parseSes(sesFixture("bounce-permanent-general"), opts).events,
    );
  });
});

describe("unwrapSes", () => {
  it("reports the SNS metadata of an HTTP notification", () => {
    const record = sesFixture("delivery");
    const doc = asSnsHttp(record);
    const { shape, items, sns } = unwrapSes(doc);
    expect(shape).toBe("sns-http");
    expect(sns).toEqual({
      type: "Notification",
      messageId: doc.MessageId,
      topicArn: TOPIC_ARN,
      timestamp: doc.Timestamp,
      subscribeUrl: null,
      token: null,
    });
    expect(items).toHaveLength(1);
    expect(items[0]?.record).toEqual(record);
    expect(items[0]?.path).toEqual(["Message"]);
  });

  it.each(["SubscriptionConfirmation", "UnsubscribeConfirmation"] as const)(
    "hands a %s to the caller: no records, its URL and token",
    (type) => {
      const doc = asSnsConfirmation(type);
      const { items, sns } = unwrapSes(doc);
      expect(items).toEqual([]);
      expect(sns).toMatchObject({
        type,
        topicArn: TOPIC_ARN,
        subscribeUrl: doc.SubscribeURL,
        token: doc.Token,
      });
      expect(parseSes(doc, opts)).toMatchObject({ events: [], ignored: 0, sns: { type } });
    },
  );

  it("keeps each record's envelope metadata in SQS batches", () => {
    const a = sesFixture("ep-bounce");
    const b = sesFixture("delivery");
    const { shape, items } = unwrapSes(asSqsLambda([a, b]));
    expect(shape).toBe("sqs-lambda");
    expect(items.map((i) => i.path)).toEqual([
      ["Records", 0, "body", "Message"],
      ["Records", 1, "body", "Message"],
    ]);
    expect(items.every((i) => i.sns?.topicArn === TOPIC_ARN && typeof i.sqsMessageId === "string")).toBe(
      true,
    );
    const eb = unwrapSes(asSqsLambda(a, "eventbridge")).items[0];
    expect(eb?.eventBridge).toMatchObject({ account: ACCOUNT, detailType: "Email Bounced" });
    expect(eb?.path).toEqual(["Records", 0, "body", "detail"]);
  });

  it("fans out a multi-record SNS → Lambda event in order", () => {
    const result = parseSes(
      asSnsLambda(sesFixture("complaint-no-feedback-type"), sesFixture("ep-send")),
      opts,
    );
    expect(result.shape).toBe("sns-lambda");
    expect(result.events.map((e) => [e.type, e.recipient])).toEqual([
      ["complaint", "richard@example.com"],
      ["complaint", "mary@example.com"],
      ["request", "recipient@example.com"],
      ["request", "second@example.org"],
    ]);
  });

  it("accepts a minimal replayed SQS record (eventSource and body only)", () => {
    const record = sesFixture("ep-delivery");
    const body = { Records: [{ eventSource: "aws:sqs", body: JSON.stringify(record) }] };
    expect(parseSes(body, opts).events).toEqual(parseSes(record, opts).events);
  });
});

describe("malformed input → InputError", () => {
  const bounce = sesFixture("bounce-permanent-general");

  it.each<[string, unknown]>([
    ["null", null],
    ["a number", 42],
    ["an array", [bounce]],
    ["a string that is not JSON", "{not json"],
    ["an empty object", {}],
    ["an unknown shape", { hello: "world" }],
    ["empty Records", { Records: [] }],
    ["Records not an array", { Records: "x" }],
    ["a record of an unknown source", { Records: [{ eventSource: "aws:kinesis", kinesis: {} }] }],
    ["an SNS Message that is not JSON", asSnsHttp(bounce, { Message: "Successfully validated SNS topic" })],
    ["an SNS document without TopicArn", { ...asSnsHttp(bounce), TopicArn: undefined }],
    ["an SNS document of an unknown Type", asSnsHttp(bounce, { Type: "Gossip" })],
    ["an SQS body that is not JSON", { Records: [{ eventSource: "aws:sqs", body: "<xml/>" }] }],
    ["an SQS body of an unknown shape", { Records: [{ eventSource: "aws:sqs", body: '{"a":1}' }] }],
    ["an SQS body that is not a string", { Records: [{ eventSource: "aws:sqs", body: { a: 1 } }] }],
    ["an EventBridge event from another source", { ...asEventBridge(bounce), source: "aws.ec2" }],
    ["an EventBridge event without detail-type", { ...asEventBridge(bounce), "detail-type": 7 }],
  ])("%s", (_label, body) => {
    const err = inputError(() => parseSes(body, opts));
    expect(err.message.length).toBeGreaterThan(0);
    expect(err.issues.length).toBeGreaterThan(0);
  });

  it("refuses a JSON-string layer nested too deep, pointing at that layer, without overflowing the stack", () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const viaSqs = inputError(() => parseSes({ Records: [{ eventSource: "aws:sqs", body: deep }] }, opts));
    expect(viaSqs.message).toMatch(/nested deeper than \d+ levels/);
    expect(viaSqs.issues.map((i) => i.path)).toEqual(["Records.0.body"]);
    const viaSns = inputError(() => parseSes(asSnsHttp(bounce, { Message: deep }), opts));
    expect(viaSns.issues.map((i) => i.path)).toEqual(["Message"]);
  });

  const withBounce = (patch: (r: Json) => void): Json => {
    const r = sesFixture("bounce-permanent-general");
    patch(r);
    return r;
  };

  it.each<[string, Json, string]>([
    ["no mail", withBounce((r) => delete r.mail), "mail"],
    ["no bounce object", withBounce((r) => delete r.bounce), "bounce"],
    ["feedbackId missing", withBounce((r) => delete (r.bounce as Json).feedbackId), "bounce.feedbackId"],
    [
      "bouncedRecipients not an array",
      withBounce((r) => Object.assign(r.bounce as Json, { bouncedRecipients: "jane@example.com" })),
      "bounce.bouncedRecipients",
    ],
    [
      "emailAddress a number",
      withBounce((r) => Object.assign(r.bounce as Json, { bouncedRecipients: [{ emailAddress: 7 }] })),
      "bounce.bouncedRecipients.0.emailAddress",
    ],
    [
      "a timestamp that is not ISO",
      withBounce((r) => Object.assign(r.bounce as Json, { timestamp: "yesterday" })),
      "bounce.timestamp",
    ],
    ["eventType a number", withBounce((r) => Object.assign(r, { notificationType: 5 })), "notificationType"],
  ])("a record with %s, with the path in every shape", (_label, record, path) => {
    expect(inputError(() => parseSes(record, opts)).issues.map((i) => i.path)).toContain(path);
    const viaSqs = inputError(() => parseSes(asSqsLambda(record), opts));
    expect(viaSqs.issues.map((i) => i.path)).toContain(`Records.0.body.Message.${path}`);
  });
});
