import { InputError } from "../core/errors.js";
import { importParser, SUPPORTED_PROVIDERS } from "../providers/index.js";
import { HttpProblem } from "./http/problem.js";
import { json } from "./http/response.js";
import { type HttpHandler, httpRoute } from "./http/route.js";
import { ingestDeps } from "./ingest-runtime.js";
import { ingest } from "./ingestion.js";
import type { RuntimeDeps } from "./runtime.js";
import { limitEvents, webhookRequest } from "./webhook-request.js";

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
 * decisions without storing anything.
 */
export function createImportHandler(deps: RuntimeDeps): HttpHandler {
  return httpRoute({ logger: deps.logger, auth: "api-key", apiKey: deps.apiKey }, async (event) => {
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
    const parsed = limitEvents(parse(webhookRequest(event), { tenant: deps.tenant, receivedAt: deps.now() }));
    const summary = await ingest(parsed, { store: deps.store(), policy: deps.policy(), dryRun });
    deps.logger.info("imported", {
      provider,
      dryRun,
      accepted: summary.accepted,
      duplicates: summary.duplicates,
      ignored: summary.ignored,
    });
    return json(200, summary);
  });
}

export const handler = createImportHandler(ingestDeps);
