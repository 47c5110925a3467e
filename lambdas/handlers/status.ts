/**
 * The status view (design.md §5.3), one function for its two routes:
 * - `GET /v1/events?type=&provider=&tag=&from=&to=&cursor=&limit=`: every provider event of the
 *   caller's tenant in a window of at most 30 days, newest first, in pages;
 * - `GET /v1/event-counts?provider=&tag=&from=&to=`: how many of each type the same window holds,
 *   under the same filters (the counts on top of the list).
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import {
  type EventCounts,
  EventCountsQuery,
  STATUS_PAGE_DEFAULT,
  type StatusPage,
  StatusQuery,
} from "../contract/status.js";
import { fromEpochSeconds } from "../core/ledger/time.js";
import { parseAt } from "../providers/shared/validate.js";
import { statusStore } from "../store/status.js";
import { statusCountsStore } from "../store/status-counts.js";
import { eventEntry } from "./history-view.js";
import { type HttpResponse, json } from "./http/response.js";
import { type HttpHandler, httpRoute } from "./http/route.js";
import type { RouteKey } from "./routes.js";
import { type RuntimeDeps, readOnlyDeps } from "./runtime.js";
import { type StatusWindow, statusFilters, statusWindow } from "./status-window.js";

/** The counts' route key (routes.ts): the function serves the list on every other. */
export const EVENT_COUNTS_ROUTE = "GET /v1/event-counts" satisfies RouteKey;

const windowOf = (deps: RuntimeDeps, query: { readonly from?: string; readonly to?: string }): StatusWindow =>
  statusWindow(query, Math.floor(deps.now().getTime() / 1000));

/**
 * The status-view answer for `event` in `tenant`: the route's whole logic, apart from
 * authentication.
 *
 * @throws InputError (400) for a bad query parameter, a reversed or too long window, a bad cursor
 */
export async function statusView(
  deps: RuntimeDeps,
  event: APIGatewayProxyEventV2,
  tenant: string,
): Promise<HttpResponse> {
  const query = parseAt(StatusQuery, event.queryStringParameters ?? {}, [], "Not a valid status query.");
  const { from, to, now } = windowOf(deps, query);
  const page = await statusStore(deps.store()).events(
    {
      tenant,
      from,
      to,
      limit: query.limit ?? STATUS_PAGE_DEFAULT,
      ...(query.type === undefined ? {} : { type: query.type }),
      ...statusFilters(query),
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    },
    now,
  );
  const answer: StatusPage = {
    from: fromEpochSeconds(from),
    to: fromEpochSeconds(to),
    items: page.items.map(eventEntry),
    cursor: page.cursor,
  };
  return json(200, answer);
}

/**
 * The event counts for `event` in `tenant`: the route's whole logic, apart from authentication.
 *
 * @throws InputError (400) for a bad or unknown query parameter, a reversed or too long window
 */
export async function eventCountsView(
  deps: RuntimeDeps,
  event: APIGatewayProxyEventV2,
  tenant: string,
): Promise<HttpResponse> {
  const query = parseAt(
    EventCountsQuery,
    event.queryStringParameters ?? {},
    [],
    "Not a valid event-counts query.",
  );
  const { from, to, now } = windowOf(deps, query);
  const counted = await statusCountsStore(deps.store()).counts(
    { tenant, from, to, ...statusFilters(query) },
    now,
  );
  const answer: EventCounts = {
    from: fromEpochSeconds(from),
    to: fromEpochSeconds(to),
    counts: { ...counted.counts },
    total: counted.total,
    complete: counted.complete,
    countedFrom: fromEpochSeconds(counted.countedFrom),
  };
  if (!counted.complete) {
    deps.logger.info("event counts cut short", { queries: counted.queries, countedFrom: answer.countedFrom });
  }
  return json(200, answer);
}

/**
 * `GET /v1/events`: the tenant's provider events in a window, newest first, in pages of `limit`
 * (default 50, at most 100) with an opaque `cursor`; follow `cursor` until it is null.
 * `GET /v1/event-counts`: how many of each type the same window and filters hold.
 *
 * @example
 * const page = await handler(apiGatewayEvent("GET", "/v1/events?type=invalid&provider=ses"), context);
 */
export function createStatusHandler(deps: RuntimeDeps): HttpHandler {
  return httpRoute({ logger: deps.logger, auth: deps.auth, maskWithoutPii: true }, (event, caller) =>
    event.routeKey === EVENT_COUNTS_ROUTE
      ? eventCountsView(deps, event, caller.tenant)
      : statusView(deps, event, caller.tenant),
  );
}

export const handler = createStatusHandler(readOnlyDeps);
