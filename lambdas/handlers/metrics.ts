/**
 * CloudWatch metrics of the ingest functions (Powertools Metrics, EMF). The SQS consumer has its own
 * per-batch set (`SES_EVENTS_METRICS` in ses-events.ts); the HTTP ingest routes publish these, once
 * per request, with the route and the provider as dimensions, so a dashboard can tell a provider whose
 * webhooks are refused (a rotated secret, a forged sender) from one whose events are all duplicates.
 */
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { isEventSource } from "../providers/names.js";
import { toProblem } from "./http/problem-middleware.js";
import type { HttpResponse } from "./http/response.js";
import type { IngestSummary } from "./ingestion.js";
import { METRICS_NAMESPACE } from "./names.js";

/** Written once in names.ts (data only: the SQS consumer and lib/ read it without this module). */
export { METRICS_NAMESPACE };

/** The per-request metrics of `POST /v1/import/{provider}`, `POST /webhooks/{provider}` and `POST /u/{token}`. */
export const INGEST_METRICS = {
  /** Events recorded for the first time. */
  accepted: "EventsAccepted",
  /** Events recorded before (a provider's redelivery): acknowledged, nothing changed. */
  duplicates: "EventsDuplicate",
  /** Opens, clicks and other events outside the taxonomy. */
  ignored: "EventsIgnored",
  /** Requests answered 4xx: not genuine, malformed, too large, unknown provider. */
  refused: "RequestsRefused",
} as const;

/** What the import and webhook handler factories take besides their dependencies. */
export type IngestHandlerOptions = {
  /** Per-request counts (`INGEST_METRICS`); none when absent (the local server, most tests). */
  readonly metrics?: Metrics;
};

/** Which ingest route published a metric (its `route` dimension). */
export type IngestRoute = "import" | "webhook" | "unsubscribe";

/**
 * Adds one request's counts to `metrics` (published by the `logMetrics` middleware at the end of the
 * invocation). A refused request counts 1 in `RequestsRefused` and 0 events; an ingested one its
 * summary's counts and 0 refusals, so every series stays continuous.
 *
 * @example
 * recordIngestMetrics(metrics, "webhook", "sendgrid", summary);   // accepted, duplicates, ignored
 * recordIngestMetrics(metrics, "webhook", "sendgrid", "refused"); // RequestsRefused 1
 */
export function recordIngestMetrics(
  metrics: Metrics | undefined,
  route: IngestRoute,
  provider: string,
  outcome: Pick<IngestSummary, "accepted" | "duplicates" | "ignored"> | "refused",
): void {
  if (metrics === undefined) return;
  // The path names the provider, so a caller could invent any number of them: only our sources
  // become a dimension value (each value is a metric series, billed), everything else is "unknown".
  metrics.addDimensions({ route, provider: isEventSource(provider) ? provider : "unknown" });
  const counts =
    outcome === "refused"
      ? { accepted: 0, duplicates: 0, ignored: 0, refused: 1 }
      : { accepted: outcome.accepted, duplicates: outcome.duplicates, ignored: outcome.ignored, refused: 0 };
  for (const [key, name] of Object.entries(INGEST_METRICS)) {
    metrics.addMetric(name, MetricUnit.Count, counts[key as keyof typeof counts]);
  }
}

/**
 * middy middleware: a request refused with a 4xx (at any step: the key, the signature, the body)
 * counts once in `RequestsRefused` for its provider. Give it to `httpRoute` in `use`, with the same
 * `metrics`; the route's logic records the counts of what it ingested.
 *
 * @example
 * httpRoute({ logger, metrics, use: [countRefusals(metrics, "webhook")], auth: "none" }, logic);
 */
export function countRefusals(
  metrics: Metrics | undefined,
  route: IngestRoute,
): MiddlewareObj<APIGatewayProxyEventV2, HttpResponse> {
  return {
    name: "countRefusals",
    onError: (request) => {
      const status = toProblem(request.error).status;
      if (status >= 400 && status < 500) {
        recordIngestMetrics(metrics, route, request.event.pathParameters?.provider ?? "", "refused");
      }
    },
  };
}
