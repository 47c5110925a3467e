import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { bearerApiKey } from "./api-key.js";
import { problemJson } from "./problem-middleware.js";
import type { HttpResponse } from "./response.js";

export type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResponse>;

/**
 * Wraps route logic in the middlewares every HTTP route shares: Powertools logger context,
 * problem+json errors and (unless `auth: "none"`) the bearer API key.
 *
 * @example
 * export const handler = httpRoute({ logger, auth: "none" }, async () => json(200, { status: "ok" }));
 */
export function httpRoute(
  options:
    | { logger: Logger; auth: "none" }
    | { logger: Logger; auth: "api-key"; apiKey: () => string | undefined | Promise<string | undefined> },
  logic: (event: APIGatewayProxyEventV2) => Promise<HttpResponse>,
): HttpHandler {
  const route = middy<APIGatewayProxyEventV2, HttpResponse>()
    .use(injectLambdaContext(options.logger, { resetKeys: true }))
    .use(problemJson(options.logger));
  if (options.auth === "api-key") route.use(bearerApiKey(options.apiKey));
  return route.handler(logic) as HttpHandler;
}
