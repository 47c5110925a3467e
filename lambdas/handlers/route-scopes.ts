import type { Scope } from "../core/access.js";
import type { RouteKey } from "./routes.js";

/** A route any valid key may call, whatever its scopes (`GET /v1/me`: who am I). */
export const ANY_KEY = "any";
/** The scope a route needs; a list: any one of them; `ANY_KEY`: a valid key is enough. */
export type RouteScope = Scope | readonly [Scope, ...Scope[]] | typeof ANY_KEY;

/**
 * The scope each authenticated route requires (design.md §5.3, the "auth" column), by API Gateway
 * route key: the one table the bearer-key middleware, the OpenAPI document and the docs read. Its
 * keys are checked against HTTP_ROUTES (routes.ts) by the compiler, and a test holds that every
 * route but health and the webhooks has one.
 * Plain data: the check function loads it.
 */
const SCOPE_OF = {
  "POST /v1/check": "check",
  // The verdict of one address is the sender's check, and the first thing an operator reads.
  "GET /v1/suppressions/{address}": ["check", "admin"],
  "PUT /v1/suppressions/{address}": "admin",
  "DELETE /v1/suppressions/{address}": "admin",
  "GET /v1/suppressions": "admin",
  "GET /v1/events/{address}": "admin",
  "GET /v1/events": "admin",
  "GET /v1/event-counts": "admin",
  "GET /v1/stats": "admin",
  // An export holds the whole list (masked without `pii`), as the list routes do.
  "POST /v1/exports": "admin",
  "GET /v1/exports": "admin",
  "GET /v1/exports/{id}": "admin",
  "POST /v1/exports/{id}/retry": "admin",
  // Cleaning a list is the sender's check, in bulk; operators run it from the console.
  "POST /v1/list-checks": ["check", "admin"],
  "GET /v1/list-checks": ["check", "admin"],
  "GET /v1/list-checks/{id}": ["check", "admin"],
  "POST /v1/list-checks/{id}/start": ["check", "admin"],
  "POST /v1/list-checks/{id}/retry": ["check", "admin"],
  "GET /v1/allowlist": "admin",
  "GET /v1/allowlist/{address}": "admin",
  "PUT /v1/allowlist/{address}": "admin",
  "DELETE /v1/allowlist/{address}": "admin",
  "POST /v1/import/{provider}": "ingest",
  // Links are made by whoever sends the mail, as it ingests what comes back.
  "POST /v1/unsubscribe-links": "ingest",
  "POST /v1/keys": "keys",
  "GET /v1/keys": "keys",
  "DELETE /v1/keys/{id}": "keys",
  "GET /v1/me": ANY_KEY,
} as const satisfies Partial<Record<RouteKey, RouteScope>>;

/** By the event's `routeKey` (any string): `undefined` for a route without a key. */
export const ROUTE_SCOPES: Readonly<Record<string, RouteScope | undefined>> = SCOPE_OF;

/**
 * The scopes of which a key needs one for `routeKey`: `null` for any valid key, `undefined` for a
 * route without a key (health, webhooks).
 *
 * @example
 * scopesFor("GET /v1/suppressions/{address}"); // ["check", "admin"]
 * scopesFor("GET /v1/me"); // null
 */
export function scopesFor(routeKey: string): readonly Scope[] | null | undefined {
  const scope = ROUTE_SCOPES[routeKey];
  if (scope === undefined) return undefined;
  if (scope === ANY_KEY) return null;
  return typeof scope === "string" ? [scope] : scope;
}
