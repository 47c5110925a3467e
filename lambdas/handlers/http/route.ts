import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy, { type MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { bearerApiKey } from "./api-key.js";
import { problemJson } from "./problem-middleware.js";
import type { HttpResponse } from "./response.js";

export type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResponse>;

/** What every route has, whatever its authentication. */
type RouteOptions = {
  logger: Logger;
  /** Published once per invocation (Powertools `logMetrics`), errors included; none when absent. */
  metrics?: Metrics;
  /** Route-specific middlewares, innermost (their `onError` runs before the shared ones'). */
  use?: readonly MiddlewareObj<APIGatewayProxyEventV2, HttpResponse>[];
};

/**
 * Wraps route logic in the middlewares every HTTP route shares: Powertools logger context,
 * metrics (when given), problem+json errors and (unless `auth: "none"`) the bearer API key.
 *
 * @example
 * export const handler = httpRoute({ logger, auth: "none" }, async () => json(200, { status: "ok" }));
 */
export function httpRoute(
  options:
    | (RouteOptions & { auth: "none" })
    | (RouteOptions & { auth: "api-key"; apiKey: () => string | undefined | Promise<string | undefined> }),
  logic: (event: APIGatewayProxyEventV2) => Promise<HttpResponse>,
): HttpHandler {
  const route = middy<APIGatewayProxyEventV2, HttpResponse>().use(
    injectLambdaContext(options.logger, { resetKeys: true }),
  );
  if (options.metrics) route.use(logMetrics(options.metrics));
  route.use(problemJson(options.logger));
  if (options.auth === "api-key") route.use(bearerApiKey(options.apiKey));
  for (const middleware of options.use ?? []) route.use(middleware);
  return route.handler(logic) as HttpHandler;
}
