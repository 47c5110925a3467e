/**
 * Test helpers for SES: load a fixture record and wrap it in each transport shape SES output arrives
 * in (docs/providers/ses.md §1.6–1.7). Everything is deterministic: ids are derived from the record, so the
 * same record wrapped twice gives the same envelope.
 *
 * @example
 * const record = sesFixture("bounce-permanent-general");
 * for (const body of allShapes(record)) parseSes(body, { tenant: "default" });
 * const http = asSnsHttp(record); // POST it as text/plain: JSON.stringify(http)
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** A JSON object (an SES record, or any envelope). */
export type Json = Record<string, unknown>;

export const SES_FIXTURES_DIR = fileURLToPath(new URL("../fixtures/ses/", import.meta.url));

/** Placeholder AWS identifiers used by every envelope. */
export const ACCOUNT = "123456789012";
export const REGION = "us-east-1";
export const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:ses-notifications`;
export const QUEUE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:ses-events`;
const SIGNING_CERT_URL = `https://sns.${REGION}.amazonaws.com/SimpleNotificationService-0000000000000000000000000000000a.pem`;
const UNSUBSCRIBE_URL = `https://sns.${REGION}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${TOPIC_ARN}:4f2d7e0a-0000-4000-8000-000000000000`;

/** Reads `test/fixtures/ses/<name>.json`. */
export function sesFixture(name: string): Json {
  return JSON.parse(readFileSync(`${SES_FIXTURES_DIR}${name}.json`, "utf8")) as Json;
}

