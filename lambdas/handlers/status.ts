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
  STATUS_WINDOW_DEFAULT_DAYS,
  STATUS_WINDOW_MAX_DAYS,
  type StatusPage,
  StatusQuery,
} from "../contract/status.js";
import { InputError } from "../core/errors.js";
import { DAY_SECONDS, fromEpochSeconds, toEpochSeconds } from "../core/ledger/time.js";
import { parseAt } from "../providers/shared/validate.js";
import { statusStore } from "../store/status.js";
import { statusCountsStore } from "../store/status-counts.js";
import { eventEntry } from "./history-view.js";
import { type HttpResponse, json } from "./http/response.js";
import { type HttpHandler, httpRoute } from "./http/route.js";
import type { RouteKey } from "./routes.js";
import { type RuntimeDeps, readOnlyDeps } from "./runtime.js";

/** The counts' route key (routes.ts): the function serves the list on every other. */
export const EVENT_COUNTS_ROUTE = "GET /v1/event-counts" satisfies RouteKey;

/** A window of the status view, in epoch seconds, and the clock it was read with. */
type Window = { readonly from: number; readonly to: number; readonly now: number };

/**
 * The window both routes read: `to` defaults to now, `from` to 7 days before `to`; a reversed
 * window (a `from` in the future with `to` left to now, say) or one over 30 days is refused.
 *
 * @throws InputError (400) naming `from`
 */
function windowOf(deps: RuntimeDeps, query: { readonly from?: string; readonly to?: string }): Window {
  const now = Math.floor(deps.now().getTime() / 1000);
  const to = query.to === undefined ? now : toEpochSeconds(query.to);
  const from =
    query.from === undefined ? to - STATUS_WINDOW_DEFAULT_DAYS * DAY_SECONDS : toEpochSeconds(query.from);
  if (from > to) {
    throw new InputError("`from` is after `to`.", [
      { path: "from", message: `${fromEpochSeconds(from)} > ${fromEpochSeconds(to)}` },
    ]);
  }
  if (to - from > STATUS_WINDOW_MAX_DAYS * DAY_SECONDS) {
    throw new InputError(
      `The window is longer than ${STATUS_WINDOW_MAX_DAYS} days: narrow \`from\` and \`to\`.`,
      [{ path: "from", message: `more than ${STATUS_WINDOW_MAX_DAYS} days before \`to\`` }],
    );
  }
  return { from, to, now };
}

/** The provider and tag filters as the store takes them (both routes). */
const filtersOf = (query: { readonly provider?: StatusQuery["provider"]; readonly tag?: string }) => ({
  ...(query.provider === undefined ? {} : { provider: query.provider }),
  ...(query.tag === undefined ? {} : { tag: query.tag }),
});

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
      ...filtersOf(query),
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
    { tenant, from, to, ...filtersOf(query) },
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
