/**
 * The HTTP routes (design.md §5.3) and the handler that serves each, as API Gateway route keys.
 * The local server and the CDK stack both read this table, so the two cannot drift apart.
 */
export const HTTP_ROUTES = {
  "GET /healthz": "health",
  "POST /v1/check": "check",
  "GET /v1/suppressions/{address}": "suppressions",
  "POST /v1/import/{provider}": "import",
  "POST /webhooks/{provider}": "webhook",
} as const;

export type RouteKey = keyof typeof HTTP_ROUTES;
export type HttpFunction = (typeof HTTP_ROUTES)[RouteKey];

/** API Gateway's catch-all route: deployed, unmatched requests reach the health function. */
export const FALLBACK_ROUTE = "$default";
