/**
 * `GET /v1/events?type=&provider=&tag=&from=&to=&cursor=&limit=`: the status view, every provider
 * event of the caller's tenant in a window of at most 30 days, newest first (design.md §5.3).
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import {
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
import { eventEntry } from "./history-view.js";
import { type HttpResponse, json } from "./http/response.js";
import { type HttpHandler, httpRoute } from "./http/route.js";
import { type RuntimeDeps, readOnlyDeps } from "./runtime.js";

/**
 * The status-view answer for `event` in `tenant`: the route's whole logic, apart from
 * authentication. `to` defaults to now, `from` to 7 days before `to`.
 *
 * @throws InputError (400) for a bad query parameter, a reversed or too long window, a bad cursor
 */
export async function statusView(
  deps: RuntimeDeps,
  event: APIGatewayProxyEventV2,
  tenant: string,
): Promise<HttpResponse> {
  const query = parseAt(StatusQuery, event.queryStringParameters ?? {}, [], "Not a valid status query.");
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
  const page = await statusStore(deps.store()).events(
    {
      tenant,
      from,
      to,
      limit: query.limit ?? STATUS_PAGE_DEFAULT,
      ...(query.type === undefined ? {} : { type: query.type }),
      ...(query.provider === undefined ? {} : { provider: query.provider }),
      ...(query.tag === undefined ? {} : { tag: query.tag }),
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
 * `GET /v1/events`: the tenant's provider events in a window, newest first, in pages of `limit`
 * (default 50, at most 100) with an opaque `cursor`; follow `cursor` until it is null.
 *
 * @example
 * const page = await handler(apiGatewayEvent("GET", "/v1/events?type=invalid&provider=ses"), context);
 */
export function createStatusHandler(deps: RuntimeDeps): HttpHandler {
  return httpRoute({ logger: deps.logger, auth: deps.auth, maskWithoutPii: true }, (event, caller) =>
    statusView(deps, event, caller.tenant),
  );
}

export const handler = createStatusHandler(readOnlyDeps);
