/**
 * The transports SES output arrives in (docs/providers/ses.md §1.6–1.7), unwrapped down to the SES records.
 * Envelopes are kept apart from the payload schemas (`schemas.ts`), as in Powertools parser, and
 * are Powertools' SNS/SQS/EventBridge schemas, relaxed only where a field we never read is
 * missing from hand-made or replayed payloads (`/v1/import`).
 */
import * as z from "zod";
import { InputError } from "../../core/errors.js";
import { isRecord } from "../../core/is-record.js";
import { parseJsonText } from "../../core/json.js";
import { parseAt } from "../shared/validate.js";

/** Where the body came from. */
export type SesShape = "ses-record" | "sns-http" | "sns-lambda" | "sqs-lambda" | "eventbridge";

export type SnsMessageType = "Notification" | "SubscriptionConfirmation" | "UnsubscribeConfirmation";

/** What the SNS document around a record said (for TopicArn pinning, de-duplication, confirmation). */
export type SnsMeta = {
  readonly type: SnsMessageType;
  readonly messageId: string;
  readonly topicArn: string;
  readonly timestamp: string | null;
  /** Confirmations only: the URL to GET once the signature is verified. */
  readonly subscribeUrl: string | null;
  /** Confirmations only. */
  readonly token: string | null;
};

/** What the EventBridge envelope around a record said (match `account` to ours). */
export type EventBridgeMeta = {
  readonly id: string;
  readonly account: string;
  readonly region: string | null;
  readonly detailType: string;
  readonly time: string;
};

/** One SES record still to be parsed, with where it was in the body and the envelopes around it. */
export type SesEnvelopeItem = {
  /** The SES record itself (not yet validated: `parseSesRecord` does that). */
  readonly record: unknown;
  /** Its path in the body; a JSON-string layer is crossed by its field name (`Records.0.body.Message`). */
  readonly path: readonly (string | number)[];
  readonly sns: SnsMeta | null;
  readonly sqsMessageId: string | null;
  readonly eventBridge: EventBridgeMeta | null;
};

export type UnwrappedSes = {
  readonly shape: SesShape;
  /** SES records in body order; empty for an SNS subscription/unsubscribe confirmation. */
  readonly items: readonly SesEnvelopeItem[];
  /** The top-level SNS document's metadata for `sns-http` bodies (including confirmations), else null. */
  readonly sns: SnsMeta | null;
};

type Path = readonly (string | number)[];

/*
 * Powertools parser 2.35.0's `schemas/sns`, `schemas/sqs` and `schemas/eventbridge` (MIT-0), the
 * parts used here, copied as they are. Not imported: those modules do `import { z } from "zod"`,
 * and esbuild cannot tree-shake a namespace reached through zod's named `z` re-export
 * (colinhacks/zod#6597), so importing them put all of zod into the ingest bundles, every locale
 * (~258 KB) and the JSON Schema converters included. `import * as z` (below and everywhere in
 * lambdas/) shakes. Keep field order and modifiers as upstream's: they decide the issues and their
 * messages.
 */
const SqsMsgAttributeSchema = z.object({
  stringValue: z.string().optional().nullable(),
  binaryValue: z.string().optional().nullable(),
  stringListValues: z.array(z.string()).optional(),
  binaryListValues: z.array(z.string()).optional(),
  dataType: z.union([z.literal("String"), z.literal("Number"), z.literal("Binary"), z.string()]),
});

const SqsAttributesSchema = z.object({
  ApproximateReceiveCount: z.string(),
  ApproximateFirstReceiveTimestamp: z.string(),
  MessageDeduplicationId: z.string().optional(),
  MessageGroupId: z.string().optional(),
  SenderId: z.string(),
  SentTimestamp: z.string(),
  SequenceNumber: z.string().optional(),
  AWSTraceHeader: z.string().optional(),
  DeadLetterQueueSourceArn: z.string().optional(),
});

const SqsRecordSchema = z.object({
  messageId: z.string(),
  receiptHandle: z.string(),
  body: z.string(),
  attributes: SqsAttributesSchema,
  messageAttributes: z.record(z.string(), SqsMsgAttributeSchema),
  md5OfBody: z.string(),
  md5OfMessageAttributes: z.string().optional().nullable(),
  eventSource: z.literal("aws:sqs"),
  eventSourceARN: z.string(),
  awsRegion: z.string(),
});

