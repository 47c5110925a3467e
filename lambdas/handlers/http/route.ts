import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy, { type MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { maskJson } from "../../core/mask.js";
import { bearerKey, type Caller, callerOf } from "./api-key.js";
import type { Authenticator } from "./authenticate.js";
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

/** Keyed routes only: answers of callers without `pii` have every address masked (core/mask.ts). */
type KeyedOptions = { auth: Authenticator; maskWithoutPii?: boolean };

type Logic<A> = (event: APIGatewayProxyEventV2, caller: A) => Promise<HttpResponse>;

/** A JSON answer with every address in it masked; other answers as they are. */
function masked(response: HttpResponse): HttpResponse {
  if (!response.headers["content-type"]?.startsWith("application/json")) return response;
  return { ...response, body: JSON.stringify(maskJson(JSON.parse(response.body))) };
}

/**
 * Wraps route logic in the middlewares every HTTP route shares: Powertools logger context,
 * metrics (when given), problem+json errors and (unless `auth: "none"`) the bearer key with the
 * route's scope (route-scopes.ts). Keyed routes get the admitted `Caller`: its tenant bounds every
 * read and write. With `maskWithoutPii`, a caller without the `pii` scope gets every address of
 * the answer masked (`j***@example.org`): lists and history are masked as a whole, so no field of
 * theirs can be forgotten.
 *
 * @example
 * export const handler = httpRoute({ logger, auth: "none" }, async () => json(200, { status: "ok" }));
 * httpRoute({ logger, auth: deps.auth }, async (event, caller) => json(200, await list(caller.tenant)));
 */
export function httpRoute(options: RouteOptions & { auth: "none" }, logic: Logic<undefined>): HttpHandler;
export function httpRoute(options: RouteOptions & KeyedOptions, logic: Logic<Caller>): HttpHandler;
export function httpRoute(
  options: RouteOptions & ({ auth: "none" } | KeyedOptions),
  logic: Logic<Caller> | Logic<undefined>,
): HttpHandler {
  const route = middy<APIGatewayProxyEventV2, HttpResponse>().use(
    injectLambdaContext(options.logger, { resetKeys: true }),
  );
  if (options.metrics) route.use(logMetrics(options.metrics));
  route.use(problemJson(options.logger));
  if (options.auth === "none") {
    for (const middleware of options.use ?? []) route.use(middleware);
    return route.handler((event) => (logic as Logic<undefined>)(event, undefined)) as HttpHandler;
  }
  route.use(bearerKey(options.auth));
  for (const middleware of options.use ?? []) route.use(middleware);
  const mask = options.maskWithoutPii === true;
  return route.handler(async (event) => {
    const caller = callerOf(event);
    const response = await (logic as Logic<Caller>)(event, caller);
    return mask && !caller.pii ? masked(response) : response;
  }) as HttpHandler;
}
