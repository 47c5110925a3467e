import { createHash } from "node:crypto";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { isTenant } from "../core/access.js";
import { adapterOf, isProvider, type Provider } from "../providers/registry.js";
import type { AnyProviderAdapter, SecretSource } from "../providers/types.js";
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
import { countAccepted, recordReputationMetrics } from "./reputation-metrics.js";
import { type RuntimeDeps, SERVICE_NAME } from "./runtime.js";
import {
  limitEvents,
  MAX_EVENTS_PER_REQUEST,
  providerProblem,
  unknownProvider,
  webhookRequest,
} from "./webhook-request.js";

export type WebhookOptions = IngestHandlerOptions & {
  /**
   * Adapters used instead of the registry's, by provider (tests give SES their own certificate
   * fetcher and topics: `{ ses: createSesAdapter({ … }) }`).
   */
  readonly adapters?: Readonly<Partial<Record<Provider, AnyProviderAdapter>>>;
};

/**
 * `POST /webhooks/{provider}` (design.md §5.3), the same flow for every adapter of the registry
 * (lambdas/providers/registry.ts):
 *
 * 1. `verify` runs before anything is read, and resolves to what the check vouches for (the whole
 *    request, or SES's verified SNS message);
 * 2. `control`, when the adapter has one, answers a verified message that carries no events (an
 *    SNS subscription confirmation);
 * 3. otherwise `parse` reads only what was verified → policy → store.
 *
 * Refusals carry the status that stops that provider's retries; our own failures (the store, the
 * secrets, a certificate host) are 503 with `Retry-After`, so it retries.
 *
 * @example
 * const handler = createWebhookHandler(deps, { adapters: { ses: createSesAdapter({ fetchCertificate }) } });
 */
export function createWebhookHandler(deps: RuntimeDeps, options: WebhookOptions = {}): HttpHandler {
  const { metrics, adapters = {} } = options;
  const route = {
    logger: deps.logger,
    ...(metrics ? { metrics } : {}),
    use: [countRefusals(metrics, "webhook")],
    auth: "none",
  } as const;
  const adapterFor = (name: string): AnyProviderAdapter | undefined =>
    isProvider(name) ? (adapters[name] ?? adapterOf(name)) : undefined;
  return httpRoute(route, async (event) => {
    const provider = event.pathParameters?.provider ?? "";
    const adapter = adapterFor(provider);
    if (!adapter) throw unknownProvider(provider);
    const tenant = tenantOfPath(event.pathParameters?.tenant, deps.tenant);
    const request = webhookRequest(event);
    const now = deps.now();
    // Only adapters that have secrets or settings wait for them (SES: its topics).
    const configured = adapter.secretNames.length + adapter.settingNames.length > 0;
    const secrets: SecretSource = configured ? await readSecrets(deps, tenant) : () => undefined;
    try {
      const signed = await adapter.verify(request, {
        secrets,
        now,
        replayGuard: (p, token, expiresAt) =>
          deps.store().claimNonce(tenant, p, token, bodyFingerprint(request.rawBody), expiresAt),
      });
      const log = { provider, tenant, ...adapter.logFields?.(signed) };
      const answer = (await adapter.control?.(signed)) ?? null;
      if (answer !== null) {
        deps.logger[answer.log.level](answer.log.message, log);
        return json(200, answer.body);
      }
      const context = { tenant, receivedAt: now, maxEvents: MAX_EVENTS_PER_REQUEST };
      const parsed = limitEvents(await adapter.parse(signed, context));
      const summary = await ingest(parsed, { store: deps.store(), policy: deps.policy(), dryRun: false });
      recordIngestMetrics(metrics, "webhook", provider, summary);
      recordReputationMetrics(metrics, tenant, countAccepted(summary));
      deps.logger.info("webhook ingested", {
        ...log,
        accepted: summary.accepted,
        duplicates: summary.duplicates,
        ignored: summary.ignored,
      });
      return json(200, summary);
    } catch (error) {
      throw providerProblem(error) ?? error;
    }
  });
}

/**
 * The tenant of `POST /webhooks/{provider}/{tenant}`; without one (`/webhooks/{provider}`), the
 * deployment's default. A tenant id that cannot exist is a 404, like an unknown provider.
 */
function tenantOfPath(named: string | undefined, fallback: string): string {
  if (named === undefined) return fallback;
  if (isTenant(named)) return named;
  throw new HttpProblem(404, "No such tenant: a tenant id is lower-case letters, digits, - and _.", {
    slug: "unknown-tenant",
  });
}

async function readSecrets(deps: RuntimeDeps, tenant: string): Promise<SecretSource> {
  try {
    return await deps.secrets(tenant);
  } catch (error) {
    throw new HttpProblem(503, "The provider secrets could not be read; retry later.", {
      slug: "secrets-unavailable",
      headers: { "retry-after": "1" },
      cause: error,
    });
  }
}

/** Tells a provider's retry of one request (same bytes) from a replay of its token with other content. */
const bodyFingerprint = (raw: Buffer): string => createHash("sha256").update(raw).digest("base64url");

export const handler = createWebhookHandler(ingestDeps, {
  metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }),
});
