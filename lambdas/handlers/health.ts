import { HttpProblem } from "./http/problem.js";
import { json } from "./http/response.js";
import { type HttpHandler, httpRoute } from "./http/route.js";
import { createRouter } from "./http/router.js";
import { FALLBACK_ROUTE, HTTP_ROUTES } from "./routes.js";
import { type RuntimeDeps, readOnlyDeps } from "./runtime.js";

const routes = createRouter(HTTP_ROUTES);

/**
 * Why a request matched no route: 405 when the path exists for another method, else 404 (the same
 * answers the local server gives, as problem+json).
 */
export function unmatched(method: string, path: string): HttpProblem {
  return routes.match(method, path) === "method"
    ? new HttpProblem(405, `${method} is not allowed on ${path}.`, { slug: "method-not-allowed" })
    : new HttpProblem(404, `No route for ${method} ${path}.`, { slug: "unknown-route" });
}

/**
 * `GET /healthz`: liveness only; it never touches the store, so a store outage does not restart us.
 * Deployed, it also serves API Gateway's `$default` route, answering unmatched requests as problems.
 */
export function createHealthHandler(deps: Pick<RuntimeDeps, "logger">): HttpHandler {
  return httpRoute({ logger: deps.logger, auth: "none" }, async (event) => {
    if (event.routeKey === FALLBACK_ROUTE) throw unmatched(event.requestContext.http.method, event.rawPath);
    return json(200, { status: "ok" });
  });
}

export const handler = createHealthHandler(readOnlyDeps);
