import { createHash } from "node:crypto";
import { Metrics } from "@aws-lambda-powertools/metrics";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { SnsControlAnswer } from "../contract/ingestion.js";
import { ADAPTER_PROVIDERS, webhookAdapter } from "../providers/registry.js";
import { parseSesSnsMessage, type SnsMeta } from "../providers/ses/index.js";
import { subscribeUrlProblem } from "../providers/ses/sns-cert-url.js";
import {
  type CertificateFetcher,
  defaultCertificateFetcher,
  SnsCertificateUnavailableError,
  SnsVerificationError,
  type VerifiedSnsMessage,
  verifySnsMessage,
} from "../providers/ses/sns-signature.js";
import { type SecretSource, WebhookAuthError } from "../providers/types.js";
import { jsonBody } from "./http/body.js";
import { HttpProblem } from "./http/problem.js";
import { type HttpResponse, json } from "./http/response.js";
import { type HttpHandler, httpRoute } from "./http/route.js";
import { ingestDeps } from "./ingest-runtime.js";
import { ingest } from "./ingestion.js";
import {
  countRefusals,
  type IngestHandlerOptions,
  METRICS_NAMESPACE,
  recordIngestMetrics,
} from "./metrics.js";
import { type RuntimeDeps, SERVICE_NAME } from "./runtime.js";
import { limitEvents, webhookRequest } from "./webhook-request.js";

/** Providers whose webhooks `POST /webhooks/{provider}` serves. */
export const WEBHOOK_PROVIDERS = ["ses", ...ADAPTER_PROVIDERS];

/** What the webhook answers to an SNS subscription or unsubscription confirmation. */
export type { SnsControlAnswer };

export type WebhookOptions = IngestHandlerOptions & {
  /** The allowed SNS topic ARNs; default: `SNS_TOPIC_ARNS` (comma-separated), read at each request. */
  readonly allowedTopicArns?: () => readonly string[];
  /** Default: HTTPS with a timeout, cached per URL for the life of the container. */
  readonly fetchCertificate?: CertificateFetcher;
  /** GETs a verified confirmation's `SubscribeURL`; throws when SNS did not answer 2xx. */
  readonly confirmSubscription?: (url: string) => Promise<void>;
};

/** The SES path's seams, resolved. */
type SesSeams = Required<Omit<WebhookOptions, "metrics">>;

/** `SNS_TOPIC_ARNS` as a list: comma-separated, blanks ignored. */
export function topicArnsFromEnv(value = process.env.SNS_TOPIC_ARNS): string[] {
  return (value ?? "")
    .split(",")
    .map((arn) => arn.trim())
    .filter((arn) => arn !== "");
}

const CONFIRM_TIMEOUT_MS = 5_000;

/** GETs the `SubscribeURL` (no redirects, 5 s timeout); SNS answers 200 with an XML body. */
export async function confirmOverHttps(url: string): Promise<void> {
  const response = await fetch(url, { redirect: "error", signal: AbortSignal.timeout(CONFIRM_TIMEOUT_MS) });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`ConfirmSubscription answered ${response.status}`);
}

/** A message no genuine SNS delivery looks like: 400. The rest are trust failures: 401. */
const FORMAT_REASONS: ReadonlySet<SnsVerificationError["reason"]> = new Set([
  "malformed",
  "type-mismatch",
  "unexpected-member",
]);

/** Every refusal is a 4xx, so SNS takes it as delivered and does not retry it. */
function refusal(error: SnsVerificationError): HttpProblem {
  const status = FORMAT_REASONS.has(error.reason) ? 400 : 401;
  return new HttpProblem(status, error.message, { slug: `sns-${error.reason}`, cause: error });
}

function unavailable(detail: string, cause: unknown): HttpProblem {
  return new HttpProblem(503, detail, { slug: "sns-unavailable", headers: { "retry-after": "1" }, cause });
}

/**
 * `POST /webhooks/{provider}` (design.md §5.3). `ses` is an SNS HTTP(S) subscription (see
 * `sesWebhook`); every other provider is an adapter (lambdas/providers/registry.ts) whose `verify`
 * runs before anything is read, then `parse` → policy → store. Refusals carry the status that
 * stops that provider's retries; our own failures are 5xx so it retries.
 *
 * @example
 * const handler = createWebhookHandler(deps, { fetchCertificate: async () => pem });
 */
