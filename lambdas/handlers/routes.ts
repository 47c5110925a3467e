/**
 * The HTTP routes (design.md §5.3) and the handler that serves each, as API Gateway route keys.
 * The local server and the CDK stack both read this table, so the two cannot drift apart.
 */
export const HTTP_ROUTES = {
  "GET /healthz": "health",
  "POST /v1/check": "check",
  "GET /v1/suppressions": "lists",
  "GET /v1/suppressions/{address}": "suppressions",
  "PUT /v1/suppressions/{address}": "admin",
  "DELETE /v1/suppressions/{address}": "admin",
  "GET /v1/events": "status",
  "GET /v1/event-counts": "status",
  "GET /v1/stats": "stats",
  "POST /v1/exports": "exports",
  "GET /v1/exports": "exports",
  "GET /v1/exports/{id}": "exports",
  "POST /v1/exports/{id}/retry": "exports",
  "POST /v1/list-checks": "list-checks",
  "GET /v1/list-checks": "list-checks",
  "GET /v1/list-checks/{id}": "list-checks",
  "POST /v1/list-checks/{id}/start": "list-checks",
  "POST /v1/list-checks/{id}/retry": "list-checks",
  "GET /v1/events/{address}": "history",
  "GET /v1/allowlist": "allowlist",
  "GET /v1/allowlist/{address}": "allowlist",
  "PUT /v1/allowlist/{address}": "allowlist",
  "DELETE /v1/allowlist/{address}": "allowlist",
  "POST /v1/import/{provider}": "import",
  "POST /v1/unsubscribe-links": "unsubscribe",
  "GET /u/{token}": "unsubscribe",
  "POST /u/{token}": "unsubscribe",
  "POST /v1/keys": "keys",
  "GET /v1/keys": "keys",
  "DELETE /v1/keys/{id}": "keys",
  "GET /v1/me": "keys",
  "POST /webhooks/{provider}": "webhook",
  "POST /webhooks/{provider}/{tenant}": "webhook",
} as const;

export type RouteKey = keyof typeof HTTP_ROUTES;
export type HttpFunction = (typeof HTTP_ROUTES)[RouteKey];

/**
 * Routes only the local server (`npm start`) serves: the OpenAPI document generated from
 * lambdas/contract (docs/openapi.json). Not deployed: the generator uses classic zod, which no
 * Lambda bundle carries, and the deployed API's routes are exactly design §5.3's.
 */
export const LOCAL_ROUTES = {
  "GET /openapi.json": "openapi",
} as const;
export type LocalFunction = (typeof LOCAL_ROUTES)[keyof typeof LOCAL_ROUTES];

/** API Gateway's catch-all route: deployed, unmatched requests reach the health function. */
export const FALLBACK_ROUTE = "$default";
