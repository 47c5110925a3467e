import type { Scope } from "../core/access.js";

/**
 * The scope each authenticated route requires (design.md §5.3, the "auth" column), by API Gateway
 * route key: the one table the bearer-key middleware, the OpenAPI document and the docs read. A
 * test holds it equal to HTTP_ROUTES (routes.ts) minus the routes without a key (health, webhooks).
 * Plain data: the check function loads it.
 */
export const ROUTE_SCOPES: Readonly<Record<string, Scope>> = {
  "POST /v1/check": "check",
  "GET /v1/suppressions/{address}": "check",
  "PUT /v1/suppressions/{address}": "admin",
  "DELETE /v1/suppressions/{address}": "admin",
  "GET /v1/suppressions": "admin",
  "GET /v1/events/{address}": "admin",
  "GET /v1/events": "admin",
  "GET /v1/allowlist": "admin",
  "PUT /v1/allowlist/{address}": "admin",
  "DELETE /v1/allowlist/{address}": "admin",
  "POST /v1/import/{provider}": "ingest",
  "POST /v1/keys": "keys",
  "GET /v1/keys": "keys",
  "DELETE /v1/keys/{id}": "keys",
};
