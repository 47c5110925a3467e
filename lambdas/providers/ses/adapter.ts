/**
 * Amazon SES as a provider adapter (docs/providers/ses.md §1.7): `POST /webhooks/ses` is an SNS
 * HTTP(S) subscription, and SNS's signature is the check.
 *
 * - **verify** checks the SNS message (`verifySnsMessage`: the topic in `SNS_TOPIC_ARNS` first, the
 *   type header, the certificate URL, the signature, the age) and resolves to the verified message.
 *   Format failures (no genuine SNS message has them) are 400; trust failures 401 (SNS takes any
 *   4xx as delivered and does not retry); an unreachable certificate host 503 (SNS retries 5xx).
 * - **control** answers what is not a notification: a SubscriptionConfirmation is confirmed by
 *   GETting its `SubscribeURL`, only on the signing certificate's SNS host and for the same topic;
 *   an UnsubscribeConfirmation is logged.
 * - **parse** reads only the signed `Message`, as the one shape it may be (an SES record): the
 *   document around it is never parsed again, so no unsigned member can add to what is ingested.
 * - **parseImport** reads every shape SES output arrives in (`parseSes`: a bare record, an SNS
 *   document, SNS/SQS → Lambda, EventBridge), counting the recipients before parsing.
 */
import type { SnsControlAnswer } from "../../contract/ingestion.js";
import { isRecord } from "../../core/is-record.js";
import { parseJsonBody } from "../../core/json.js";
import {
  type ControlAnswer,
  type ImportUnit,
  type ProviderAdapter,
  ProviderUnavailableError,
  type SecretSource,
  TooManyEventsError,
  WebhookAuthError,
  type WebhookRequest,
} from "../types.js";
import type { SnsMeta } from "./envelopes.js";
import { parseSes, parseSesSnsMessage } from "./parse.js";
import { sesRecipientCount } from "./recipient-count.js";
import { subscribeUrlProblem } from "./sns-cert-url.js";
import {
  type CertificateFetcher,
  defaultCertificateFetcher,
  SnsCertificateUnavailableError,
  SnsVerificationError,
  type VerifiedSnsMessage,
  verifySnsMessage,
} from "./sns-signature.js";
import { confirmOverHttps, SNS_TOPIC_ARNS, topicArnsFromEnv } from "./subscription.js";

/** What the SES adapter does I/O with; each defaults to the real thing. */
export type SesAdapterOptions = {
  /**
   * The allowed SNS topic ARNs; default: the `SNS_TOPIC_ARNS` setting (comma-separated) of the
   * request's tenant, read at each request (never another tenant's: none set means none allowed).
   */
  readonly allowedTopicArns?: () => readonly string[];
  /** Default: HTTPS with a timeout, cached per URL for the life of the container. */
  readonly fetchCertificate?: CertificateFetcher;
  /** GETs a verified confirmation's `SubscribeURL`; throws when SNS did not answer 2xx. */
  readonly confirmSubscription?: (url: string) => Promise<void>;
};

/** A message no genuine SNS delivery looks like: 400. The rest are trust failures: 401. */
const FORMAT_REASONS: ReadonlySet<SnsVerificationError["reason"]> = new Set([
  "malformed",
  "type-mismatch",
  "unexpected-member",
]);

function refusal(error: SnsVerificationError): WebhookAuthError {
  const status = FORMAT_REASONS.has(error.reason) ? 400 : 401;
  return new WebhookAuthError(error.message, { status, slug: `sns-${error.reason}`, cause: error });
}

const unavailable = (message: string, cause: unknown) =>
  new ProviderUnavailableError(message, { slug: "sns-unavailable", cause });

const snsMeta = (m: VerifiedSnsMessage): SnsMeta => ({
  type: m.type,
  messageId: m.messageId,
  topicArn: m.topicArn,
  timestamp: m.timestamp,
  subscribeUrl: m.subscribeUrl,
  token: m.token,
});

/** An SES body's import units: each Lambda record of `{Records}`, or the whole body as an SQS record. */
function sesImportUnits(value: unknown): ImportUnit[] {
  const units = (v: unknown, count: unknown) => ({
    value: v,
    events: Math.max(1, sesRecipientCount(count)),
    envelope: "Records",
  });
  if (isRecord(value) && Array.isArray(value.Records)) return value.Records.map((r) => units(r, r));
  return [units({ eventSource: "aws:sqs", body: JSON.stringify(value) }, value)];
}

