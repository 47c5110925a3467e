import { json } from "./http/response.js";
import { type HttpHandler, httpRoute } from "./http/route.js";
import { type RuntimeDeps, readOnlyDeps } from "./runtime.js";

/** `GET /healthz`: liveness only; it never touches the store, so a store outage does not restart us. */
export function createHealthHandler(deps: Pick<RuntimeDeps, "logger">): HttpHandler {
  return httpRoute({ logger: deps.logger, auth: "none" }, async () => json(200, { status: "ok" }));
}

export const handler = createHealthHandler(readOnlyDeps);
