import { canonicalizeAddress, canonicalizeSubject } from "../core/address.js";
import { InputError } from "../core/errors.js";
import { json } from "./http/response.js";
import { type HttpHandler, httpRoute } from "./http/route.js";
import { type RuntimeDeps, readOnlyDeps } from "./runtime.js";
import { badFormat } from "./verdict-view.js";

/**
 * `GET /v1/suppressions/{address}`: the all-mail verdict (as `POST /v1/check` gives it) plus every
 * live entry on the address or its domain, in any scope, strongest first. `@domain` answers the
 * entries on the domain itself, and the verdict they give each of its addresses.
 */
export function createSuppressionsHandler(deps: RuntimeDeps): HttpHandler {
  return httpRoute({ logger: deps.logger, auth: deps.auth }, async (event, caller) => {
    const raw = event.pathParameters?.address;
    if (raw === undefined) throw new InputError("The path names no address: GET /v1/suppressions/{address}.");
    const now = Math.floor(deps.now().getTime() / 1000);
    if (raw.trim().startsWith("@")) {
      const domain = canonicalizeSubject(raw);
      if (!domain.ok) {
        throw new InputError("The path names no valid `@domain`.", [
          { path: "address", message: domain.problem },
        ]);
      }
      const { verdict, entries } = await deps.store().getAddress(caller.tenant, domain.subject, now);
      return json(200, { ...verdict, entries });
    }
    const parsed = canonicalizeAddress(raw);
    if (!parsed.ok) return json(200, { ...badFormat(parsed.input.trim(), parsed.problem), entries: [] });
    const { verdict, entries } = await deps.store().getAddress(caller.tenant, parsed.address, now);
    return json(200, { ...verdict, entries });
  });
}

export const handler = createSuppressionsHandler(readOnlyDeps);