/**
 * The SES adapter, with its I/O replaceable (tests sign with their own certificate).
 *
 * @example
 * const ses = createSesAdapter({ allowedTopicArns: () => [topicArn], fetchCertificate: async () => pem });
 * const message = await ses.verify(request, context);
 * const answer = await ses.control?.(message); // null for a Notification
 * const { events } = ses.parse(message, { tenant: "default", receivedAt: new Date() });
 */
export function createSesAdapter(options: SesAdapterOptions = {}): ProviderAdapter<VerifiedSnsMessage> {
  // The tenant's `SNS_TOPIC_ARNS` setting, as the webhook reads it for the tenant of the path
  // (the default tenant's is the function's environment, design.md §5.4).
  const allowedTopicArns = (secrets: SecretSource) =>
    options.allowedTopicArns?.() ?? topicArnsFromEnv(secrets(SNS_TOPIC_ARNS) ?? "");
  const fetchCertificate = options.fetchCertificate ?? defaultCertificateFetcher;
  const confirmSubscription = options.confirmSubscription ?? confirmOverHttps;
  return {
    provider: "ses",
    secretNames: [],
    settingNames: [SNS_TOPIC_ARNS],

    async verify(request: WebhookRequest, { now, secrets }) {
      const allowed = allowedTopicArns(secrets);
      if (allowed.length === 0) {
        throw new WebhookAuthError(
          `${SNS_TOPIC_ARNS} is not set: no SNS topic is allowed, so no SES webhook is accepted. Set it to the comma-separated topic ARNs.`,
          { status: 401, slug: "sns-not-configured" },
        );
      }
      const document = parseJsonBody(request.rawBody);
      try {
        return await verifySnsMessage(document, {
          allowedTopicArns: allowed,
          fetchCertificate,
          now,
          messageTypeHeader: request.headers["x-amz-sns-message-type"] ?? "",
        });
      } catch (error) {
        if (error instanceof SnsVerificationError) throw refusal(error);
        if (error instanceof SnsCertificateUnavailableError) {
          throw unavailable("The SNS signing certificate could not be fetched; retry later.", error);
        }
        throw error;
      }
    },

    async control(message): Promise<ControlAnswer | null> {
      if (message.type === "Notification") return null;
      const about = { topicArn: message.topicArn, messageId: message.messageId };
      if (message.type === "UnsubscribeConfirmation") {
        const body: SnsControlAnswer = { sns: message.type, ...about, confirmed: false };
        return { body, log: { level: "warn", message: "SNS unsubscribed this endpoint" } };
      }
      const url = message.subscribeUrl ?? "";
      const problem = subscribeUrlProblem(url, { certHost: message.certHost, topicArn: message.topicArn });
      if (problem !== null) {
        throw new WebhookAuthError(`SubscribeURL ${problem}; the subscription is not confirmed.`, {
          status: 401,
          slug: "sns-subscribe-url",
        });
      }
      try {
        await confirmSubscription(url);
      } catch (error) {
        throw unavailable("SNS did not confirm the subscription; retry later.", error);
      }
      const body: SnsControlAnswer = { sns: message.type, ...about, confirmed: true };
      return { body, log: { level: "info", message: "SNS subscription confirmed" } };
    },

    parse: (message, context) => parseSesSnsMessage(message.message, snsMeta(message), context),

    parseImport(request, context) {
      const body = parseJsonBody(request.rawBody);
      const recipients = sesRecipientCount(body);
      if (context.maxEvents !== undefined && recipients > context.maxEvents) {
        throw new TooManyEventsError(context.maxEvents, recipients, "recipients");
      }
      return parseSes(body, context);
    },

    importUnits: sesImportUnits,

    logFields: (message) => ({ messageId: message.messageId, topicArn: message.topicArn }),
  };
}

/** The SES adapter of the deployed functions: `SNS_TOPIC_ARNS`, certificates over HTTPS. */
export const sesAdapter = createSesAdapter();
