import { type CreatedKey, CreateKeyRequest, type KeysPage, type KeyView, type Me } from "../contract/keys.js";
import { refusalToCreate } from "../core/access.js";
import { InputError } from "../core/errors.js";
import { DEFAULT_POLICY } from "../core/policy/defaults.js";
import { parseAt } from "../providers/shared/validate.js";
import { apiKeysStore, KEY_ID_PATTERN } from "../store/api-keys.js";
import { jsonBody } from "./http/body.js";
import { HttpProblem } from "./http/problem.js";
import { json } from "./http/response.js";
import { type HttpHandler, httpRoute } from "./http/route.js";
import { keyView } from "./key-view.js";
import { containerDeps, type RuntimeDeps } from "./runtime.js";

/**
 * The tenant's API keys, for a key with the `keys` scope (the bootstrap key: any tenant's, through
 * `X-Tenant` or the body's `tenant`):
 * - `POST /v1/keys` `{"name", "scopes", "tenant"?}`: a new key, answered once (201) with its id;
 *   only its hash is stored. A key grants no scope it lacks (403 `scope-escalation`).
 * - `GET /v1/keys`: the tenant's keys, newest first, revoked ones included (never a key or hash).
 * - `DELETE /v1/keys/{id}`: revokes it (200, idempotent; 404 for no such key of the tenant).
 *   Refused by this function at once, by the others within `KEY_CACHE_SECONDS`.
 * - `GET /v1/me`, for any valid key: who the key is (id, name, tenant, scopes), never the key. The
 *   console asks it at sign-in.
 *
 * @example
 * await handler(apiGatewayEvent("POST", "/v1/keys", '{"name":"ci","scopes":["check"]}'), context);
 */
export function createKeysHandler(deps: RuntimeDeps): HttpHandler {
  return httpRoute({ logger: deps.logger, auth: deps.auth }, async (event, caller) => {
    const keys = apiKeysStore(deps.store());
    const now = Math.floor(deps.now().getTime() / 1000);
    const method = event.requestContext.http.method.toUpperCase();
    if (event.routeKey === "GET /v1/me") {
      const { keyId, name, scopes, bootstrap } = caller.principal;
      const answer: Me = { keyId, name, tenant: caller.tenant, scopes: [...scopes], bootstrap };
      return json(200, answer);
    }
    if (method === "GET") {
      const answer: KeysPage = { keys: (await keys.list(caller.tenant)).map(keyView) };
      return json(200, answer);
    }
    if (method === "POST") {
      const body = parseAt(CreateKeyRequest, jsonBody(event), [], "Not a valid key request.");
      const tenant = body.tenant ?? caller.tenant;
      const refusal = refusalToCreate({ ...caller.principal, tenant: caller.tenant }, tenant, body.scopes);
      if (refusal !== undefined) {
        const slug = tenant === caller.tenant ? "scope-escalation" : "tenant-mismatch";
        throw new HttpProblem(403, refusal, { slug });
      }
      const created = await keys.create(
        { tenant, name: body.name, scopes: body.scopes, createdBy: caller.actor },
        now,
      );
      deps.logger.info("key created", { keyId: created.item.keyId, tenant, scopes: body.scopes });
      const answer: CreatedKey = { ...keyView(created.item), key: created.key };
      return json(201, answer);
    }
    const id = event.pathParameters?.id ?? "";
    if (!KEY_ID_PATTERN.test(id)) {
      throw new InputError(
        "Not a key id (12 hex digits, the part after `ssk_`). The bootstrap key is rotated in Secrets Manager, not revoked here.",
        [{ path: "id", message: `got ${JSON.stringify(id.slice(0, 40))}` }],
      );
    }
    const revoked = await keys.revoke(caller.tenant, id, caller.actor, now);
    if (revoked === undefined) {
      throw new HttpProblem(404, `The tenant \`${caller.tenant}\` has no key \`${id}\`.`, {
        slug: "no-such-key",
      });
    }
    deps.auth.forget(id);
    deps.logger.info("key revoked", { keyId: id, tenant: caller.tenant });
    const answer: KeyView = keyView(revoked);
    return json(200, answer);
  });
}

// Keys need no policy and no provider secret: the defaults stand in for the policy never read.
export const handler = createKeysHandler(containerDeps(() => DEFAULT_POLICY));
