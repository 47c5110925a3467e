/**
 * SNS HTTP(S) message verification (docs/providers/ses.md §1.7 "SNS signature verification"), small enough to
 * read in one go. Order, cheapest and most telling first, and nothing fetched until every check that
 * needs no certificate has passed:
 *
 * 1. an allowlist of topics is configured, and `TopicArn` is in it (a valid signature only proves the
 *    message came from *some* topic, possibly the sender's own);
 * 2. the message type agrees with the `x-amz-sns-message-type` header, the fields are there, and
 *    there is no member SNS does not send (a member outside the signature could otherwise carry
 *    content the caller might read: only what is signed, or known and never read, is let through);
 * 3. `SignatureVersion` is `1` (RSA-SHA1) or `2` (RSA-SHA256);
 * 4. `SigningCertURL` is pinned to `https://sns.<region>.amazonaws.com(.cn)/SimpleNotificationService-*.pem`;
 * 5. `Timestamp` is at most an hour old (replay; duplicates within the hour are the store's idempotency);
 * 6. the certificate is fetched (cached per URL) and the signature checked over the type's fields.
 *
 * Off-the-shelf validators were not used: `sns-validator` checks only the host and a `.pem` suffix
 * (query strings pass), supports SignatureVersion 1 only and fetches with a module-private `https.get`.
 */
import { verify as verifySignature, X509Certificate } from "node:crypto";
import { isRecord } from "../../core/is-record.js";
import { signingCertUrlProblem } from "./sns-cert-url.js";

export type SnsMessageType = "Notification" | "SubscriptionConfirmation" | "UnsubscribeConfirmation";

/**
 * Why a message was refused. `malformed`, `type-mismatch` and `unexpected-member` are the format (no
 * genuine SNS message has them, and a retry cannot fix them); all others are trust.
 */
export type SnsVerificationReason =
  | "not-configured"
  | "topic-not-allowed"
  | "malformed"
  | "type-mismatch"
  | "unexpected-member"
  | "missing-signature"
  | "signature-version"
  | "cert-url"
  | "stale"
  | "certificate"
  | "bad-signature";

/**
 * The message cannot be trusted (or is not an SNS message at all); `reason` tells which check failed.
 *
 * @example
 * try { await verifySnsMessage(doc, options) } catch (e) { if (e instanceof SnsVerificationError) e.reason }
 */
