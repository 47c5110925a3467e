import { Metrics } from "@aws-lambda-powertools/metrics";
import { InputError } from "../core/errors.js";
import { importParser, SUPPORTED_PROVIDERS } from "../providers/index.js";
import { HttpProblem } from "./http/problem.js";
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
import { type RuntimeDeps, SERVICE_NAME } from "./runtime.js";
import { limitEvents, limitSesRecipients, webhookRequest } from "./webhook-request.js";

function dryRunFlag(value: string | undefined): boolean {
  if (value === undefined || value === "" || value === "false" || value === "0") return false;
  if (value === "true" || value === "1") return true;
  throw new InputError("`dryRun` is `true` or `false` (or `1` / `0`).", [
    { path: "dryRun", message: `got ${value}` },
  ]);
}

/** The body as JSON for the recipient pre-count, or `undefined` (the parser then says what is wrong). */
function sesDocument(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    return undefined;
  }
}

/**
 * `POST /v1/import/{provider}`: ingests a provider payload without its transport signature
 * (backfills, replays, tests). `?dryRun=true` answers the normalized events and the policy's
 * decisions without storing anything. More than `MAX_EVENTS_PER_REQUEST` events is a 413 before
 * anything is stored (for SES, counted from the recipients before the records are parsed);
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
    auth: "api-key",
    apiKey: deps.apiKey,
  } as const;
  return httpRoute(route, async (event) => {
    const provider = event.pathParameters?.provider ?? "";
    const parse = importParser(provider);
    if (!parse) {
      throw new HttpProblem(
        404,
        `Unknown provider "${provider}"; supported: ${SUPPORTED_PROVIDERS.join(", ")}.`,
        {
          slug: "unknown-provider",
        },
      );
    }
    const dryRun = dryRunFlag(event.queryStringParameters?.dryRun);
    const request = webhookRequest(event);
    if (provider === "ses") limitSesRecipients(sesDocument(request.rawBody));
    const parsed = limitEvents(parse(request, { tenant: deps.tenant, receivedAt: deps.now() }));
    const summary = await ingest(parsed, { store: deps.store(), policy: deps.policy(), dryRun });
    deps.logger.info("imported", {
      provider,
      dryRun,
      accepted: summary.accepted,
      duplicates: summary.duplicates,
      ignored: summary.ignored,
    });
    if (!dryRun) recordIngestMetrics(metrics, "import", provider, summary);
    return json(200, summary);
  });
}

export const handler = createImportHandler(ingestDeps, {
  metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }),
});
