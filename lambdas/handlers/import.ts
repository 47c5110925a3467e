import { Metrics } from "@aws-lambda-powertools/metrics";
import { InputError } from "../core/errors.js";
import type { ParsedNotification } from "../core/events.js";
import { adapterOf } from "../providers/registry.js";
import { json } from "./http/response.js";
import { type HttpHandler, httpRoute } from "./http/route.js";
import { ingestDeps } from "./ingest-runtime.js";
import { ingest } from "./ingestion.js";
import {
  countRefusals,
  type IngestHandlerOptions,
  METRICS_NAMESPACE,
  recordIngestMetrics,
} from "./metrics.js";
import { countAccepted, recordReputationMetrics } from "./reputation-metrics.js";
import { type RuntimeDeps, SERVICE_NAME } from "./runtime.js";
import {
  limitEvents,
  MAX_EVENTS_PER_REQUEST,
  providerProblem,
  unknownProvider,
  webhookRequest,
} from "./webhook-request.js";

function dryRunFlag(value: string | undefined): boolean {
  if (value === undefined || value === "" || value === "false" || value === "0") return false;
  if (value === "true" || value === "1") return true;
  throw new InputError("`dryRun` is `true` or `false` (or `1` / `0`).", [
    { path: "dryRun", message: `got ${value}` },
  ]);
}

/**
 * `POST /v1/import/{provider}`: ingests a provider payload without its transport signature
 * (backfills, replays, tests). `?dryRun=true` answers the normalized events and the policy's
 * decisions without storing anything. More than `MAX_EVENTS_PER_REQUEST` events is a 413 before
 * anything is stored (an SES body is counted by its recipients before its records are parsed);
 * `npm run import` sends big files in chunks that fit.
 *
 * @example
 * const handler = createImportHandler(deps);
 * await handler(apiGatewayEvent("POST", "/v1/import/sendgrid", body), context); // 200 summary, or 413
 */
export function createImportHandler(deps: RuntimeDeps, options: IngestHandlerOptions = {}): HttpHandler {
  const { metrics } = options;
  const route = {
    logger: deps.logger,
    ...(metrics ? { metrics } : {}),
    use: [countRefusals(metrics, "import")],
    auth: deps.auth,
  };
  return httpRoute(route, async (event, caller) => {
    const provider = event.pathParameters?.provider ?? "";
    const adapter = adapterOf(provider);
    if (!adapter) throw unknownProvider(provider);
    const dryRun = dryRunFlag(event.queryStringParameters?.dryRun);
    const request = webhookRequest(event);
    const context = { tenant: caller.tenant, receivedAt: deps.now(), maxEvents: MAX_EVENTS_PER_REQUEST };
    let parsed: ParsedNotification;
    try {
      parsed = limitEvents(await adapter.parseImport(request, context));
    } catch (error) {
      throw providerProblem(error) ?? error;
    }
    const summary = await ingest(parsed, { store: deps.store(), policy: deps.policy(), dryRun });
    deps.logger.info("imported", {
      provider,
      dryRun,
      accepted: summary.accepted,
      duplicates: summary.duplicates,
      ignored: summary.ignored,
    });
    if (!dryRun) {
      recordIngestMetrics(metrics, "import", provider, summary);
      recordReputationMetrics(metrics, caller.tenant, countAccepted(summary));
    }
    return json(200, summary);
  });
}

export const handler = createImportHandler(ingestDeps, {
  metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }),
});