export class SnsVerificationError extends Error {
  override readonly name = "SnsVerificationError";
  constructor(
    readonly reason: SnsVerificationReason,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The signing certificate could not be fetched for a reason of ours or the network's (timeout,
 * connection error, a 5xx from SNS): not the sender's fault, so the caller should answer 5xx and let
 * SNS retry.
 */
export class SnsCertificateUnavailableError extends Error {
  override readonly name = "SnsCertificateUnavailableError";
}

/**
 * Fetches a certificate PEM. Throw `SnsVerificationError("certificate", …)` when the URL answers that
 * it has no certificate (4xx), anything else for transient failures.
 */
export type CertificateFetcher = (url: string) => Promise<string>;

export type VerifyOptions = {
  /** Topic ARNs accepted (exact match, account id included); empty refuses every message. */
  readonly allowedTopicArns: readonly string[];
  readonly fetchCertificate: CertificateFetcher;
  readonly now: Date;
  /** The `x-amz-sns-message-type` header; when given (HTTP), it must equal the body's `Type`. */
  readonly messageTypeHeader?: string | undefined;
  /** Oldest `Timestamp` accepted, in ms. Default one hour (SNS stops retrying HTTP within 3600 s). */
  readonly maxAgeMs?: number;
};

/** A message whose topic, certificate and signature were checked. */
export type VerifiedSnsMessage = {
  readonly type: SnsMessageType;
  readonly messageId: string;
  readonly topicArn: string;
  readonly timestamp: string;
  readonly signatureVersion: "1" | "2";
  /** The signing certificate's host, `sns.<region>.amazonaws.com(.cn)`: a `SubscribeURL` must be on it. */
  readonly certHost: string;
  /** Confirmations only. */
  readonly subscribeUrl: string | null;
  /** Confirmations only. */
  readonly token: string | null;
  /**
   * The signed `Message`: for a Notification, the only content a caller may act on (every other
   * member of the document is either metadata above or unsigned).
   */
  readonly message: string;
  /** The signed `Subject`, when the publisher set one. */
  readonly subject: string | null;
};

const MESSAGE_TYPES: readonly SnsMessageType[] = [
  "Notification",
  "SubscriptionConfirmation",
  "UnsubscribeConfirmation",
];

/** The signed fields per type, in the order they are signed (docs/providers/ses.md §1.7 step 3). */
const SIGNED_FIELDS: Record<SnsMessageType, readonly string[]> = {
  Notification: ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"],
  SubscriptionConfirmation: [
    "Message",
    "MessageId",
    "SubscribeURL",
    "Timestamp",
    "Token",
    "TopicArn",
    "Type",
  ],
  UnsubscribeConfirmation: ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"],
};

/**
 * Members SNS sends that are not signed: the signature itself, and for a Notification the
 * `UnsubscribeURL` and the publisher's `MessageAttributes`. They are accepted and never read; any
 * other member is refused (`unexpected-member`), so nothing unsigned can reach a parser.
 */
const UNSIGNED_MEMBERS: Record<SnsMessageType, readonly string[]> = {
  Notification: ["Signature", "SignatureVersion", "SigningCertURL", "UnsubscribeURL", "MessageAttributes"],
  SubscriptionConfirmation: ["Signature", "SignatureVersion", "SigningCertURL"],
  UnsubscribeConfirmation: ["Signature", "SignatureVersion", "SigningCertURL"],
};

/** Every member a genuine message of each type may have. */
const KNOWN_MEMBERS: Record<SnsMessageType, ReadonlySet<string>> = {
  Notification: new Set([...SIGNED_FIELDS.Notification, ...UNSIGNED_MEMBERS.Notification]),
  SubscriptionConfirmation: new Set([
    ...SIGNED_FIELDS.SubscriptionConfirmation,
    ...UNSIGNED_MEMBERS.SubscriptionConfirmation,
  ]),
  UnsubscribeConfirmation: new Set([
    ...SIGNED_FIELDS.UnsubscribeConfirmation,
    ...UNSIGNED_MEMBERS.UnsubscribeConfirmation,
  ]),
};

/** A value for an error message: a string quoted and cut to 64 characters, else its JSON kind. */
const quoted = (value: unknown): string =>
  typeof value === "string"
    ? JSON.stringify(value.slice(0, 64))
    : Array.isArray(value)
      ? "(an array)"
      : `(${value === null ? "null" : typeof value})`;

/** Names the members of `doc` a genuine message of `type` never has (at most a few, for the answer). */
function unexpectedMembers(doc: Record<string, unknown>, type: SnsMessageType): string[] {
  return Object.keys(doc).filter((key) => !KNOWN_MEMBERS[type].has(key));
}

const HASHES = { "1": "sha1", "2": "sha256" } as const;
const HOUR_MS = 3_600_000;
/** A `Timestamp` this far ahead of our clock is refused too (clock skew allowance). */
const MAX_FUTURE_MS = 5 * 60_000;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const ISO_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/;

const fail = (reason: SnsVerificationReason, message: string, options?: ErrorOptions): never => {
  throw new SnsVerificationError(reason, message, options);
};

function field(
  doc: Record<string, unknown>,
  key: string,
  reason: SnsVerificationReason = "malformed",
): string {
  const value = doc[key];
  if (typeof value !== "string" || value === "") fail(reason, `The SNS message has no \`${key}\` string.`);
  return value as string;
}

/**
 * The string SNS signed: `key\nvalue\n` for each of the type's fields that is present (a `Subject`
 * that is absent or null is left out), in byte order.
 *
 * @example
 * stringToSign({ Type: "Notification", Message: "m", MessageId: "1", Timestamp: "t", TopicArn: "a" });
 * // "Message\nm\nMessageId\n1\nTimestamp\nt\nTopicArn\na\nType\nNotification\n"
 */
export function stringToSign(doc: Record<string, unknown>): string {
  const type = doc.Type;
  // An own-property test, so a `Type` such as "constructor" signs nothing rather than throwing.
  const fields =
    typeof type === "string" && Object.hasOwn(SIGNED_FIELDS, type)
      ? SIGNED_FIELDS[type as SnsMessageType]
      : [];
  let text = "";
  for (const key of fields) {
    const value = doc[key];
    if (value === undefined || value === null) continue;
    text += `${key}\n${String(value)}\n`;
  }
  return text;
}

/**
 * Verifies an SNS HTTP(S) message document as docs/providers/ses.md §1.7 says (see the module comment for the
 * order). Every check that needs no certificate runs before `fetchCertificate` is called.
 *
 * @throws SnsVerificationError with the failed check's `reason`.
 * @throws SnsCertificateUnavailableError when the certificate cannot be fetched for a transient reason.
 * @example
 * const message = await verifySnsMessage(JSON.parse(body), {
 *   allowedTopicArns: ["arn:aws:sns:us-east-1:123456789012:ses-notifications"],
 *   fetchCertificate: defaultCertificateFetcher,
 *   now: new Date(),
 *   messageTypeHeader: headers["x-amz-sns-message-type"],
 * });
 */
export async function verifySnsMessage(
  document: unknown,
  options: VerifyOptions,
): Promise<VerifiedSnsMessage> {
  if (options.allowedTopicArns.length === 0) {
    fail("not-configured", "No SNS topic is allowed: set SNS_TOPIC_ARNS (comma-separated topic ARNs).");
  }
  if (!isRecord(document)) return fail("malformed", "An SNS message is a JSON object.");
  const doc = document;
  // 1. The topic, before anything else.
  const topicArn = doc.TopicArn;
  if (typeof topicArn !== "string" || !options.allowedTopicArns.includes(topicArn)) {
    fail("topic-not-allowed", `The topic ${quoted(topicArn ?? null)} is not in SNS_TOPIC_ARNS.`);
  }
  // 2. Type and fields.
  const type = doc.Type as SnsMessageType;
  if (!MESSAGE_TYPES.includes(type)) fail("malformed", `Unknown SNS message type ${quoted(doc.Type)}.`);
  if (options.messageTypeHeader !== undefined && options.messageTypeHeader !== type) {
    fail(
      "type-mismatch",
      `The x-amz-sns-message-type header (${quoted(options.messageTypeHeader)}) does not match the body's Type (${type}).`,
    );
  }
  const unexpected = unexpectedMembers(doc, type);
  if (unexpected.length > 0) {
    const names = unexpected.slice(0, 5).map(quoted);
    fail(
      "unexpected-member",
      `The SNS message has ${unexpected.length === 1 ? "a member" : "members"} SNS never sends (${names.join(", ")}${unexpected.length > 5 ? ", …" : ""}); it is refused.`,
    );
  }
  const messageId = field(doc, "MessageId");
  const timestamp = field(doc, "Timestamp");
  if (typeof doc.Message !== "string") fail("malformed", "The SNS message has no `Message` string.");
  if (doc.Subject !== undefined && doc.Subject !== null && typeof doc.Subject !== "string") {
    fail("malformed", "The SNS `Subject` is not a string.");
  }
  const confirmation = type !== "Notification";
  const subscribeUrl = confirmation ? field(doc, "SubscribeURL") : null;
  const token = confirmation ? field(doc, "Token") : null;
  const signature = field(doc, "Signature", "missing-signature");
  const certUrl = field(doc, "SigningCertURL", "missing-signature");
  const version = field(doc, "SignatureVersion", "missing-signature");
  // 3. Signature version.
  if (version !== "1" && version !== "2") {
    fail("signature-version", `SignatureVersion ${quoted(version)} is not supported (1 or 2).`);
  }
  if (!BASE64.test(signature)) fail("bad-signature", "The SNS `Signature` is not base64.");
  // 4. The certificate URL, before any fetch.
  const urlProblem = signingCertUrlProblem(certUrl);
  if (urlProblem !== null) fail("cert-url", `SigningCertURL ${urlProblem}.`);
  // 5. Freshness.
  const at = ISO_TIMESTAMP.test(timestamp) ? Date.parse(timestamp) : Number.NaN;
  if (Number.isNaN(at)) fail("malformed", `The SNS Timestamp ${quoted(timestamp)} is not an ISO time.`);
  const age = options.now.getTime() - at;
  if (age > (options.maxAgeMs ?? HOUR_MS)) fail("stale", `The SNS message is too old (sent ${timestamp}).`);
  if (age < -MAX_FUTURE_MS) fail("stale", `The SNS message is dated in the future (${timestamp}).`);
  // 6. Certificate and signature.
  const certificate = await loadCertificate(certUrl, options);
  const signedBy = verifySignature(
    HASHES[version as "1" | "2"],
    Buffer.from(stringToSign(doc), "utf8"),
    certificate.publicKey,
    Buffer.from(signature, "base64"),
  );
  if (!signedBy) fail("bad-signature", "The SNS signature does not match the message.");
  return {
    type,
    messageId,
    topicArn: topicArn as string,
    timestamp,
    signatureVersion: version as "1" | "2",
    certHost: new URL(certUrl).hostname,
    subscribeUrl,
    token,
    message: doc.Message as string,
    subject: typeof doc.Subject === "string" ? doc.Subject : null,
  };
}

async function loadCertificate(url: string, options: VerifyOptions): Promise<X509Certificate> {
  let pem: string;
  try {
    pem = await options.fetchCertificate(url);
  } catch (error) {
    if (error instanceof SnsVerificationError) throw error;
    throw new SnsCertificateUnavailableError(`The SNS signing certificate ${url} could not be fetched.`, {
      cause: error,
    });
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch (error) {
    return fail("certificate", `${url} is not a PEM certificate.`, { cause: error });
  }
  const now = options.now.getTime();
  if (now < Date.parse(certificate.validFrom) || now > Date.parse(certificate.validTo)) {
    fail("certificate", `The SNS signing certificate ${url} is not valid now.`);
  }
  if (certificate.publicKey.asymmetricKeyType !== "rsa") {
    fail("certificate", `The SNS signing certificate ${url} does not hold an RSA key.`);
  }
  return certificate;
}

// ---- production certificate fetching, cached per container ----

/** Largest certificate we read (real ones are under 2 KB). */
const MAX_CERT_BYTES = 16 * 1024;
const FETCH_TIMEOUT_MS = 5_000;

/**
 * GETs a certificate with a timeout and no redirects. A 4xx answer or a body that is not a PEM
 * certificate is the sender's problem (`SnsVerificationError`); anything else throws for a retry.
 */
export async function fetchCertificateOverHttps(url: string): Promise<string> {
  const response = await fetch(url, { redirect: "error", signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (response.status >= 400 && response.status < 500) {
    await response.body?.cancel();
    fail("certificate", `${url} answered ${response.status}.`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`${url} answered ${response.status}`);
  }
  const text = await response.text();
  if (text.length > MAX_CERT_BYTES || !text.includes("-----BEGIN CERTIFICATE-----")) {
    fail("certificate", `${url} did not answer a PEM certificate.`);
  }
  return text;
}

/**
 * Wraps a fetcher with a per-URL cache of successful answers (at most `limit`, oldest dropped).
 * Concurrent requests for one URL share one fetch; a failure is not cached.
 *
 * @example
 * const fetchCertificate = cachingFetcher(fetchCertificateOverHttps);
 */
export function cachingFetcher(fetcher: CertificateFetcher, limit = 32): CertificateFetcher {
  const cache = new Map<string, Promise<string>>();
  return (url) => {
    const hit = cache.get(url);
    if (hit) return hit;
    const pending = fetcher(url);
    cache.set(url, pending);
    if (cache.size > limit) cache.delete(cache.keys().next().value as string);
    pending.catch(() => {
      if (cache.get(url) === pending) cache.delete(url);
    });
    return pending;
  };
}

/** The container's certificate fetcher: HTTPS, cached for the life of the container. */
export const defaultCertificateFetcher: CertificateFetcher = cachingFetcher(fetchCertificateOverHttps);