export function createWebhookHandler(deps: RuntimeDeps, options: WebhookOptions = {}): HttpHandler {
  const ses: SesSeams = {
    allowedTopicArns: options.allowedTopicArns ?? (() => topicArnsFromEnv()),
    fetchCertificate: options.fetchCertificate ?? defaultCertificateFetcher,
    confirmSubscription: options.confirmSubscription ?? confirmOverHttps,
  };
  const { metrics } = options;
  const route = {
    logger: deps.logger,
    ...(metrics ? { metrics } : {}),
    use: [countRefusals(metrics, "webhook")],
    auth: "none",
  } as const;
  return httpRoute(route, async (event) => {
    const provider = event.pathParameters?.provider ?? "";
    if (provider === "ses") return sesWebhook(event, deps, ses, metrics);
    const adapter = webhookAdapter(provider);
    if (!adapter) {
      throw new HttpProblem(
        404,
        `Unknown provider "${provider}"; supported: ${WEBHOOK_PROVIDERS.join(", ")}.`,
        {
          slug: "unknown-provider",
        },
      );
    }
    const request = webhookRequest(event);
    const now = deps.now();
    let secrets: SecretSource;
    try {
      secrets = await deps.secrets();
    } catch (error) {
      throw new HttpProblem(503, "The provider secrets could not be read; retry later.", {
        slug: "secrets-unavailable",
        headers: { "retry-after": "1" },
        cause: error,
      });
    }
    try {
      await adapter.verify(request, {
        secrets,
        now,
        replayGuard: (p, token, expiresAt) =>
          deps.store().claimNonce(deps.tenant, p, token, bodyFingerprint(request.rawBody), expiresAt),
      });
    } catch (error) {
      if (error instanceof WebhookAuthError) {
        throw new HttpProblem(error.status, error.message, { slug: error.slug, cause: error });
      }
      throw error;
    }
    const parsed = limitEvents(adapter.parse(request, { tenant: deps.tenant, receivedAt: now }));
    const summary = await ingest(parsed, { store: deps.store(), policy: deps.policy(), dryRun: false });
    recordIngestMetrics(metrics, "webhook", provider, summary);
    deps.logger.info("webhook ingested", {
      provider,
      accepted: summary.accepted,
      duplicates: summary.duplicates,
      ignored: summary.ignored,
    });
    return json(200, summary);
  });
}

/**
 * `POST /webhooks/ses`: an SNS HTTP(S) subscription. Verifies the message (docs/providers/ses.md §1.7)
 * before acting on it, then: a Notification is parsed and ingested; a SubscriptionConfirmation is
 * confirmed by visiting its `SubscribeURL` (only on the signing certificate's SNS host, for our
 * topic); an UnsubscribeConfirmation is logged.
 *
 * Answers: 200 done; 400 malformed; 401 not configured, not our topic, bad or unverifiable signature,
 * too old (SNS takes any 4xx as delivered and does not retry); 503 store, certificate host or SNS
 * confirmation unavailable (SNS retries 5xx).
 */
async function sesWebhook(
  event: APIGatewayProxyEventV2,
  deps: RuntimeDeps,
  options: SesSeams,
  metrics: IngestHandlerOptions["metrics"],
): Promise<HttpResponse> {
  const provider = "ses";
  const { allowedTopicArns, fetchCertificate, confirmSubscription } = options;
  const allowed = allowedTopicArns();
  if (allowed.length === 0) {
    throw new HttpProblem(
      401,
      "SNS_TOPIC_ARNS is not set: no SNS topic is allowed, so no SES webhook is accepted. Set it to the comma-separated topic ARNs.",
      { slug: "sns-not-configured" },
    );
  }
  const document = jsonBody(event);
  const now = deps.now();
  let message: VerifiedSnsMessage;
  try {
    message = await verifySnsMessage(document, {
      allowedTopicArns: allowed,
      fetchCertificate,
      now,
      messageTypeHeader: event.headers["x-amz-sns-message-type"] ?? "",
    });
  } catch (error) {
    if (error instanceof SnsVerificationError) throw refusal(error);
    if (error instanceof SnsCertificateUnavailableError) {
      throw unavailable("The SNS signing certificate could not be fetched; retry later.", error);
    }
    throw error;
  }
  const log = { provider, messageId: message.messageId, topicArn: message.topicArn };

  if (message.type === "Notification") {
    // Only the signed `Message` is read, as the one shape it may be (an SES record): the document
    // around it is not parsed again, so no unsigned member can add to what is ingested.
    const parsed = limitEvents(
      parseSesSnsMessage(message.message, snsMeta(message), { tenant: deps.tenant, receivedAt: now }),
    );
    const summary = await ingest(parsed, { store: deps.store(), policy: deps.policy(), dryRun: false });
    recordIngestMetrics(metrics, "webhook", provider, summary);
    deps.logger.info("webhook ingested", {
      ...log,
      accepted: summary.accepted,
      duplicates: summary.duplicates,
      ignored: summary.ignored,
    });
    return json(200, summary);
  }

  if (message.type === "UnsubscribeConfirmation") {
    deps.logger.warn("SNS unsubscribed this endpoint", log);
    return json(200, { sns: message.type, ...pick(message), confirmed: false } satisfies SnsControlAnswer);
  }

  const url = message.subscribeUrl ?? "";
  const urlProblem = subscribeUrlProblem(url, { certHost: message.certHost, topicArn: message.topicArn });
  if (urlProblem !== null) {
    throw new HttpProblem(401, `SubscribeURL ${urlProblem}; the subscription is not confirmed.`, {
      slug: "sns-subscribe-url",
    });
  }
  try {
    await confirmSubscription(url);
  } catch (error) {
    throw unavailable("SNS did not confirm the subscription; retry later.", error);
  }
  deps.logger.info("SNS subscription confirmed", log);
  return json(200, { sns: message.type, ...pick(message), confirmed: true } satisfies SnsControlAnswer);
}

/** Tells a provider's retry of one request (same bytes) from a replay of its token with other content. */
const bodyFingerprint = (raw: Buffer): string => createHash("sha256").update(raw).digest("base64url");

const pick = (m: VerifiedSnsMessage) => ({ topicArn: m.topicArn, messageId: m.messageId });

const snsMeta = (m: VerifiedSnsMessage): SnsMeta => ({
  type: m.type,
  messageId: m.messageId,
  topicArn: m.topicArn,
  timestamp: m.timestamp,
  subscribeUrl: m.subscribeUrl,
  token: m.token,
});

export const handler = createWebhookHandler(ingestDeps, {
  metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }),
});
