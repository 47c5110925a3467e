/**
 * `GET /v1/suppressions?cause=&reason=&source=&scope=&since=&until=&q=&cursor=&limit=`: the live
 * entries of the caller's tenant, newest first (design.md §5.3). SendCloud's bounce, complaint,
 * unsubscribe and manual lists are this route with a filter.
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { LIST_PAGE_DEFAULT, type ListPage, ListQuery } from "../contract/lists.js";
import { parseAt } from "../providers/shared/validate.js";
import { listsStore } from "../store/lists.js";
import { type HttpResponse, json } from "./http/response.js";
import { type HttpHandler, httpRoute } from "./http/route.js";
import { listEntry, listFilters } from "./list-view.js";
import { type RuntimeDeps, readOnlyDeps } from "./runtime.js";

/**
 * The list answer for `event` in `tenant`: the route's whole logic, apart from authentication.
 *
 * @throws InputError (400) for a bad query parameter or cursor
 */
export async function listSuppressions(
  deps: RuntimeDeps,
  event: APIGatewayProxyEventV2,
  tenant: string,
): Promise<HttpResponse> {
  const query = parseAt(ListQuery, event.queryStringParameters ?? {}, [], "Not a valid list query.");
  const now = Math.floor(deps.now().getTime() / 1000);
  const page = await listsStore(deps.store()).entries(
    {
      ...listFilters(query, tenant),
      limit: query.limit ?? LIST_PAGE_DEFAULT,
      ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
    },
    now,
  );
  const answer: ListPage = { items: page.entries.map(listEntry), cursor: page.cursor };
  return json(200, answer);
}

/**
 * `GET /v1/suppressions`: the tenant's live entries, newest first, in pages of `limit` (default
 * 50, at most 100) with an opaque `cursor`; follow `cursor` until it is null (a page may be short).
 *
 * @example
 * const page = await handler(apiGatewayEvent("GET", "/v1/suppressions?cause=complaint"), context);
 */
export function createListsHandler(deps: RuntimeDeps): HttpHandler {
  return httpRoute({ logger: deps.logger, auth: deps.auth, maskWithoutPii: true }, (event, caller) =>
    listSuppressions(deps, event, caller.tenant),
  );
}

export const handler = createListsHandler(readOnlyDeps);
