/**
 * The bearer-key middleware on its own: header parsing, scopes per route, tenant selection. The
 * authenticator here is a table of known keys; the store-backed one is tested in authenticate.test.ts.
 */
import type { Request } from "@middy/core";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { describe, expect, it } from "vitest";
import type { Principal } from "../../../lambdas/core/access.js";
import { sameSecret } from "../../../lambdas/core/secret-compare.js";
import { bearerKey, callerOf } from "../../../lambdas/handlers/http/api-key.js";
import { type Authenticator, BOOTSTRAP_PRINCIPAL } from "../../../lambdas/handlers/http/authenticate.js";
import { HttpProblem } from "../../../lambdas/handlers/http/problem.js";

const checkOnly: Principal = {
  keyId: "aaaaaaaaaaaa",
  name: "ci",
  tenant: "acme",
  scopes: ["check"],
  bootstrap: false,
};
const admin: Principal = { ...checkOnly, keyId: "bbbbbbbbbbbb", scopes: ["admin", "pii"] };

function authenticator(keys: Record<string, Principal>, bootstrap = true): Authenticator {
  return {
    authenticate: async (presented) => keys[presented],
    hasBootstrapKey: async () => bootstrap,
    forget: () => {},
  };
}

const KNOWN = authenticator({ root: BOOTSTRAP_PRINCIPAL, "ssk-check": checkOnly, "ssk-admin": admin });

async function run(
  auth: Authenticator,
  routeKey: string,
  headers: Record<string, string>,
): Promise<string | ReturnType<typeof callerOf>> {
  const event = { routeKey, headers } as unknown as APIGatewayProxyEventV2;
  try {
    await bearerKey(auth).before?.({ event } as Request<APIGatewayProxyEventV2>);
    return callerOf(event);
  } catch (error) {
    if (error instanceof HttpProblem) return `${error.status} ${error.slug}`;
    throw error;
  }
}

describe("bearerKey", () => {
  it.each([
    ["no header", {}, "401 missing-api-key"],
    ["another scheme", { authorization: "Basic root" }, "401 missing-api-key"],
    ["an unknown key", { authorization: "Bearer nope" }, "401 invalid-api-key"],
    ["a key without the route's scope", { authorization: "Bearer ssk-check" }, "403 insufficient-scope"],
    [
      "another tenant named by a tenant key",
      { authorization: "Bearer ssk-admin", "x-tenant": "other" },
      "403 tenant-mismatch",
    ],
    ["a malformed tenant", { authorization: "Bearer root", "x-tenant": "Not A Tenant" }, "400 bad-tenant"],
  ])("refuses %s", async (_name, headers, outcome) => {
    expect(await run(KNOWN, "GET /v1/allowlist", headers)).toBe(outcome);
  });

  it("admits a key with the scope, for its own tenant, with its actor and pii", async () => {
    expect(await run(KNOWN, "GET /v1/allowlist", { Authorization: "bearer ssk-admin" })).toEqual({
      principal: admin,
      tenant: "acme",
      actor: { keyId: admin.keyId, name: "ci" },
      pii: true,
    });
    expect(await run(KNOWN, "POST /v1/check", { authorization: "Bearer ssk-check" })).toMatchObject({
      tenant: "acme",
      pii: false,
    });
    expect(
      await run(KNOWN, "GET /v1/allowlist", { authorization: "Bearer ssk-admin", "x-tenant": "acme" }),
    ).toMatchObject({
      tenant: "acme",
    });
  });

  it("lets the bootstrap key act for any tenant", async () => {
    expect(await run(KNOWN, "GET /v1/keys", { authorization: "Bearer root" })).toMatchObject({
      tenant: "default",
    });
    expect(
      await run(KNOWN, "GET /v1/keys", { authorization: "Bearer root", "X-Tenant": "acme" }),
    ).toMatchObject({
      tenant: "acme",
      pii: true,
    });
  });

  it("says so when no bootstrap key is configured", async () => {
    expect(await run(authenticator({}, false), "POST /v1/check", { authorization: "Bearer k1" })).toBe(
      "401 api-key-not-configured",
    );
    expect(await run(authenticator({}, false), "POST /v1/check", { authorization: "Bearer ssk_x" })).toBe(
      "401 invalid-api-key",
    );
  });

  it("fails loudly for a route without a scope (a wiring bug, not a refusal)", async () => {
    await expect(run(KNOWN, "GET /v1/unknown", { authorization: "Bearer root" })).rejects.toThrow(/no scope/);
  });

  it("compares secrets of any length", () => {
    expect(sameSecret("a", "a")).toBe(true);
    expect(sameSecret("a", "ab")).toBe(false);
    expect(sameSecret("", "x")).toBe(false);
  });
});