/** A stable UUID-shaped id from any value (the same value → the same id). */
export function stableId(value: unknown, salt = ""): string {
  const h = createHash("sha256").update(salt).update(JSON.stringify(value)).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The timestamp an envelope carries: the record's `mail.timestamp`, else a fixed instant. */
function timestampOf(record: Json): string {
  const mail = record.mail;
  const ts = typeof mail === "object" && mail !== null ? (mail as Json).timestamp : undefined;
  return typeof ts === "string" ? ts : "2026-01-01T00:00:00.000Z";
}

/**
 * The SNS HTTP(S) message document SNS POSTs for `record` (signature fields present but fake: for
 * parsing tests, not signature verification).
 */
export function asSnsHttp(record: Json, overrides: Partial<Record<string, string>> = {}): Json {
  return {
    Type: "Notification",
    MessageId: stableId(record, "sns"),
    TopicArn: TOPIC_ARN,
    Message: JSON.stringify(record),
    Timestamp: timestampOf(record),
    SignatureVersion: "1",
    Signature: Buffer.from(stableId(record, "sig")).toString("base64"),
    SigningCertURL: SIGNING_CERT_URL,
    UnsubscribeURL: UNSUBSCRIBE_URL,
    ...overrides,
  };
}

/** An SNS SubscriptionConfirmation (or, with `type`, UnsubscribeConfirmation) document. */
export function asSnsConfirmation(
  type: "SubscriptionConfirmation" | "UnsubscribeConfirmation" = "SubscriptionConfirmation",
): Json {
  const token = "2336412f37fb687f5d51e6e2425f004ae3f0ab1fa0d2c7a6d28b4e1ff8b71e6e".repeat(2);
  return {
    Type: type,
    MessageId: stableId(type, "confirmation"),
    Token: token,
    TopicArn: TOPIC_ARN,
    Message: `You have chosen to subscribe to the topic ${TOPIC_ARN}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
    SubscribeURL: `https://sns.${REGION}.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC_ARN}&Token=${token}`,
    Timestamp: "2026-01-01T00:00:00.000Z",
    SignatureVersion: "1",
    Signature: Buffer.from("not a real signature").toString("base64"),
    SigningCertURL: SIGNING_CERT_URL,
  };
}

/** An SNS → Lambda event with one record per SES record (`SigningCertUrl` casing). */
export function asSnsLambda(...records: Json[]): Json {
  return {
    Records: records.map((record) => ({
      EventSource: "aws:sns",
      EventVersion: "1.0",
      EventSubscriptionArn: `${TOPIC_ARN}:4f2d7e0a-0000-4000-8000-000000000000`,
      Sns: {
        Type: "Notification",
        MessageId: stableId(record, "sns"),
        TopicArn: TOPIC_ARN,
        Subject: null,
        Message: JSON.stringify(record),
        Timestamp: timestampOf(record),
        SignatureVersion: "1",
        Signature: Buffer.from(stableId(record, "sig")).toString("base64"),
        SigningCertUrl: SIGNING_CERT_URL,
        UnsubscribeUrl: UNSUBSCRIBE_URL,
        MessageAttributes: {},
      },
    })),
  };
}

/** What an SQS body holds: the SNS document (default), the SES record (SNS raw delivery), or an EventBridge event. */
export type SqsBodyKind = "sns" | "raw" | "eventbridge";

/** The SQS `body` string for `record`. */
export function sqsBody(record: Json, via: SqsBodyKind = "sns"): string {
  if (via === "raw") return JSON.stringify(record);
  if (via === "eventbridge") return JSON.stringify(asEventBridge(record));
  return JSON.stringify(asSnsHttp(record));
}

/** An SQS → Lambda event with one SQS record per SES record. */
export function asSqsLambda(records: Json | Json[], via: SqsBodyKind = "sns"): Json {
  const list = Array.isArray(records) ? records : [records];
  return {
    Records: list.map((record) => {
      const body = sqsBody(record, via);
      return {
        messageId: stableId(record, `sqs-${via}`),
        receiptHandle: `AQEB${Buffer.from(stableId(record, "rh")).toString("base64")}`,
        body,
        attributes: {
          ApproximateReceiveCount: "1",
          SentTimestamp: String(Date.parse(timestampOf(record))),
          SenderId: "AIDAEXAMPLEEXAMPLE000",
          ApproximateFirstReceiveTimestamp: String(Date.parse(timestampOf(record)) + 5),
        },
        messageAttributes: {},
        md5OfBody: createHash("md5").update(body).digest("hex"),
        eventSource: "aws:sqs",
        eventSourceARN: QUEUE_ARN,
        awsRegion: REGION,
      };
    }),
  };
}

/** EventBridge `detail-type` per SES event type (Subscription reads "Email Subscribed" either way). */
export const DETAIL_TYPES: Readonly<Record<string, string>> = {
  Send: "Email Sent",
  Delivery: "Email Delivered",
  Bounce: "Email Bounced",
  Complaint: "Email Complaint Received",
  Reject: "Email Rejected",
  Open: "Email Opened",
  Click: "Email Clicked",
  "Rendering Failure": "Email Rendering Failed",
  DeliveryDelay: "Email Delivery Delayed",
  Subscription: "Email Subscribed",
};

/** The EventBridge event SES puts on the default bus for `record` (`detail` is the record). */
export function asEventBridge(record: Json): Json {
  // Property tests pass any value here: read it without calling its `toString`, and look it up as data.
  const raw = record.eventType ?? record.notificationType ?? "";
  const type = typeof raw === "string" ? raw : (JSON.stringify(raw) ?? "");
  return {
    version: "0",
    id: stableId(record, "eventbridge"),
    "detail-type": Object.hasOwn(DETAIL_TYPES, type) ? (DETAIL_TYPES[type] as string) : `Email ${type}`,
    source: "aws.ses",
    account: ACCOUNT,
    time: timestampOf(record).replace(/\.\d+Z$/, "Z"),
    region: REGION,
    resources: [`arn:aws:ses:${REGION}:${ACCOUNT}:configuration-set/ConfigSet`],
    detail: record,
  };
}

/** `record` in every shape, labelled: bare, SNS HTTP, SNS → Lambda, SQS (SNS body / raw / EventBridge), EventBridge. */
export function allShapes(record: Json): [label: string, body: Json][] {
  return [
    ["bare record", record],
    ["SNS HTTP", asSnsHttp(record)],
    ["SNS → Lambda", asSnsLambda(record)],
    ["SQS → Lambda (SNS body)", asSqsLambda(record, "sns")],
    ["SQS → Lambda (raw delivery)", asSqsLambda(record, "raw")],
    ["SQS → Lambda (EventBridge body)", asSqsLambda(record, "eventbridge")],
    ["EventBridge", asEventBridge(record)],
  ];
}
