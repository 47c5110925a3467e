import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { type Actor, hasScope, isTenant, type Principal } from "../../core/access.js";
import { SERVICE_NAME } from "../names.js";
import { scopesFor } from "../route-scopes.js";
import type { Authenticator } from "./authenticate.js";
import { HttpProblem } from "./problem.js";
import type { HttpResponse } from "./response.js";

const challenge = { "www-authenticate": `Bearer realm="${SERVICE_NAME}"` };

/** The header the bootstrap key names another tenant with (any other key may only name its own). */
export const TENANT_HEADER = "x-tenant";

/** Who is calling, as a route's logic sees it. */
export type Caller = {
  readonly principal: Principal;
  /** The tenant every read and write of the request is confined to. */
  readonly tenant: string;
  /** Who the history records for a change. */
  readonly actor: Actor;
  /** Whether addresses may be shown in full (the `pii` scope). */
  readonly pii: boolean;
};

const callers = new WeakMap<APIGatewayProxyEventV2, Caller>();

/**
 * The caller `bearerKey` admitted for `event`.
 *
 * @throws Error when no bearer-key middleware ran for the event (a wiring bug, not a caller's fault)
 */
export function callerOf(event: APIGatewayProxyEventV2): Caller {
  const caller = callers.get(event);
  if (caller === undefined) throw new Error("callerOf: the route has no bearer-key middleware");
  return caller;
}

const header = (event: APIGatewayProxyEventV2, name: string): string | undefined => {
  const headers = event.headers ?? {};
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
};

/** The tenant the request acts for: the key's own, or (bootstrap key only) the one `X-Tenant` names. */
function tenantOf(event: APIGatewayProxyEventV2, principal: Principal): string {
  const named = header(event, TENANT_HEADER)?.trim();
  if (named === undefined || named === "" || named === principal.tenant) return principal.tenant;
  if (!isTenant(named)) {
    throw new HttpProblem(
      400,
      `\`${TENANT_HEADER}\` is not a tenant id (lower-case letters, digits, - and _).`,
      {
        slug: "bad-tenant",
      },
    );
  }
  if (!principal.bootstrap) {
    throw new HttpProblem(
      403,
      `This key belongs to tenant \`${principal.tenant}\`; it cannot act for another.`,
      {
        slug: "tenant-mismatch",
      },
    );
  }
  return named;
}

/**
 * middy `before`: requires `Authorization: Bearer <key>`, a key the authenticator knows, holding
 * the scope `ROUTE_SCOPES` names for the route; the admitted caller is then `callerOf(event)`.
 * 401 for a missing, unknown or revoked key (no bootstrap key configured: says so), 403 for a key
 * without the scope or for another tenant.
 *
 * @example
 * middy(handler).use(bearerKey(deps.auth));
 */
export function bearerKey(auth: Authenticator): MiddlewareObj<APIGatewayProxyEventV2, HttpResponse> {
  return {
    name: "bearerKey",
    before: async (request) => {
      const event = request.event;
      const scopes = scopesFor(event.routeKey);
      if (scopes === undefined) throw new Error(`route-scopes.ts names no scope for ${event.routeKey}`);
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header(event, "authorization") ?? "");
      if (!match?.[1]) {
        throw new HttpProblem(401, "Send the API key as `Authorization: Bearer <key>`.", {
          slug: "missing-api-key",
          headers: challenge,
        });
      }
      const principal = await auth.authenticate(match[1]);
      if (principal === undefined) {
        if (!(await auth.hasBootstrapKey()) && !match[1].startsWith("ssk_")) {
          throw new HttpProblem(401, "No API key is configured on the server (set SUPPRESSION_API_KEY).", {
            slug: "api-key-not-configured",
            headers: challenge,
          });
        }
        throw new HttpProblem(401, "The API key is not valid (unknown, revoked, or mistyped).", {
          slug: "invalid-api-key",
          headers: challenge,
        });
      }
      if (scopes !== null && !scopes.some((scope) => hasScope(principal, scope))) {
        const named = scopes.map((scope) => `\`${scope}\``).join(" or ");
        throw new HttpProblem(403, `This key lacks the ${named} scope this route needs.`, {
          slug: "insufficient-scope",
        });
      }
      callers.set(event, {
        principal,
        tenant: tenantOf(event, principal),
        actor: { keyId: principal.keyId, name: principal.name },
        pii: hasScope(principal, "pii"),
      });
    },
  };
}