const SnsMsgAttribute = z.object({
  Type: z.string(),
  Value: z.string(),
});

const SnsNotificationSchema = z.object({
  Subject: z.string().nullish(),
  TopicArn: z.string(),
  UnsubscribeUrl: z.url(),
  UnsubscribeURL: z.url().optional(),
  SigningCertUrl: z.url().optional(),
  SigningCertURL: z.url().optional(),
  Type: z.literal("Notification"),
  MessageAttributes: z.record(z.string(), SnsMsgAttribute).optional(),
  Message: z.string(),
  MessageId: z.string(),
  Signature: z.string().optional(),
  SignatureVersion: z.string().optional(),
  Timestamp: z.iso.datetime(),
});

const SnsSqsNotificationSchema = SnsNotificationSchema.extend({
  UnsubscribeURL: z.string().optional(),
  SigningCertURL: z.url().optional(),
}).omit({
  UnsubscribeUrl: true,
  SigningCertUrl: true,
});

const SnsRecordSchema = z.object({
  EventSource: z.literal("aws:sns"),
  EventVersion: z.string(),
  EventSubscriptionArn: z.string(),
  Sns: SnsNotificationSchema,
});

const EventBridgeSchema = z.object({
  version: z.string(),
  id: z.string(),
  source: z.string(),
  account: z.string(),
  time: z.iso.datetime(),
  region: z.string(),
  resources: z.array(z.string()),
  "detail-type": z.string(),
  detail: z.unknown(),
  "replay-name": z.string().optional(),
});

/** The copies of Powertools' schemas, by their upstream names: test/providers/ses/envelopes-upstream.test.ts holds them to upstream. */
export const POWERTOOLS_SCHEMA_COPIES = {
  SqsRecordSchema,
  SnsNotificationSchema,
  SnsSqsNotificationSchema,
  SnsRecordSchema,
  EventBridgeSchema,
} as const;

/**
 * SNS document as POSTed to HTTP(S) or put in an SQS body (`SigningCertURL`/`UnsubscribeURL` casing).
 * `Notification` is Powertools' schema; the confirmations carry `Token` and `SubscribeURL` instead.
 */
const SnsConfirmationSchema = z.looseObject({
  Type: z.enum(["SubscriptionConfirmation", "UnsubscribeConfirmation"]),
  MessageId: z.string().min(1),
  TopicArn: z.string().min(1),
  Message: z.string(),
  Token: z.string().min(1),
  SubscribeURL: z.string().min(1),
  Timestamp: z.iso.datetime(),
  SignatureVersion: z.string().optional(),
  Signature: z.string().optional(),
  SigningCertURL: z.string().optional(),
});

/**
 * Any SNS HTTP(S) message document (Notification, SubscriptionConfirmation, UnsubscribeConfirmation).
 *
 * @example
 * SnsHttpDocumentSchema.parse({ Type: "Notification", MessageId: "…", TopicArn: "arn:aws:sns:…",
 *   Message: '{"notificationType":"Bounce",…}', Timestamp: "2016-01-27T14:59:38.237Z" });
 */
export const SnsHttpDocumentSchema = z.discriminatedUnion("Type", [
  SnsSqsNotificationSchema.partial({ UnsubscribeURL: true }),
  SnsConfirmationSchema,
]);
export type SnsHttpDocument = z.infer<typeof SnsHttpDocumentSchema>;

/** SNS → Lambda record (`SigningCertUrl`/`UnsubscribeUrl` casing); subscription fields optional. */
export const SnsLambdaRecordSchema = SnsRecordSchema.partial({
  EventVersion: true,
  EventSubscriptionArn: true,
}).extend({ Sns: SnsNotificationSchema.partial({ UnsubscribeUrl: true }) });

/** SQS → Lambda record; only `eventSource` and `body` are needed (replayed bodies may lack the rest). */
export const SqsLambdaRecordSchema = SqsRecordSchema.partial({
  messageId: true,
  receiptHandle: true,
  attributes: true,
  messageAttributes: true,
  md5OfBody: true,
  eventSourceARN: true,
  awsRegion: true,
});

/** EventBridge event from SES (default bus, `source: "aws.ses"`); `detail` is the SES record. */
export const SesEventBridgeSchema = EventBridgeSchema.partial({
  version: true,
  region: true,
  resources: true,
}).extend({ source: z.literal("aws.ses") });

