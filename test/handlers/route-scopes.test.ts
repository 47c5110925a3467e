import { describe, expect, it } from "vitest";
import { SCOPES } from "../../lambdas/core/access.js";
import { ANY_KEY, ROUTE_SCOPES, scopesFor } from "../../lambdas/handlers/route-scopes.js";
import { HTTP_ROUTES } from "../../lambdas/handlers/routes.js";

/**
 * The routes without a bearer key: liveness, the webhooks (each provider's own signature), and the
 * recipients' `/u/{token}` (the sealed token is the credential).
 */
const UNKEYED_FUNCTIONS = new Set(["health", "webhook"]);
const UNKEYED_ROUTES = new Set(["GET /u/{token}", "POST /u/{token}"]);

describe("ROUTE_SCOPES", () => {
  it("names a scope for exactly the keyed routes of HTTP_ROUTES", () => {
    const keyed = Object.entries(HTTP_ROUTES)
      .filter(([route, fn]) => !UNKEYED_FUNCTIONS.has(fn) && !UNKEYED_ROUTES.has(route))
      .map(([route]) => route)
      .sort();
    expect(Object.keys(ROUTE_SCOPES).sort()).toEqual(keyed);
  });

  it("uses only known scopes, and `pii` for none (it widens what a route shows, it opens no route)", () => {
    for (const route of Object.keys(ROUTE_SCOPES)) {
      const scopes = scopesFor(route) ?? [];
      for (const scope of scopes) expect(SCOPES).toContain(scope);
      expect(scopes, route).not.toContain("pii");
    }
  });

  it("lets any valid key call `GET /v1/me` (who am I), and no other route", () => {
    const anyKey = Object.entries(ROUTE_SCOPES).filter(([, scope]) => scope === ANY_KEY);
    expect(anyKey.map(([route]) => route)).toEqual(["GET /v1/me"]);
    expect(SCOPES).not.toContain(ANY_KEY);
  });

  it("lets `check` or `admin` read one address's verdict (the console's address page needs no `check`)", () => {
    expect(scopesFor("GET /v1/suppressions/{address}")).toEqual(["check", "admin"]);
    expect(scopesFor("POST /v1/check")).toEqual(["check"]);
    expect(scopesFor("GET /healthz")).toBeUndefined();
  });
});