/** A Lambda event with `Records` (SNS or SQS, told apart per record). */
const RecordsEventSchema = z.looseObject({
  Records: z.array(z.unknown()).min(1, "`Records` must not be empty"),
});

/**
 * A JSON-string layer (SNS `Message`, SQS `body`) parsed with the same depth bound as a whole body
 * (`parseJsonText`), its issues re-pointed at `path`.
 */
function parseJsonField(text: string, path: Path, what: string): unknown {
  try {
    return parseJsonText(text, what);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const where = path.join(".");
    const issues =
      err.issues.length > 0
        ? err.issues.map((i) => ({ ...i, path: where }))
        : [{ path: where, message: "not JSON" }];
    throw new InputError(err.message, issues, { cause: err });
  }
}

function snsMetaOf(doc: SnsHttpDocument): SnsMeta {
  const confirmation = doc.Type === "Notification" ? null : doc;
  return {
    type: doc.Type,
    messageId: doc.MessageId,
    topicArn: doc.TopicArn,
    timestamp: doc.Timestamp,
    subscribeUrl: confirmation?.SubscribeURL ?? null,
    token: confirmation?.Token ?? null,
  };
}

type Origin = { sns: SnsMeta | null; sqsMessageId: string | null; eventBridge: EventBridgeMeta | null };
const NO_ORIGIN: Origin = { sns: null, sqsMessageId: null, eventBridge: null };

function fromSnsDocument(
  value: unknown,
  path: Path,
  origin: Origin,
): { items: SesEnvelopeItem[]; sns: SnsMeta } {
  const doc = parseAt(SnsHttpDocumentSchema, value, path, "Not a valid SNS message.");
  const sns = snsMetaOf(doc);
  if (doc.Type !== "Notification") return { items: [], sns };
  const messagePath = [...path, "Message"];
  const record = parseJsonField(doc.Message, messagePath, "The SNS `Message`");
  return { items: [{ record, path: messagePath, ...origin, sns }], sns };
}

function fromEventBridge(value: unknown, path: Path, origin: Origin): SesEnvelopeItem[] {
  const event = parseAt(SesEventBridgeSchema, value, path, "Not a valid EventBridge event from SES.");
  const eventBridge: EventBridgeMeta = {
    id: event.id,
    account: event.account,
    region: event.region ?? null,
    detailType: event["detail-type"],
    time: event.time,
  };
  return [{ record: event.detail, path: [...path, "detail"], ...origin, eventBridge }];
}

const looksLikeSnsDocument = (v: Record<string, unknown>): boolean =>
  typeof v.Type === "string" && ("TopicArn" in v || "Message" in v);
const looksLikeEventBridge = (v: Record<string, unknown>): boolean =>
  "detail-type" in v || (typeof v.source === "string" && "detail" in v);
const looksLikeSesRecord = (v: Record<string, unknown>): boolean =>
  "eventType" in v || "notificationType" in v;

/** An SQS body: an SNS document, an EventBridge event, or (raw delivery) the SES record itself. */
function fromSqsBody(body: string, path: Path, origin: Origin): SesEnvelopeItem[] {
  const value = parseJsonField(body, path, "The SQS `body`");
  if (isRecord(value)) {
    if (looksLikeSnsDocument(value)) return fromSnsDocument(value, path, origin).items;
    if (looksLikeEventBridge(value)) return fromEventBridge(value, path, origin);
    if (looksLikeSesRecord(value)) return [{ record: value, path, ...origin }];
  }
  throw new InputError("The SQS `body` is neither an SNS message, an EventBridge event nor an SES record.", [
    { path: path.join("."), message: "unrecognized SQS body" },
  ]);
}

function fromLambdaRecord(value: unknown, path: Path): SesEnvelopeItem[] {
  if (isRecord(value) && value.EventSource === "aws:sns") {
    const record = parseAt(SnsLambdaRecordSchema, value, path, "Not a valid SNS → Lambda record.");
    const messagePath = [...path, "Sns", "Message"];
    const ses = parseJsonField(record.Sns.Message, messagePath, "The SNS `Message`");
    const sns: SnsMeta = {
      type: "Notification",
      messageId: record.Sns.MessageId,
      topicArn: record.Sns.TopicArn,
      timestamp: record.Sns.Timestamp,
      subscribeUrl: null,
      token: null,
    };
    return [{ record: ses, path: messagePath, ...NO_ORIGIN, sns }];
  }
  if (isRecord(value) && value.eventSource === "aws:sqs") {
    const record = parseAt(SqsLambdaRecordSchema, value, path, "Not a valid SQS → Lambda record.");
    return fromSqsBody(record.body, [...path, "body"], {
      ...NO_ORIGIN,
      sqsMessageId: record.messageId ?? null,
    });
  }
  throw new InputError(
    "A Lambda record must come from SNS (`EventSource: aws:sns`) or SQS (`eventSource: aws:sqs`).",
    [{ path: path.join("."), message: "unknown event source" }],
  );
}

/**
 * The SES record inside a verified SNS `Message` (`POST /webhooks/ses`, after `verifySnsMessage`).
 * Unlike `unwrapSes`, it accepts exactly one shape: the signed `Message` text is an SES record. No
 * other layer is looked for, so nothing outside what SNS signed can add records (a `Records` member
 * beside a genuine `Message` once could).
 *
 * @throws InputError when the text is not JSON or not an SES record.
 * @example
 * const [item] = unwrapSnsMessage(verified.message, { type: "Notification", messageId, topicArn, … });
 * parseSesRecord(item.record, { tenant: "default", path: item.path });
 */
export function unwrapSnsMessage(message: string, sns: SnsMeta): SesEnvelopeItem[] {
  const path = ["Message"];
  const record = parseJsonField(message, path, "The SNS `Message`");
  if (!isRecord(record) || !looksLikeSesRecord(record)) {
    throw new InputError(
      "The SNS `Message` is not an SES notification (`eventType` or `notificationType`); a topic for this webhook carries SES notifications only.",
      [{ path: "Message", message: "not an SES record" }],
    );
  }
  return [{ record, path, ...NO_ORIGIN, sns }];
}

/**
 * Tells which shape a body is and unwraps it down to its SES records, parsing the JSON-string layers
 * (SQS `body`, SNS `Message`). Validates the envelopes only; the records are validated by
 * `parseSesRecord`. A string body is parsed as JSON first (SNS posts `text/plain`).
 *
 * Shapes: a bare SES record; an SNS HTTP document (Notification, or a Subscription/Unsubscribe
 * confirmation, which yields no items and `sns.type` for the caller to act on); an SNS → Lambda
 * event; an SQS → Lambda event whose bodies are SNS documents, raw SES records (raw delivery) or
 * EventBridge events; an EventBridge event.
 *
 * @throws InputError for anything else, or when a layer is malformed (issues carry the paths).
 * @example
 * const { shape, items, sns } = unwrapSes(JSON.parse(rawBody));
 * if (sns?.type === "SubscriptionConfirmation") {
 *   // verify the signature and pin sns.topicArn, then GET sns.subscribeUrl
 * }
 */
export function unwrapSes(body: unknown): UnwrappedSes {
  const value = typeof body === "string" ? parseJsonField(body, [], "The body") : body;
  if (!isRecord(value)) {
    throw new InputError("An SES notification must be a JSON object.", [
      { path: "", message: "not an object" },
    ]);
  }
  if ("Records" in value) {
    const event = parseAt(RecordsEventSchema, value, [], "Not a valid Lambda event.");
    const firstSource = isRecord(event.Records[0]) ? event.Records[0].EventSource : undefined;
    const shape: SesShape = firstSource === "aws:sns" ? "sns-lambda" : "sqs-lambda";
    const items = event.Records.flatMap((r, i) => fromLambdaRecord(r, ["Records", i]));
    return { shape, items, sns: null };
  }
  if (looksLikeSnsDocument(value)) {
    const { items, sns } = fromSnsDocument(value, [], NO_ORIGIN);
    return { shape: "sns-http", items, sns };
  }
  if (looksLikeEventBridge(value))
    return { shape: "eventbridge", items: fromEventBridge(value, [], NO_ORIGIN), sns: null };
  if (looksLikeSesRecord(value))
    return { shape: "ses-record", items: [{ record: value, path: [], ...NO_ORIGIN }], sns: null };
  throw new InputError(
    "Not an SES notification: expected an SES record (`eventType`/`notificationType`), an SNS message " +
      "(`Type`, `Message`), a Lambda event (`Records`) or an EventBridge event (`detail-type`, `detail`).",
    [{ path: "", message: "unrecognized shape" }],
  );
}
